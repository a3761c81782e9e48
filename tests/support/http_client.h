#pragma once
// tests/support/http_client.h: real HTTP requests to a server on 127.0.0.1.

#include <Poco/JSON/Object.h>

#include <map>
#include <string>
#include <vector>

namespace slate::test {

struct HttpResponse {
    int status = 0;
    std::string body;
    std::string content_type;
    std::multimap<std::string, std::string> headers;
    std::vector<std::string> set_cookies;

    /// The body parsed as a JSON object (fails the test if it is not one).
    Poco::JSON::Object::Ptr json() const;
    /// The body parsed as a JSON array (fails the test if it is not one).
    Poco::JSON::Array::Ptr json_array() const;
    std::string header(const std::string& name) const;
};

struct HttpRequest {
    std::string method = "GET";
    std::string path = "/";
    std::string body;
    std::map<std::string, std::string> headers;
};

HttpResponse send_request(int port, const HttpRequest& request);

/// A request with an optional bearer token and body.
HttpResponse http_call(int port, const std::string& method, const std::string& path, const std::string& token = "",
                       const std::string& body = "");

/// Shorthands.
HttpResponse http_get(int port, const std::string& path, const std::string& token = "");
HttpResponse http_post(int port, const std::string& path, const std::string& body, const std::string& token = "");
/// A multipart/form-data POST of one file part named "file", as Kitsu and gazu upload.
HttpResponse http_upload(int port, const std::string& path, const std::string& token, const std::string& filename,
                         const std::string& bytes);

} // namespace slate::test
