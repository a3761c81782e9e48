// tests/fuzz/fuzz_jose.cpp: libFuzzer target for the JOSE reader used on OpenID Connect ID
// tokens (engine/auth/jose.h): jws_header, jwks_has_key and verify_jws. The input's first line
// is the compact JWS, the rest the provider's JWKS ({"keys": [...]} or the bare array); when
// the rest is no JWKS, a fixed one (an EC P-256 and an RSA key) is used. Its callers
// (api/areas/people/sso.cpp) answer any std::exception with a failed sign-in, so exceptions are
// answers; a crash, a hang, a leak or a sanitizer report is a finding.
#include "engine/auth/jose.h"

#include <Poco/JSON/Parser.h>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <string_view>

namespace {

/// The keys of tests/fuzz/corpus/fuzz_jose's seeds.
const char* const fallback_jwks = R"({"keys": [
 {"kty": "EC", "crv": "P-256", "kid": "ec1", "use": "sig",
  "x": "jXVWT1Z8bnQ7aMi7mrOpAEMgeGYDMkswBh7Y4IcdytI", "y": "bB_EAsnSgBylupmw9N7gH8vcCwuxAgiahgtU2Fw2A2U"},
 {"kty": "RSA", "kid": "rsa1", "use": "sig", "alg": "RS256", "e": "AQAB",
  "n": "qAdNmpS_Es6jSF-V2FWoSFZs2qPmxB14CrBMdHfc5GzkWW5cVa68crmNZDBf4l-0Qn19KVb1R251ZOEy6EYXClZX0jfSN9tGs9u7I9wAcPSfsKNSMXGFsMYLuiEPPKTu_3ySJeGgh9KSxSxgrX4yFnMbi8atWA7D0EXGiFp9OvXCJotmjvpFqWvl0RduV1R78yRqfL_DDxYVcsmtQUWkyzxLNTnU29XOMJHVQ8jO1KJdZuY8qW7b_8m7kNAaZ3MxSh-ydniQx6HtrDk4f3V2r_uWGsaX1wNw9v5SjMW-SFwJyimaFFBFj6f6GppNT1x9nw3D4et0idWkN_czi_2vgw"}
]})";

Poco::JSON::Array::Ptr keys_of(const std::string& text) {
    try {
        const Poco::Dynamic::Var parsed = Poco::JSON::Parser().parse(text);
        if (parsed.type() == typeid(Poco::JSON::Array::Ptr))
            return parsed.extract<Poco::JSON::Array::Ptr>();
        if (parsed.type() == typeid(Poco::JSON::Object::Ptr))
            if (const auto keys = parsed.extract<Poco::JSON::Object::Ptr>()->getArray("keys"))
                return keys;
    } catch (const std::exception&) {
    }
    return nullptr;
}

const Poco::JSON::Array& fallback_keys() {
    static const Poco::JSON::Array::Ptr keys = keys_of(fallback_jwks);
    return *keys;
}

template <typename Call>
void quietly(Call call) {
    try {
        call();
    } catch (const std::exception&) {
        // A token or key set the reader refuses is an answer, not a finding.
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::size_t eol = input.find('\n');
    const std::string token(input.substr(0, eol));
    const Poco::JSON::Array::Ptr given =
        eol == std::string_view::npos ? nullptr : keys_of(std::string(input.substr(eol + 1)));
    const Poco::JSON::Array& keys = given ? *given : fallback_keys();
    quietly([&] {
        // As the OIDC callback reads it: the header's kid, looked up in the key set.
        const auto header = slate::engine::auth::jws_header(token);
        const std::string kid = header->has("kid") ? header->get("kid").toString() : "";
        (void)slate::engine::auth::jwks_has_key(keys, kid);
    });
    quietly([&] { (void)slate::engine::auth::verify_jws(token, keys); });
    return 0;
}
