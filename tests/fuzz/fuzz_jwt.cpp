// tests/fuzz/fuzz_jwt.cpp: libFuzzer target for the HS256 JWT decoder
// (engine::auth::decode_token) and signed cookie values (engine::auth::signed_value). The input
// is a token, read as sent and again with its signature replaced by the right one under the
// fuzzing secret, so the header and payload readers behind the signature check are reached
// too. slate::Error (422 {"msg"}, 401 expired) is an answer; anything else escaping, a signed
// value that does not read back, or a sanitizer report is a finding.
#include "engine/auth/jwt.h"
#include "engine/error.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

/// The secret the seed tokens were signed with (tests/fuzz/corpus/fuzz_jwt).
const std::string secret = "slate-fuzz-secret";
constexpr int64_t now = 1700000000;

std::string base64url(std::string_view bytes) {
    static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    uint32_t buffer = 0;
    int bits = 0;
    for (unsigned char c : bytes) {
        buffer = (buffer << 8) | c;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += alphabet[(buffer >> bits) & 63];
        }
    }
    if (bits > 0)
        out += alphabet[(buffer << (6 - bits)) & 63];
    return out;
}

std::string signature(std::string_view signed_part) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
         reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size(), digest, &length);
    return base64url(std::string_view(reinterpret_cast<const char*>(digest), length));
}

template <typename Call>
void quietly(Call call) {
    try {
        call();
    } catch (const slate::Error&) {
        // A token that does not verify is an answer, not a finding.
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string token(reinterpret_cast<const char*>(data), size);
    quietly([&] { (void)slate::engine::auth::decode_token(token, secret, now); });
    quietly([&] { (void)slate::engine::auth::decode_token(token, "another secret", now); });

    const std::size_t last_dot = token.rfind('.');
    if (last_dot != std::string::npos) {
        const std::string signed_part = token.substr(0, last_dot);
        const std::string resigned = signed_part + "." + signature(signed_part);
        quietly([&] { (void)slate::engine::auth::decode_token(resigned, secret, now); });
        if (const auto value = slate::engine::auth::signed_value(resigned, secret); !value || *value != signed_part)
            __builtin_trap(); // a value signed with the secret must read back
    }
    (void)slate::engine::auth::signed_value(token, secret); // the OIDC state cookie
    return 0;
}
