#pragma once
// api/saml_sp.h: Slate as a SAML 2.0 service provider, with Entr'ouvert's lasso (Debian's
// liblasso3), configured as Zou configures pysaml2: entity id <home>/api/auth/saml/login,
// assertion consumer <home>/api/auth/saml/sso (HTTP-POST), unsigned AuthnRequests sent with
// the HTTP-Redirect binding, assertions that must be signed by the identity provider's key
// from its metadata, unsolicited responses accepted.

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace slate::api::saml {

class SamlError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct ServiceProvider {
    std::string entity_id; ///< <DOMAIN_PROTOCOL>://<DOMAIN_NAME>/api/auth/saml/login
    std::string acs_url;   ///< <DOMAIN_PROTOCOL>://<DOMAIN_NAME>/api/auth/saml/sso
};

/// The service provider's metadata document.
std::string metadata_xml(const ServiceProvider& sp);

/// The identity provider's single sign-on URL carrying a new AuthnRequest (HTTP-Redirect).
/// Throws SamlError when the provider's metadata cannot be used.
std::string authn_request_url(const ServiceProvider& sp, const std::string& idp_metadata);

/// What a checked assertion says.
struct Assertion {
    std::string name_id;                                        ///< Zou takes it as the e-mail address
    std::map<std::string, std::vector<std::string>> attributes; ///< by literal attribute name
};

/// Checks a SAMLResponse (the base64 form value of the HTTP-POST binding): issuer, signature
/// by the provider's key, audience, destination, validity window, status. Throws SamlError.
Assertion consume_response(const ServiceProvider& sp, const std::string& idp_metadata,
                           const std::string& saml_response);

} // namespace slate::api::saml
