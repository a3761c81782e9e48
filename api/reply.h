#pragma once
// api/reply.h: what a handler answers, built in full before anything is sent.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace slate::api {

/// A part of a file on disk, sent in chunks instead of `body` (large movies never sit in memory).
struct FileBody {
    std::string path;
    uint64_t offset = 0;
    uint64_t length = 0;
    bool remove_after = false; ///< a generated file: deleted once sent
};

struct Reply {
    int status = 200;
    std::string body;
    std::optional<FileBody> file; ///< when set, the body is these bytes of a file
    std::string content_type = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;
    std::vector<std::string> set_cookies; ///< full Set-Cookie values
};

/// A JSON reply.
Reply json_reply(int status, std::string body);
/// Zou's error body {"error": true, "message": ...}.
Reply error_reply(int status, const std::string& message);

} // namespace slate::api
