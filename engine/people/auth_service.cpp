#include "engine/people/auth_service.h"

#include "engine/directory/ldap_client.h"

#include "engine/auth/password.h"
#include "engine/config.h"
#include "engine/db/pool.h"
#include "engine/error.h"
#include "engine/json.h"
#include "engine/log.h"
#include "engine/crud/queries.h"
#include "engine/people/person_queries.h"
#include "engine/people/persons.h"
#include "engine/uuid.h"

#include <Poco/Timestamp.h>

#include <cctype>
#include <regex>

namespace slate::engine::services {
namespace {

[[noreturn]] void login_refused() {
    throw Error(ErrorKind::bad_request, "Login failed.", R"({"login":false})");
}

/// What a token's check reads of its person: kept per (person, jti) while the person and
/// slate_revoked_token tables do not change, so that an authenticated request costs no query.
struct TokenHolder {
    bool found = false, active = false, revoked = false;
    int64_t tokens_not_before = 0; ///< tokens issued before were revoked by a deactivation
    std::string role;
    std::optional<std::string> jti;
};
using TokenHolders = db::VersionedCache<TokenHolder>;

TokenHolder token_holder(db::Pool& pool, const std::string& person_id, const std::string& jti) {
    db::ChangeFeed& feed = pool.changes();
    return feed.slot<TokenHolders>().get(
        &feed, person_id + "/" + jti, {"person", "slate_revoked_token", "slate_token_floor"}, [&] {
            auto connection = pool.acquire();
            const db::Result person = queries::get_person_for_token(*connection, person_id, jti);
            TokenHolder holder;
            if (person.rows() == 0)
                return holder;
            holder.found = true;
            holder.active = person.get_bool(0, "active");
            holder.revoked = person.get_bool(0, "revoked");
            holder.role = std::string(person.get(0, "role"));
            holder.jti = person.optional(0, "jti");
            holder.tokens_not_before = person.get_int(0, "tokens_not_before");
            return holder;
        });
}

/// A login attempt counted before its password is checked (queries::reserve_login_attempt):
/// given back when it ends otherwise than as a failure (unless `held` was cleared).
struct AttemptReservation {
    db::Connection& c;
    const std::string& person_id;
    bool held;
    ~AttemptReservation() {
        if (!held)
            return;
        try {
            queries::release_login_attempt(c, person_id);
        } catch (...) {
            // The connection is gone: the attempt stays counted, which only errs on caution.
        }
    }
};

[[noreturn]] void token_revoked() {
    throw Error(ErrorKind::unauthorized, "Token has been revoked", R"({"msg":"Token has been revoked"})");
}

[[noreturn]] void validation_error(const std::string& field, const std::string& message) {
    JsonWriter body;
    body.begin_object()
        .field("error", true)
        .field("message", "Validation error.")
        .key("data")
        .begin_object()
        .key("errors")
        .begin_array()
        .begin_object()
        .field("field", field)
        .field("message", message)
        .end_object()
        .end_array()
        .end_object()
        .end_object();
    throw Error(ErrorKind::bad_request, "Validation error.", body.take());
}

/// What AUTH_STRATEGY says of a password (Zou's check_auth strategies).
enum class PasswordVerdict { accepted, wrong, no_fallback, no_strategy };

/// The identity an LDAP person binds as: cn=<login>,<base> (AD simple bind), DOMAIN\<login>
/// (Active Directory; Zou binds with NTLM, Slate with a simple bind AD accepts too), else
/// uid=<login>,<base> (OpenLDAP).
std::string ldap_identity(const Config::Ldap& ldap, const std::string& desktop_login) {
    if (ldap.is_ad_simple)
        return "cn=" + desktop_login + "," + ldap.base_dn;
    if (ldap.is_ad)
        return ldap.domain + "\\" + desktop_login;
    return "uid=" + desktop_login + "," + ldap.base_dn;
}

PasswordVerdict check_by_strategy(const Config& config, const db::Result& person, const std::string& password) {
    const auto local = [&] {
        const auto hash = person.optional(0, "password_hash");
        return hash && auth::check_password(password, *hash) ? PasswordVerdict::accepted : PasswordVerdict::wrong;
    };
    if (config.auth_strategy == "auth_local_classic")
        return local();
    if (config.auth_strategy == "auth_local_no_password")
        return PasswordVerdict::accepted;
    if (config.auth_strategy != "auth_remote_ldap")
        return PasswordVerdict::no_strategy;
    if (!person.get_bool(0, "is_generated_from_ldap"))
        return config.ldap.fallback ? local() : PasswordVerdict::no_fallback;
    const directory::LdapServer server{config.ldap.host, config.ldap.port, config.ldap.ssl};
    const std::string identity = ldap_identity(config.ldap, person.optional(0, "desktop_login").value_or(""));
    const directory::BindOutcome bound = directory::check_password(server, identity, password);
    switch (bound.result) {
    case directory::BindResult::accepted: return PasswordVerdict::accepted;
    case directory::BindResult::invalid_credentials:
        log::info("LDAP cannot authenticate user: " + person.optional(0, "email").value_or(""));
        return PasswordVerdict::wrong;
    case directory::BindResult::unreachable:
        log::error("Cannot connect to LDAP/Active directory server " + server.uri() + ": " + bound.message);
        break;
    case directory::BindResult::failed: log::error("LDAP bind of " + identity + " failed: " + bound.message); break;
    }
    throw Error(
        ErrorKind::unavailable, "A server error occurred. Please contact your administrator.",
        R"({"error":true,"login":false,"message":"A server error occurred. Please contact your administrator."})");
}

} // namespace

AuthService::AuthService(const Config& config, db::Pool& pool) : m_config(config), m_pool(pool), m_throttle(config) {}

std::string AuthService::issue(const std::string& person_id, const std::string& type, const std::string& jti,
                               const std::string& refresh_jti, int64_t now, int64_t lifetime, bool requires_2fa_setup) {
    auth::TokenClaims claims;
    claims.requires_2fa_setup = requires_2fa_setup;
    claims.sub = person_id;
    claims.jti = jti;
    claims.type = type;
    claims.identity_type = "person";
    claims.refresh_jti = refresh_jti;
    claims.iat = claims.nbf = now;
    claims.exp = now + lifetime;
    return auth::encode_token(claims, m_config.secret_key);
}

bool AuthService::requires_2fa_setup(db::Connection& c, const std::string& person_id, const std::string& email) const {
    if (!m_config.enforce_2fa)
        return false;
    for (const auto& exempt : m_config.two_fa_exempt_users)
        if (exempt == email)
            return false;
    return !has_two_factor(c, person_id);
}

IssuedLogin AuthService::login(const LoginAttempt& attempt) {
    if (attempt.login.empty())
        validation_error("email", "Field required");
    auto connection = m_pool.acquire();
    const db::Result person = queries::find_person_for_login(*connection, attempt.login);
    if (person.rows() == 0) {
        auth::waste_password_check(m_config.bcrypt_rounds);
        login_refused();
    }
    const std::string person_id(person.get(0, "id"));
    const int64_t now = auth::unix_now();
    const int64_t now_ms = static_cast<int64_t>(Poco::Timestamp().epochMicroseconds() / 1000);
    auto locked = [] {
        throw Error(ErrorKind::bad_request, "Too many failed login attempts.",
                    R"({"error":true,"login":false,"too_many_failed_login_attemps":true})");
    };
    if (m_throttle.address_refused(attempt.ip_address, now_ms))
        locked();
    // The attempt is counted before its password is checked (one statement), so concurrent
    // attempts cannot all pass the lock-out check; a locked account may still be tried, slowly,
    // from an address that has not failed on it (its owner elsewhere).
    const bool reserved = queries::reserve_login_attempt(*connection, person_id, m_config.max_login_failed_attempts,
                                                         m_config.login_lockout_seconds);
    if (!reserved && !m_throttle.may_try_locked(person_id, attempt.ip_address, now_ms))
        locked();
    AttemptReservation reservation{*connection, person_id, reserved};
    auto failure = [&] {
        reservation.held = false;
        if (!reserved) // tried while locked: counted now, which also keeps the lock on
            queries::record_failed_login(*connection, person_id);
        m_throttle.failed(person_id, attempt.ip_address, now_ms);
    };
    switch (check_by_strategy(m_config, person, attempt.password)) {
    case PasswordVerdict::accepted: break;
    case PasswordVerdict::wrong: failure(); login_refused();
    case PasswordVerdict::no_fallback:
        log::info("User " + attempt.login + " can't login due to no fallback from LDAP.");
        login_refused();
    case PasswordVerdict::no_strategy:
        log::error("Authentication strategy is not properly configured.");
        throw Error(ErrorKind::conflict, "Authentication strategy is not properly configured.", R"({"login":false})");
    }
    if (!person.get_bool(0, "active"))
        throw Error(ErrorKind::unauthorized, "User is unactive, he cannot log in.",
                    R"({"error":true,"login":false,"unactive":true,)"
                    R"("message":"User is unactive, he cannot log in."})");

    if (has_two_factor(*connection, person_id)) {
        const bool passed = check_second_factor(*connection, person_id, attempt.second_factor,
                                                missing_otp_login_body(*connection, person_id));
        if (!passed) {
            failure();
            throw Error(ErrorKind::bad_request, "Wrong OTP.", R"({"error":true,"login":false,"wrong_OTP":true})");
        }
    }
    // The literal password "default" must be changed first: Zou answers a reset token.
    if (attempt.password == "default" && m_config.auth_strategy != "auth_local_no_password") {
        const std::string token = auth::random_code(64);
        queries::store_reset_token(*connection, attempt.login, token, 2 * 3600);
        JsonWriter refused;
        refused.begin_object().field("login", false).field("default_password", true).field("token", token).end_object();
        throw Error(ErrorKind::bad_request, "The default password must be changed.", refused.take());
    }
    reservation.held = false; // the reset below clears the count
    m_throttle.succeeded(person_id, attempt.ip_address);
    const bool restricted = requires_2fa_setup(*connection, person_id, person.optional(0, "email").value_or(""));
    queries::reset_failed_logins(*connection, person_id);
    queries::insert_login_log(*connection, person_id, attempt.ip_address, attempt.from_browser ? "web" : "script");
    const db::Result fresh_person = queries::get_person(*connection, person_id);
    const db::Result organisation = queries::get_or_create_organisation(*connection);

    IssuedLogin issued;
    const std::string refresh_jti = new_uuid();
    issued.refresh_token = issue(person_id, "refresh", refresh_jti, "", now, m_config.jwt_refresh_seconds, restricted);
    issued.access_token =
        issue(person_id, "access", new_uuid(), refresh_jti, now, m_config.jwt_access_seconds, restricted);

    JsonWriter body;
    body.begin_object().key("user");
    write_person(body, fresh_person, 0, true);
    body.key("organisation");
    write_organisation(body, organisation, 0, person.get(0, "role") == "admin");
    body.field("login", true).field("access_token", issued.access_token).field("refresh_token", issued.refresh_token);
    if (restricted)
        body.field("two_factor_authentication_required", true);
    body.end_object();
    issued.body = body.take();
    return issued;
}

Identity AuthService::authenticate(const std::string& token, TokenUse use) {
    const auth::TokenClaims claims = auth::decode_token(token, m_config.secret_key, auth::unix_now());
    if (use == TokenUse::access && claims.type == "refresh")
        throw Error(ErrorKind::unprocessable, "Only non-refresh tokens are allowed",
                    R"({"msg":"Only non-refresh tokens are allowed"})");
    if (use == TokenUse::refresh && claims.type != "refresh")
        throw Error(ErrorKind::unprocessable, "Only refresh tokens are allowed",
                    R"({"msg":"Only refresh tokens are allowed"})");
    const bool known_identity =
        claims.identity_type == "person" || claims.identity_type == "bot" || claims.identity_type == "person_api";
    if (!known_identity || claims.jti.empty() || !is_uuid(claims.sub))
        token_revoked();

    const TokenHolder holder = token_holder(m_pool, claims.sub, claims.jti);
    if (!holder.found || !holder.active)
        throw Error(ErrorKind::unauthorized, unauthorized_message);
    if (holder.revoked || claims.iat < holder.tokens_not_before)
        token_revoked();
    // Long-lived bot and API tokens are valid while the person row names their jti.
    if (claims.identity_type != "person" && holder.jti != claims.jti)
        token_revoked();
    return Identity{claims.sub, holder.role, claims};
}

std::string AuthService::authenticated_body(const Identity& identity) {
    // The web app asks this on every page load: kept while the person, their departments and
    // the organisation stand. An admin's copy shows the organisation's secrets, so the role is
    // in the key.
    db::ChangeFeed& feed = m_pool.changes();
    using AuthenticatedBodies = db::VersionedCache<std::string>;
    return feed.slot<AuthenticatedBodies>().get(
        &feed, identity.person_id + "/" + identity.role, {"person", "department_link", "organisation"}, [&] {
            auto connection = m_pool.acquire();
            const db::Result person = queries::get_person(*connection, identity.person_id);
            if (person.rows() == 0)
                throw Error(ErrorKind::unauthorized, unauthorized_message);
            const db::Result organisation = queries::get_or_create_organisation(*connection);
            JsonWriter body;
            body.begin_object().field("authenticated", true).key("user");
            write_person(body, person, 0, true, queries::fido_device_names_json(*connection, identity.person_id));
            body.key("organisation");
            write_organisation(body, organisation, 0, identity.role == "admin");
            body.end_object();
            return body.take();
        });
}

std::string AuthService::refresh_access_token(const Identity& refresh_identity) {
    auto connection = m_pool.acquire();
    const auto email = connection->exec("SELECT email FROM person WHERE id = $1::uuid", {refresh_identity.person_id});
    const bool restricted = requires_2fa_setup(*connection, refresh_identity.person_id,
                                               email.rows() ? email.optional(0, "email").value_or("") : "");
    return issue(refresh_identity.person_id, "access", new_uuid(), refresh_identity.claims.jti, auth::unix_now(),
                 m_config.jwt_access_seconds, restricted);
}

void AuthService::logout(const Identity& identity) {
    if (identity.claims.identity_type != "person")
        throw_forbidden();
    auto connection = m_pool.acquire();
    db::Transaction tx(*connection);
    queries::revoke_token(*connection, identity.claims.jti, identity.claims.exp);
    if (!identity.claims.refresh_jti.empty())
        queries::revoke_token(*connection, identity.claims.refresh_jti,
                              identity.claims.iat + m_config.jwt_refresh_seconds);
    queries::purge_expired_revocations(*connection);
    tx.commit();
}

std::pair<std::string, std::string> AuthService::issue_tokens(const std::string& person_id) {
    const int64_t now = auth::unix_now();
    const std::string refresh_jti = new_uuid();
    std::string refresh = issue(person_id, "refresh", refresh_jti, "", now, m_config.jwt_refresh_seconds);
    std::string access = issue(person_id, "access", new_uuid(), refresh_jti, now, m_config.jwt_access_seconds);
    return {std::move(access), std::move(refresh)};
}

void AuthService::change_password(const Identity& identity, const std::string& old_password,
                                  const std::string& password, const std::string& confirmation) {
    if (identity.claims.identity_type != "person")
        throw_forbidden();
    auto connection = m_pool.acquire();
    const db::Result person = queries::get_person_with_hash(*connection, identity.person_id);
    if (person.rows() == 0)
        throw Error(ErrorKind::unauthorized, unauthorized_message);
    // Counted before the old password is checked, in one statement, as a login is.
    if (!queries::reserve_login_attempt(*connection, identity.person_id, m_config.max_login_failed_attempts,
                                        m_config.login_lockout_seconds))
        throw Error(ErrorKind::bad_request, "Too many failed login attempts.",
                    R"({"error":true,"message":"Too many failed login attempts.",)"
                    R"("too_many_failed_login_attemps":true})");
    AttemptReservation reservation{*connection, identity.person_id, true};
    // The old password is checked as a login checks it (an LDAP person's by the directory).
    const PasswordVerdict verdict = check_by_strategy(m_config, person, old_password);
    if (verdict == PasswordVerdict::wrong) {
        reservation.held = false; // a failure: it stays counted
        throw Error(ErrorKind::bad_request, "Old password is wrong.");
    }
    if (verdict != PasswordVerdict::accepted)
        throw Error(ErrorKind::bad_request, "Old password is wrong.");
    if (!person.get_bool(0, "active"))
        throw Error(ErrorKind::bad_request, "User is unactive.");
    check_new_password(password, confirmation);
    queries::set_password(*connection, identity.person_id, auth::hash_password(password, m_config.bcrypt_rounds));
}

namespace {

/// The phone, country, studio and departments a provider gave; whether anything changed.
bool apply_profile_details(db::Connection& c, const std::string& person_id, const ExternalIdentity& identity) {
    bool changed = false;
    const auto before = c.exec("SELECT phone, country, studio_id FROM person WHERE id = $1::uuid", {person_id});
    std::optional<std::string> country = before.optional(0, "country");
    if (identity.country) {
        std::string code = *identity.country;
        code.erase(0, code.find_first_not_of(" \t"));
        code.erase(code.find_last_not_of(" \t") + 1);
        for (auto& ch : code)
            ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        if (code.empty())
            country = std::nullopt;
        else if (code.size() == 2 && std::isalpha(static_cast<unsigned char>(code[0])) &&
                 std::isalpha(static_cast<unsigned char>(code[1])))
            country = code;
    }
    std::optional<std::string> studio = before.optional(0, "studio_id");
    if (identity.studio_id && is_uuid(*identity.studio_id) &&
        c.exec("SELECT 1 FROM studio WHERE id = $1::uuid", {*identity.studio_id}).rows() > 0)
        studio = *identity.studio_id;
    const std::optional<std::string> phone =
        identity.phone ? std::optional<std::string>(identity.phone->substr(0, 30)) : before.optional(0, "phone");
    if (phone != before.optional(0, "phone") || country != before.optional(0, "country") ||
        studio != before.optional(0, "studio_id")) {
        c.exec(R"(UPDATE person SET phone = $2, country = $3, studio_id = $4::uuid,
                      updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid)",
               {person_id, phone, country, studio});
        changed = true;
    }
    if (identity.department_ids) {
        // Zou replaces the links (and counts it a change whenever the provider sends them).
        c.exec("DELETE FROM department_link WHERE person_id = $1::uuid", {person_id});
        for (const auto& department : *identity.department_ids)
            if (is_uuid(department))
                c.exec(R"(INSERT INTO department_link (person_id, department_id)
                          SELECT $1::uuid, id FROM department WHERE id = $2::uuid ON CONFLICT DO NOTHING)",
                       {person_id, department});
        changed = true;
    }
    return changed;
}

} // namespace

