// tests/api/test_dispatch.cpp: what every request meets: /api prefix, trailing slashes, 404
// and 405 bodies, bad bodies answered 400, security headers.
#include <catch2/catch.hpp>

#include "support/test_server.h"

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Timespan.h>

#include <algorithm>
#include <fstream>

using namespace slate::test;

TEST_CASE("an unknown route answers 404 Route not found", "[api][pg]") {
    TestServer server;
    const auto response = http_get(server.port(), "/data/no-such-thing");
    CHECK(response.status == 404);
    CHECK(response.body == R"({"error":true,"message":"Route not found"})");
    CHECK(response.content_type == "application/json");
}

TEST_CASE("a known route with another method answers 405", "[api][pg]") {
    TestServer server;
    HttpRequest request;
    request.method = "DELETE";
    request.path = "/auth/login";
    const auto response = send_request(server.port(), request);
    CHECK(response.status == 405);
    CHECK(response.json()->getValue<std::string>("message") == "The method is not allowed for the requested URL.");
}

TEST_CASE("routes answer at / and under /api, with or without a trailing slash", "[api][pg]") {
    TestServer server;
    for (const char* path : {"/", "/api", "/api/", "/status", "/api/status", "/api/status/"}) {
        INFO(path);
        CHECK(http_get(server.port(), path).status == 200);
    }
}

TEST_CASE("a malformed JSON body answers 400, never 500", "[api][pg]") {
    TestServer server;
    for (const char* body : {"{\"email\": ", "[1,2,3]", "\"text\"", "{\"email\": 5}", "\xff\xfe"}) {
        INFO(body);
        const auto response = http_post(server.port(), "/auth/login", body);
        CHECK(response.status == 400);
        CHECK(response.json()->has("message"));
    }
}

TEST_CASE("every answer carries Zou's security headers", "[api][pg]") {
    TestServer server;
    const auto response = http_get(server.port(), "/");
    CHECK(response.header("X-Content-Type-Options") == "nosniff");
    CHECK(response.header("X-Frame-Options") == "SAMEORIGIN");
    CHECK(response.header("Content-Security-Policy") == "frame-ancestors 'self'");
    CHECK(response.header("Referrer-Policy") == "strict-origin-when-cross-origin");
}

TEST_CASE("a NUL character in a body, query or path answers 400 and stores nothing", "[api][pg]") {
    TestServer server;
    const std::string token = server.login();
    const auto json =
        http_post(server.port(), "/data/departments", R"({"name":"Cut\u0000here","color":"#000000"})", token);
    CHECK(json.status == 400);
    CHECK(json.body.find("NUL characters are not accepted.") != std::string::npos);
    CHECK(server.query("SELECT count(*) FROM department WHERE name LIKE 'Cut%'") == "0");
    // An escaped backslash before "u0000" is text, not a NUL.
    const auto text =
        http_post(server.port(), "/data/departments", R"({"name":"C:\\u0000dir","color":"#000000"})", token);
    CHECK(text.status == 201);
    CHECK(server.query("SELECT name FROM department WHERE name LIKE 'C:%'") == "C:\\u0000dir");
    CHECK(http_get(server.port(), "/data/departments?name=a%00b", token).status == 400);
    CHECK(http_get(server.port(), "/data/departments/a%00b", token).status == 400);
}

namespace {

/// Sends `head` (and then `body_bytes` of filler in 64 KiB writes, ignoring a closed
/// connection) on a raw socket and returns the status line of the answer.
std::string raw_exchange(int port, const std::string& head, std::size_t body_bytes) {
    Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)));
    socket.setReceiveTimeout(Poco::Timespan(10, 0));
    socket.sendBytes(head.data(), static_cast<int>(head.size()));
    const std::string filler(1 << 16, 'x');
    try {
        for (std::size_t sent = 0; sent < body_bytes; sent += filler.size())
            socket.sendBytes(filler.data(), static_cast<int>(filler.size()));
    } catch (const Poco::Exception&) {
        // The server stopped reading and closed: expected once it refused the body.
    }
    char buffer[128] = {};
    const int got = socket.receiveBytes(buffer, sizeof buffer - 1);
    const std::string answer(buffer, static_cast<std::size_t>(std::max(got, 0)));
    return answer.substr(0, answer.find("\r\n"));
}

long resident_kib() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmRSS:", 0) == 0)
            return std::stol(line.substr(6));
    return 0;
}

} // namespace

TEST_CASE("bodies are bounded before they are read: refused from the head, or past their limit", "[api][pg]") {
    TestServer server;
    server.config().max_json_body = 1 << 20;
    const long before = resident_kib();
    // A declared gigabyte to a route that needs a token, without one: refused from the head.
    CHECK(raw_exchange(server.port(),
                       "POST /api/data/departments HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                       "Content-Length: 1073741824\r\n\r\n",
                       4 << 20) == "HTTP/1.1 401 Unauthorized");
    // A declared length over the JSON limit to an open route: 413 from the head.
    CHECK(raw_exchange(server.port(),
                       "POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                       "Content-Length: 1073741824\r\n\r\n",
                       4 << 20) == "HTTP/1.1 413 Request Entity Too Large");
    // A chunked body has no length: read until it passes the limit, then refused.
    std::string chunked_head = "POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                               "Transfer-Encoding: chunked\r\n\r\n";
    Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(server.port())));
    socket.setReceiveTimeout(Poco::Timespan(10, 0));
    socket.sendBytes(chunked_head.data(), static_cast<int>(chunked_head.size()));
    const std::string chunk = "10000\r\n" + std::string(0x10000, ' ') + "\r\n";
    try {
        for (int sent = 0; sent < 256; ++sent) // 16 MiB offered
            socket.sendBytes(chunk.data(), static_cast<int>(chunk.size()));
    } catch (const Poco::Exception&) {
    }
    char buffer[128] = {};
    const int got = socket.receiveBytes(buffer, sizeof buffer - 1);
    CHECK(std::string(buffer, static_cast<std::size_t>(std::max(got, 0))).rfind("HTTP/1.1 413", 0) == 0);
    // Nothing of the refused bodies stayed in memory (the limit is 1 MiB; 16 MiB were offered).
    CHECK(resident_kib() - before < 12 * 1024);
}

TEST_CASE("a POST with neither length nor chunked encoding has no body and is answered at once", "[api][pg]") {
    TestServer server;
    Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(server.port())));
    socket.setReceiveTimeout(Poco::Timespan(5, 0)); // the socket stays open: the server must not wait for it
    const std::string head =
        "POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\r\n";
    socket.sendBytes(head.data(), static_cast<int>(head.size()));
    char buffer[128] = {};
    const int got = socket.receiveBytes(buffer, sizeof buffer - 1);
    CHECK(std::string(buffer, static_cast<std::size_t>(std::max(got, 0))).rfind("HTTP/1.1 400 Bad Request", 0) == 0);
}
