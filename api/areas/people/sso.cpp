// api/areas/people/sso.cpp: single sign-on, as Zou's auth blueprint does it. OpenID Connect: the
// authorisation code flow with PKCE, nonce and state, the ID token checked against the
// provider's keys. SAML 2.0: an AuthnRequest by HTTP-Redirect, the signed assertion posted
// back (api/saml_sp.h). Both sign the person in and send them home with token cookies.

#include "api/areas/areas.h"
#include "api/areas/people/token_cookies.h"
#include "api/body_fields.h"
#include "api/oidc_client.h"
#include "api/saml_sp.h"

#include "engine/auth/jose.h"
#include "engine/auth/jwt.h"
#include "engine/auth/password.h"
#include "engine/auth/webauthn.h"
#include "engine/config.h"
#include "engine/json.h"
#include "engine/log.h"
#include "engine/mail.h"
#include "engine/people/auth_service.h"

#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>

namespace slate::api {
namespace {

constexpr const char* state_cookie = "slate_oidc_state";
constexpr int64_t state_lifetime = 3600; // as Authlib's
constexpr int64_t clock_leeway = 120;    // seconds of clock skew an ID token may have, as Authlib

Reply not_enabled(const char* protocol) {
    return json_reply(400, std::string(R"({"error":")") + protocol + R"( is not enabled."})");
}

Reply sso_error(int status, const std::string& message) {
    engine::JsonWriter body;
    body.begin_object().field("error", message).end_object();
    return json_reply(status, body.take());
}

/// Werkzeug's redirect: 302 with its small HTML page.
Reply redirect(const std::string& location) {
    Reply reply;
    reply.status = 302;
    reply.content_type = "text/html; charset=utf-8";
    reply.headers.emplace_back("Location", location);
    const std::string escaped = engine::html_escape(location);
    reply.body = "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n"
                 "<p>You should be redirected automatically to the target URL: <a href=\"" +
                 escaped + "\">" + escaped + "</a>. If not, click the link.\n";
    return reply;
}

std::string home(const engine::Config& config) {
    return config.domain_protocol + "://" + config.domain_name;
}

std::string callback_uri(const engine::Config& config) {
    return home(config) + "/api/auth/oidc/callback";
}

/// Zou's token cookies after a sign-on last a year, whatever the tokens' lifetimes.
constexpr int64_t sign_on_cookie_age = 31540000;

/// GET /auth/oidc/login: to the provider's authorisation endpoint, with the state, nonce and
/// PKCE verifier kept in a signed cookie for the callback.
Reply oidc_login(Request&, Services& services) {
    const auto& config = services.config;
    if (!config.oidc_enabled)
        return not_enabled("OIDC");
    oidc::ProviderMetadata provider;
    try {
        provider = oidc::discover(config.oidc.discovery_url);
    } catch (const ProviderError& e) {
        log::error(std::string("OIDC discovery failed: ") + e.what());
        return sso_error(503, "The identity provider cannot be reached.");
    }
    const std::string state = engine::auth::random_code(30);
    const std::string nonce = engine::auth::random_code(20);
    const std::string verifier = engine::auth::random_code(48);
    engine::JsonWriter kept;
    kept.begin_object()
        .field("state", state)
        .field("nonce", nonce)
        .field("verifier", verifier)
        .field("exp", engine::auth::unix_now() + state_lifetime)
        .end_object();
    const std::string cookie = engine::auth::sign_value(engine::auth::base64url_encode(kept.take()), config.secret_key);
    std::string location = provider.authorization_endpoint;
    location += location.find('?') == std::string::npos ? '?' : '&';
    location += "response_type=code&client_id=" + url_encode(config.oidc.client_id) +
                "&redirect_uri=" + url_encode(callback_uri(config)) + "&scope=" + url_encode(config.oidc.scopes) +
                "&state=" + state;
    if (config.oidc.scopes.find("openid") != std::string::npos)
        location += "&nonce=" + nonce;
    location += "&code_challenge=" + engine::auth::pkce_challenge(verifier) + "&code_challenge_method=S256";
    Reply reply = redirect(location);
    reply.set_cookies.push_back(token_cookie(config, state_cookie, cookie, "/", state_lifetime));
    return reply;
}

struct Failed : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// The checked claims of the ID token: signature by the provider's keys (fetched again once
/// for an unknown key), issuer, audience, expiry, issue time and nonce.
Poco::JSON::Object::Ptr id_token_claims(const oidc::ProviderMetadata& provider, const engine::Config::Oidc& client,
                                        const std::string& id_token, const std::string& nonce) {
    const auto header = engine::auth::jws_header(id_token);
    const std::string kid = header->has("kid") ? header->get("kid").toString() : "";
    auto keys = oidc::signing_keys(provider.jwks_uri, false);
    if (!kid.empty() && !engine::auth::jwks_has_key(*keys, kid))
        keys = oidc::signing_keys(provider.jwks_uri, true);
    const auto claims = engine::auth::verify_jws(id_token, *keys);
    auto text = [&](const char* name) { return claims->has(name) ? claims->get(name).toString() : std::string(); };
    if (text("iss") != provider.issuer)
        throw Failed("the ID token's issuer is " + text("iss"));
    bool audience = false;
    if (const auto list = claims->getArray("aud")) {
        for (unsigned i = 0; i < list->size(); ++i)
            audience = audience || list->get(i).toString() == client.client_id;
    } else {
        audience = text("aud") == client.client_id;
    }
    if (!audience)
        throw Failed("the ID token is not for this client");
    const int64_t now = engine::auth::unix_now();
    auto number = [&](const char* name) -> int64_t {
        if (!claims->has(name) || !claims->get(name).isNumeric())
            throw Failed(std::string("the ID token has no ") + name);
        return claims->get(name).convert<int64_t>();
    };
    if (number("exp") + clock_leeway < now)
        throw Failed("the ID token has expired");
    if (number("iat") - clock_leeway > now)
        throw Failed("the ID token was issued in the future");
    if (text("nonce") != nonce)
        throw Failed("the ID token's nonce is not ours");
    return claims;
}

std::optional<std::string> claim_text(const Poco::JSON::Object& claims, const std::string& name) {
    if (!claims.has(name) || !claims.get(name).isString())
        return std::nullopt;
    const std::string value = claims.getValue<std::string>(name);
    return value.empty() ? std::nullopt : std::optional<std::string>(value);
}

/// GET /auth/oidc/callback: the code exchanged, the ID token checked, the person signed in
/// (created on first sign-in), then home with the token cookies.
Reply oidc_callback(Request& request, Services& services) {
    const auto& config = services.config;
    if (!config.oidc_enabled)
        return not_enabled("OIDC");
    oidc::ProviderMetadata provider;
    Poco::JSON::Object::Ptr claims = new Poco::JSON::Object;
    std::string access_token;
    try {
        if (request.query_value("error"))
            throw Failed("the provider refused: " + request.query_value("error").value_or("") + " " +
                         request.query_value("error_description").value_or(""));
        const auto cookie = request.cookies.find(state_cookie);
        const auto kept = cookie == request.cookies.end()
                              ? std::nullopt
                              : engine::auth::signed_value(cookie->second, config.secret_key);
        if (!kept)
            throw Failed("no sign-in was started from this browser");
        const auto state =
            Poco::JSON::Parser().parse(engine::auth::base64url_decode(*kept)).extract<Poco::JSON::Object::Ptr>();
        if (request.query_value("state").value_or("") != state->getValue<std::string>("state") ||
            state->getValue<int64_t>("exp") < engine::auth::unix_now())
            throw Failed("the sign-in state does not match");
        const auto code = request.query_value("code");
        if (!code || code->empty())
            throw Failed("the provider gave no code");
        provider = oidc::discover(config.oidc.discovery_url);
        const auto token = oidc::exchange_code(provider, config.oidc, *code, callback_uri(config),
                                               state->getValue<std::string>("verifier"));
        access_token = token->has("access_token") ? token->get("access_token").toString() : "";
        if (token->has("id_token"))
            claims = id_token_claims(provider, config.oidc, token->get("id_token").toString(),
                                     state->getValue<std::string>("nonce"));
    } catch (const std::exception& e) {
        log::warning(std::string("OIDC token exchange failed: ") + e.what());
        return sso_error(400, "OIDC authentication failed.");
    }
    const auto email = claim_text(*claims, config.oidc.email_claim);
    if (!email)
        return sso_error(400, "No email claim returned by the provider.");
    const bool verified_true = claims->has("email_verified") && claims->get("email_verified").isBoolean() &&
                               claims->getValue<bool>("email_verified");
    const bool verified_false = claims->has("email_verified") && claims->get("email_verified").isBoolean() &&
                                !claims->getValue<bool>("email_verified");
    if (config.oidc.require_email_verified ? !verified_true : verified_false)
        return sso_error(400, "Email address is not verified.");
    engine::services::ExternalIdentity identity;
    identity.email = *email;
    identity.first_name = claim_text(*claims, config.oidc.given_name_claim);
    identity.last_name = claim_text(*claims, config.oidc.family_name_claim);
    if (!identity.first_name && !identity.last_name && !access_token.empty()) {
        // No names in the ID token: the userinfo endpoint's, the ID token's claims winning.
        try {
            const auto extra = oidc::userinfo(provider, access_token);
            identity.first_name = claim_text(*extra, config.oidc.given_name_claim);
            identity.last_name = claim_text(*extra, config.oidc.family_name_claim);
        } catch (const std::exception& e) {
            log::warning(std::string("OIDC userinfo fetch failed; proceeding without it: ") + e.what());
        }
    }
    const auto signed_in = services.auth.sign_in_external(identity, request.client_address, config.oidc.skip_2fa);
    Reply reply = redirect(home(config));
    reply.set_cookies.push_back(expired_cookie(state_cookie, "/"));
    if (signed_in.active)
        add_token_cookies(reply, config, signed_in.access_token, signed_in.refresh_token, sign_on_cookie_age,
                          sign_on_cookie_age);
    return reply;
}

saml::ServiceProvider service_provider(const engine::Config& config) {
    return {home(config) + "/api/auth/saml/login", home(config) + "/api/auth/saml/sso"};
}

/// GET /auth/saml/login: to the identity provider with an AuthnRequest (HTTP-Redirect).
Reply saml_login(Request&, Services& services) {
    const auto& config = services.config;
    if (!config.saml_enabled)
        return not_enabled("SAML");
    try {
        const auto request_url = [&](bool refresh) {
            return saml::authn_request_url(service_provider(config),
                                           provider_document(config.saml_metadata_url, refresh));
        };
        try {
            return redirect(request_url(false));
        } catch (const saml::SamlError&) {
            return redirect(request_url(true)); // metadata it cannot use: fetched again, as Zou
        }
    } catch (const std::exception& e) {
        log::error(std::string("SAML sign-in cannot start: ") + e.what());
        return sso_error(503, "The identity provider cannot be used.");
    }
}

/// POST /auth/saml/sso: the identity provider's signed assertion; its NameID is the e-mail,
/// first_name and last_name attributes the names (several values joined by a space), as Zou
/// reads phone, country, studio_id and departments (ids) too.
Reply saml_acs(Request& request, Services& services) {
    const auto& config = services.config;
    if (!config.saml_enabled)
        return not_enabled("SAML");
    BodyFields body(request);
    const auto response = body.optional_text("SAMLResponse");
    if (!response || response->empty())
        return error_reply(400, "The browser (or proxy) sent a request that this server could not understand.");
    saml::Assertion assertion;
    try {
        assertion = saml::consume_response(service_provider(config), provider_document(config.saml_metadata_url, false),
                                           *response);
    } catch (const std::exception& e) {
        log::warning(std::string("SAML response refused: ") + e.what());
        return sso_error(400, "SAML authentication failed.");
    }
    auto joined = [&](const char* name) -> std::optional<std::string> {
        const auto found = assertion.attributes.find(name);
        if (found == assertion.attributes.end() || found->second.empty())
            return std::nullopt;
        std::string text;
        for (const auto& value : found->second)
            text += (text.empty() ? "" : " ") + value;
        return text;
    };
    engine::services::ExternalIdentity identity;
    identity.email = assertion.name_id;
    identity.first_name = joined("first_name");
    identity.last_name = joined("last_name");
    auto first = [&](const char* name) -> std::optional<std::string> {
        const auto found = assertion.attributes.find(name);
        return found == assertion.attributes.end() || found->second.empty() ? std::nullopt
                                                                            : std::optional(found->second.front());
    };
    identity.phone = first("phone");
    identity.studio_id = first("studio_id");
    if (const auto found = assertion.attributes.find("country"); found != assertion.attributes.end())
        identity.country = joined("country").value_or("");
    if (const auto found = assertion.attributes.find("departments"); found != assertion.attributes.end())
        identity.department_ids = found->second;
    const auto signed_in = services.auth.sign_in_external(identity, request.client_address, config.saml_skip_2fa);
    Reply reply = redirect(home(config));
    if (signed_in.active)
        add_token_cookies(reply, config, signed_in.access_token, signed_in.refresh_token, sign_on_cookie_age,
                          sign_on_cookie_age);
    return reply;
}

} // namespace

RouteList sso_routes() {
    return {
        {Method::get, "/auth/oidc/login", Access::open, oidc_login},
        {Method::get, "/auth/oidc/callback", Access::open, oidc_callback},
        {Method::get, "/auth/saml/login", Access::open, saml_login},
        {Method::post, "/auth/saml/sso", Access::open, saml_acs},
    };
}

} // namespace slate::api
