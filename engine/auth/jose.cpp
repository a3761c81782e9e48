#include "engine/auth/jose.h"

#include "engine/auth/webauthn.h"

#include <Poco/JSON/Parser.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include <memory>

namespace slate::engine::auth {
namespace {

using KeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using BignumPtr = std::unique_ptr<BIGNUM, decltype(&BN_free)>;

struct Algorithm {
    const char* name;
    const char* key_type; ///< JWK "kty"
    const EVP_MD* (*digest)();
    bool pss = false;
    int coordinate_bytes = 0; ///< ES*: the size of r and s
};

const Algorithm algorithms[] = {
    {"RS256", "RSA", EVP_sha256},           {"RS384", "RSA", EVP_sha384},
    {"RS512", "RSA", EVP_sha512},           {"PS256", "RSA", EVP_sha256, true},
    {"PS384", "RSA", EVP_sha384, true},     {"PS512", "RSA", EVP_sha512, true},
    {"ES256", "EC", EVP_sha256, false, 32}, {"ES384", "EC", EVP_sha384, false, 48},
    {"ES512", "EC", EVP_sha512, false, 66},
};

std::string text(const Poco::JSON::Object& object, const std::string& name) {
    return object.has(name) && object.get(name).isString() ? object.getValue<std::string>(name) : std::string();
}

Poco::JSON::Object::Ptr parse_part(const std::string& encoded, const char* what) {
    try {
        const auto parsed = Poco::JSON::Parser().parse(base64url_decode(encoded));
        if (const auto object = parsed.extract<Poco::JSON::Object::Ptr>())
            return object;
    } catch (const std::exception&) {
    }
    throw JoseError(std::string("the token's ") + what + " is no JSON object");
}

KeyPtr build_key(const char* type, OSSL_PARAM_BLD* build) {
    std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)> params(OSSL_PARAM_BLD_to_param(build), OSSL_PARAM_free);
    std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> context(
        EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr), EVP_PKEY_CTX_free);
    EVP_PKEY* key = nullptr;
    if (!params || !context || EVP_PKEY_fromdata_init(context.get()) != 1 ||
        EVP_PKEY_fromdata(context.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1)
        throw JoseError(std::string("the ") + type + " key cannot be read");
    return {key, EVP_PKEY_free};
}

KeyPtr public_key(const Poco::JSON::Object& jwk) {
    std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> build(OSSL_PARAM_BLD_new(), OSSL_PARAM_BLD_free);
    if (text(jwk, "kty") == "RSA") {
        const std::string n = base64url_decode(text(jwk, "n")), e = base64url_decode(text(jwk, "e"));
        if (n.empty() || e.empty())
            throw JoseError("the RSA key lacks n or e");
        BignumPtr modulus(BN_bin2bn(reinterpret_cast<const unsigned char*>(n.data()), int(n.size()), nullptr), BN_free);
        BignumPtr exponent(BN_bin2bn(reinterpret_cast<const unsigned char*>(e.data()), int(e.size()), nullptr),
                           BN_free);
        OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_N, modulus.get());
        OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_E, exponent.get());
        return build_key("RSA", build.get());
    }
    const std::string curve = text(jwk, "crv");
    const char* group = curve == "P-256"   ? "prime256v1"
                        : curve == "P-384" ? "secp384r1"
                        : curve == "P-521" ? "secp521r1"
                                           : nullptr;
    if (text(jwk, "kty") != "EC" || !group)
        throw JoseError("the key type " + text(jwk, "kty") + " " + curve + " is not supported");
    std::string point(1, '\x04'); // an uncompressed point: 0x04 || x || y
    point.append(base64url_decode(text(jwk, "x"))).append(base64url_decode(text(jwk, "y")));
    OSSL_PARAM_BLD_push_utf8_string(build.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0);
    OSSL_PARAM_BLD_push_octet_string(build.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size());
    return build_key("EC", build.get());
}

