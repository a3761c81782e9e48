// tests/engine/auth/test_password.cpp: bcrypt hashes that Zou's flask-bcrypt can read and
// that Slate can read from Zou.
#include <catch2/catch.hpp>

#include "engine/auth/password.h"

using namespace slate::engine::auth;

TEST_CASE("a hash is $2b$ with the requested cost and checks its password only", "[engine]") {
    const std::string hash = hash_password("mysecretpassword", 4);
    CHECK(hash.rfind("$2b$04$", 0) == 0);
    CHECK(hash.size() == 60);
    CHECK(check_password("mysecretpassword", hash));
    CHECK_FALSE(check_password("mysecretpassworD", hash));
    CHECK_FALSE(check_password("", hash));
}

TEST_CASE("published bcrypt test vectors verify", "[engine]") {
    // Openwall's crypt_blowfish test vectors: hashes made by other implementations, as a
    // Zou database's hashes were made by Python's bcrypt.
    CHECK(check_password("U*U", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"));
    CHECK(check_password("U*U*U", "$2a$05$XXXXXXXXXXXXXXXXXXXXXOAcXxm9kjPGEMsLznoKqmqw7tc8WCx4a"));
    CHECK_FALSE(check_password("U*U*", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"));
}

TEST_CASE("only the first 72 bytes of a password count, as in bcrypt", "[engine]") {
    const std::string long_password(80, 'x');
    const std::string hash = hash_password(long_password, 4);
    CHECK(check_password(std::string(72, 'x') + "different tail", hash));
}

TEST_CASE("malformed hashes never match", "[engine]") {
    CHECK_FALSE(check_password("x", ""));
    CHECK_FALSE(check_password("x", "plain text password"));
    CHECK_FALSE(check_password("x", "$2b$04$tooshort"));
}
