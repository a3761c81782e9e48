// tests/api/test_bots.cpp: bots get long-lived tokens that live while their row names them.
#include <catch2/catch.hpp>

#include "support/test_server.h"

#include "engine/auth/jwt.h"
#include "engine/db/pool.h"
#include "engine/people/bots.h"

using namespace slate::test;

TEST_CASE("a bot created through the API answers its token, which works until replaced", "[api][pg]") {
    TestServer server;
    const std::string admin = server.login();
    const int port = server.port();
    const auto created = http_call(
        port, "POST", "/data/persons", admin,
        R"({"first_name":"Render","last_name":"Farm","email":"farm@example.com","is_bot":true,"role":"manager"})");
    REQUIRE(created.status == 201);
    const std::string token = created.json()->getValue<std::string>("access_token");
    const std::string bot_id = created.json()->getValue<std::string>("id");
    const auto claims =
        slate::engine::auth::decode_token(token, server.config().secret_key, slate::engine::auth::unix_now());
    CHECK(claims.identity_type == "bot");
    CHECK(claims.exp == 0); // no expiry without an expiration date
    CHECK(claims.sub == bot_id);

    CHECK(http_call(port, "GET", "/data/task-types", token).status == 200);
    CHECK(http_call(port, "GET", "/auth/logout", token).status == 403);
    CHECK(http_post(port, "/auth/login", R"({"email":"farm@example.com","password":"default"})").status == 400);

    // A new token replaces the old one.
    {
        auto connection = server.pool().acquire();
        const std::string renewed = slate::engine::services::issue_api_token(*connection, server.config(), bot_id);
        CHECK(http_call(port, "GET", "/data/task-types", renewed).status == 200);
    }
    const auto old = http_call(port, "GET", "/data/task-types", token);
    CHECK(old.status == 401);
    CHECK(old.body == R"({"msg":"Token has been revoked"})");

    // PersonResource.post_update: a new expiration date (or none) comes with a new token that
    // ends with it; a past one (an expired bot edited) and other fields keep the token.
    const auto extended = http_call(port, "PUT", "/data/persons/" + bot_id, admin, R"({"expiration_date":"2999-12-31"})");
    REQUIRE(extended.status == 200);
    const std::string extended_token = extended.json()->getValue<std::string>("access_token");
    CHECK(slate::engine::auth::decode_token(extended_token, server.config().secret_key, slate::engine::auth::unix_now())
              .exp > 0);
    CHECK(http_call(port, "GET", "/data/task-types", extended_token).status == 200);
    CHECK_FALSE(http_call(port, "PUT", "/data/persons/" + bot_id, admin, R"({"first_name":"Farm"})").json()->has(
        "access_token"));
    const auto unlimited = http_call(port, "PUT", "/data/persons/" + bot_id, admin, R"({"expiration_date":null})");
    CHECK(unlimited.json()->has("access_token"));
    CHECK(http_call(port, "GET", "/data/task-types", extended_token).status == 401);
}

TEST_CASE("a bot's token ends with its expiration date", "[api][pg]") {
    TestServer server;
    auto connection = server.pool().acquire();
    const std::string expired = slate::engine::services::create_bot(*connection, server.config(), "old@example.com",
                                                                    "Old bot", std::string("2001-01-01"), "user");
    const auto refused = http_call(server.port(), "GET", "/data/task-types", expired);
    CHECK(refused.status == 401);
    CHECK(refused.body == R"({"error":true,"message":"Signature has expired"})");
    const std::string lasting = slate::engine::services::create_bot(*connection, server.config(), "new@example.com",
                                                                    "New bot", std::string("2999-12-31"), "user");
    CHECK(http_call(server.port(), "GET", "/data/task-types", lasting).status == 200);
    CHECK_THROWS(
        slate::engine::services::create_bot(*connection, server.config(), "not-an-email", "X", std::nullopt, "user"));
}
