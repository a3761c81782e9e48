#include "support/oidc_provider.h"

#include "engine/auth/jose.h"
#include "engine/auth/webauthn.h"

#include <Poco/Base64Decoder.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <ctime>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <stdexcept>

namespace slate::test {
namespace {

using KeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

KeyPtr new_rsa_key() {
    EVP_PKEY* key = EVP_RSA_gen(2048);
    if (!key)
        throw std::runtime_error("RSA key generation failed");
    return {key, EVP_PKEY_free};
}

std::string big_number(EVP_PKEY* key, const char* name) {
    BIGNUM* number = nullptr;
    EVP_PKEY_get_bn_param(key, name, &number);
    std::string bytes(static_cast<size_t>(BN_num_bytes(number)), '\0');
    BN_bn2bin(number, reinterpret_cast<unsigned char*>(bytes.data()));
    BN_free(number);
    return bytes;
}

std::string rs256(EVP_PKEY* key, const std::string& input) {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    size_t length = 0;
    EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, key);
    EVP_DigestSign(context.get(), nullptr, &length, reinterpret_cast<const unsigned char*>(input.data()), input.size());
    std::string signature(length, '\0');
    EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                   reinterpret_cast<const unsigned char*>(input.data()), input.size());
    signature.resize(length);
    return signature;
}

std::string stringify(const Poco::JSON::Object& object) {
    std::ostringstream out;
    object.stringify(out);
    return out.str();
}

std::string random_text(size_t length) {
    static std::mt19937_64 random{std::random_device{}()};
    static const char letters[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    std::string out;
    for (size_t i = 0; i < length; ++i)
        out.push_back(letters[random() % (sizeof letters - 1)]);
    return out;
}

} // namespace

struct OidcProvider::Impl {
    std::string client_id, client_secret;
    KeyPtr key{nullptr, EVP_PKEY_free};
    std::string kid;
    bool stranger_next = false;
    struct Grant {
        std::string redirect_uri, challenge, nonce;
        Poco::JSON::Object::Ptr claims;
    };
    std::map<std::string, Grant> grants;                   ///< by code, until used
    std::map<std::string, Poco::JSON::Object::Ptr> tokens; ///< access token → userinfo
    Poco::JSON::Object::Ptr userinfo = new Poco::JSON::Object;
    std::mutex mutex;
    std::unique_ptr<Poco::Net::HTTPServer> server;
    int port = 0;

    std::string issuer() const { return "http://127.0.0.1:" + std::to_string(port); }

    std::string id_token(const Grant& grant) {
        Poco::JSON::Object payload(*grant.claims);
        const int64_t now = std::time(nullptr);
        auto set_default = [&](const std::string& name, const Poco::Dynamic::Var& value) {
            if (!payload.has(name))
                payload.set(name, value);
        };
        set_default("iss", issuer());
        set_default("aud", client_id);
        set_default("iat", now);
        set_default("exp", now + 300);
        set_default("nonce", grant.nonce);
        Poco::JSON::Object header;
        header.set("alg", "RS256");
        header.set("typ", "JWT");
        header.set("kid", kid);
        const std::string input = engine::auth::base64url_encode(stringify(header)) + "." +
                                  engine::auth::base64url_encode(stringify(payload));
        KeyPtr stranger = stranger_next ? new_rsa_key() : KeyPtr(nullptr, EVP_PKEY_free);
        stranger_next = false;
        return input + "." + engine::auth::base64url_encode(rs256(stranger ? stranger.get() : key.get(), input));
    }

    std::string jwks() {
        Poco::JSON::Object jwk;
        jwk.set("kty", "RSA");
        jwk.set("use", "sig");
        jwk.set("alg", "RS256");
        jwk.set("kid", kid);
        jwk.set("n", engine::auth::base64url_encode(big_number(key.get(), OSSL_PKEY_PARAM_RSA_N)));
        jwk.set("e", engine::auth::base64url_encode(big_number(key.get(), OSSL_PKEY_PARAM_RSA_E)));
        Poco::JSON::Array::Ptr keys = new Poco::JSON::Array;
        keys->add(jwk);
        Poco::JSON::Object set;
        set.set("keys", keys);
        return stringify(set);
    }

