// tests/api/test_dispatch.cpp: what every request meets: /api prefix, trailing slashes, 404
// and 405 bodies, bad bodies answered 400, security headers.
#include <catch2/catch.hpp>

#include "support/test_server.h"

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
