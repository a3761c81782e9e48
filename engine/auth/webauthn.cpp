#include "engine/auth/webauthn.h"

#include "engine/auth/cbor.h"
#include "engine/error.h"
#include "engine/json.h"

#include <Poco/JSON/Parser.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/sha.h>

#include <memory>

namespace slate::engine::auth {
namespace {

[[noreturn]] void refuse(const std::string& why) {
    throw_bad_request(why);
}

std::string sha256(std::string_view data) {
    std::string digest(SHA256_DIGEST_LENGTH, '\0');
    SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
           reinterpret_cast<unsigned char*>(digest.data()));
    return digest;
}

std::string member(const Poco::JSON::Object& object, const char* name) {
    if (!object.has(name) || object.isNull(name) || !object.get(name).isString())
        refuse(std::string("The WebAuthn response has no ") + name + ".");
    return object.getValue<std::string>(name);
}

/// The client data a browser signed: its type, challenge and origin are checked.
std::string check_client_data(const RelyingParty& rp, const std::string& client_data_json, const char* type,
                              const std::string& challenge) {
    Poco::JSON::Object::Ptr data;
    try {
        Poco::JSON::Parser parser;
        data = parser.parse(client_data_json).extract<Poco::JSON::Object::Ptr>();
    } catch (const Poco::Exception&) {
        refuse("The WebAuthn client data is not JSON.");
    }
    if (member(*data, "type") != type)
        refuse(std::string("The WebAuthn client data is not of type ") + type + ".");
    const std::string sent = base64url_decode(member(*data, "challenge"));
    if (sent.size() != challenge.size() || CRYPTO_memcmp(sent.data(), challenge.data(), sent.size()) != 0)
        refuse("The WebAuthn challenge does not match.");
    if (!rp.any_origin) {
        // python-fido2's verify_rp_id: https, and the host is the RP id or one of its subdomains.
        const std::string origin = member(*data, "origin");
        const std::string prefix = "https://";
        if (origin.rfind(prefix, 0) != 0)
            refuse("The WebAuthn origin is not allowed.");
        std::string host = origin.substr(prefix.size());
        host = host.substr(0, host.find_first_of(":/"));
        const bool same = host == rp.id;
        const bool sub = host.size() > rp.id.size() &&
                         host.compare(host.size() - rp.id.size(), rp.id.size(), rp.id) == 0 &&
                         host[host.size() - rp.id.size() - 1] == '.';
        if (!same && !sub)
            refuse("The WebAuthn origin is not allowed.");
    }
    return sha256(client_data_json);
}

/// Authenticator data: RP id hash (32), flags (1), sign count (4), then attested data.
void check_authenticator_data(const RelyingParty& rp, std::string_view data) {
    if (data.size() < 37)
        refuse("The WebAuthn authenticator data is too short.");
    const std::string expected = sha256(rp.id);
    if (CRYPTO_memcmp(data.data(), expected.data(), 32) != 0)
        refuse("The WebAuthn RP id hash does not match.");
    if ((static_cast<uint8_t>(data[32]) & 0x01) == 0)
        refuse("The WebAuthn user was not present.");
}

std::string integer_bytes(const CborValue* value, const char* what) {
    if (!value || value->type != CborValue::Type::bytes)
        refuse(std::string("The WebAuthn public key has no ") + what + ".");
    return value->bytes;
}

const char* curve_name(int64_t crv) {
    switch (crv) {
    case 1: return "P-256";
    case 2: return "P-384";
    case 3: return "P-521";
    default: return nullptr;
    }
}

const EVP_MD* digest_of(int64_t alg) {
    switch (alg) {
    case -7: return EVP_sha256();
    case -35: return EVP_sha384();
    case -36: return EVP_sha512();
    default: return nullptr;
    }
}

/// The EC public key of a credential, with leading zero bytes restored (Zou stores the
/// coordinates as integers, which drops them).
std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> public_key(const WebAuthnCredential& credential) {
    const char* curve = curve_name(credential.crv);
    if (credential.kty != 2 || !curve)
        refuse("Only EC2 WebAuthn keys on P-256, P-384 or P-521 are supported.");
    const std::size_t size = credential.crv == 1 ? 32 : credential.crv == 2 ? 48 : 66;
    if (credential.x.size() > size || credential.y.size() > size)
        refuse("The WebAuthn public key is malformed.");
    std::string point(1, '\x04');
    point += std::string(size - credential.x.size(), '\0') + credential.x;
    point += std::string(size - credential.y.size(), '\0') + credential.y;
    std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> build(OSSL_PARAM_BLD_new(), OSSL_PARAM_BLD_free);
    OSSL_PARAM_BLD_push_utf8_string(build.get(), OSSL_PKEY_PARAM_GROUP_NAME, curve, 0);
    OSSL_PARAM_BLD_push_octet_string(build.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size());
    std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)> params(OSSL_PARAM_BLD_to_param(build.get()),
                                                                   OSSL_PARAM_free);
    std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> context(
        EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr), EVP_PKEY_CTX_free);
    EVP_PKEY* key = nullptr;
    if (!params || !context || EVP_PKEY_fromdata_init(context.get()) != 1 ||
        EVP_PKEY_fromdata(context.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1)
        refuse("The WebAuthn public key is not a point of its curve.");
    return {key, EVP_PKEY_free};
}

