// tests/api/test_auth.cpp: logging in, tokens, refresh and logout over HTTP.
#include <catch2/catch.hpp>

#include "support/test_server.h"

#include "engine/auth/jwt.h"
#include "engine/db/pool.h"

#include <chrono>
#include <mutex>
#include <thread>

using namespace slate::test;

namespace {

std::string login_body(const std::string& email, const std::string& password) {
    return R"({"email":")" + email + R"(","password":")" + password + R"("})";
}

struct Tokens {
    std::string access;
    std::string refresh;
};

Tokens login_tokens(TestServer& server) {
    const auto response = http_post(server.port(), "/auth/login", login_body(admin_email, admin_password));
    REQUIRE(response.status == 200);
    const auto json = response.json();
    return {json->getValue<std::string>("access_token"), json->getValue<std::string>("refresh_token")};
}

HttpResponse get_with_cookie(int port, const std::string& path, const std::string& cookie) {
    HttpRequest request;
    request.path = path;
    request.headers["Cookie"] = cookie;
    return send_request(port, request);
}

} // namespace

TEST_CASE("a login answers the user, the organisation and both tokens", "[api][pg]") {
    TestServer server;
    const auto response = http_post(server.port(), "/auth/login", login_body(admin_email, admin_password));
    REQUIRE(response.status == 200);
    const auto json = response.json();
    CHECK(json->getValue<bool>("login"));
    const auto user = json->getObject("user");
    CHECK(user->getValue<std::string>("email") == admin_email);
    CHECK(user->getValue<std::string>("role") == "admin");
    CHECK(user->getValue<std::string>("type") == "Person");
    CHECK(user->getValue<std::string>("full_name") == "Super Admin");
    CHECK(user->has("departments"));
    for (const char* secret : {"password", "totp_secret", "email_otp_secret", "otp_recovery_codes", "fido_credentials",
                               "jti", "login_failed_attemps", "last_login_failed"}) {
        INFO(secret);
        CHECK_FALSE(user->has(secret));
    }
    CHECK(json->getObject("organisation")->getValue<std::string>("name") == "Kitsu");
    CHECK(json->getObject("organisation")->getValue<std::string>("type") == "Organisation");

    const auto now = slate::engine::auth::unix_now();
    const auto access =
        slate::engine::auth::decode_token(json->getValue<std::string>("access_token"), server.config().secret_key, now);
    const auto refresh = slate::engine::auth::decode_token(json->getValue<std::string>("refresh_token"),
                                                           server.config().secret_key, now);
    CHECK(access.type == "access");
    CHECK(refresh.type == "refresh");
    CHECK(access.sub == user->getValue<std::string>("id"));
    CHECK(access.identity_type == "person");
    CHECK(access.refresh_jti == refresh.jti);
    CHECK(access.exp - access.iat == 7 * 24 * 3600);
    CHECK(refresh.exp - refresh.iat == 15 * 24 * 3600);

    auto connection = server.pool().acquire();
    CHECK(connection->exec("SELECT origin FROM login_log").get(0, 0) == "script");
}

TEST_CASE("an unknown e-mail and a wrong password get the same refusal", "[api][pg]") {
    TestServer server;
    const auto unknown = http_post(server.port(), "/auth/login", login_body("nobody@example.com", "whatever1"));
    const auto wrong = http_post(server.port(), "/auth/login", login_body(admin_email, "wrong-password"));
    CHECK(unknown.status == 400);
    CHECK(wrong.status == 400);
    CHECK(unknown.body == R"({"login":false})");
    CHECK(wrong.body == unknown.body);
}

TEST_CASE("e-mails are matched case-insensitively and a desktop login works too", "[api][pg]") {
    TestServer server;
    CHECK(http_post(server.port(), "/auth/login", login_body("ADMIN@Example.com", admin_password)).status == 200);
    {
        auto connection = server.pool().acquire();
        connection->exec("UPDATE person SET desktop_login = 'jdoe' WHERE email = $1", {std::string(admin_email)});
    }
    CHECK(http_post(server.port(), "/auth/login", login_body("jdoe", admin_password)).status == 200);
}

