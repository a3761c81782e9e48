#pragma once
// tests/support/oidc_provider.h: a real OpenID Connect provider on a free port of 127.0.0.1
// for the sign-in tests: discovery, an authorisation step the test plays as the browser,
// a token endpoint checking client credentials, redirect URI and PKCE, ID tokens signed
// RS256 with an OpenSSL key published in its JWKS, and userinfo.

#include <Poco/JSON/Object.h>

#include <memory>
#include <string>

namespace slate::test {

class OidcProvider {
public:
    OidcProvider(std::string client_id, std::string client_secret);
    ~OidcProvider();
    OidcProvider(const OidcProvider&) = delete;
    OidcProvider& operator=(const OidcProvider&) = delete;

    std::string issuer() const;
    std::string discovery_url() const;

    /// The browser's visit to the authorisation URL Slate redirected to: checks its
    /// parameters and answers the query string of the redirect back ("code=…&state=…").
    /// The ID token of that code carries `claims` plus iss, aud, iat, exp and nonce (unless
    /// `claims` sets them).
    std::string authorize(const std::string& authorization_url, Poco::JSON::Object::Ptr claims);

    /// The claims the userinfo endpoint answers.
    void set_userinfo(Poco::JSON::Object::Ptr claims);
    /// A new signing key with a new kid (the old one leaves the JWKS).
    void rotate_key();
    /// The next ID token is signed with a key that is not in the JWKS.
    void sign_next_with_stranger_key();

    struct Impl;

private:
    std::unique_ptr<Impl> m_impl;
};

} // namespace slate::test