void write_descriptors(JsonWriter& out, const char* key, const std::vector<WebAuthnCredential>& credentials) {
    out.key(key).begin_array();
    for (const auto& credential : credentials)
        out.begin_object()
            .field("type", "public-key")
            .field("id", base64url_encode(credential.credential_id))
            .end_object();
    out.end_array();
}

} // namespace

std::string base64url_encode(std::string_view bytes) {
    static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const uint32_t n = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8) | uint8_t(bytes[i + 2]);
        for (int shift : {18, 12, 6, 0})
            out += alphabet[(n >> shift) & 63];
    }
    if (i + 1 == bytes.size()) {
        const uint32_t n = uint8_t(bytes[i]) << 16;
        out += alphabet[(n >> 18) & 63];
        out += alphabet[(n >> 12) & 63];
    } else if (i + 2 == bytes.size()) {
        const uint32_t n = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8);
        out += alphabet[(n >> 18) & 63];
        out += alphabet[(n >> 12) & 63];
        out += alphabet[(n >> 6) & 63];
    }
    return out;
}

std::string base64url_decode(std::string_view text) {
    while (!text.empty() && text.back() == '=')
        text.remove_suffix(1);
    std::string out;
    uint32_t buffer = 0;
    int bits = 0;
    for (char ch : text) {
        int value;
        if (ch >= 'A' && ch <= 'Z')
            value = ch - 'A';
        else if (ch >= 'a' && ch <= 'z')
            value = ch - 'a' + 26;
        else if (ch >= '0' && ch <= '9')
            value = ch - '0' + 52;
        else if (ch == '-' || ch == '+')
            value = 62;
        else if (ch == '_' || ch == '/')
            value = 63;
        else
            refuse("The WebAuthn response holds text that is not base64url.");
        buffer = (buffer << 6) | static_cast<uint32_t>(value);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xff);
        }
    }
    if (bits >= 6)
        refuse("The WebAuthn response holds text that is not base64url.");
    return out;
}

std::string creation_options_json(const RelyingParty& rp, const std::string& user_id, const std::string& user_name,
                                  const std::string& display_name, const std::string& challenge,
                                  const std::vector<WebAuthnCredential>& existing) {
    JsonWriter out;
    out.begin_object();
    out.key("rp").begin_object().field("name", "Kitsu").field("id", rp.id).end_object();
    out.key("user")
        .begin_object()
        .field("name", user_name)
        .field("id", base64url_encode(user_id))
        .field("displayName", display_name)
        .end_object();
    out.field("challenge", base64url_encode(challenge));
    out.key("pubKeyCredParams").begin_array();
    for (int64_t alg : {-7, -35, -36})
        out.begin_object().field("type", "public-key").field("alg", alg).end_object();
    out.end_array();
    if (!existing.empty())
        write_descriptors(out, "excludeCredentials", existing);
    out.key("authenticatorSelection")
        .begin_object()
        .field("authenticatorAttachment", "cross-platform")
        .field("requireResidentKey", false)
        .field("userVerification", "preferred")
        .end_object();
    out.end_object();
    return out.take();
}

