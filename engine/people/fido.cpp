#include "engine/people/fido.h"

#include "engine/people/two_factor.h"

#include "engine/auth/password.h"
#include "engine/auth/webauthn.h"
#include "engine/config.h"
#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/json.h"
#include "engine/people/person_queries.h"
#include "engine/people/two_factor_queries.h"

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <memory>

namespace slate::engine::services {
namespace {

using auth::WebAuthnCredential;

constexpr int challenge_lifetime_seconds = 5 * 60;

/// python-fido2's bytes2int / int2bytes: big-endian, minimal length.
std::string decimal_of(const std::string& bytes) {
    std::unique_ptr<BIGNUM, decltype(&BN_free)> number(
        BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()), nullptr),
        BN_free);
    char* text = BN_bn2dec(number.get());
    std::string decimal = text ? text : "0";
    OPENSSL_free(text);
    return decimal;
}

std::string bytes_of(const std::string& decimal) {
    BIGNUM* raw = nullptr;
    if (decimal.empty() || BN_dec2bn(&raw, decimal.c_str()) == 0)
        throw Error(ErrorKind::internal, "A stored FIDO credential is malformed.");
    std::unique_ptr<BIGNUM, decltype(&BN_free)> number(raw, BN_free);
    std::string bytes(static_cast<std::size_t>(BN_num_bytes(number.get())), '\0');
    BN_bn2bin(number.get(), reinterpret_cast<unsigned char*>(bytes.data()));
    return bytes;
}

std::vector<WebAuthnCredential> credentials_of(db::Connection& c, const std::string& person_id) {
    const auto rows = c.exec(R"(SELECT cr->>'aaguid' AS aaguid, cr->>'credential_id' AS credential_id,
            cr->'public_key'->>'1' AS kty, cr->'public_key'->>'3' AS alg, cr->'public_key'->>'-1' AS crv,
            cr->'public_key'->>'-2' AS x, cr->'public_key'->>'-3' AS y
        FROM person p, unnest(COALESCE(p.fido_credentials, '{}'::jsonb[])) cr WHERE p.id = $1::uuid)",
                             {person_id});
    std::vector<WebAuthnCredential> credentials;
    for (int row = 0; row < rows.rows(); ++row) {
        WebAuthnCredential credential;
        credential.aaguid = bytes_of(rows.optional(row, "aaguid").value_or("0"));
        credential.credential_id = bytes_of(rows.optional(row, "credential_id").value_or("0"));
        credential.kty = std::stoll(rows.optional(row, "kty").value_or("2"));
        credential.alg = std::stoll(rows.optional(row, "alg").value_or("-7"));
        credential.crv = std::stoll(rows.optional(row, "crv").value_or("1"));
        credential.x = bytes_of(rows.optional(row, "x").value_or("0"));
        credential.y = bytes_of(rows.optional(row, "y").value_or("0"));
        credentials.push_back(std::move(credential));
    }
    return credentials;
}

std::string new_challenge(db::Connection& c, const std::string& person_id) {
    std::string challenge(32, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(challenge.data()), 32) != 1)
        throw Error(ErrorKind::internal, "no randomness available");
    c.exec(R"(INSERT INTO slate_fido_state (person_id, challenge, created_at)
              VALUES ($1::uuid, $2, now() AT TIME ZONE 'utc')
              ON CONFLICT (person_id) DO UPDATE SET challenge = EXCLUDED.challenge, created_at = EXCLUDED.created_at)",
           {person_id, auth::base64url_encode(challenge)});
    return challenge;
}

/// The pending challenge, spent by this read (Zou pops it from the session).
std::optional<std::string> take_challenge(db::Connection& c, const std::string& person_id) {
    const auto row = c.exec(R"(DELETE FROM slate_fido_state WHERE person_id = $1::uuid
                               RETURNING challenge, created_at > (now() AT TIME ZONE 'utc') - make_interval(secs => $2)
                               AS fresh)",
                            {person_id, std::to_string(challenge_lifetime_seconds)});
    if (row.rows() == 0 || !row.get_bool(0, "fresh"))
        return std::nullopt;
    return auth::base64url_decode(row.get(0, "challenge"));
}

auth::RelyingParty relying_party(const FidoSettings& settings) {
    return {settings.rp_id, settings.any_origin};
}

} // namespace

