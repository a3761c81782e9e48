#include "engine/queries/two_factor.h"

#include "engine/crud/values.h"

namespace slate::engine::queries {

db::Result two_factor_state(db::Connection& c, const std::string& person_id) {
    return c.exec(R"(SELECT totp_enabled, totp_secret, email_otp_enabled, fido_enabled,
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

/// text[] of hashes → bytea[], as Zou stores them.
static const char* const hashes_as_bytea =
    "ARRAY(SELECT convert_to(h, 'UTF8') FROM unnest($2::text[]) h)";

void enable_totp(db::Connection& c, const std::string& person_id,
                 const std::vector<std::string>& recovery_hashes) {
    c.exec(std::string(R"(UPDATE person SET totp_enabled = true,
            preferred_two_factor_authentication = COALESCE(preferred_two_factor_authentication, 'totp'),
            otp_recovery_codes = CASE WHEN otp_recovery_codes IS NULL OR cardinality(otp_recovery_codes) = 0
                                      THEN )") + hashes_as_bytea + R"( ELSE otp_recovery_codes END,
            updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid)",
           {person_id, crud::array_literal(recovery_hashes)});
}

void disable_totp(db::Connection& c, const std::string& person_id) {
    c.exec(R"(UPDATE person SET totp_enabled = false, totp_secret = NULL,
            preferred_two_factor_authentication = CASE
                WHEN NOT COALESCE(email_otp_enabled, false) AND NOT COALESCE(fido_enabled, false) THEN NULL
                WHEN preferred_two_factor_authentication <> 'totp' THEN preferred_two_factor_authentication
                WHEN email_otp_enabled THEN 'email_otp' ELSE 'fido' END,
            otp_recovery_codes = CASE
                WHEN NOT COALESCE(email_otp_enabled, false) AND NOT COALESCE(fido_enabled, false) THEN NULL
                ELSE otp_recovery_codes END,
            updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid)",
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
