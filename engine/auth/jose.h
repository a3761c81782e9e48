#pragma once
// engine/auth/jose.h: JSON Web Signatures checked against a JSON Web Key Set (RFC 7515,
// 7517, 7518), for the ID tokens of OpenID Connect providers: RS256/384/512, PS256/384/512
// and ES256/384/512, with OpenSSL.

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <stdexcept>
#include <string>

namespace slate::engine::auth {

class JoseError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The header of a compact JWS (its "alg", "kid"…). Throws JoseError when malformed.
Poco::JSON::Object::Ptr jws_header(const std::string& token);

/// The payload of a compact JWS whose signature one of `keys` (a JWKS "keys" array) checks:
/// the key named by the header's "kid" (any key of a matching type when there is no kid).
/// "none" and HMAC algorithms are refused. Throws JoseError saying why.
Poco::JSON::Object::Ptr verify_jws(const std::string& token, const Poco::JSON::Array& keys);

/// RFC 7636's S256 code challenge of a PKCE code verifier: base64url(SHA-256(verifier)).
std::string pkce_challenge(const std::string& verifier);

/// Whether a JWKS has a key named `kid`.
bool jwks_has_key(const Poco::JSON::Array& keys, const std::string& kid);

} // namespace slate::engine::auth
