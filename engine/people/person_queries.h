#pragma once
// engine/people/person_queries.h: the SQL about persons, organisations, login logs and revoked
// tokens. Each function is one statement (or one short transaction).

#include "engine/db/connection.h"

#include <optional>
#include <string>

namespace slate::engine::queries {

/// The person columns and its department ids (column "departments", text[]), by id.
db::Result get_person(db::Connection& c, const std::string& person_id);
/// The names of the person's FIDO devices (Person.fido_devices), as a JSON array.
std::string fido_device_names_json(db::Connection& c, const std::string& person_id);

/// Whether a person has that id (false for a malformed id).
bool person_exists(db::Connection& c, const std::string& person_id);

/// Whether the person has FIDO (security keys) turned on.
bool fido_enabled(db::Connection& c, const std::string& person_id);

/// A person who may log in with `login`: by e-mail (case-insensitive, bots excluded), else by
/// desktop login. Same columns as get_person.
db::Result find_person_for_login(db::Connection& c, const std::string& login);

/// get_person's columns plus "password_hash" (the bcrypt hash as text).
db::Result get_person_with_hash(db::Connection& c, const std::string& person_id);

/// Stores a new password hash and clears the failed-login counter.
void set_password(db::Connection& c, const std::string& person_id, const std::string& hash);

/// The person of a token, with "revoked" (bool): whether any of the given jtis is revoked.
db::Result get_person_for_token(db::Connection& c, const std::string& person_id, const std::string& jti);

/// Counts a failed login (login_failed_attemps + 1, last_login_failed = now).
void record_failed_login(db::Connection& c, const std::string& person_id);
/// Counts a login attempt before its password is checked, in one statement, unless the
/// account is locked (`max_failures` reached within `lockout_seconds`): false then. So
/// concurrent attempts cannot all pass the check before any of them is counted.
bool reserve_login_attempt(db::Connection& c, const std::string& person_id, int max_failures, int64_t lockout_seconds);
/// Gives back a reserved attempt whose password was right but that did not log in (a second
/// factor asked for, an inactive person, the default password).
void release_login_attempt(db::Connection& c, const std::string& person_id);
/// Clears the failed-login counter after a successful login.
void reset_failed_logins(db::Connection& c, const std::string& person_id);
/// Writes a login_log row (origin "web" or "script").
void insert_login_log(db::Connection& c, const std::string& person_id, const std::string& ip_address,
                      const std::string& origin);

struct NewPerson {
    std::string email;
    std::string first_name;
    std::string last_name;
    std::string password_hash;
    std::string role = "user";
    std::string timezone;
    std::string locale;
    bool is_bot = false;
    std::optional<std::string> expiration_date; ///< YYYY-MM-DD
};
/// Whether `limit` persons already count against USER_LIMIT (active, neither bots nor guests).
bool user_limit_reached(db::Connection& c, int limit);

/// A person event ("person:new", "person:update"…) with Zou's {"person_id"} payload.
void insert_person_event(db::Connection& c, const std::string& name, const std::string& person_id,
                         const std::optional<std::string>& user_id = std::nullopt);

/// Inserts a person with Zou's application defaults; returns its id.
std::string insert_person(db::Connection& c, const NewPerson& person);
/// Stores the jti of a person's current API token (bots, personal API keys).
void set_person_jti(db::Connection& c, const std::string& person_id, const std::string& jti);

/// Sets role, password and active on the person with that e-mail; false when there is none.
bool update_person_credentials(db::Connection& c, const std::string& email, const std::string& password_hash,
                               const std::string& role);
/// Whether any admin exists.
bool admin_exists(db::Connection& c);

/// The studio's organisation, created with Zou's defaults when there is none.
db::Result get_or_create_organisation(db::Connection& c);

/// Keeps `token` as the live reset token of `email` for `lifetime_seconds`.
void store_reset_token(db::Connection& c, const std::string& email, const std::string& token, int64_t lifetime_seconds);
/// The unexpired reset token of `email`, if any.
std::optional<std::string> live_reset_token(db::Connection& c, const std::string& email);
void delete_reset_token(db::Connection& c, const std::string& email);

/// Marks a token id revoked until `expires_at` (seconds since the epoch).
void revoke_token(db::Connection& c, const std::string& jti, int64_t expires_at);
/// Forgets revocations whose tokens have expired anyway.
void purge_expired_revocations(db::Connection& c);

} // namespace slate::engine::queries
