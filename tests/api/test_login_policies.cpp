// tests/api/test_login_policies.cpp: the login rules around the password itself: the literal
// password "default" must be changed through a reset token, and ENFORCE_2FA gives people
// without a second factor tokens that only reach the 2FA set-up.
#include <catch2/catch.hpp>

#include "support/test_server.h"

#include "engine/config.h"

using namespace slate::test;

TEST_CASE("the password 'default' answers a reset token instead of a session", "[api][pg][auth]") {
    TestServer server;
    const int port = server.port();
    server.create_person("newcomer@example.com", "default", "user");
    const auto refused = http_post(port, "/auth/login", R"({"email":"newcomer@example.com","password":"default"})");
    INFO(refused.body);
    REQUIRE(refused.status == 400);
    const auto body = refused.json();
    CHECK_FALSE(body->getValue<bool>("login"));
    CHECK(body->getValue<bool>("default_password"));
    const std::string token = body->getValue<std::string>("token");
    CHECK(token.size() == 64);
    CHECK(!body->has("access_token"));

    const auto reset = http_call(port, "PUT", "/auth/reset-password", "",
                                 R"({"email":"newcomer@example.com","token":")" + token +
                                     R"(","password":"a-real-secret-1","password2":"a-real-secret-1"})");
    INFO(reset.body);
    CHECK(reset.status == 200);
    CHECK(http_post(port, "/auth/login", R"({"email":"newcomer@example.com","password":"a-real-secret-1"})").status ==
          200);
}

TEST_CASE("ENFORCE_2FA restricts tokens of people without a second factor", "[api][pg][auth]") {
    TestServer server;
    const int port = server.port();
    server.config().enforce_2fa = true;
    const auto logged =
        http_post(port, "/auth/login",
                  std::string(R"({"email":")") + admin_email + R"(","password":")" + admin_password + R"("})");
    INFO(logged.body);
    REQUIRE(logged.status == 200);
    CHECK(logged.json()->getValue<bool>("two_factor_authentication_required"));
    const std::string token = logged.json()->getValue<std::string>("access_token");
    CHECK(http_get(port, "/data/projects", token).status == 403);
    CHECK(http_call(port, "PUT", "/auth/totp", token).status == 200); // the set-up stays open
    const std::string refresh = logged.json()->getValue<std::string>("refresh_token");
    const auto refreshed = http_get(port, "/auth/refresh-token", refresh);
    CHECK(http_get(port, "/data/projects", refreshed.json()->getValue<std::string>("access_token")).status == 403);

    server.config().two_fa_exempt_users = {admin_email};
    const auto exempt =
        http_post(port, "/auth/login",
                  std::string(R"({"email":")") + admin_email + R"(","password":")" + admin_password + R"("})");
    CHECK(!exempt.json()->has("two_factor_authentication_required"));
    CHECK(http_get(port, "/data/projects", exempt.json()->getValue<std::string>("access_token")).status == 200);
}
