// tests/fuzz/fuzz_webauthn_cbor.cpp: libFuzzer target for WebAuthn's CBOR reader
// (engine::auth::decode_cbor) and the registration and assertion checks that read
// authenticator output (engine/auth/webauthn.h). The input is read as one CBOR item (what it
// decodes to must encode and decode again to the same), then sent as the attestation object of
// a registration, and as the authenticator data and signature of an assertion, each with
// client data that passes (RP id "slate.test"). slate::Error (bad_request) is an answer;
// anything else escaping, a broken round trip, or a sanitizer report is a finding.
#include "engine/auth/cbor.h"
#include "engine/auth/webauthn.h"
#include "engine/error.h"

#include <Poco/JSON/Object.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace slate::engine::auth;

const std::string challenge = "slate-fuzz-challenge-0123456789ab";

std::string client_data(const char* type) {
    return std::string(R"({"type":")") + type + R"(","challenge":")" + base64url_encode(challenge) +
           R"(","origin":"https://slate.test","crossOrigin":false})";
}

/// The P-256 key of tests/fuzz/corpus/fuzz_webauthn_cbor's registration seed.
WebAuthnCredential credential() {
    WebAuthnCredential out;
    out.credential_id = "slate-fuzz-credential";
    out.aaguid = std::string(16, '\0');
    out.x = base64url_decode("jXVWT1Z8bnQ7aMi7mrOpAEMgeGYDMkswBh7Y4IcdytI");
    out.y = base64url_decode("bB_EAsnSgBylupmw9N7gH8vcCwuxAgiahgtU2Fw2A2U");
    return out;
}

template <typename Call>
void quietly(Call call) {
    try {
        call();
    } catch (const slate::Error&) {
        // Authenticator output the relying party refuses is an answer, not a finding.
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    quietly([&] {
        std::size_t consumed = 0;
        const CborValue value = decode_cbor(input, &consumed);
        if (consumed == 0 || consumed > size)
            __builtin_trap();
        const std::string encoded = encode_cbor(value);
        std::size_t again = 0;
        if (encode_cbor(decode_cbor(encoded, &again)) != encoded || again != encoded.size())
            __builtin_trap(); // what the reader gives must survive a round trip
    });

    const RelyingParty rp{"slate.test", false};
    const std::string input_text(input);
    quietly([&] {
        Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
        body->set("clientDataJSON", base64url_encode(client_data("webauthn.create")));
        body->set("attestationObject", base64url_encode(input_text));
        Poco::JSON::Object response;
        response.set("id", base64url_encode("slate-fuzz-credential"));
        response.set("type", "public-key");
        response.set("response", body);
        (void)verify_registration(rp, challenge, response);
    });
    quietly([&] {
        Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
        body->set("clientDataJSON", base64url_encode(client_data("webauthn.get")));
        body->set("authenticatorData", base64url_encode(input_text));
        body->set("signature", base64url_encode(input_text.substr(input_text.size() / 2)));
        Poco::JSON::Object response;
        response.set("rawId", base64url_encode("slate-fuzz-credential"));
        response.set("type", "public-key");
        response.set("response", body);
        (void)verify_assertion(rp, challenge, {credential()}, response);
    });
    return 0;
}
