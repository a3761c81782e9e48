#pragma once
// tests/support/saml_idp.h: a SAML 2.0 identity provider made with lasso for the sign-on
// tests: an RSA key and self-signed certificate made with OpenSSL, its metadata served over
// HTTP on a free port of 127.0.0.1, and the answer to an AuthnRequest — a signed assertion
// of the e-mail and attributes the test chooses, as the browser would post it back.

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace slate::test {

class SamlIdentityProvider {
public:
    /// Knows the service provider of `sp_metadata`.
    explicit SamlIdentityProvider(const std::string& sp_metadata);
    ~SamlIdentityProvider();
    SamlIdentityProvider(const SamlIdentityProvider&) = delete;
    SamlIdentityProvider& operator=(const SamlIdentityProvider&) = delete;

    std::string metadata_url() const;

    struct Options {
        bool sign = true;       ///< false: an unsigned response and assertion
        bool other_key = false; ///< signed by a key that is not in the metadata
        std::string audience;   ///< empty: the service provider's
    };

    /// The base64 SAMLResponse answering the AuthnRequest URL Slate redirected to.
    std::string respond(const std::string& authn_request_url, const std::string& email,
                        const std::map<std::string, std::vector<std::string>>& attributes, const Options& options);

    struct Impl;

private:
    std::unique_ptr<Impl> m_impl;
};

} // namespace slate::test
