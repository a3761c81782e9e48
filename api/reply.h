#pragma once
// api/reply.h: what a handler answers, built in full before anything is sent.

#include <string>
#include <utility>
#include <vector>

namespace slate::api {

struct Reply {
    int status = 200;
    std::string body;
    std::string content_type = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;
    std::vector<std::string> set_cookies; ///< full Set-Cookie values
};

/// A JSON reply.
Reply json_reply(int status, std::string body);
/// Zou's error body {"error": true, "message": ...}.
Reply error_reply(int status, const std::string& message);

} // namespace slate::api
