// tests/api/test_fido.cpp: a FIDO2 security key (a software authenticator) registered over
// HTTP, then used as the second factor of a login, then removed.
#include <catch2/catch.hpp>

#include "support/soft_authenticator.h"
#include "support/test_server.h"

#include "engine/db/pool.h"

#include <Poco/JSON/Array.h>

using namespace slate::test;

TEST_CASE("a FIDO key is registered, logs in as second factor and is removed", "[api][pg][fido]") {
    TestServer server;
    const int port = server.port();
    const std::string token = server.login();
    SoftAuthenticator key;
    // DOMAIN_NAME is Zou's default, localhost:8080: the RP id is "localhost".
    const std::string origin = "http://localhost:8080";

    CHECK(http_post(port, "/auth/fido", R"({"registration_response":{},"device_name":"key"})", token)
              .json()
              ->getValue<std::string>("message") == "No preregistration before.");
    const auto options = http_call(port, "PUT", "/auth/fido", token);
    INFO(options.body);
    REQUIRE(options.status == 200);
    const auto created = options.json();
    CHECK(created->getObject("rp")->getValue<std::string>("id") == "localhost");
    CHECK(created->getObject("user")->getValue<std::string>("name") == admin_email);
    CHECK(created->getObject("authenticatorSelection")->getValue<std::string>("authenticatorAttachment") ==
          "cross-platform");
    const std::string challenge = created->getValue<std::string>("challenge");

    const auto registered = http_post(port, "/auth/fido",
                                      R"({"device_name":"yubikey","registration_response":)" +
                                          key.register_json("localhost", origin, challenge) + "}",
                                      token);
    INFO(registered.body);
    REQUIRE(registered.status == 200);
    CHECK(registered.json()->getArray("otp_recovery_codes")->size() == 16);
    CHECK(!registered.json()->getValue<std::string>("access_token").empty());
    // The challenge was good once.
    CHECK(http_post(port, "/auth/fido",
                    R"({"device_name":"again","registration_response":)" +
                        key.register_json("localhost", origin, challenge) + "}",
                    token)
              .status == 400);
    {
        auto connection = server.pool().acquire();
        const auto person = connection->exec(R"(SELECT fido_enabled, preferred_two_factor_authentication,
            fido_credentials[1]->>'device_name' AS device FROM person WHERE email = $1)",
                                             {std::string(admin_email)});
        CHECK(person.get_bool(0, "fido_enabled"));
        CHECK(std::string(person.get(0, "preferred_two_factor_authentication")) == "fido");
        CHECK(std::string(person.get(0, "device")) == "yubikey");
    }
    // /auth/authenticated names the person's devices, as Zou's Person.fido_devices.
    const auto fido_devices =
        http_get(port, "/auth/authenticated", registered.json()->getValue<std::string>("access_token"))
            .json()
            ->getObject("user")
            ->getArray("fido_devices");
    REQUIRE(fido_devices);
    CHECK(fido_devices->size() == 1);
    CHECK(fido_devices->getElement<std::string>(0) == "yubikey");

    // A login now needs the key.
    const std::string credentials =
        std::string(R"({"email":")") + admin_email + R"(","password":")" + admin_password + R"(")";
    const auto missing = http_post(port, "/auth/login", credentials + "}");
    CHECK(missing.status == 400);
    CHECK(missing.json()->getValue<bool>("missing_OTP"));
    auto login_with_key = [&](bool tamper) {
        const auto request_options = http_get(port, "/auth/fido?email=" + std::string(admin_email));
        REQUIRE(request_options.status == 200);
        const auto asked = request_options.json();
        REQUIRE(asked->getArray("allowCredentials")->size() == 1);
        const std::string assertion =
            key.assert_json("localhost", origin, asked->getValue<std::string>("challenge"), tamper);
        return http_post(port, "/auth/login", credentials + R"(,"fido_authentication_response":)" + assertion + "}");
    };
    CHECK(login_with_key(true).status == 400);
    const auto logged = login_with_key(false);
    INFO(logged.body);
    CHECK(logged.status == 200);
    CHECK(logged.json()->getValue<bool>("login"));
    CHECK(http_get(port, "/auth/fido?email=nobody@example.com").status == 400);

    // Removing the key needs a second factor; with it gone FIDO is off.
    CHECK(http_call(port, "DELETE", "/auth/fido", token, R"({"device_name":"yubikey"})").status == 400);
    const auto asked = http_get(port, "/auth/fido?email=" + std::string(admin_email)).json();
    const auto removed =
        http_call(port, "DELETE", "/auth/fido", token,
                  R"({"device_name":"yubikey","fido_authentication_response":)" +
                      key.assert_json("localhost", origin, asked->getValue<std::string>("challenge")) + "}");
    INFO(removed.body);
    CHECK(removed.status == 200);
    auto connection = server.pool().acquire();
    const auto person = connection->exec(R"(SELECT fido_enabled, preferred_two_factor_authentication IS NULL AS no_pref,
        otp_recovery_codes IS NULL AS no_codes FROM person WHERE email = $1)",
                                         {std::string(admin_email)});
    CHECK_FALSE(person.get_bool(0, "fido_enabled"));
    CHECK(person.get_bool(0, "no_pref"));
    CHECK(person.get_bool(0, "no_codes"));
    CHECK(http_post(port, "/auth/login", credentials + "}").status == 200);
}
