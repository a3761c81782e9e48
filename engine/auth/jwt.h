#pragma once
// engine/auth/jwt.h: HS256 JSON Web Tokens with the claims flask-jwt-extended gives Zou's
// tokens, and PyJWT's error texts for tokens that do not verify.

#include <cstdint>
#include <optional>
#include <string>

namespace slate::engine::auth {

struct TokenClaims {
    std::string sub;                   ///< the person id
    std::string jti;                   ///< this token's id (uuid4)
    std::string type;                  ///< "access" or "refresh"
    std::string identity_type;         ///< "person", "bot" or "person_api"
    std::string refresh_jti;           ///< access tokens: the paired refresh token's jti
    int64_t iat = 0, nbf = 0, exp = 0; ///< exp 0: no expiry (long-lived API tokens)
    bool fresh = false;
    bool requires_2fa_setup = false;
};

/// Signs `claims` as a compact HS256 JWT.
std::string encode_token(const TokenClaims& claims, const std::string& secret);

/// Verifies and reads a token. Errors are slate::Error with Zou's bodies: 422 {"msg": ...}
/// for a malformed token or bad signature (PyJWT's words), 401 "Signature has expired".
/// `now` is seconds since the epoch.
TokenClaims decode_token(const std::string& token, const std::string& secret, int64_t now);

/// `value` with an HMAC-SHA256 of it under `secret` ("<value>.<signature>"), for state the
/// server hands to a browser and must get back untouched (the OIDC sign-in cookie).
std::string sign_value(const std::string& value, const std::string& secret);

/// The value of a sign_value() text whose signature holds; nullopt otherwise. `value` may not
/// contain a '.'.
std::optional<std::string> signed_value(const std::string& text, const std::string& secret);

/// Seconds since the epoch, now.
int64_t unix_now();

} // namespace slate::engine::auth
