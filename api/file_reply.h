#pragma once
// api/file_reply.h: answering with a stored file as Werkzeug's send_file(conditional=True)
// does (media.md §6.1): ETag, If-None-Match → 304, Accept-Ranges and single byte ranges
// → 206, unsatisfiable or multiple ranges → 416.

#include "api/reply.h"
#include "api/request.h"

#include <filesystem>
#include <string>

namespace slate::api {

/// The file at `path` (which exists), or the part the request's Range header asks for,
/// streamed from disk. A `cache_control` with max-age also sets Expires.
Reply file_reply(const Request& request, const std::filesystem::path& path, const std::string& content_type,
                 const std::string& cache_control);

/// The same with Last-Modified set from a row's naive UTC timestamp as PostgreSQL prints it
/// ("2024-01-15 10:30:00.123"), and If-Modified-Since answered 304 from it.
Reply file_reply(const Request& request, const std::filesystem::path& path, const std::string& content_type,
                 const std::string& cache_control, const std::string& last_modified_utc);

/// A file made for this answer (a frame, a zip, a PDF), served without caching as `filename`
/// (inline or as an attachment), then removed — at once when nothing is streamed (a 304).
Reply generated_file_reply(const Request& request, const std::filesystem::path& path, const std::string& content_type,
                           bool as_inline, const std::string& filename);

/// An HTTP date ("Mon, 15 Jan 2024 10:30:00 GMT") of seconds since the epoch.
std::string http_date(int64_t epoch_seconds);

/// Werkzeug's Content-Disposition: `inline; filename=""` without a name, else inline or
/// attachment with the name (quoted when needed; non-ASCII names as an ASCII fallback plus
/// filename*=UTF-8''…).
std::string content_disposition(bool as_inline, const std::string& filename);

} // namespace slate::api
