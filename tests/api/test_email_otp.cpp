// tests/api/test_email_otp.cpp: codes by e-mail (read from a real SMTP server) as a second
// factor: set-up, login, single use, disabling.
#include <catch2/catch.hpp>

#include "support/test_server.h"

#include <regex>

using namespace slate::test;

namespace {

/// The code of the n-th mail (1-based).
std::string code_of_mail(TestServer& server, std::size_t n) {
    REQUIRE(server.mail().wait_for(n));
    const std::string mail = server.mail().messages().at(n - 1);
    std::smatch found;
    REQUIRE(std::regex_search(mail, found, std::regex("code is ([0-9]{6})")));
    return found[1];
}

HttpResponse login_with(int port, const std::string& extra) {
    return http_post(port, "/auth/login",
                     R"({"email":"admin@example.com","password":"mysecretpassword")" + extra + "}");
}

} // namespace

TEST_CASE("e-mailed codes enable a second factor and open a login once", "[api][pg]") {
    TestServer server;
    const std::string token = server.login();
    const int port = server.port();

    CHECK(http_call(port, "PUT", "/auth/email-otp", token).body == R"({"success":true})");
    const std::string first = code_of_mail(server, 1);
    const auto wrong = http_call(port, "POST", "/auth/email-otp", token, R"({"email_otp":"000000"})");
    CHECK(wrong.status == 400);
    CHECK(wrong.json()->getValue<std::string>("message") == "OTP by email verification failed.");
    // The wrong try took the code: the right one no longer works, a new one is needed.
    CHECK(http_call(port, "POST", "/auth/email-otp", token, R"({"email_otp":")" + first + R"("})").status == 400);
    CHECK(http_call(port, "GET", "/auth/email-otp?email=admin@example.com", "").status == 200);
    CHECK_FALSE(server.mail().wait_for(2, 1)); // not sent: e-mail OTP is not on yet
    http_call(port, "PUT", "/auth/email-otp", token);
    const std::string second = code_of_mail(server, 2);
    const auto enabled = http_call(port, "POST", "/auth/email-otp", token, R"({"email_otp":")" + second + R"("})");
    REQUIRE(enabled.status == 200);
    CHECK(enabled.json()->has("otp_recovery_codes"));

    const auto missing = login_with(port, "");
    CHECK(missing.json()->getValue<bool>("missing_OTP"));
    CHECK(missing.json()->getValue<std::string>("preferred_two_factor_authentication") == "email_otp");

    CHECK(http_call(port, "GET", "/auth/email-otp?email=admin@example.com", "").body == R"({"success":true})");
    const std::string for_login = code_of_mail(server, 3);
    CHECK(login_with(port, R"(,"email_otp":")" + for_login + R"(")").status == 200);
    CHECK(login_with(port, R"(,"email_otp":")" + for_login + R"(")").status == 400); // used

    CHECK(http_call(port, "GET", "/auth/email-otp?email=nobody@example.com", "").body == R"({"success":true})");
    http_call(port, "GET", "/auth/email-otp?email=admin@example.com", "");
    const std::string for_disable = code_of_mail(server, 4);
    CHECK(http_call(port, "DELETE", "/auth/email-otp", token, R"({"email_otp":")" + for_disable + R"("})").status ==
          200);
    CHECK(login_with(port, "").status == 200);
}
