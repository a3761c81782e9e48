#pragma once
// api/reply.h: what a handler answers, built in full before anything is sent (or, for the
// answers too large to hold, a writer run as the answer is sent).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
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

/// Writes an answer's body piece by piece into the sink it is given (api/streamed_reply.h).
using BodySink = std::function<void(std::string_view)>;
using BodyWriter = std::function<void(const BodySink&)>;

struct Reply {
    int status = 200;
    std::string body;
    std::optional<FileBody> file; ///< when set, the body is these bytes of a file
    BodyWriter writer;            ///< when set, the body is what it writes, sent as it comes
    std::string content_type = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;
    std::vector<std::string> set_cookies; ///< full Set-Cookie values
};

/// A JSON reply.
Reply json_reply(int status, std::string body);
/// Zou's error body {"error": true, "message": ...}.
Reply error_reply(int status, const std::string& message);

} // namespace slate::api
