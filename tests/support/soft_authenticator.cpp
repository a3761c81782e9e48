#include "support/soft_authenticator.h"

#include "engine/auth/cbor.h"
#include "engine/auth/webauthn.h"
#include "engine/json.h"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <stdexcept>

namespace slate::test {

using engine::auth::CborValue;

struct SoftAuthenticator::Key {
    EVP_PKEY* pkey = nullptr;
    ~Key() { EVP_PKEY_free(pkey); }
};

namespace {

std::string sha256(const std::string& data) {
    std::string digest(SHA256_DIGEST_LENGTH, '\0');
    SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
           reinterpret_cast<unsigned char*>(digest.data()));
    return digest;
}

std::string coordinate(EVP_PKEY* key, const char* name) {
    BIGNUM* number = nullptr;
    if (EVP_PKEY_get_bn_param(key, name, &number) != 1)
        throw std::runtime_error("no EC coordinate");
    std::string bytes(32, '\0');
    BN_bn2binpad(number, reinterpret_cast<unsigned char*>(bytes.data()), 32);
    BN_free(number);
    return bytes;
}

CborValue integer(int64_t value) {
    CborValue v;
    v.type = value < 0 ? CborValue::Type::negative_int : CborValue::Type::unsigned_int;
    v.integer = value;
    return v;
}

CborValue bytes(std::string data, bool text = false) {
    CborValue v;
    v.type = text ? CborValue::Type::text : CborValue::Type::bytes;
    v.bytes = std::move(data);
    return v;
}

std::string client_data(const char* type, const std::string& challenge, const std::string& origin) {
    engine::JsonWriter out;
    out.begin_object()
        .field("type", type)
        .field("challenge", challenge)
        .field("origin", origin)
        .field("crossOrigin", false)
        .end_object();
    return out.take();
}

} // namespace

SoftAuthenticator::SoftAuthenticator() : m_key(std::make_unique<Key>()) {
    m_key->pkey = EVP_EC_gen("P-256");
    if (!m_key->pkey)
        throw std::runtime_error("cannot make a P-256 key");
    m_credential_id.resize(32);
    RAND_bytes(reinterpret_cast<unsigned char*>(m_credential_id.data()), 32);
    m_credential_id[0] = '\x5a'; // Zou keeps ids as integers: a leading zero byte would not survive
}

SoftAuthenticator::~SoftAuthenticator() = default;

std::string SoftAuthenticator::register_json(const std::string& rp_id, const std::string& origin,
                                             const std::string& challenge) const {
    CborValue key;
    key.type = CborValue::Type::map;
    key.entries = {{integer(1), integer(2)},
                   {integer(3), integer(-7)},
                   {integer(-1), integer(1)},
                   {integer(-2), bytes(coordinate(m_key->pkey, OSSL_PKEY_PARAM_EC_PUB_X))},
                   {integer(-3), bytes(coordinate(m_key->pkey, OSSL_PKEY_PARAM_EC_PUB_Y))}};
    std::string auth_data = sha256(rp_id);
    auth_data += '\x41';                  // user present, attested credential data
    auth_data += std::string(4, '\0');    // signature counter
    auth_data += std::string(16, '\x07'); // AAGUID
    auth_data += static_cast<char>(m_credential_id.size() >> 8);
    auth_data += static_cast<char>(m_credential_id.size() & 0xff);
    auth_data += m_credential_id + engine::auth::encode_cbor(key);
    CborValue attestation;
    attestation.type = CborValue::Type::map;
    CborValue statement;
    statement.type = CborValue::Type::map;
    attestation.entries = {{bytes("fmt", true), bytes("none", true)},
                           {bytes("attStmt", true), statement},
                           {bytes("authData", true), bytes(auth_data)}};
    const std::string id = engine::auth::base64url_encode(m_credential_id);
    engine::JsonWriter out;
    out.begin_object().field("id", id).field("rawId", id).field("type", "public-key");
    out.key("response")
        .begin_object()
        .field("clientDataJSON", engine::auth::base64url_encode(client_data("webauthn.create", challenge, origin)))
        .field("attestationObject", engine::auth::base64url_encode(engine::auth::encode_cbor(attestation)))
        .end_object();
    out.end_object();
    return out.take();
}

std::string SoftAuthenticator::assert_json(const std::string& rp_id, const std::string& origin,
                                           const std::string& challenge, bool tamper) const {
    std::string auth_data = sha256(rp_id);
    auth_data += '\x01';
    auth_data += std::string("\0\0\0\x01", 4);
    const std::string client = client_data("webauthn.get", challenge, origin);
    const std::string signed_data = auth_data + sha256(client);
    EVP_MD_CTX* context = EVP_MD_CTX_new();
    std::size_t length = 0;
    EVP_DigestSignInit(context, nullptr, EVP_sha256(), nullptr, m_key->pkey);
    EVP_DigestSign(context, nullptr, &length, reinterpret_cast<const unsigned char*>(signed_data.data()),
                   signed_data.size());
    std::string signature(length, '\0');
    EVP_DigestSign(context, reinterpret_cast<unsigned char*>(signature.data()), &length,
                   reinterpret_cast<const unsigned char*>(signed_data.data()), signed_data.size());
    EVP_MD_CTX_free(context);
    signature.resize(length);
    if (tamper)
        signature[signature.size() / 2] ^= 0x01;
    const std::string id = engine::auth::base64url_encode(m_credential_id);
    engine::JsonWriter out;
    out.begin_object().field("id", id).field("rawId", id).field("type", "public-key");
    out.key("response")
        .begin_object()
        .field("clientDataJSON", engine::auth::base64url_encode(client))
        .field("authenticatorData", engine::auth::base64url_encode(auth_data))
        .field("signature", engine::auth::base64url_encode(signature))
        .field("userHandle", "")
        .end_object();
    out.end_object();
    return out.take();
}

} // namespace slate::test
