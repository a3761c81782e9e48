#pragma once
// tests/support/soft_authenticator.h: a FIDO2 authenticator in software, as a browser and a
// security key answer WebAuthn ceremonies: a P-256 key made with OpenSSL, real CBOR/COSE
// attestation objects ("none" attestation) and real ES256 assertions.

#include <memory>
#include <string>

namespace slate::test {

class SoftAuthenticator {
public:
    SoftAuthenticator();
    ~SoftAuthenticator();

    /// The registration response ({"id", "rawId", "response": {"clientDataJSON",
    /// "attestationObject"}, "type"}) to creation options whose challenge is `challenge`
    /// (base64url, as the options carry it).
    std::string register_json(const std::string& rp_id, const std::string& origin, const std::string& challenge) const;

    /// The assertion to request options with that challenge. `tamper` flips a bit of the
    /// signature.
    std::string assert_json(const std::string& rp_id, const std::string& origin, const std::string& challenge,
                            bool tamper = false) const;

    const std::string& credential_id() const { return m_credential_id; }

private:
    struct Key;
    std::unique_ptr<Key> m_key;
    std::string m_credential_id;
};

} // namespace slate::test
