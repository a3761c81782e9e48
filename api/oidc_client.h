#pragma once
// api/oidc_client.h: what Slate asks an OpenID Connect provider (OIDC_DISCOVERY_URL): its
// discovery document and signing keys (kept per process), the exchange of an authorisation
// code for tokens (client_secret_basic, PKCE), the userinfo of an access token. Over http or
// https (the system's CAs, with host name checks).

#include "api/provider_http.h"
#include "engine/config.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <stdexcept>
#include <string>

namespace slate::api::oidc {

struct ProviderMetadata {
    std::string issuer;
    std::string authorization_endpoint;
    std::string token_endpoint;
    std::string jwks_uri;
    std::string userinfo_endpoint;
};

/// The discovery document at `discovery_url` (kept per process, provider_document()).
ProviderMetadata discover(const std::string& discovery_url);

/// The provider's signing keys ("keys" of the JWKS); `refresh` fetches them again (a key the
/// provider rotated in).
Poco::JSON::Array::Ptr signing_keys(const std::string& jwks_uri, bool refresh);

/// The token endpoint's answer to an authorization_code grant.
Poco::JSON::Object::Ptr exchange_code(const ProviderMetadata& provider, const engine::Config::Oidc& client,
                                      const std::string& code, const std::string& redirect_uri,
                                      const std::string& code_verifier);

/// The userinfo endpoint's claims for an access token.
Poco::JSON::Object::Ptr userinfo(const ProviderMetadata& provider, const std::string& access_token);

} // namespace slate::api::oidc
