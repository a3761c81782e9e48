#pragma once
// engine/auth/password.h: bcrypt password hashes, compatible with Zou's flask-bcrypt
// ($2b$ hashes, the UTF-8 password cut at 72 bytes), through libxcrypt.

#include <string>
#include <string_view>

namespace slate::engine::auth {

/// A new $2b$ hash of `password` with 2^rounds iterations.
std::string hash_password(std::string_view password, int rounds);

/// Whether `password` matches `hash` ($2a$, $2b$ or $2y$). A malformed hash never matches.
bool check_password(std::string_view password, std::string_view hash);

/// Spends the time of one check against a hash of `rounds`, so that an unknown account
/// answers as slowly as a wrong password (no account enumeration by timing).
void waste_password_check(int rounds);

/// `count` random bytes as lowercase hex (secrets).
std::string random_hex(std::size_t count);

/// `length` random characters from A-Z0-9, as Zou draws reset tokens and recovery codes.
std::string random_code(std::size_t length);

} // namespace slate::engine::auth
