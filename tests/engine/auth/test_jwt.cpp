// tests/engine/auth/test_jwt.cpp: HS256 tokens with Zou's claims, refused with PyJWT's words.
#include <catch2/catch.hpp>

#include "engine/auth/jwt.h"
#include "engine/error.h"

#include <Poco/Base64Encoder.h>

#include <sstream>

using namespace slate::engine::auth;

namespace {

TokenClaims sample_claims(int64_t now) {
    TokenClaims claims;
    claims.sub = "a24a6ea4-ce75-4665-a070-57453082c25f";
    claims.jti = "5b0c3f5e-8f6f-4f39-9a43-1f1a3c8d2e11";
    claims.type = "access";
    claims.identity_type = "person";
    claims.refresh_jti = "0f4a2f43-5a3e-4a4c-8b7a-1b2c3d4e5f60";
    claims.iat = claims.nbf = now;
    claims.exp = now + 3600;
    return claims;
}

std::string rejection(const std::string& token, const std::string& secret, int64_t now) {
    try {
        decode_token(token, secret, now);
    } catch (const slate::Error& e) {
        return e.body_json().value_or(e.what());
    }
    return "accepted";
}

std::string base64url(const std::string& text) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
    encoder << text;
    encoder.close();
    return out.str();
}

} // namespace

TEST_CASE("a token round-trips with every claim", "[engine]") {
    const int64_t now = 1700000000;
    const std::string token = encode_token(sample_claims(now), "secret");
    const TokenClaims back = decode_token(token, "secret", now + 10);
    CHECK(back.sub == "a24a6ea4-ce75-4665-a070-57453082c25f");
    CHECK(back.type == "access");
    CHECK(back.identity_type == "person");
    CHECK(back.refresh_jti == "0f4a2f43-5a3e-4a4c-8b7a-1b2c3d4e5f60");
    CHECK(back.exp == now + 3600);
    CHECK_FALSE(back.fresh);
}

TEST_CASE("the token is the RFC 7519 HS256 one, byte for byte", "[engine]") {
    // Computed independently with Python's hmac, hashlib and base64 modules.
    const std::string expected =
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
        "eyJmcmVzaCI6ZmFsc2UsImlhdCI6MTcwMDAwMDAwMCwianRpIjoiNWIwYzNmNWUtOGY2Zi00ZjM5LTlhNDMtMWYx"
        "YTNjOGQyZTExIiwidHlwZSI6ImFjY2VzcyIsInN1YiI6ImEyNGE2ZWE0LWNlNzUtNDY2NS1hMDcwLTU3NDUzMDgy"
        "YzI1ZiIsIm5iZiI6MTcwMDAwMDAwMCwiZXhwIjoxNzAwMDAzNjAwLCJpZGVudGl0eV90eXBlIjoicGVyc29uIiwi"
        "cmVmcmVzaF9qdGkiOiIwZjRhMmY0My01YTNlLTRhNGMtOGI3YS0xYjJjM2Q0ZTVmNjAifQ."
        "eQFv0Ha_18PfXGTmY3LtoUISXV2PAEMSCzdlgfmYlWY";
    CHECK(encode_token(sample_claims(1700000000), "secret") == expected);
}

TEST_CASE("tampered, malformed, expired and unsigned tokens are refused", "[engine]") {
    const int64_t now = 1700000000;
    std::string token = encode_token(sample_claims(now), "secret");
    CHECK(rejection(token, "other", now) == R"({"msg":"Signature verification failed"})");
    CHECK(rejection("abc", "secret", now) == R"({"msg":"Not enough segments"})");
    CHECK(rejection(token, "secret", now + 7200) == "Signature has expired");

    std::string tampered = token;
    const auto dot = tampered.find('.');
    tampered[dot + 5] = tampered[dot + 5] == 'A' ? 'B' : 'A';
    CHECK(rejection(tampered, "secret", now) == R"({"msg":"Signature verification failed"})");

    const std::string payload = token.substr(dot + 1, token.rfind('.') - dot - 1);
    const std::string unsigned_token = base64url(R"({"alg":"none","typ":"JWT"})") + "." + payload + ".";
    CHECK(rejection(unsigned_token, "secret", now) == R"({"msg":"The specified alg value is not allowed"})");
    CHECK(rejection("!!!." + payload + ".x", "secret", now) == R"({"msg":"Invalid header padding"})");
}