std::string request_options_json(const RelyingParty& rp, const std::string& challenge,
                                 const std::vector<WebAuthnCredential>& allowed) {
    JsonWriter out;
    out.begin_object().field("challenge", base64url_encode(challenge)).field("rpId", rp.id);
    write_descriptors(out, "allowCredentials", allowed);
    out.end_object();
    return out.take();
}

WebAuthnCredential verify_registration(const RelyingParty& rp, const std::string& challenge,
                                       const Poco::JSON::Object& response) {
    const auto body = response.getObject("response");
    if (!body)
        refuse("The WebAuthn registration has no response.");
    check_client_data(rp, base64url_decode(member(*body, "clientDataJSON")), "webauthn.create", challenge);
    const CborValue attestation = decode_cbor(base64url_decode(member(*body, "attestationObject")));
    const CborValue* auth_data = attestation.find("authData");
    if (!auth_data || auth_data->type != CborValue::Type::bytes)
        refuse("The WebAuthn attestation has no authenticator data.");
    const std::string_view data = auth_data->bytes;
    check_authenticator_data(rp, data);
    if ((static_cast<uint8_t>(data[32]) & 0x40) == 0 || data.size() < 55)
        refuse("The WebAuthn registration holds no credential.");
    WebAuthnCredential credential;
    credential.aaguid = std::string(data.substr(37, 16));
    const std::size_t id_length = (static_cast<uint8_t>(data[53]) << 8) | static_cast<uint8_t>(data[54]);
    if (data.size() < 55 + id_length)
        refuse("The WebAuthn credential id is truncated.");
    credential.credential_id = std::string(data.substr(55, id_length));
    const CborValue key = decode_cbor(data.substr(55 + id_length));
    auto integer = [&](int64_t label, const char* what) {
        const CborValue* value = key.find(label);
        if (!value || !value->is_integer())
            refuse(std::string("The WebAuthn public key has no ") + what + ".");
        return value->integer;
    };
    credential.kty = integer(1, "key type");
    credential.alg = integer(3, "algorithm");
    credential.crv = integer(-1, "curve");
    credential.x = integer_bytes(key.find(-2), "x");
    credential.y = integer_bytes(key.find(-3), "y");
    if (!digest_of(credential.alg))
        refuse("The WebAuthn key's algorithm is not supported.");
    public_key(credential); // refuses a key that is no point of its curve
    return credential;
}

void verify_assertion(const RelyingParty& rp, const std::string& challenge,
                      const std::vector<WebAuthnCredential>& credentials, const Poco::JSON::Object& response) {
    const std::string id = base64url_decode(response.has("rawId") ? member(response, "rawId") : member(response, "id"));
    const WebAuthnCredential* credential = nullptr;
    for (const auto& candidate : credentials)
        if (candidate.credential_id == id)
            credential = &candidate;
    if (!credential)
        refuse("The WebAuthn credential is not registered.");
    const auto body = response.getObject("response");
    if (!body)
        refuse("The WebAuthn assertion has no response.");
    const std::string client_hash =
        check_client_data(rp, base64url_decode(member(*body, "clientDataJSON")), "webauthn.get", challenge);
    const std::string auth_data = base64url_decode(member(*body, "authenticatorData"));
    check_authenticator_data(rp, auth_data);
    const std::string signature = base64url_decode(member(*body, "signature"));
    const std::string signed_data = auth_data + client_hash;
    const auto key = public_key(*credential);
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    if (!digest_of(credential->alg) ||
        EVP_DigestVerifyInit(context.get(), nullptr, digest_of(credential->alg), nullptr, key.get()) != 1 ||
        EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                         reinterpret_cast<const unsigned char*>(signed_data.data()), signed_data.size()) != 1)
        refuse("The WebAuthn signature is not valid.");
}

} // namespace slate::engine::auth
