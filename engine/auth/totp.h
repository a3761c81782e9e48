#pragma once
// engine/auth/totp.h: one-time passwords of RFC 4226 (HOTP) and RFC 6238 (TOTP, 30-second
// steps, 6 digits, HMAC-SHA1), as pyotp computes them for Zou, with base32 secrets.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace slate::engine::auth {

/// RFC 4648 base32 without padding.
std::string base32_encode(std::string_view bytes);
/// Decodes base32 (padding and case ignored); nullopt when it is not base32.
std::optional<std::string> base32_decode(std::string_view text);

/// A random base32 secret of `length` characters (pyotp.random_base32: 32).
std::string random_base32(std::size_t length = 32);

/// The 6-digit HOTP value of a base32 secret for a counter.
std::string hotp(const std::string& base32_secret, uint64_t counter);

/// Whether `code` is the TOTP of `secret` at `unix_time`, one 30-second step either side
/// accepted (pyotp's valid_window=1).
bool verify_totp(const std::string& base32_secret, const std::string& code, int64_t unix_time);

/// otpauth://totp/<issuer>:<account>?secret=...&issuer=<issuer>, quoted as pyotp does.
std::string totp_provisioning_uri(const std::string& base32_secret, const std::string& account,
                                  const std::string& issuer);

} // namespace slate::engine::auth