ExternalSignIn AuthService::sign_in_external(const ExternalIdentity& identity, const std::string& ip_address,
                                             bool skip_2fa_setup) {
    // Zou's EmailType keeps addresses stripped and lower-cased.
    std::string email = identity.email;
    email.erase(0, email.find_first_not_of(" \t"));
    email.erase(email.find_last_not_of(" \t") + 1);
    for (auto& ch : email)
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    auto connection = m_pool.acquire();
    auto& c = *connection;
    std::string person_id;
    {
        db::Transaction transaction(c);
        const auto found = c.exec(R"(SELECT id, first_name, last_name FROM person
                                      WHERE lower(email) = $1 AND is_bot IS NOT TRUE FOR UPDATE)",
                                  {email});
        bool changed = false;
        if (found.rows()) {
            person_id = std::string(found.get(0, "id"));
            changed = (identity.first_name && *identity.first_name != found.optional(0, "first_name")) ||
                      (identity.last_name && *identity.last_name != found.optional(0, "last_name"));
            if (changed)
                c.exec(R"(UPDATE person SET first_name = COALESCE($2, first_name), last_name = COALESCE($3, last_name),
                              updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid)",
                       {person_id, identity.first_name, identity.last_name});
        } else {
            if (queries::user_limit_reached(c, m_config.user_limit))
                throw Error(ErrorKind::bad_request, "User limit reached.", R"({"error":"User limit reached."})");
            queries::NewPerson fields;
            fields.email = email;
            fields.first_name = identity.first_name.value_or("");
            fields.last_name = identity.last_name.value_or("");
            // A password nobody knows: the person signs in through the provider.
            fields.password_hash = auth::hash_password(auth::random_code(48), m_config.bcrypt_rounds);
            fields.timezone = m_config.default_timezone;
            fields.locale = m_config.default_locale;
            person_id = queries::insert_person(c, fields);
            queries::insert_person_event(c, "person:new", person_id);
        }
        changed = apply_profile_details(c, person_id, identity) || changed;
        if (changed && found.rows())
            queries::insert_person_event(c, "person:update", person_id);
        transaction.commit();
    }
    ExternalSignIn signed_in;
    const db::Result person = queries::get_person(c, person_id);
    signed_in.active = person.get_bool(0, "active");
    if (!signed_in.active)
        return signed_in;
    const bool restricted =
        !skip_2fa_setup && requires_2fa_setup(c, person_id, person.optional(0, "email").value_or(""));
    const int64_t now = auth::unix_now();
    const std::string refresh_jti = new_uuid();
    signed_in.refresh_token =
        issue(person_id, "refresh", refresh_jti, "", now, m_config.jwt_refresh_seconds, restricted);
    signed_in.access_token =
        issue(person_id, "access", new_uuid(), refresh_jti, now, m_config.jwt_access_seconds, restricted);
    queries::insert_login_log(c, person_id, ip_address, "web");
    return signed_in;
}

