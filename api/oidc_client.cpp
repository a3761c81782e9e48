#include "api/oidc_client.h"
#include "api/provider_http.h"

#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>

#include <sstream>

namespace slate::api::oidc {
namespace {

Poco::JSON::Object::Ptr json_object(const std::string& body, const std::string& what) {
    try {
        if (const auto object = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>())
            return object;
    } catch (const std::exception&) {
    }
    throw ProviderError(what + " answered no JSON object");
}

Poco::JSON::Object::Ptr json_object(const ProviderAnswer& answer, const std::string& what) {
    if (answer.status != 200)
        throw ProviderError(what + " answered " + std::to_string(answer.status) + ": " + answer.body.substr(0, 300));
    return json_object(answer.body, what);
}

std::string text(const Poco::JSON::Object& object, const std::string& name) {
    return object.has(name) && object.get(name).isString() ? object.getValue<std::string>(name) : std::string();
}

std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields) {
    std::string out;
    for (const auto& [name, value] : fields)
        out += (out.empty() ? "" : "&") + name + "=" + url_encode(value);
    return out;
}

std::string base64(const std::string& bytes) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(0);
    encoder << bytes;
    encoder.close();
    return out.str();
}

} // namespace

ProviderMetadata discover(const std::string& discovery_url) {
    auto read = [&](bool refresh) {
        const auto document = json_object(provider_document(discovery_url, refresh), "the discovery document");
        ProviderMetadata metadata{text(*document, "issuer"), text(*document, "authorization_endpoint"),
                                  text(*document, "token_endpoint"), text(*document, "jwks_uri"),
                                  text(*document, "userinfo_endpoint")};
        if (metadata.issuer.empty() || metadata.authorization_endpoint.empty() || metadata.token_endpoint.empty() ||
            metadata.jwks_uri.empty())
            throw ProviderError("the discovery document lacks issuer, endpoints or jwks_uri");
        return metadata;
    };
    try {
        return read(false);
    } catch (const ProviderError&) {
        return read(true); // the kept document may be one the provider has since mended
    }
}

Poco::JSON::Array::Ptr signing_keys(const std::string& jwks_uri, bool refresh) {
    const auto keys = json_object(provider_document(jwks_uri, refresh), "the key set")->getArray("keys");
    if (!keys)
        throw ProviderError("the key set has no keys");
    return keys;
}

Poco::JSON::Object::Ptr exchange_code(const ProviderMetadata& provider, const engine::Config::Oidc& client,
                                      const std::string& code, const std::string& redirect_uri,
                                      const std::string& code_verifier) {
    // client_secret_basic: the id and secret form-encoded, then base64 (RFC 6749 §2.3.1).
    const std::string credentials = url_encode(client.client_id) + ":" + url_encode(client.client_secret);
    const std::string body = form_encode({{"grant_type", "authorization_code"},
                                          {"code", code},
                                          {"redirect_uri", redirect_uri},
                                          {"code_verifier", code_verifier}});
    return json_object(ask_provider("POST", provider.token_endpoint,
                                    {{"Authorization", "Basic " + base64(credentials)},
                                     {"Content-Type", "application/x-www-form-urlencoded"}},
                                    body),
                       "the token endpoint");
}

Poco::JSON::Object::Ptr userinfo(const ProviderMetadata& provider, const std::string& access_token) {
    if (provider.userinfo_endpoint.empty())
        throw ProviderError("the provider has no userinfo endpoint");
    return json_object(ask_provider("GET", provider.userinfo_endpoint, {{"Authorization", "Bearer " + access_token}}),
                       "the userinfo endpoint");
}

} // namespace slate::api::oidc
