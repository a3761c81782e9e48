#include "engine/people/person_queries.h"

#include "engine/json.h"
#include "engine/crud/queries.h"

#include "engine/uuid.h"

namespace slate::engine::queries {
namespace {

constexpr const char* person_select = R"(
SELECT p.*, COALESCE(
    (SELECT array_agg(dl.department_id::text ORDER BY dl.department_id)
       FROM department_link dl WHERE dl.person_id = p.id), '{}') AS departments
FROM person p)";

} // namespace

db::Result get_person(db::Connection& c, const std::string& person_id) {
    return c.exec(std::string(person_select) + " WHERE p.id = $1::uuid", {person_id});
}

std::string fido_device_names_json(db::Connection& c, const std::string& person_id) {
    return std::string(c.exec(R"(SELECT COALESCE(json_agg(u.credential->'device_name' ORDER BY u.n), '[]')::text
        FROM person p, unnest(p.fido_credentials) WITH ORDINALITY u(credential, n) WHERE p.id = $1::uuid)",
                              {person_id})
                           .get(0, 0));
}

bool person_exists(db::Connection& c, const std::string& person_id) {
    return is_uuid(person_id) && c.exec("SELECT 1 FROM person WHERE id = $1::uuid", {person_id}).rows() > 0;
}

bool fido_enabled(db::Connection& c, const std::string& person_id) {
    return c.exec("SELECT fido_enabled FROM person WHERE id = $1::uuid", {person_id}).get_bool(0, "fido_enabled");
}

db::Result find_person_for_login(db::Connection& c, const std::string& login) {
    // The bcrypt hash is bytea in Zou's schema; 'escape' gives its ASCII text back.
    const std::string select = std::string("SELECT encode(l.password, 'escape') AS password_hash, "
                                           "l.* FROM (") +
                               person_select;
    auto by_email = c.exec(select + " WHERE lower(p.email) = lower($1) AND p.is_bot IS NOT TRUE) l", {login});
    if (by_email.rows() > 0)
        return by_email;
    return c.exec(select + " WHERE p.desktop_login = $1 AND p.is_bot IS NOT TRUE LIMIT 1) l", {login});
}

db::Result get_person_with_hash(db::Connection& c, const std::string& person_id) {
    return c.exec("SELECT encode(l.password, 'escape') AS password_hash, l.* FROM (" + std::string(person_select) +
                      " WHERE p.id = $1::uuid) l",
                  {person_id});
}

void set_password(db::Connection& c, const std::string& person_id, const std::string& hash) {
    c.exec("UPDATE person SET password = convert_to($2, 'UTF8'), login_failed_attemps = 0, "
           "updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid",
           {person_id, hash});
}

db::Result get_person_for_token(db::Connection& c, const std::string& person_id, const std::string& jti) {
    return c.exec_prepared(std::string(R"(
SELECT p.id, p.role, p.active, p.is_bot, p.jti,
       EXISTS (SELECT 1 FROM slate_revoked_token r WHERE r.jti = $2) AS revoked,
       (SELECT f.not_before FROM slate_token_floor f WHERE f.person_id = p.id) AS tokens_not_before
FROM person p WHERE p.id = $1::uuid)"),
                           {person_id, jti});
}

void record_failed_login(db::Connection& c, const std::string& person_id) {
    c.exec(R"(UPDATE person SET login_failed_attemps = COALESCE(login_failed_attemps, 0) + 1,
                  last_login_failed = (now() AT TIME ZONE 'utc') WHERE id = $1::uuid)",
           {person_id});
}

bool reserve_login_attempt(db::Connection& c, const std::string& person_id, int max_failures, int64_t lockout_seconds) {
    return c.exec(R"(UPDATE person SET login_failed_attemps = COALESCE(login_failed_attemps, 0) + 1,
                         last_login_failed = (now() AT TIME ZONE 'utc')
                     WHERE id = $1::uuid AND NOT (COALESCE(login_failed_attemps, 0) >= $2::int
                         AND last_login_failed > (now() AT TIME ZONE 'utc') - $3::bigint * interval '1 second')
                     RETURNING id)",
                  {person_id, std::to_string(max_failures), std::to_string(lockout_seconds)})
               .rows() > 0;
}

void release_login_attempt(db::Connection& c, const std::string& person_id) {
    c.exec("UPDATE person SET login_failed_attemps = GREATEST(COALESCE(login_failed_attemps, 0) - 1, 0) "
           "WHERE id = $1::uuid",
           {person_id});
}

void reset_failed_logins(db::Connection& c, const std::string& person_id) {
    c.exec("UPDATE person SET login_failed_attemps = 0, last_login_failed = NULL "
           "WHERE id = $1::uuid",
           {person_id});
}

