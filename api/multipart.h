#pragma once
// api/multipart.h: the file part of a multipart/form-data request (Flask's request.files).

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace slate::api {

class Request;

struct UploadedFile {
    std::string filename; ///< as the client named it
    std::string content_type;
    std::string bytes;
};

/// Every part of a multipart/form-data body: files (parts with a file name) in order, and
/// the other parts as text fields.
struct MultipartForm {
    std::multimap<std::string, std::string> fields;
    std::vector<std::pair<std::string, UploadedFile>> files; ///< part name → file
};

/// The parts of the body; empty when it is no multipart. Throws bad_request when the
/// multipart body cannot be read.
MultipartForm multipart_form(const Request& request);

/// The part named `field`, or nothing when the body is no multipart or has no such part.
/// Throws bad_request when the multipart body cannot be read.
std::optional<UploadedFile> uploaded_file(const Request& request, const std::string& field = "file");

} // namespace slate::api
