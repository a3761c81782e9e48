// tests/api/test_two_factor.cpp: changing a password; TOTP set-up, login with it or with a
// recovery code (spent once), disabling it.
#include <catch2/catch.hpp>

#include "support/test_server.h"

#include "engine/auth/jwt.h"
#include "engine/auth/totp.h"

#include <Poco/JSON/Array.h>

using namespace slate::test;

namespace {

std::string current_code(const std::string& secret) {
    return slate::engine::auth::hotp(secret, static_cast<uint64_t>(slate::engine::auth::unix_now() / 30));
}

HttpResponse login_with(int port, const std::string& extra) {
    return http_post(port, "/auth/login",
                     R"({"email":"admin@example.com","password":"mysecretpassword")" + extra + "}");
}

} // namespace

TEST_CASE("a password changes only with the old one, long enough and confirmed", "[api][pg]") {
    TestServer server;
    const std::string token = server.login();
    const int port = server.port();
    auto message = [](const HttpResponse& r) { return r.json()->getValue<std::string>("message"); };
    CHECK(message(http_call(port, "POST", "/auth/change-password", token,
                            R"({"old_password":"wrong","password":"newpassword","password_2":"newpassword"})")) ==
          "Old password is wrong.");
    CHECK(message(http_call(port, "POST", "/auth/change-password", token,
                            R"({"old_password":"mysecretpassword","password":"short","password_2":"short"})")) ==
          "Password is too short.");
    CHECK(message(http_call(port, "POST", "/auth/change-password", token,
                            R"({"old_password":"mysecretpassword","password":"newpassword","password_2":"other"})")) ==
          "Confirmation password doesn't match.");
    const auto changed =
        http_call(port, "POST", "/auth/change-password", token,
                  R"({"old_password":"mysecretpassword","password":"newpassword","password_2":"newpassword"})");
    CHECK(changed.status == 200);
    CHECK(changed.body == R"({"success":true})");
    CHECK(server.login("admin@example.com", "newpassword").size() > 10);
    CHECK(http_post(port, "/auth/login", R"({"email":"admin@example.com","password":"mysecretpassword"})").status ==
          400);
}

TEST_CASE("TOTP is set up, asked at login, replaced by a recovery code once, then disabled", "[api][pg]") {
    TestServer server;
    const std::string token = server.login();
    const int port = server.port();

    const auto pending = http_call(port, "PUT", "/auth/totp", token);
    REQUIRE(pending.status == 200);
    const std::string secret = pending.json()->getValue<std::string>("otp_secret");
    CHECK(pending.json()->getValue<std::string>("totp_provisionning_uri") ==
          "otpauth://totp/Kitsu%20Kitsu:admin%40example.com?secret=" + secret + "&issuer=Kitsu%20Kitsu");

    const auto wrong = http_call(port, "POST", "/auth/totp", token, R"({"totp":"000000"})");
    CHECK(wrong.status == 400);
    CHECK(wrong.json()->getValue<bool>("wrong_OTP"));

    const auto enabled = http_call(port, "POST", "/auth/totp", token, R"({"totp":")" + current_code(secret) + R"("})");
    REQUIRE(enabled.status == 200);
    const auto codes = enabled.json()->getArray("otp_recovery_codes");
    REQUIRE(codes->size() == 16);
    CHECK(codes->getElement<std::string>(0).size() == 10);
    CHECK(enabled.json()->has("access_token"));
    CHECK(http_call(port, "PUT", "/auth/totp", token).json()->getValue<std::string>("message") ==
          "TOTP already enabled.");

    const auto missing = login_with(port, "");
    CHECK(missing.status == 400);
    CHECK(missing.json()->getValue<bool>("missing_OTP"));
    CHECK(missing.json()->getValue<std::string>("preferred_two_factor_authentication") == "totp");
    CHECK(missing.body.find(R"("two_factor_authentication_enabled":["recovery_code","totp"])") != std::string::npos);
    CHECK(login_with(port, R"(,"totp":"000000")").body == R"({"error":true,"login":false,"wrong_OTP":true})");
    CHECK(login_with(port, R"(,"totp":")" + current_code(secret) + R"(")").status == 200);

    const std::string recovery = codes->getElement<std::string>(3);
    CHECK(login_with(port, R"(,"recovery_code":")" + recovery + R"(")").status == 200);
    CHECK(login_with(port, R"(,"recovery_code":")" + recovery + R"(")").status == 400); // spent

    const auto fresh =
        http_call(port, "PUT", "/auth/recovery-codes", token, R"({"totp":")" + current_code(secret) + R"("})");
    CHECK(fresh.json()->getArray("otp_recovery_codes")->size() == 16);

    const auto refused = http_call(port, "DELETE", "/auth/totp", token, R"({"totp":"000000"})");
    CHECK(refused.body == R"({"error":true,"message":"OTP verification failed.","wrong_OTP":true})");
    CHECK(http_call(port, "DELETE", "/auth/totp", token, R"({"totp":")" + current_code(secret) + R"("})").status ==
          200);
    CHECK(login_with(port, "").status == 200);
    CHECK(http_call(port, "PUT", "/auth/recovery-codes", token, "{}").json()->getValue<std::string>("message") ==
          "No two factor authentication enabled.");
}