FidoSettings FidoSettings::from(const Config& config) {
    FidoSettings settings;
    std::string host = config.domain_name;
    host = host.substr(0, host.find('/'));
    if (!host.empty() && host.front() == '[')
        host = host.substr(1, host.find(']') - 1);
    else
        host = host.substr(0, host.find(':'));
    settings.rp_id = host;
    settings.any_origin = config.domain_name == "localhost:8080";
    return settings;
}

std::string pre_register_fido(db::Connection& c, const FidoSettings& settings, const std::string& person_id) {
    const auto person = c.exec("SELECT id, email, first_name || ' ' || last_name AS full_name FROM person "
                               "WHERE id = $1::uuid",
                               {person_id});
    if (person.rows() == 0)
        throw Error(ErrorKind::unauthorized, unauthorized_message);
    const std::string challenge = new_challenge(c, person_id);
    return auth::creation_options_json(relying_party(settings), person_id, person.optional(0, "email").value_or(""),
                                       person.optional(0, "full_name").value_or(""), challenge,
                                       credentials_of(c, person_id));
}

std::vector<std::string> register_fido(db::Connection& c, const Config& config, const FidoSettings& settings,
                                       const std::string& person_id, const Poco::JSON::Object& registration,
                                       const std::string& device_name) {
    db::Transaction transaction(c);
    const auto challenge = take_challenge(c, person_id);
    if (!challenge) {
        transaction.commit();
        throw_bad_request("No preregistration before.");
    }
    WebAuthnCredential credential;
    try {
        credential = auth::verify_registration(relying_party(settings), *challenge, registration);
    } catch (const Error&) {
        transaction.commit(); // the challenge is spent either way
        throw_bad_request("FIDO server exception your registration response is probly wrong.");
    }
    JsonWriter stored;
    stored.begin_object().field("device_name", device_name);
    stored.key("aaguid").raw(decimal_of(credential.aaguid));
    stored.key("credential_id").raw(decimal_of(credential.credential_id));
    stored.key("public_key")
        .begin_object()
        .field("1", credential.kty)
        .field("3", credential.alg)
        .field("-1", credential.crv);
    stored.key("-2").raw(decimal_of(credential.x));
    stored.key("-3").raw(decimal_of(credential.y));
    stored.end_object().end_object();
    c.exec(R"(UPDATE person SET fido_credentials = array_append(COALESCE(fido_credentials, '{}'::jsonb[]), $2::jsonb),
                  fido_enabled = true, updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid)",
           {person_id, stored.take()});
    // Recovery codes and the preference, as every second factor does when turned on.
    auto codes = enable_with_recovery_codes(c, config, person_id, queries::SecondFactorMethod::fido);
    transaction.commit();
    return codes;
}

std::string fido_challenge(db::Connection& c, const FidoSettings& settings, const std::string& login) {
    const auto person = queries::find_person_for_login(c, login);
    if (person.rows() == 0 || !person.get_bool(0, "active") || !person.get_bool(0, "fido_enabled"))
        throw Error(ErrorKind::bad_request, "FIDO not enabled.");
    const std::string person_id(person.get(0, "id"));
    const std::string challenge = new_challenge(c, person_id);
    return auth::request_options_json(relying_party(settings), challenge, credentials_of(c, person_id));
}

bool check_fido(db::Connection& c, const FidoSettings& settings, const std::string& person_id,
                const Poco::JSON::Object& assertion) {
    const auto challenge = take_challenge(c, person_id);
    if (!challenge)
        return false;
    try {
        auth::verify_assertion(relying_party(settings), *challenge, credentials_of(c, person_id), assertion);
    } catch (const Error&) {
        return false;
    }
    return true;
}

void unregister_fido(db::Connection& c, const std::string& person_id, const std::string& device_name) {
    db::Transaction transaction(c);
    c.exec(R"(UPDATE person p SET fido_credentials = (
            SELECT COALESCE(array_agg(cr ORDER BY n), '{}'::jsonb[]) FROM unnest(COALESCE(p.fido_credentials, '{}'::jsonb[]))
                WITH ORDINALITY AS t(cr, n)
            WHERE n <> COALESCE((SELECT min(m) FROM unnest(COALESCE(p.fido_credentials, '{}'::jsonb[]))
                                 WITH ORDINALITY AS u(cu, m) WHERE cu->>'device_name' = $2), 0))
        WHERE p.id = $1::uuid)",
           {person_id, device_name});
    c.exec(R"(UPDATE person SET fido_enabled = COALESCE(cardinality(fido_credentials), 0) > 0,
                  updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid)",
           {person_id});
    queries::settle_after_fido_removal(c, person_id);
    transaction.commit();
}

} // namespace slate::engine::services
