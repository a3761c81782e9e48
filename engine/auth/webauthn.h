#pragma once
// engine/auth/webauthn.h: the relying-party side of WebAuthn that Zou gets from python-fido2's
// Fido2Server: creation and request options, and the checks of a registration and of an
// assertion (type, challenge, origin, RP id hash, user presence, signature). Attestation
// statements are not verified (Fido2Server's default). Credentials are EC2 keys (ES256,
// ES384, ES512): the only kind Zou's stored form (fido_credentials) can hold.

#include <Poco/JSON/Object.h>

#include <string>
#include <string_view>
#include <vector>

namespace slate::engine::auth {

/// A registered authenticator key, as raw bytes.
struct WebAuthnCredential {
    std::string credential_id;
    std::string aaguid; ///< 16 bytes
    int64_t kty = 2;    ///< EC2
    int64_t alg = -7;   ///< ES256
    int64_t crv = 1;    ///< P-256
    std::string x, y;   ///< the public point's coordinates
};

/// The relying party: its id (DOMAIN_NAME's host) and whether any origin is accepted (Zou's
/// development setting, DOMAIN_NAME=localhost:8080).
struct RelyingParty {
    std::string id;
    bool any_origin = false;
};

std::string base64url_encode(std::string_view bytes);
/// Throws bad_request on text that is not base64url (padding accepted).
std::string base64url_decode(std::string_view text);

/// PublicKeyCredentialCreationOptions as python-fido2 writes them for Zou's register_begin.
std::string creation_options_json(const RelyingParty& rp, const std::string& user_id, const std::string& user_name,
                                  const std::string& display_name, const std::string& challenge,
                                  const std::vector<WebAuthnCredential>& existing);

/// PublicKeyCredentialRequestOptions for authenticate_begin.
std::string request_options_json(const RelyingParty& rp, const std::string& challenge,
                                 const std::vector<WebAuthnCredential>& allowed);

/// Checks a registration response ({"id", "rawId", "response": {"clientDataJSON",
/// "attestationObject"}, "type"}) against the challenge; answers the new credential. Throws
/// bad_request saying what is wrong.
WebAuthnCredential verify_registration(const RelyingParty& rp, const std::string& challenge,
                                       const Poco::JSON::Object& response);

/// Checks an assertion ({"id", "rawId", "response": {"clientDataJSON", "authenticatorData",
/// "signature", "userHandle"}, "type"}) against the challenge and the person's credentials.
/// Throws bad_request saying what is wrong.
void verify_assertion(const RelyingParty& rp, const std::string& challenge,
                      const std::vector<WebAuthnCredential>& credentials, const Poco::JSON::Object& response);

} // namespace slate::engine::auth
