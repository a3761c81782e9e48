// tests/api/test_password_changes.cpp: a changed password is mailed to its owner (Zou's
// "password changed" mails, in their locale and time zone), and admins set other persons'
// passwords within Zou's rules.
#include <catch2/catch.hpp>

#include "support/test_server.h"

#include "engine/people/account_mails.h"

#include <mutex>
#include <regex>
#include <thread>
#include <vector>

using namespace slate::test;

namespace {

HttpResponse post_with_forwarded(int port, const std::string& path, const std::string& token, const std::string& body,
                                 const std::string& forwarded) {
    HttpRequest request;
    request.method = "POST";
    request.path = path;
    request.body = body;
    request.headers["Authorization"] = "Bearer " + token;
    request.headers["X-Forwarded-For"] = forwarded;
    return send_request(port, request);
}

} // namespace

TEST_CASE("changing one's password is mailed, with the address it came from", "[api][pg][auth]") {
    TestServer server;
    const int port = server.port();
    const std::string person = server.create_person("jane@example.com", "janes-old-password", "user");
    server.query(R"(UPDATE person SET first_name = 'Jane', timezone = 'Europe/Paris', locale = 'fr_FR'
                    WHERE id = $1::uuid RETURNING 1)",
                 {person});
    const std::string token = server.login("jane@example.com", "janes-old-password");
    const auto changed = post_with_forwarded(
        port, "/auth/change-password", token,
        R"({"old_password":"janes-old-password","password":"janes-new-password","password_2":"janes-new-password"})",
        "203.0.113.9");
    INFO(changed.body);
    REQUIRE(changed.status == 200);
    REQUIRE(server.mail().wait_for(1));
    const std::string mail = quoted_printable_decode(server.mail().messages().at(0));
    CHECK(mail.find("jane@example.com") != std::string::npos);
    CHECK(mail.find("Bonjour Jane,") != std::string::npos);
    CHECK(mail.find("203.0.113.9") != std::string::npos);
    CHECK(mail.find("L'équipe Kitsu") != std::string::npos);
    server.login("jane@example.com", "janes-new-password");

    // A refused change sends nothing.
    CHECK(
        http_post(port, "/auth/change-password",
                  R"({"old_password":"wrong-password","password":"another-password","password_2":"another-password"})",
                  token)
            .status == 400);
    CHECK(server.mail().messages().size() == 1);
}

TEST_CASE("admins set other persons' passwords within Zou's rules", "[api][pg][auth]") {
    TestServer server;
    const int port = server.port();
    const std::string admin = server.login();
    const std::string artist = server.create_person("artist@example.com", "artist-password", "user");
    const std::string url = "/actions/persons/" + artist + "/change-password";

    const auto set = post_with_forwarded(
        port, url, admin, R"({"password":"brand-new-pass","password_2":"brand-new-pass"})", "198.51.100.7, 10.0.0.1");
    INFO(set.body);
    REQUIRE(set.status == 200);
    CHECK(set.body == R"({"success":true})");
    server.login("artist@example.com", "brand-new-pass");
    REQUIRE(server.mail().wait_for(1));
    const std::string mail = quoted_printable_decode(server.mail().messages().at(0));
    CHECK(mail.find("Kitsu - Kitsu: password changed") != std::string::npos);
    CHECK(mail.find("The IP of the user who changed your password is: 198.51.100.7.") != std::string::npos);

    auto message = [](const HttpResponse& response) { return response.json()->getValue<std::string>("message"); };
    CHECK(message(http_post(port, url, R"({"password":"short","password_2":"short"})", admin)) ==
          "Password is too short.");
    // The schema's model validator refuses a mismatch as a validation error of the whole body.
    const auto mismatch = http_post(port, url, R"({"password":"long-enough-1","password_2":"long-enough-2"})", admin);
    CHECK(message(mismatch) == "Validation error.");
    const auto error = mismatch.json()->getObject("data")->getArray("errors")->getObject(0);
    CHECK(error->getValue<std::string>("field").empty());
    CHECK(error->getValue<std::string>("message") == "Value error, Confirmation password doesn't match.");
    CHECK(message(http_post(port, url, R"({"password":"long-enough-1"})", admin)) == "Validation error.");
    const std::string other_admin = server.create_person("chief@example.com", "chief-password", "admin");
    CHECK(message(http_post(port, "/actions/persons/" + other_admin + "/change-password",
                            R"({"password":"long-enough-1","password_2":"long-enough-1"})", admin)) ==
          "An admin can't change another admin's password.");
    server.config().protected_accounts = {"artist@example.com"};
    CHECK(message(http_post(port, url, R"({"password":"long-enough-1","password_2":"long-enough-1"})", admin)) ==
          "This user is in protected accounts.");
    CHECK(http_post(port, "/actions/persons/" + std::string(36, '0') + "/change-password",
                    R"({"password":"long-enough-1","password_2":"long-enough-1"})", admin)
              .status == 404);
    const std::string artist_token = server.login("artist@example.com", "brand-new-pass");
    CHECK(http_post(port, url, R"({"password":"long-enough-1","password_2":"long-enough-1"})", artist_token).status ==
          403);
}

TEST_CASE("the mail's time is written as Babel writes it in each locale", "[auth]") {
    using slate::engine::services::medium_datetime;
    CHECK(medium_datetime("en_US", "2022-07-12 10:30:00") == "Jul 12, 2022, 10:30:00\u202fAM");
    CHECK(medium_datetime("", "2022-07-12 22:05:09") == "Jul 12, 2022, 10:05:09\u202fPM");
    CHECK(medium_datetime("fr_FR", "2022-07-12 10:30:00") == "12 juil. 2022, 10:30:00");
    CHECK(medium_datetime("fr", "2022-07-12 10:30:00") == "12 juil. 2022, 10:30:00");
    CHECK(medium_datetime("de-DE", "2022-07-12 10:30:00") == "12.07.2022, 10:30:00");
    CHECK(medium_datetime("ja_JP", "2022-07-12 10:30:00") == "2022/07/12 10:30:00");
}

TEST_CASE("concurrent wrong old passwords are checked no more often than the lock-out allows", "[api][pg][auth]") {
    TestServer server;
    server.config().max_login_failed_attempts = 3;
    server.create_person("guess@example.com", "the-old-password", "user");
    const std::string token = server.login("guess@example.com", "the-old-password");
    std::vector<std::thread> threads;
    std::mutex merge;
    int wrong = 0, locked = 0;
    for (int attempt = 0; attempt < 10; ++attempt)
        threads.emplace_back([&] {
            const auto answer =
                http_post(server.port(), "/auth/change-password",
                          R"({"old_password":"guessed","password":"new-password-1","password_2":"new-password-1"})",
                          token);
            std::lock_guard lock(merge);
            if (answer.body.find("too_many_failed_login_attemps") != std::string::npos)
                ++locked;
            else if (answer.body.find("Old password is wrong.") != std::string::npos)
                ++wrong;
        });
    for (auto& thread : threads)
        thread.join();
    CHECK(wrong == 3);
    CHECK(locked == 7);
    // Locked: even the right old password is refused until the lock-out ends.
    CHECK(http_post(server.port(), "/auth/change-password",
                    R"({"old_password":"the-old-password","password":"new-password-1","password_2":"new-password-1"})",
                    token)
              .body.find("too_many_failed_login_attemps") != std::string::npos);
}
