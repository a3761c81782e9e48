#include "engine/auth/jwt.h"

#include "engine/error.h"
#include "engine/json.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Parser.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <chrono>
#include <sstream>

namespace slate::engine::auth {
namespace {

std::string base64url(std::string_view data) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
    encoder.rdbuf()->setLineLength(0);
    encoder.write(data.data(), static_cast<std::streamsize>(data.size()));
    encoder.close();
    return out.str();
}

/// Decodes base64url with or without padding; nullopt when it is not base64url.
std::optional<std::string> unbase64url(std::string_view text) {
    for (char c : text)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '=')
            return std::nullopt;
    if (text.size() % 4 == 1)
        return std::nullopt;
    try {
        std::istringstream in{std::string(text)};
        Poco::Base64Decoder decoder(in, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
        std::string decoded((std::istreambuf_iterator<char>(decoder)), std::istreambuf_iterator<char>());
        return decoded;
    } catch (const Poco::Exception&) {
        return std::nullopt;
    }
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
         data.size(), digest, &length);
    return std::string(reinterpret_cast<const char*>(digest), length);
}

[[noreturn]] void reject(const std::string& msg) {
    JsonWriter body;
    body.begin_object().field("msg", msg).end_object();
    throw Error(ErrorKind::unprocessable, msg, body.take());
}

Poco::JSON::Object::Ptr parse_segment(const std::string& json, const char* what) {
    try {
        Poco::JSON::Parser parser;
        auto parsed = parser.parse(json);
        if (parsed.type() == typeid(Poco::JSON::Object::Ptr))
            return parsed.extract<Poco::JSON::Object::Ptr>();
    } catch (const Poco::Exception&) {
    }
    reject(std::string("Invalid ") + what + " string: must be a json object");
}

int64_t integer_claim(const Poco::JSON::Object& payload, const char* name, bool& present) {
    present = payload.has(name) && !payload.isNull(name);
    if (!present)
        return 0;
    const auto value = payload.get(name);
    if (!value.isNumeric())
        reject(std::string(name == std::string("exp") ? "Expiration Time" : "Issued At") + " claim (" + name +
               ") must be an integer.");
    return value.convert<int64_t>();
}

} // namespace

int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string encode_token(const TokenClaims& claims, const std::string& secret) {
    JsonWriter payload;
    payload.begin_object()
        .field("fresh", claims.fresh)
        .field("iat", claims.iat)
        .field("jti", claims.jti)
        .field("type", claims.type)
        .field("sub", claims.sub)
        .field("nbf", claims.nbf);
    if (claims.exp != 0) // API tokens of bots without an expiration date never expire
        payload.field("exp", claims.exp);
    payload.field("identity_type", claims.identity_type);
    if (!claims.refresh_jti.empty())
        payload.field("refresh_jti", claims.refresh_jti);
    if (claims.requires_2fa_setup)
        payload.field("requires_2fa_setup", true);
    payload.end_object();
    const std::string signing_input = base64url(R"({"alg":"HS256","typ":"JWT"})") + "." + base64url(payload.text());
    return signing_input + "." + base64url(hmac_sha256(secret, signing_input));
}

TokenClaims decode_token(const std::string& token, const std::string& secret, int64_t now) {
    const auto first_dot = token.find('.');
    const auto last_dot = token.rfind('.');
    if (first_dot == std::string::npos || first_dot == last_dot)
        reject("Not enough segments");
    const std::string header_part = token.substr(0, first_dot);
    const std::string payload_part = token.substr(first_dot + 1, last_dot - first_dot - 1);
    const std::string signature_part = token.substr(last_dot + 1);

    const auto header_json = unbase64url(header_part);
    if (!header_json)
        reject("Invalid header padding");
    const auto header = parse_segment(*header_json, "header");
    // Only HS256: "none" and every other algorithm are refused before any signature check.
    if (!header->has("alg") || !header->get("alg").isString() || header->getValue<std::string>("alg") != "HS256")
        reject("The specified alg value is not allowed");

    const auto payload_json = unbase64url(payload_part);
    if (!payload_json)
        reject("Invalid payload padding");
    const auto signature = unbase64url(signature_part);
    if (!signature)
        reject("Invalid crypto padding");
    const std::string expected = hmac_sha256(secret, header_part + "." + payload_part);
    if (signature->size() != expected.size() || CRYPTO_memcmp(signature->data(), expected.data(), expected.size()) != 0)
        reject("Signature verification failed");

    const auto payload = parse_segment(*payload_json, "payload");
    TokenClaims claims;
    bool present = false;
    claims.exp = integer_claim(*payload, "exp", present);
    if (present && claims.exp <= now)
        throw Error(ErrorKind::unauthorized, "Signature has expired");
    claims.nbf = integer_claim(*payload, "nbf", present);
    if (present && claims.nbf > now)
        reject("The token is not yet valid (nbf)");
    claims.iat = integer_claim(*payload, "iat", present);
    auto text = [&](const char* name) {
        return payload->has(name) && payload->get(name).isString() ? payload->getValue<std::string>(name)
                                                                   : std::string();
    };
    claims.sub = text("sub");
    claims.jti = text("jti");
    claims.type = text("type");
    claims.identity_type = text("identity_type");
    claims.refresh_jti = text("refresh_jti");
    claims.fresh = payload->has("fresh") && payload->get("fresh").isBoolean() && payload->getValue<bool>("fresh");
    claims.requires_2fa_setup = payload->has("requires_2fa_setup") && payload->get("requires_2fa_setup").isBoolean() &&
                                payload->getValue<bool>("requires_2fa_setup");
    return claims;
}

std::string sign_value(const std::string& value, const std::string& secret) {
    return value + "." + base64url(hmac_sha256(secret, value));
}

std::optional<std::string> signed_value(const std::string& text, const std::string& secret) {
    const size_t dot = text.rfind('.');
    if (dot == std::string::npos)
        return std::nullopt;
    const std::string value = text.substr(0, dot);
    const auto signature = unbase64url(std::string_view(text).substr(dot + 1));
    const std::string expected = hmac_sha256(secret, value);
    if (!signature || signature->size() != expected.size() ||
        CRYPTO_memcmp(signature->data(), expected.data(), expected.size()) != 0)
        return std::nullopt;
    return value;
}

} // namespace slate::engine::auth
