// tests/engine/auth/test_webauthn.cpp: CBOR, base64url and the WebAuthn checks against a
// software authenticator: what verifies, and each thing that must not.
#include <catch2/catch.hpp>

#include "support/soft_authenticator.h"

#include "engine/auth/cbor.h"
#include "engine/auth/webauthn.h"
#include "engine/error.h"
#include "engine/json.h"

using namespace slate;
using namespace slate::engine::auth;

TEST_CASE("CBOR reads what it writes and refuses malformed input", "[auth]") {
    CborValue map;
    map.type = CborValue::Type::map;
    CborValue key, value;
    key.type = CborValue::Type::negative_int;
    key.integer = -2;
    value.type = CborValue::Type::bytes;
    value.bytes = std::string(300, '\x01');
    map.entries.emplace_back(key, value);
    const std::string encoded = encode_cbor(map);
    std::size_t used = 0;
    const CborValue decoded = decode_cbor(encoded + "trailing", &used);
    CHECK(used == encoded.size());
    REQUIRE(decoded.find(-2));
    CHECK(decoded.find(-2)->bytes == value.bytes);
    CHECK_THROWS_AS(decode_cbor(encoded.substr(0, encoded.size() - 1)), Error);
    CHECK_THROWS_AS(decode_cbor("\x5f"), Error);                  // indefinite length
    CHECK_THROWS_AS(decode_cbor(std::string(40, '\x81')), Error); // nested too deep
    CHECK_THROWS_AS(decode_cbor("\x9a\xff\xff\xff\xff"), Error);  // more items than bytes
}

TEST_CASE("base64url round-trips and refuses other text", "[auth]") {
    for (const std::string& text :
         std::vector<std::string>{"", "f", "fo", "foo", "foob", "fooba", "foobar", std::string("\xff\xfe\x00", 3)})
        CHECK(base64url_decode(base64url_encode(text)) == text);
    CHECK(base64url_encode("\xfb\xff") == "-_8");
    CHECK(base64url_decode("Zm9vYg==") == "foob");
    CHECK_THROWS_AS(base64url_decode("ab$d"), Error);
}

TEST_CASE("a registration and an assertion verify, and tampering is refused", "[auth]") {
    const RelyingParty rp{"kitsu.example.com", false};
    const std::string origin = "https://kitsu.example.com";
    const std::string challenge = "0123456789abcdef0123456789abcdef";
    const std::string encoded = base64url_encode(challenge);
    test::SoftAuthenticator device;
    auto json = [](const std::string& text) { return engine::parse_json_object(text); };

    const auto credential = verify_registration(rp, challenge, *json(device.register_json(rp.id, origin, encoded)));
    CHECK(credential.credential_id == device.credential_id());
    CHECK(credential.alg == -7);
    CHECK(credential.x.size() == 32);
    CHECK_THROWS_AS(verify_registration(rp, "another challenge 0123456789abcd",
                                        *json(device.register_json(rp.id, origin, encoded))),
                    Error);
    CHECK_THROWS_AS(verify_registration(rp, challenge, *json(device.register_json("evil.com", origin, encoded))),
                    Error);
    CHECK_THROWS_AS(verify_registration(rp, challenge, *json(device.register_json(rp.id, "https://evil.com", encoded))),
                    Error);
    CHECK_THROWS_AS(
        verify_registration(rp, challenge, *json(device.register_json(rp.id, "http://kitsu.example.com", encoded))),
        Error);
    // A subdomain of the RP id is a valid origin.
    CHECK_NOTHROW(verify_registration(rp, challenge,
                                      *json(device.register_json(rp.id, "https://a.kitsu.example.com:8443", encoded))));

    const std::vector<WebAuthnCredential> known{credential};
    CHECK_NOTHROW(verify_assertion(rp, challenge, known, *json(device.assert_json(rp.id, origin, encoded))));
    CHECK_THROWS_AS(verify_assertion(rp, challenge, known, *json(device.assert_json(rp.id, origin, encoded, true))),
                    Error);
    CHECK_THROWS_AS(verify_assertion(rp, "other challenge 0123456789abcdef0", known,
                                     *json(device.assert_json(rp.id, origin, encoded))),
                    Error);
    test::SoftAuthenticator stranger;
    CHECK_THROWS_AS(verify_assertion(rp, challenge, known, *json(stranger.assert_json(rp.id, origin, encoded))), Error);
    CHECK_THROWS_AS(verify_assertion(rp, challenge, known, *json(R"({"id":"AAAA"})")), Error);
}