/// A JWS ECDSA signature (r || s) as the DER OpenSSL checks.
std::string der_signature(const std::string& raw, int coordinate_bytes) {
    if (static_cast<int>(raw.size()) != 2 * coordinate_bytes)
        throw JoseError("the ECDSA signature has the wrong length");
    std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)> signature(ECDSA_SIG_new(), ECDSA_SIG_free);
    BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), coordinate_bytes, nullptr);
    BIGNUM* s =
        BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + coordinate_bytes, coordinate_bytes, nullptr);
    ECDSA_SIG_set0(signature.get(), r, s);
    unsigned char* der = nullptr;
    const int length = i2d_ECDSA_SIG(signature.get(), &der);
    if (length <= 0)
        throw JoseError("the ECDSA signature cannot be encoded");
    std::string out(reinterpret_cast<const char*>(der), static_cast<size_t>(length));
    OPENSSL_free(der);
    return out;
}

bool signature_holds(const Algorithm& algorithm, EVP_PKEY* key, const std::string& signed_part,
                     const std::string& signature) {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    EVP_PKEY_CTX* key_context = nullptr;
    if (!context || EVP_DigestVerifyInit(context.get(), &key_context, algorithm.digest(), nullptr, key) != 1)
        return false;
    if (algorithm.pss && (EVP_PKEY_CTX_set_rsa_padding(key_context, RSA_PKCS1_PSS_PADDING) != 1 ||
                          EVP_PKEY_CTX_set_rsa_pss_saltlen(key_context, RSA_PSS_SALTLEN_DIGEST) != 1))
        return false;
    const std::string checked =
        algorithm.coordinate_bytes ? der_signature(signature, algorithm.coordinate_bytes) : signature;
    return EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(checked.data()), checked.size(),
                            reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size()) == 1;
}

} // namespace

Poco::JSON::Object::Ptr jws_header(const std::string& token) {
    const size_t dot = token.find('.');
    if (dot == std::string::npos)
        throw JoseError("the token is no compact JWS");
    return parse_part(token.substr(0, dot), "header");
}

std::string pkce_challenge(const std::string& verifier) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_Digest(verifier.data(), verifier.size(), digest, &length, EVP_sha256(), nullptr);
    return base64url_encode(std::string_view(reinterpret_cast<const char*>(digest), length));
}

bool jwks_has_key(const Poco::JSON::Array& keys, const std::string& kid) {
    for (unsigned i = 0; i < keys.size(); ++i)
        if (const auto key = keys.getObject(i); key && text(*key, "kid") == kid)
            return true;
    return false;
}

Poco::JSON::Object::Ptr verify_jws(const std::string& token, const Poco::JSON::Array& keys) {
    const size_t first = token.find('.');
    const size_t second = first == std::string::npos ? first : token.find('.', first + 1);
    if (second == std::string::npos || token.find('.', second + 1) != std::string::npos)
        throw JoseError("the token is no compact JWS");
    const auto header = parse_part(token.substr(0, first), "header");
    const std::string alg = text(*header, "alg");
    const Algorithm* algorithm = nullptr;
    for (const auto& known : algorithms)
        if (alg == known.name)
            algorithm = &known;
    if (!algorithm)
        throw JoseError("the signature algorithm '" + alg + "' is not accepted");
    const std::string kid = text(*header, "kid");
    const std::string signed_part = token.substr(0, second);
    const std::string signature = base64url_decode(token.substr(second + 1));
    bool tried = false;
    for (unsigned i = 0; i < keys.size(); ++i) {
        const auto jwk = keys.getObject(i);
        if (!jwk || text(*jwk, "kty") != algorithm->key_type || (!kid.empty() && text(*jwk, "kid") != kid))
            continue;
        if (const std::string use = text(*jwk, "use"); !use.empty() && use != "sig")
            continue;
        tried = true;
        const KeyPtr key = public_key(*jwk);
        if (signature_holds(*algorithm, key.get(), signed_part, signature))
            return parse_part(token.substr(first + 1, second - first - 1), "payload");
    }
    throw JoseError(tried ? "the token's signature does not hold" : "no key of the provider signs this token");
}

} // namespace slate::engine::auth
