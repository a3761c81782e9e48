#pragma once
// api/multipart.h: multipart/form-data bodies (Flask's request.files and request.form), read
// as they arrive: file parts are written straight to disk, so an upload of any size costs a
// buffer of memory, not its size.

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace slate::api {

class Request;

/// A file part, spooled to disk while the request was read.
struct UploadedFile {
    std::string filename; ///< as the client named it
    std::string content_type;
    std::filesystem::path path; ///< its bytes; removed with the request unless moved away
    int64_t size = 0;
};

/// The folder a request's file parts are spooled to, removed with the last form that uses it.
class UploadSpool {
public:
    explicit UploadSpool(std::filesystem::path folder) : m_folder(std::move(folder)) {}
    ~UploadSpool();
    UploadSpool(const UploadSpool&) = delete;
    UploadSpool& operator=(const UploadSpool&) = delete;
    const std::filesystem::path& folder() const { return m_folder; }

private:
    std::filesystem::path m_folder;
};

/// Every part of a multipart/form-data body: files (parts with a file name) in order, and
/// the other parts as text fields.
struct MultipartForm {
    std::multimap<std::string, std::string> fields;
    std::vector<std::pair<std::string, UploadedFile>> files; ///< part name → file
    std::shared_ptr<UploadSpool> spool;                      ///< owns the files' folder
};

/// Whether a Content-Type is multipart/form-data.
bool is_multipart(const std::string& content_type);

/// Reads a multipart/form-data body from `body`: file parts into a new folder under
/// `spool_root`, text fields in memory. Throws payload_too_large past `max_bytes`,
/// bad_request when the body is no readable multipart, unavailable when the disk refuses.
MultipartForm read_multipart(std::istream& body, const std::string& content_type,
                             const std::filesystem::path& spool_root, int64_t max_bytes);

/// The request's parts; empty when its body is no multipart.
const MultipartForm& multipart_form(const Request& request);

/// The first file part named `field`, or nothing.
std::optional<UploadedFile> uploaded_file(const Request& request, const std::string& field = "file");

} // namespace slate::api
