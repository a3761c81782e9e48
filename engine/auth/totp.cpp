#include "engine/auth/totp.h"

#include "engine/error.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <cctype>
#include <cstdio>

namespace slate::engine::auth {
namespace {

constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Percent-encoding of everything but unreserved characters (urllib.parse.quote with safe='').
std::string quote(const std::string& text) {
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out.push_back(static_cast<char>(c));
        } else {
            char escaped[4];
            std::snprintf(escaped, sizeof escaped, "%%%02X", c);
            out.append(escaped);
        }
    }
    return out;
}

} // namespace

std::string base32_encode(std::string_view bytes) {
    std::string out;
    uint32_t buffer = 0;
    int bits = 0;
    for (unsigned char byte : bytes) {
        buffer = (buffer << 8) | byte;
        bits += 8;
        while (bits >= 5) {
            out.push_back(alphabet[(buffer >> (bits - 5)) & 31]);
            bits -= 5;
        }
    }
    if (bits > 0)
        out.push_back(alphabet[(buffer << (5 - bits)) & 31]);
    return out;
}

std::optional<std::string> base32_decode(std::string_view text) {
    std::string out;
    uint32_t buffer = 0;
    int bits = 0;
    for (char raw : text) {
        if (raw == '=' || raw == ' ')
            continue;
        const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(raw)));
        const char* found = std::char_traits<char>::find(alphabet, 32, c);
        if (!found)
            return std::nullopt;
        buffer = (buffer << 5) | static_cast<uint32_t>(found - alphabet);
        bits += 5;
        if (bits >= 8) {
            out.push_back(static_cast<char>((buffer >> (bits - 8)) & 0xff));
            bits -= 8;
        }
    }
    return out;
}

std::string random_base32(std::size_t length) {
    std::string bytes(length, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(length)) != 1)
        throw Error(ErrorKind::internal, "no randomness available");
    std::string out;
    for (unsigned char b : bytes)
        out.push_back(alphabet[b & 31]);
    return out;
}

std::string hotp(const std::string& base32_secret, uint64_t counter) {
    const auto key = base32_decode(base32_secret);
    if (!key)
        return {};
    unsigned char message[8];
    for (int i = 7; i >= 0; --i) {
        message[i] = static_cast<unsigned char>(counter & 0xff);
        counter >>= 8;
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha1(), key->data(), static_cast<int>(key->size()), message, sizeof message, digest, &length);
    const int offset = digest[length - 1] & 0x0f;
    const uint32_t binary = (uint32_t(digest[offset] & 0x7f) << 24) | (uint32_t(digest[offset + 1]) << 16) |
                            (uint32_t(digest[offset + 2]) << 8) | uint32_t(digest[offset + 3]);
    char code[8];
    std::snprintf(code, sizeof code, "%06u", binary % 1000000);
    return code;
}

bool verify_totp(const std::string& base32_secret, const std::string& code, int64_t unix_time) {
    if (code.size() != 6 || base32_secret.empty())
        return false;
    const int64_t step = unix_time / 30;
    for (int64_t delta = -1; delta <= 1; ++delta) {
        const std::string expected = hotp(base32_secret, static_cast<uint64_t>(step + delta));
        if (expected.size() == 6 && CRYPTO_memcmp(expected.data(), code.data(), 6) == 0)
            return true;
    }
    return false;
}

std::string totp_provisioning_uri(const std::string& base32_secret, const std::string& account,
                                  const std::string& issuer) {
    return "otpauth://totp/" + quote(issuer) + ":" + quote(account) + "?secret=" + base32_secret +
           "&issuer=" + quote(issuer);
}

} // namespace slate::engine::auth
