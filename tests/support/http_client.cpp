#include "support/http_client.h"

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <stdexcept>

namespace slate::test {

Poco::JSON::Object::Ptr HttpResponse::json() const {
    Poco::JSON::Parser parser;
    auto parsed = parser.parse(body);
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr))
        throw std::runtime_error("response body is not a JSON object: " + body);
    return parsed.extract<Poco::JSON::Object::Ptr>();
}

Poco::JSON::Array::Ptr HttpResponse::json_array() const {
    Poco::JSON::Parser parser;
    auto parsed = parser.parse(body);
    if (parsed.type() != typeid(Poco::JSON::Array::Ptr))
        throw std::runtime_error("response body is not a JSON array: " + body);
    return parsed.extract<Poco::JSON::Array::Ptr>();
}

std::string HttpResponse::header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
}

HttpResponse send_request(int port, const HttpRequest& request) {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
    session.setTimeout(Poco::Timespan(30, 0));
    Poco::Net::HTTPRequest out(request.method, request.path, Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [name, value] : request.headers)
        out.set(name, value);
    if (!request.body.empty() || request.method == "POST" || request.method == "PUT") {
        out.setContentLength64(static_cast<Poco::Int64>(request.body.size()));
        if (!out.has("Content-Type"))
            out.setContentType("application/json");
    }
    session.sendRequest(out) << request.body;
    Poco::Net::HTTPResponse in;
    std::istream& stream = session.receiveResponse(in);
    HttpResponse response;
    response.status = static_cast<int>(in.getStatus());
    response.content_type = in.getContentType();
    for (const auto& [name, value] : in) {
        response.headers.emplace(name, value);
        if (name == "Set-Cookie")
            response.set_cookies.push_back(value);
    }
    Poco::StreamCopier::copyToString(stream, response.body);
    return response;
}

HttpResponse http_call(int port, const std::string& method, const std::string& path, const std::string& token,
                       const std::string& body) {
    HttpRequest request;
    request.method = method;
    request.path = path;
    request.body = body;
    if (!token.empty())
        request.headers["Authorization"] = "Bearer " + token;
    return send_request(port, request);
}

HttpResponse http_get(int port, const std::string& path, const std::string& token) {
    HttpRequest request;
    request.path = path;
    if (!token.empty())
        request.headers["Authorization"] = "Bearer " + token;
    return send_request(port, request);
}

HttpResponse http_post(int port, const std::string& path, const std::string& body, const std::string& token) {
    HttpRequest request;
    request.method = "POST";
    request.path = path;
    request.body = body;
    if (!token.empty())
        request.headers["Authorization"] = "Bearer " + token;
    return send_request(port, request);
}

HttpResponse http_upload(int port, const std::string& path, const std::string& token, const std::string& filename,
                         const std::string& bytes) {
    HttpRequest request;
    request.method = "POST";
    request.path = path;
    if (!token.empty())
        request.headers["Authorization"] = "Bearer " + token;
    request.headers["Content-Type"] = "multipart/form-data; boundary=slate-boundary";
    request.body = "--slate-boundary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename +
                   "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + bytes + "\r\n--slate-boundary--\r\n";
    return send_request(port, request);
}

} // namespace slate::test