TEST_CASE("a login without e-mail is a validation error", "[api][pg]") {
    TestServer server;
    const auto response = http_post(server.port(), "/auth/login", R"({"password":"x"})");
    CHECK(response.status == 400);
    CHECK(response.json()->getValue<std::string>("message") == "Validation error.");
    CHECK(response.body.find(R"("field":"email")") != std::string::npos);
}

TEST_CASE("repeated failures lock the account out, and a success resets the count", "[api][pg]") {
    TestServer server;
    server.config().max_login_failed_attempts = 3;
    for (int attempt = 0; attempt < 3; ++attempt)
        CHECK(http_post(server.port(), "/auth/login", login_body(admin_email, "wrong")).status == 400);
    const auto locked = http_post(server.port(), "/auth/login", login_body(admin_email, admin_password));
    CHECK(locked.status == 400);
    CHECK(locked.json()->getValue<bool>("too_many_failed_login_attemps"));
    {
        // The lock-out lasts LOGIN_LOCKOUT_DELAY: move the last failure into the past.
        auto connection = server.pool().acquire();
        connection->exec("UPDATE person SET last_login_failed = last_login_failed - interval '2 minutes'");
    }
    CHECK(http_post(server.port(), "/auth/login", login_body(admin_email, admin_password)).status == 200);
    auto connection = server.pool().acquire();
    CHECK(connection->exec("SELECT login_failed_attemps FROM person WHERE email = $1", {std::string(admin_email)})
              .get(0, 0) == "0");
}

TEST_CASE("concurrent wrong logins get no more password checks than the lock-out allows", "[api][pg]") {
    TestServer server;
    server.config().max_login_failed_attempts = 5;
    std::vector<std::thread> threads;
    std::mutex merge;
    int wrong = 0, locked = 0, other = 0;
    for (int attempt = 0; attempt < 25; ++attempt)
        threads.emplace_back([&] {
            const auto answer = http_post(server.port(), "/auth/login", login_body(admin_email, "wrong"));
            std::lock_guard lock(merge);
            if (answer.status == 400 && answer.body.find("too_many_failed_login_attemps") != std::string::npos)
                ++locked;
            else if (answer.status == 400 && answer.body.find("\"login\":false") != std::string::npos)
                ++wrong;
            else
                ++other;
        });
    for (auto& thread : threads)
        thread.join();
    CHECK(wrong == 5); // each one a password check; the other 20 refused before theirs
    CHECK(locked == 20);
    CHECK(other == 0);
    CHECK(server.query("SELECT login_failed_attemps FROM person WHERE email = $1", {admin_email}) == "5");
}

TEST_CASE("an account locked by failures elsewhere still lets its owner in, slowly", "[api][pg]") {
    TestServer server;
    server.config().max_login_failed_attempts = 3;
    auto from = [&](const std::string& address, const std::string& password) {
        HttpRequest request;
        request.method = "POST";
        request.path = "/auth/login";
        request.body = login_body(admin_email, password);
        request.headers["Content-Type"] = "application/json";
        request.headers["X-Forwarded-For"] = address;
        return send_request(server.port(), request);
    };
    auto is_locked = [](const HttpResponse& answer) {
        return answer.status == 400 && answer.body.find("too_many_failed_login_attemps") != std::string::npos;
    };
    for (int attempt = 0; attempt < 3; ++attempt)
        CHECK(from("203.0.113.7", "wrong").status == 400);
    // The attacker's address is locked out, even with the right password (Zou's answer).
    CHECK(is_locked(from("203.0.113.7", admin_password)));
    CHECK(is_locked(from("203.0.113.7", "wrong")));
    // The owner, elsewhere, gets in: the lock-out does not hold for an address that never failed.
    CHECK(from("198.51.100.20", admin_password).status == 200);
    // Locked again by the attacker; other addresses are slowed to one check a second per account.
    for (int attempt = 0; attempt < 3; ++attempt)
        from("203.0.113.7", "wrong");
    REQUIRE(is_locked(from("203.0.113.7", admin_password)));
    CHECK(from("192.0.2.1", "wrong").status == 400);
    CHECK(is_locked(from("192.0.2.2", admin_password))); // within the same second
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    CHECK(is_locked(from("192.0.2.1", admin_password))); // it failed on this account
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    CHECK(from("192.0.2.2", admin_password).status == 200);
}

