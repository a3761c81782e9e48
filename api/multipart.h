#pragma once
// api/multipart.h: the file part of a multipart/form-data request (Flask's request.files).

#include <optional>
#include <string>

namespace slate::api {

class Request;

struct UploadedFile {
    std::string filename; ///< as the client named it
    std::string content_type;
    std::string bytes;
};

/// The part named `field`, or nothing when the body is no multipart or has no such part.
/// Throws bad_request when the multipart body cannot be read.
std::optional<UploadedFile> uploaded_file(const Request& request, const std::string& field = "file");

} // namespace slate::api