    /// Answers one request to the provider: status and JSON body.
    std::pair<int, std::string> answer(Poco::Net::HTTPServerRequest& request) {
        const Poco::URI uri(request.getURI());
        const std::string path = uri.getPath();
        std::lock_guard lock(mutex);
        if (path == "/.well-known/openid-configuration") {
            Poco::JSON::Object document;
            document.set("issuer", issuer());
            document.set("authorization_endpoint", issuer() + "/authorize");
            document.set("token_endpoint", issuer() + "/token");
            document.set("jwks_uri", issuer() + "/jwks");
            document.set("userinfo_endpoint", issuer() + "/userinfo");
            return {200, stringify(document)};
        }
        if (path == "/jwks")
            return {200, jwks()};
        if (path == "/userinfo") {
            const std::string bearer = request.get("Authorization", "");
            if (bearer.rfind("Bearer ", 0) != 0 || !tokens.count(bearer.substr(7)))
                return {401, R"({"error":"invalid_token"})"};
            return {200, stringify(*userinfo)};
        }
        if (path == "/token" && request.getMethod() == "POST") {
            std::string credentials;
            const std::string basic = request.get("Authorization", "");
            if (basic.rfind("Basic ", 0) == 0) {
                std::istringstream in(basic.substr(6));
                Poco::Base64Decoder decoder(in);
                Poco::StreamCopier::copyToString(decoder, credentials);
            }
            // RFC 6749 §2.3.1: the id and secret are form-encoded before base64.
            const size_t colon = credentials.find(':');
            std::string id, secret;
            if (colon != std::string::npos) {
                Poco::URI::decode(credentials.substr(0, colon), id);
                Poco::URI::decode(credentials.substr(colon + 1), secret);
            }
            if (id != client_id || secret != client_secret)
                return {401, R"({"error":"invalid_client"})"};
            Poco::Net::HTMLForm form(request, request.stream());
            const auto grant = grants.find(form.get("code", ""));
            if (form.get("grant_type", "") != "authorization_code" || grant == grants.end())
                return {400, R"({"error":"invalid_grant"})"};
            const Grant used = grant->second;
            grants.erase(grant); // a code is good once
            if (form.get("redirect_uri", "") != used.redirect_uri ||
                engine::auth::pkce_challenge(form.get("code_verifier", "")) != used.challenge)
                return {400, R"({"error":"invalid_grant"})"};
            const std::string access = random_text(32);
            tokens[access] = userinfo;
            Poco::JSON::Object token;
            token.set("access_token", access);
            token.set("token_type", "Bearer");
            token.set("expires_in", 3600);
            token.set("id_token", id_token(used));
            return {200, stringify(token)};
        }
        return {404, R"({"error":"not_found"})"};
    }
};

namespace {

class Handler : public Poco::Net::HTTPRequestHandler {
public:
    explicit Handler(OidcProvider::Impl& impl) : m_impl(impl) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
        const auto [status, body] = m_impl.answer(request);
        response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
        response.setContentType("application/json");
        response.setContentLength(static_cast<std::streamsize>(body.size()));
        response.send() << body;
    }

private:
    OidcProvider::Impl& m_impl;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit Factory(OidcProvider::Impl& impl) : m_impl(impl) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new Handler(m_impl);
    }

private:
    OidcProvider::Impl& m_impl;
};

} // namespace

OidcProvider::OidcProvider(std::string client_id, std::string client_secret) : m_impl(std::make_unique<Impl>()) {
    m_impl->client_id = std::move(client_id);
    m_impl->client_secret = std::move(client_secret);
    m_impl->key = new_rsa_key();
    m_impl->kid = "key-" + random_text(8);
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    m_impl->port = socket.address().port();
    m_impl->server =
        std::make_unique<Poco::Net::HTTPServer>(new Factory(*m_impl), socket, new Poco::Net::HTTPServerParams);
    m_impl->server->start();
}

OidcProvider::~OidcProvider() {
    m_impl->server->stopAll(true);
}

std::string OidcProvider::issuer() const {
    return m_impl->issuer();
}

std::string OidcProvider::discovery_url() const {
    return m_impl->issuer() + "/.well-known/openid-configuration";
}

std::string OidcProvider::authorize(const std::string& authorization_url, Poco::JSON::Object::Ptr claims) {
    const Poco::URI uri(authorization_url);
    if (uri.getPath() != "/authorize")
        throw std::runtime_error("not this provider's authorisation endpoint: " + authorization_url);
    std::map<std::string, std::string> params;
    for (const auto& [name, value] : uri.getQueryParameters())
        params[name] = value;
    if (params["response_type"] != "code" || params["client_id"] != m_impl->client_id ||
        params["code_challenge_method"] != "S256" || params["code_challenge"].empty() || params["state"].empty())
        throw std::runtime_error("a malformed authorisation request: " + authorization_url);
    const std::string code = random_text(24);
    {
        std::lock_guard lock(m_impl->mutex);
        m_impl->grants[code] = {params["redirect_uri"], params["code_challenge"], params["nonce"], claims};
    }
    return "code=" + code + "&state=" + params["state"];
}

void OidcProvider::set_userinfo(Poco::JSON::Object::Ptr claims) {
    std::lock_guard lock(m_impl->mutex);
    m_impl->userinfo = claims;
}

void OidcProvider::rotate_key() {
    std::lock_guard lock(m_impl->mutex);
    m_impl->key = new_rsa_key();
    m_impl->kid = "key-" + random_text(8);
}

void OidcProvider::sign_next_with_stranger_key() {
    std::lock_guard lock(m_impl->mutex);
    m_impl->stranger_next = true;
}

} // namespace slate::test
