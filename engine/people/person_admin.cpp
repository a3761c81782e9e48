// engine/people/person_admin.cpp: the SQL of an admin's actions on a person's account.
#include "engine/people/person_admin.h"

#include "engine/auth/password.h"
#include "engine/config.h"
#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/json.h"
#include "engine/people/account_mails.h"
#include "engine/people/auth_service.h"
#include "engine/people/password_reset.h"
#include "engine/people/person_queries.h"
#include "engine/people/persons.h"
#include "engine/people/two_factor.h"
#include "engine/uuid.h"

namespace slate::engine::services {
namespace {

void require_person(db::Connection& c, const std::string& person_id) {
    if (!queries::person_exists(c, person_id))
        throw_not_found(not_found_message);
}

void require_department(db::Connection& c, const std::string& department_id) {
    if (!is_uuid(department_id) || c.exec("SELECT 1 FROM department WHERE id = $1::uuid", {department_id}).rows() == 0)
        throw_bad_request("Department ID matches no department");
}

} // namespace

std::string add_to_department(db::Connection& c, const std::string& person_id, const std::string& department_id,
                              const std::string& user_id) {
    require_department(c, department_id);
    require_person(c, person_id);
    db::Transaction transaction(c);
    c.exec("INSERT INTO department_link (person_id, department_id) VALUES ($1::uuid, $2::uuid) ON CONFLICT DO NOTHING",
           {person_id, department_id});
    queries::insert_person_event(c, "person:update", person_id, user_id);
    transaction.commit();
    JsonWriter out;
    write_person(out, queries::get_person(c, person_id), 0, true);
    return out.take();
}

void remove_from_department(db::Connection& c, const std::string& person_id, const std::string& department_id,
                            const std::string& user_id) {
    require_department(c, department_id);
    require_person(c, person_id);
    db::Transaction transaction(c);
    c.exec("DELETE FROM department_link WHERE person_id = $1::uuid AND department_id = $2::uuid",
           {person_id, department_id});
    queries::insert_person_event(c, "person:update", person_id, user_id);
    transaction.commit();
}

std::string password_reset_link(db::Connection& c, const Config& config, const Identity& admin,
                                const std::string& person_id) {
    if (!is_uuid(person_id))
        throw_not_found(not_found_message);
    const auto person = queries::get_person_with_hash(c, person_id);
    if (person.rows() == 0)
        throw_not_found(not_found_message);
    if (person.get_bool(0, "is_bot"))
        throw_forbidden();
    check_password_change_allowed(config, admin, person);
    const std::string email = person.optional(0, "email").value_or("");
    auto token = queries::live_reset_token(c, email);
    if (!token) {
        token = auth::random_code(64); // Zou's generate_reset_token
        queries::store_reset_token(c, email, *token, 2 * 3600);
    }
    return password_reset_url(config, email, *token);
}

Mail disable_two_factor_by_admin(db::Connection& c, const Identity& admin, const std::string& person_id,
                                 const std::string& admin_ip) {
    if (!is_uuid(person_id))
        throw_not_found(not_found_message);
    const auto person = queries::get_person(c, person_id);
    if (person.rows() == 0)
        throw_not_found(not_found_message);
    if (person.get_bool(0, "is_bot"))
        throw_forbidden();
    if (person.get(0, "role") == "admin" && person_id != admin.person_id)
        throw_bad_request("An admin can't disable 2FA for other admins.");
    if (!has_two_factor(c, person_id))
        throw_bad_request("Two factor authentication not enabled for this user.");
    c.exec("UPDATE person SET email_otp_enabled = false, email_otp_secret = NULL, totp_enabled = false, "
           "totp_secret = NULL, fido_enabled = false, fido_credentials = NULL, otp_recovery_codes = NULL, "
           "preferred_two_factor_authentication = NULL WHERE id = $1::uuid",
           {person_id});
    return two_factor_disabled_mail(c, person_id, admin_ip);
}

} // namespace slate::engine::services
