#include "api/oidc_client.h"
#include "api/provider_http.h"

#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>

#include <map>
#include <memory>
#include <mutex>
#include <sstream>

namespace slate::api::oidc {
namespace {

Poco::JSON::Object::Ptr json_object(const ProviderAnswer& answer, const std::string& what) {
    if (answer.status != 200)
        throw ProviderError(what + " answered " + std::to_string(answer.status) + ": " + answer.body.substr(0, 300));
    try {
        if (const auto object = Poco::JSON::Parser().parse(answer.body).extract<Poco::JSON::Object::Ptr>())
            return object;
    } catch (const std::exception&) {
    }
    throw ProviderError(what + " answered no JSON object");
}

std::string text(const Poco::JSON::Object& object, const std::string& name) {
    return object.has(name) && object.get(name).isString() ? object.getValue<std::string>(name) : std::string();
}

std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields) {
    std::string out;
    for (const auto& [name, value] : fields) {
        std::string encoded;
        Poco::URI::encode(value, "!#$&'()*+,/:;=?@[]", encoded);
        out += (out.empty() ? "" : "&") + name + "=" + encoded;
    }
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

std::mutex cache_mutex;
std::map<std::string, ProviderMetadata> discovered;
std::map<std::string, Poco::JSON::Array::Ptr> key_sets;

} // namespace

ProviderMetadata discover(const std::string& discovery_url) {
    {
        std::lock_guard lock(cache_mutex);
        if (const auto found = discovered.find(discovery_url); found != discovered.end())
            return found->second;
    }
    const auto document = json_object(ask_provider("GET", discovery_url, {}), "the discovery document");
    ProviderMetadata metadata{text(*document, "issuer"), text(*document, "authorization_endpoint"),
                              text(*document, "token_endpoint"), text(*document, "jwks_uri"),
                              text(*document, "userinfo_endpoint")};
    if (metadata.issuer.empty() || metadata.authorization_endpoint.empty() || metadata.token_endpoint.empty() ||
        metadata.jwks_uri.empty())
        throw ProviderError("the discovery document lacks issuer, endpoints or jwks_uri");
    std::lock_guard lock(cache_mutex);
    discovered[discovery_url] = metadata;
    return metadata;
}

Poco::JSON::Array::Ptr signing_keys(const std::string& jwks_uri, bool refresh) {
    if (!refresh) {
        std::lock_guard lock(cache_mutex);
        if (const auto found = key_sets.find(jwks_uri); found != key_sets.end())
            return found->second;
    }
    const auto document = json_object(ask_provider("GET", jwks_uri, {}), "the key set");
    const auto keys = document->getArray("keys");
    if (!keys)
        throw ProviderError("the key set has no keys");
    std::lock_guard lock(cache_mutex);
    key_sets[jwks_uri] = keys;
    return keys;
}

Poco::JSON::Object::Ptr exchange_code(const ProviderMetadata& provider, const engine::Config::Oidc& client,
                                      const std::string& code, const std::string& redirect_uri,
                                      const std::string& code_verifier) {
    // client_secret_basic: the id and secret form-encoded, then base64 (RFC 6749 §2.3.1).
    const std::string credentials = form_encode({{"a", client.client_id}}).substr(2) + ":" +
                                    form_encode({{"a", client.client_secret}}).substr(2);
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