void insert_login_log(db::Connection& c, const std::string& person_id, const std::string& ip_address,
                      const std::string& origin) {
    c.exec(R"(INSERT INTO login_log (id, person_id, ip_address, origin, created_at, updated_at)
              VALUES ($1::uuid, $2::uuid, $3, $4, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'))",
           {new_uuid(), person_id, ip_address.substr(0, 50), origin});
}

bool user_limit_reached(db::Connection& c, int limit) {
    return c.exec("SELECT count(*) AS n FROM person WHERE active AND is_bot IS NOT TRUE AND is_guest IS NOT TRUE")
               .get_int(0, "n") >= limit;
}

void insert_person_event(db::Connection& c, const std::string& name, const std::string& person_id,
                         const std::optional<std::string>& user_id) {
    JsonWriter data;
    data.begin_object().field("person_id", person_id).end_object();
    insert_event(c, name, user_id, std::nullopt, data.take());
}

std::string insert_person(db::Connection& c, const NewPerson& p) {
    const std::string id = new_uuid();
    // Zou's application defaults (models.tsv app_default) for a new person.
    c.exec(R"(INSERT INTO person (
        id, first_name, last_name, email, password, role, active, archived, contract_type,
        login_failed_attemps, totp_enabled, email_otp_enabled, fido_enabled, timezone, locale,
        position, seniority, daily_salary, has_avatar, notifications_enabled,
        notifications_slack_enabled, notifications_slack_userid,
        notifications_mattermost_enabled, notifications_mattermost_userid,
        notifications_discord_enabled, notifications_discord_userid, is_bot, is_guest,
        is_generated_from_ldap, use_12_hour_clock, display_date_format, desktop_login, phone,
        created_at, updated_at)
    VALUES ($1::uuid, $2, $3, $4, convert_to(NULLIF($5, ''), 'UTF8'), $6, true, false, 'open-ended',
        0, false, false, false, $7, $8,
        'artist', 'mid', 0, false, false,
        false, '', false, '', false, '', $9::boolean, false,
        false, false, 'YYYY-MM-DD', '', '',
        now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'))",
           {id, p.first_name, p.last_name, p.email, p.password_hash, p.role, p.timezone, p.locale,
            std::string(p.is_bot ? "true" : "false")});
    if (p.expiration_date)
        c.exec("UPDATE person SET expiration_date = $2::date WHERE id = $1::uuid", {id, *p.expiration_date});
    return id;
}

void set_person_jti(db::Connection& c, const std::string& person_id, const std::string& jti) {
    c.exec("UPDATE person SET jti = $2 WHERE id = $1::uuid", {person_id, jti});
}

bool update_person_credentials(db::Connection& c, const std::string& email, const std::string& password_hash,
                               const std::string& role) {
    auto updated = c.exec(R"(UPDATE person SET password = convert_to($2, 'UTF8'), role = $3,
                                 active = true, login_failed_attemps = 0,
                                 updated_at = now() AT TIME ZONE 'utc'
                             WHERE lower(email) = lower($1) AND is_bot IS NOT TRUE)",
                          {email, password_hash, role});
    return updated.affected() > 0;
}

bool admin_exists(db::Connection& c) {
    return c.exec("SELECT 1 FROM person WHERE role = 'admin' AND is_bot IS NOT TRUE LIMIT 1").rows() > 0;
}

db::Result get_or_create_organisation(db::Connection& c) {
    constexpr const char* select = "SELECT * FROM organisation ORDER BY created_at, id LIMIT 1";
    auto found = c.exec(select);
    if (found.rows() > 0)
        return found;
    // Zou creates the organisation named "Kitsu" on first use, with its model defaults.
    c.exec(R"(INSERT INTO organisation (id, name, hours_by_day, has_avatar, use_original_file_name,
                  timesheets_locked, format_duration_in_hours, hd_by_default, chat_token_slack,
                  chat_webhook_mattermost, chat_token_discord, dark_theme_by_default,
                  created_at, updated_at)
              VALUES ($1::uuid, 'Kitsu', 8, false, false, false, false, false, '', '', '', false,
                  now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc')
              ON CONFLICT (name) DO NOTHING)",
           {new_uuid()});
    return c.exec(select);
}

void store_reset_token(db::Connection& c, const std::string& email, const std::string& token,
                       int64_t lifetime_seconds) {
    c.exec(R"(INSERT INTO slate_reset_token (email, token, expires_at)
              VALUES (lower($1), $2, now() AT TIME ZONE 'utc' + make_interval(secs => $3::int))
              ON CONFLICT (email) DO UPDATE SET token = EXCLUDED.token,
                                                expires_at = EXCLUDED.expires_at)",
           {email, token, std::to_string(lifetime_seconds)});
}

std::optional<std::string> live_reset_token(db::Connection& c, const std::string& email) {
    const auto found = c.exec(R"(SELECT token FROM slate_reset_token
                                 WHERE email = lower($1) AND expires_at > now() AT TIME ZONE 'utc')",
                              {email});
    if (found.rows() == 0)
        return std::nullopt;
    return std::string(found.get(0, 0));
}

void delete_reset_token(db::Connection& c, const std::string& email) {
    c.exec("DELETE FROM slate_reset_token WHERE email = lower($1)", {email});
}

void revoke_token(db::Connection& c, const std::string& jti, int64_t expires_at) {
    c.exec(R"(INSERT INTO slate_revoked_token (jti, expires_at)
              VALUES ($1, to_timestamp($2::bigint) AT TIME ZONE 'utc')
              ON CONFLICT (jti) DO NOTHING)",
           {jti, std::to_string(expires_at)});
}

void purge_expired_revocations(db::Connection& c) {
    c.exec("DELETE FROM slate_revoked_token WHERE expires_at < now() AT TIME ZONE 'utc'");
}

} // namespace slate::engine::queries