void AuthService::check_new_password(const std::string& password, const std::string& confirmation) const {
    if (static_cast<int>(password.size()) < m_config.min_password_length)
        throw Error(ErrorKind::bad_request, "Password is too short.");
    if (password != confirmation)
        throw Error(ErrorKind::bad_request, "Confirmation password doesn't match.");
}

void AuthService::set_password_by_admin(const Identity& admin, const std::string& person_id,
                                        const std::string& password, const std::string& confirmation) {
    if (!is_uuid(person_id))
        throw_not_found(not_found_message);
    auto connection = m_pool.acquire();
    const db::Result person = queries::get_person_with_hash(*connection, person_id);
    if (person.rows() == 0)
        throw_not_found(not_found_message);
    if (person.get_bool(0, "is_bot"))
        throw_forbidden();
    check_password_change_allowed(m_config, admin, person);
    check_new_password(password, confirmation);
    if (!person.get_bool(0, "active"))
        throw Error(ErrorKind::bad_request, "User is unactive.");
    queries::set_password(*connection, person_id, auth::hash_password(password, m_config.bcrypt_rounds));
}

void check_password_change_allowed(const Config& config, const Identity& admin, const db::Result& person) {
    if (person.get(0, "id") == admin.person_id)
        return;
    const std::string email = person.optional(0, "email").value_or("");
    for (const auto& protected_email : config.protected_accounts)
        if (protected_email == email)
            throw Error(ErrorKind::bad_request, "This user is in protected accounts.");
    if (person.get(0, "role") == "admin" && person.optional(0, "password_hash"))
        throw Error(ErrorKind::bad_request, "An admin can't change another admin's password.");
}

bool create_admin(db::Connection& connection, const Config& config, const std::string& email,
                  const std::string& password) {
    static const std::regex email_pattern(R"(^[^@\s]+@[^@\s]+\.[^@\s]+$)");
    if (!std::regex_match(email, email_pattern))
        throw_bad_request("Email is not valid.");
    if (static_cast<int>(password.size()) < config.min_password_length)
        throw_bad_request("Password is too short.");
    const std::string hash = auth::hash_password(password, config.bcrypt_rounds);
    db::Transaction tx(connection);
    bool created = false;
    if (!queries::update_person_credentials(connection, email, hash, "admin")) {
        queries::NewPerson person;
        person.email = email;
        person.first_name = "Super";
        person.last_name = "Admin";
        person.password_hash = hash;
        person.role = "admin";
        person.timezone = config.default_timezone;
        person.locale = config.default_locale;
        queries::insert_person(connection, person);
        created = true;
    }
    tx.commit();
    return created;
}

} // namespace slate::engine::services
