// tests/engine/auth/test_totp.cpp: HOTP and TOTP against the RFC test vectors.
#include <catch2/catch.hpp>

#include "engine/auth/totp.h"

using namespace slate::engine::auth;

namespace {
// RFC 4226 / RFC 6238's SHA-1 key "12345678901234567890", in base32.
const std::string rfc_secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
} // namespace

TEST_CASE("base32 follows RFC 4648", "[engine]") {
    CHECK(base32_encode("12345678901234567890") == rfc_secret);
    CHECK(base32_encode("foobar") == "MZXW6YTBOI");
    CHECK(base32_decode("MZXW6YTBOI======").value() == "foobar");
    CHECK(base32_decode("mzxw6ytboi").value() == "foobar");
    CHECK_FALSE(base32_decode("not base32!").has_value());
    const std::string secret = random_base32();
    CHECK(secret.size() == 32);
    CHECK(base32_decode(secret).has_value());
}

TEST_CASE("HOTP gives RFC 4226's values", "[engine]") {
    const char* expected[] = {"755224", "287082", "359152", "969429", "338314",
                              "254676", "287922", "162583", "399871", "520489"};
    for (uint64_t counter = 0; counter < 10; ++counter)
        CHECK(hotp(rfc_secret, counter) == expected[counter]);
}

TEST_CASE("TOTP gives RFC 6238's values, one step either side", "[engine]") {
    // RFC 6238 appendix B (SHA-1), last six digits.
    CHECK(verify_totp(rfc_secret, "287082", 59));
    CHECK(verify_totp(rfc_secret, "081804", 1111111109));
    CHECK(verify_totp(rfc_secret, "005924", 1234567890));
    CHECK(verify_totp(rfc_secret, "279037", 2000000000));
    CHECK(verify_totp(rfc_secret, "081804", 1111111109 + 30)); // previous step accepted
    CHECK_FALSE(verify_totp(rfc_secret, "081804", 1111111109 + 90));
    CHECK_FALSE(verify_totp(rfc_secret, "12345", 59));
    CHECK_FALSE(verify_totp("", "287082", 59));
}

TEST_CASE("the provisioning URI is quoted as pyotp writes it", "[engine]") {
    CHECK(totp_provisioning_uri("ABC", "admin@example.com", "Kitsu Kitsu") ==
          "otpauth://totp/Kitsu%20Kitsu:admin%40example.com?secret=ABC&issuer=Kitsu%20Kitsu");
}