TEST_CASE("an inactive person is refused after the right password only", "[api][pg]") {
    TestServer server;
    server.create_person("gone@example.com", "gonepassword", "user", false);
    const auto response = http_post(server.port(), "/auth/login", login_body("gone@example.com", "gonepassword"));
    CHECK(response.status == 401);
    CHECK(response.json()->getValue<bool>("unactive"));
    CHECK(http_post(server.port(), "/auth/login", login_body("gone@example.com", "nope")).body == R"({"login":false})");
}

TEST_CASE("the access token opens /auth/authenticated from the header or the cookie", "[api][pg]") {
    TestServer server;
    const Tokens tokens = login_tokens(server);
    const auto by_header = http_get(server.port(), "/auth/authenticated", tokens.access);
    CHECK(by_header.status == 200);
    CHECK(by_header.json()->getValue<bool>("authenticated"));
    CHECK(by_header.json()->getObject("user")->getValue<std::string>("email") == admin_email);
    REQUIRE(by_header.json()->getObject("user")->getArray("fido_devices"));
    CHECK(by_header.json()->getObject("user")->getArray("fido_devices")->size() == 0);
    const auto by_cookie =
        get_with_cookie(server.port(), "/api/auth/authenticated", "access_token_cookie=" + tokens.access);
    CHECK(by_cookie.status == 200);
}

TEST_CASE("missing, malformed and misplaced tokens get flask-jwt-extended's answers", "[api][pg]") {
    TestServer server;
    const Tokens tokens = login_tokens(server);
    const auto missing = http_get(server.port(), "/auth/authenticated");
    CHECK(missing.status == 401);
    CHECK(missing.body.find("Missing JWT in cookies or headers") != std::string::npos);

    HttpRequest no_bearer;
    no_bearer.path = "/auth/authenticated";
    no_bearer.headers["Authorization"] = "Token " + tokens.access;
    const auto bad_header = send_request(server.port(), no_bearer);
    CHECK(bad_header.status == 422);
    CHECK(bad_header.json()->getValue<std::string>("msg") ==
          "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'");

    CHECK(http_get(server.port(), "/auth/authenticated", "garbage").status == 422);
    CHECK(http_get(server.port(), "/auth/authenticated", tokens.refresh).json()->getValue<std::string>("msg") ==
          "Only non-refresh tokens are allowed");
    CHECK(http_get(server.port(), "/auth/refresh-token", tokens.access).json()->getValue<std::string>("msg") ==
          "Only refresh tokens are allowed");

    // Change a character in the middle of the signature (the last one may only carry
    // base64 padding bits).
    std::string tampered = tokens.access;
    const std::size_t middle = tampered.rfind('.') + 10;
    tampered[middle] = tampered[middle] == 'A' ? 'B' : 'A';
    CHECK(http_get(server.port(), "/auth/authenticated", tampered).status == 422);
}

TEST_CASE("an expired token answers 401 Signature has expired", "[api][pg]") {
    TestServer server;
    login_tokens(server);
    slate::engine::auth::TokenClaims claims;
    auto connection = server.pool().acquire();
    claims.sub = std::string(connection->exec("SELECT id FROM person LIMIT 1").get(0, 0));
    claims.jti = "11111111-2222-4333-8444-555555555555";
    claims.type = "access";
    claims.identity_type = "person";
    claims.iat = claims.nbf = slate::engine::auth::unix_now() - 100;
    claims.exp = claims.iat + 10;
    const auto token = slate::engine::auth::encode_token(claims, server.config().secret_key);
    const auto response = http_get(server.port(), "/auth/authenticated", token);
    CHECK(response.status == 401);
    CHECK(response.body == R"({"error":true,"message":"Signature has expired"})");
}

TEST_CASE("the refresh token gets a new access token paired with it", "[api][pg]") {
    TestServer server;
    const Tokens tokens = login_tokens(server);
    const auto response = http_get(server.port(), "/auth/refresh-token", tokens.refresh);
    REQUIRE(response.status == 200);
    const std::string access = response.json()->getValue<std::string>("access_token");
    CHECK(http_get(server.port(), "/auth/authenticated", access).status == 200);
    const auto secret = server.config().secret_key;
    const auto now = slate::engine::auth::unix_now();
    CHECK(slate::engine::auth::decode_token(access, secret, now).refresh_jti ==
          slate::engine::auth::decode_token(tokens.refresh, secret, now).jti);
}

