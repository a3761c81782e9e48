#include "engine/auth/password.h"

#include "engine/error.h"

#include <crypt.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <cstring>
#include <memory>

namespace slate::engine::auth {
namespace {

std::string bcrypt_input(std::string_view password) {
    // bcrypt reads at most 72 bytes; flask-bcrypt cuts there too. A NUL would end the C
    // string early, so it ends it here explicitly.
    std::string input(password.substr(0, 72));
    if (auto nul = input.find('\0'); nul != std::string::npos)
        input.resize(nul);
    return input;
}

} // namespace

std::string hash_password(std::string_view password, int rounds) {
    unsigned char random[16];
    if (RAND_bytes(random, sizeof random) != 1)
        throw Error(ErrorKind::internal, "no randomness for a password salt");
    char setting[CRYPT_GENSALT_OUTPUT_SIZE];
    if (!crypt_gensalt_rn("$2b$", static_cast<unsigned long>(rounds), reinterpret_cast<const char*>(random),
                          sizeof random, setting, sizeof setting))
        throw Error(ErrorKind::internal, "bcrypt salt generation failed");
    auto data = std::make_unique<crypt_data>();
    std::memset(data.get(), 0, sizeof(crypt_data));
    const char* hashed = crypt_rn(bcrypt_input(password).c_str(), setting, data.get(), sizeof(crypt_data));
    if (!hashed || hashed[0] == '*')
        throw Error(ErrorKind::internal, "bcrypt hashing failed");
    return hashed;
}

bool check_password(std::string_view password, std::string_view hash) {
    if (hash.size() != 60 || hash[0] != '$' || hash[1] != '2')
        return false;
    auto data = std::make_unique<crypt_data>();
    std::memset(data.get(), 0, sizeof(crypt_data));
    const std::string setting(hash);
    const char* hashed = crypt_rn(bcrypt_input(password).c_str(), setting.c_str(), data.get(), sizeof(crypt_data));
    if (!hashed || std::strlen(hashed) != hash.size())
        return false;
    return CRYPTO_memcmp(hashed, hash.data(), hash.size()) == 0;
}

void waste_password_check(int rounds) {
    // A fixed, valid hash of the right cost; comparing against it costs what a real check does.
    static const std::string dummy = hash_password("slate-timing-equaliser", rounds);
    check_password("not the password", dummy);
}

std::string random_hex(std::size_t count) {
    std::string bytes(count, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(count)) != 1)
        throw Error(ErrorKind::internal, "no randomness available");
    static const char digits[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(count * 2);
    for (unsigned char c : bytes) {
        hex.push_back(digits[c >> 4]);
        hex.push_back(digits[c & 15]);
    }
    return hex;
}

std::string random_code(std::size_t length) {
    static const char characters[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    std::string random(length, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(random.data()), static_cast<int>(length)) != 1)
        throw Error(ErrorKind::internal, "no randomness available");
    std::string code;
    code.reserve(length);
    for (unsigned char r : random)
        code.push_back(characters[r % 36]); // 256 % 36 leaves a slight bias, as in Zou's choice()
    return code;
}

} // namespace slate::engine::auth
