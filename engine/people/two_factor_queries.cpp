#include "engine/people/two_factor_queries.h"

#include "engine/crud/values.h"

namespace slate::engine::queries {

/// text[] of hashes → bytea[], as Zou stores them.
static const char* const hashes_as_bytea = "ARRAY(SELECT convert_to(h, 'UTF8') FROM unnest($2::text[]) h)";

db::Result two_factor_state(db::Connection& c, const std::string& person_id) {
    return c.exec(R"(SELECT totp_enabled, totp_secret, email_otp_enabled, email_otp_secret, fido_enabled,
                            preferred_two_factor_authentication, email,
                            COALESCE(ARRAY(SELECT encode(code, 'escape')
                                           FROM unnest(otp_recovery_codes) code), '{}') AS recovery_hashes
                     FROM person WHERE id = $1::uuid)",
                  {person_id});
}

void set_totp_secret(db::Connection& c, const std::string& person_id, const std::string& secret) {
    c.exec("UPDATE person SET totp_secret = $2, totp_enabled = false, "
           "updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid",
           {person_id, secret});
}

void set_email_otp_secret(db::Connection& c, const std::string& person_id, const std::string& secret) {
    c.exec("UPDATE person SET email_otp_secret = $2, email_otp_enabled = false, "
           "updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid",
           {person_id, secret});
}

void store_email_otp_counter(db::Connection& c, const std::string& email, int64_t counter, int lifetime_seconds) {
    c.exec(R"(INSERT INTO slate_email_otp (email, counter, expires_at)
              VALUES (lower($1), $2::bigint, now() AT TIME ZONE 'utc' + make_interval(secs => $3::int))
              ON CONFLICT (email) DO UPDATE SET counter = EXCLUDED.counter, expires_at = EXCLUDED.expires_at)",
           {email, std::to_string(counter), std::to_string(lifetime_seconds)});
}

std::optional<int64_t> take_email_otp_counter(db::Connection& c, const std::string& email) {
    const auto taken = c.exec(R"(DELETE FROM slate_email_otp WHERE email = lower($1)
                                 RETURNING counter, expires_at > now() AT TIME ZONE 'utc' AS alive)",
                              {email});
    if (taken.rows() == 0 || !taken.get_bool(0, "alive"))
        return std::nullopt;
    return taken.get_int(0, "counter");
}

namespace {

/// The column prefix of a method ("totp" → totp_enabled, totp_secret) and the others that
/// keep a person's second factor alive when it is turned off, in fallback order.
struct MethodColumns {
    const char* name;
    const char* other;
    const char* last;
};

MethodColumns columns_of(SecondFactorMethod method) {
    // Zou's TWO_FACTOR_FALLBACKS: totp → fido, email_otp; email_otp → fido, totp;
    // fido → totp, email_otp.
    switch (method) {
    case SecondFactorMethod::totp: return {"totp", "fido", "email_otp"};
    case SecondFactorMethod::email_otp: return {"email_otp", "fido", "totp"};
    case SecondFactorMethod::fido: break;
    }
    return {"fido", "totp", "email_otp"};
}

} // namespace

void enable_second_factor(db::Connection& c, const std::string& person_id, SecondFactorMethod method,
                          const std::vector<std::string>& recovery_hashes) {
    const std::string name = columns_of(method).name;
    c.exec("UPDATE person SET " + name +
               "_enabled = true, "
               "preferred_two_factor_authentication = COALESCE(preferred_two_factor_authentication, '" +
               name +
               "'), otp_recovery_codes = CASE WHEN otp_recovery_codes IS NULL OR "
               "cardinality(otp_recovery_codes) = 0 THEN " +
               hashes_as_bytea +
               " ELSE otp_recovery_codes END, updated_at = now() AT TIME ZONE 'utc' "
               "WHERE id = $1::uuid",
           {person_id, crud::array_literal(recovery_hashes)});
}

void disable_second_factor(db::Connection& c, const std::string& person_id, SecondFactorMethod method) {
    const MethodColumns m = columns_of(method);
    const std::string name = m.name, other = m.other, last = m.last;
    const std::string none_left =
        "NOT COALESCE(" + other + "_enabled, false) AND NOT COALESCE(" + last + "_enabled, false)";
    // The preference falls back to another enabled method; with none left, the preference
    // and the recovery codes go (Zou's _disable_two_factor_method).
    c.exec("UPDATE person SET " + name + "_enabled = false, " + name +
               "_secret = NULL, "
               "preferred_two_factor_authentication = CASE WHEN " +
               none_left +
               " THEN NULL "
               "WHEN preferred_two_factor_authentication <> '" +
               name + "' THEN preferred_two_factor_authentication WHEN " + other + "_enabled THEN '" + other +
               "' ELSE '" + last + "' END, otp_recovery_codes = CASE WHEN " + none_left +
               " THEN NULL ELSE otp_recovery_codes END, updated_at = now() AT TIME ZONE 'utc' "
               "WHERE id = $1::uuid",
           {person_id});
}

void settle_after_fido_removal(db::Connection& c, const std::string& person_id) {
    c.exec(R"(UPDATE person SET
            preferred_two_factor_authentication = CASE
                WHEN NOT (COALESCE(totp_enabled, false) OR COALESCE(email_otp_enabled, false)
                          OR COALESCE(fido_enabled, false)) THEN NULL
                WHEN preferred_two_factor_authentication IS DISTINCT FROM 'fido'
                    THEN preferred_two_factor_authentication
                WHEN COALESCE(totp_enabled, false) THEN 'totp'
                WHEN COALESCE(email_otp_enabled, false) THEN 'email_otp'
                ELSE preferred_two_factor_authentication END,
            otp_recovery_codes = CASE
                WHEN NOT (COALESCE(totp_enabled, false) OR COALESCE(email_otp_enabled, false)
                          OR COALESCE(fido_enabled, false)) THEN NULL
                ELSE otp_recovery_codes END
        WHERE id = $1::uuid)",
           {person_id});
}

void set_recovery_hashes(db::Connection& c, const std::string& person_id,
                         const std::vector<std::string>& recovery_hashes) {
    c.exec(std::string("UPDATE person SET otp_recovery_codes = ") + hashes_as_bytea +
               ", updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid",
           {person_id, crud::array_literal(recovery_hashes)});
}

void remove_recovery_hash(db::Connection& c, const std::string& person_id, const std::string& hash) {
    c.exec("UPDATE person SET otp_recovery_codes = array_remove(otp_recovery_codes, "
           "convert_to($2, 'UTF8')) WHERE id = $1::uuid",
           {person_id, hash});
}

} // namespace slate::engine::queries
