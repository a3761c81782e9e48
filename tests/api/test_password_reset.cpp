// tests/api/test_password_reset.cpp: a reset token travels by real SMTP and sets a password.
#include <catch2/catch.hpp>

#include "support/test_server.h"

#include <regex>

using namespace slate::test;

namespace {

/// The token of the reset link in a mail.
std::string token_in(const std::string& raw) {
    const std::string mail = quoted_printable_decode(raw);
    std::smatch found;
    REQUIRE(std::regex_search(mail, found, std::regex("token=([A-Z0-9]{64})")));
    return found[1];
}

} // namespace

TEST_CASE("a reset mail's token sets a new password once", "[api][pg]") {
    TestServer server;
    const int port = server.port();
    const auto asked = http_post(port, "/auth/reset-password", R"({"email":"admin@example.com"})");
    CHECK(asked.status == 200);
    CHECK(asked.body == R"({"success":"Reset token sent"})");
    REQUIRE(server.mail().wait_for(1));
    const std::string mail = server.mail().messages().at(0);
    CHECK(mail.find("admin@example.com") != std::string::npos);
    const std::string token = token_in(mail);

    const std::string body = R"({"email":"admin@example.com","token":")" + token +
                             R"(","password":"brandnewpassword","password2":"brandnewpassword"})";
    CHECK(http_call(port, "PUT", "/auth/reset-password", "",
                    R"({"email":"admin@example.com","token":")" + std::string(64, 'A') +
                        R"(","password":"brandnewpassword","password2":"brandnewpassword"})")
              .json()
              ->getValue<std::string>("message") == "Wrong or expired token.");
    CHECK(
        http_call(port, "PUT", "/auth/reset-password", "",
                  R"({"email":"admin@example.com","token":")" + token + R"(","password":"short","password2":"short"})")
            .json()
            ->getValue<std::string>("message") == "Password is too short.");
    const auto reset = http_call(port, "PUT", "/auth/reset-password", "", body);
    CHECK(reset.status == 200);
    CHECK(reset.body == R"({"success":true})");
    CHECK(server.login("admin@example.com", "brandnewpassword").size() > 10);
    CHECK(http_call(port, "PUT", "/auth/reset-password", "", body).json()->getValue<std::string>("message") ==
          "Wrong or expired token.");
}

TEST_CASE("an unknown address gets the same answer and no mail", "[api][pg]") {
    TestServer server;
    const auto asked = http_post(server.port(), "/auth/reset-password", R"({"email":"nobody@example.com"})");
    CHECK(asked.status == 200);
    CHECK(asked.body == R"({"success":"Reset token sent"})");
    CHECK(http_post(server.port(), "/auth/reset-password", "{}").status == 400);
    CHECK_FALSE(server.mail().wait_for(1, 1));
}

TEST_CASE("an invitation mails a link to set a first password", "[api][pg]") {
    TestServer server;
    const int port = server.port();
    const std::string token = server.login();
    const std::string person = server.create_person("invited@example.com", "unused-password-1", "user");
    const auto sent = http_get(port, "/actions/persons/" + person + "/invite", token);
    INFO(sent.body);
    CHECK(sent.status == 200);
    CHECK(sent.body == R"({"success":true,"message":"Email sent"})");
    REQUIRE(server.mail().wait_for(1));
    const std::string raw = server.mail().messages().at(0);
    const std::string mail = quoted_printable_decode(raw);
    CHECK(mail.find("invited@example.com") != std::string::npos);
    CHECK(mail.find("type=new") != std::string::npos);
    const std::string invitation = token_in(raw); // decodes once itself
    CHECK(http_call(port, "PUT", "/auth/reset-password", "",
                    R"({"email":"invited@example.com","token":")" + invitation +
                        R"(","password":"my-first-password","password2":"my-first-password"})")
              .status == 200);
    CHECK(server.login("invited@example.com", "my-first-password").size() > 10);

    CHECK(http_get(port, "/actions/persons/6f0c27a1-42c8-4a93-9d1c-0a6c9c0f1e55/invite", token).status == 404);
    const auto artist = server.login("invited@example.com", "my-first-password");
    CHECK(http_get(port, "/actions/persons/" + person + "/invite", artist).status == 403);
}