TEST_CASE("logout revokes the access token and its refresh token", "[api][pg]") {
    TestServer server;
    const Tokens tokens = login_tokens(server);
    const auto logout = http_get(server.port(), "/auth/logout", tokens.access);
    CHECK(logout.status == 200);
    CHECK(logout.body == R"({"logout":true})");
    const auto after = http_get(server.port(), "/auth/authenticated", tokens.access);
    CHECK(after.status == 401);
    CHECK(after.body == R"({"msg":"Token has been revoked"})");
    CHECK(http_get(server.port(), "/auth/refresh-token", tokens.refresh).status == 401);
    // A new login still works.
    CHECK(http_get(server.port(), "/auth/authenticated", login_tokens(server).access).status == 200);
}

TEST_CASE("a browser login also gets the token cookies", "[api][pg]") {
    TestServer server;
    HttpRequest request;
    request.method = "POST";
    request.path = "/api/auth/login";
    request.body = login_body(admin_email, admin_password);
    request.headers["User-Agent"] =
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36";
    const auto response = send_request(server.port(), request);
    REQUIRE(response.status == 200);
    REQUIRE(response.set_cookies.size() == 2);
    CHECK(response.set_cookies[0].rfind("access_token_cookie=", 0) == 0);
    CHECK(response.set_cookies[0].find("HttpOnly") != std::string::npos);
    CHECK(response.set_cookies[1].find("Path=/auth/refresh-token") != std::string::npos);
    auto connection = server.pool().acquire();
    CHECK(connection->exec("SELECT origin FROM login_log").get(0, 0) == "web");
}

TEST_CASE("a deactivated person's tokens stop working", "[api][pg]") {
    TestServer server;
    server.create_person("artist@example.com", "artistpassword", "user");
    const std::string token = server.login("artist@example.com", "artistpassword");
    CHECK(http_get(server.port(), "/auth/authenticated", token).status == 200);
    {
        auto connection = server.pool().acquire();
        connection->exec("UPDATE person SET active = false WHERE email = 'artist@example.com'");
    }
    CHECK(http_get(server.port(), "/auth/authenticated", token).status == 401);
}

TEST_CASE("a person deactivated then re-activated does not get their old tokens back", "[api][pg]") {
    TestServer server;
    const std::string admin = server.login();
    const std::string id = server.create_person("returning@example.com", "returnpassword", "user");
    const std::string old_token = server.login("returning@example.com", "returnpassword");
    REQUIRE(http_get(server.port(), "/auth/authenticated", old_token).status == 200);
    // Tokens carry whole seconds: the deactivation happens in a later second than the login.
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    REQUIRE(http_call(server.port(), "PUT", "/data/persons/" + id, admin, R"({"active":false})").status == 200);
    REQUIRE(http_call(server.port(), "PUT", "/data/persons/" + id, admin, R"({"active":true})").status == 200);
    const auto refused = http_get(server.port(), "/auth/authenticated", old_token);
    CHECK(refused.status == 401);
    CHECK(refused.body.find("revoked") != std::string::npos);
    const std::string new_token = server.login("returning@example.com", "returnpassword");
    CHECK(http_get(server.port(), "/auth/authenticated", new_token).status == 200);
}

TEST_CASE("SAML and OIDC answer Zou's 400 while disabled, 503 when their provider cannot be reached", "[api][pg]") {
    TestServer server;
    for (const char* path : {"/auth/saml/login", "/auth/oidc/login", "/auth/oidc/callback"}) {
        INFO(path);
        const auto response = http_get(server.port(), path);
        CHECK(response.status == 400);
        CHECK(response.body.find("is not enabled.") != std::string::npos);
    }
    CHECK(http_post(server.port(), "/auth/saml/sso", "{}").body == R"({"error":"SAML is not enabled."})");
    // Enabled, with a provider nobody answers for.
    server.config().oidc_enabled = true;
    server.config().oidc.discovery_url = "http://127.0.0.1:9/.well-known/openid-configuration";
    CHECK(http_get(server.port(), "/auth/oidc/login").body ==
          R"({"error":"The identity provider cannot be reached."})");
    server.config().saml_enabled = true;
    server.config().saml_metadata_url = "http://127.0.0.1:9/metadata";
    CHECK(http_get(server.port(), "/auth/saml/login").status == 503);
}
