#pragma once
// api/provider_http.h: Slate asking a service something over HTTP(S): the OIDC provider's
// discovery, keys, tokens and userinfo, a SAML provider's metadata, a chat service's
// notification posts. https checks the certificate against the system's CAs and the host name.

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace slate::api {

class ProviderError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct ProviderAnswer {
    int status = 0;
    std::string body;
};

/// One exchange (15 s time-out). Throws ProviderError when the provider cannot be reached.
ProviderAnswer ask_provider(const std::string& method, const std::string& url,
                            const std::vector<std::pair<std::string, std::string>>& headers,
                            const std::string& body = {});

/// The body of `url` (a GET answered 200), kept per process: discovery documents, key sets,
/// SAML metadata. `refresh` asks again (a rotated key, metadata that cannot be used).
std::string provider_document(const std::string& url, bool refresh);

/// `value` percent-encoded for a URL query or a form body.
std::string url_encode(const std::string& value);

} // namespace slate::api
