#pragma once
// engine/people/person_admin.h: what an admin does to a person's account (Zou's persons_service
// add_to_department, remove_from_department, get_or_create_password_reset_link;
// auth_service.disable_two_factor_authentication_for_person and its mail).

#include "engine/fwd.h"
#include "engine/mail.h"

#include <string>

namespace slate::engine::services {

/// Adds the person to the department (person:update); answers the person with relations.
/// 404 for an unknown person; 400 "Department ID matches no department".
std::string add_to_department(db::Connection& c, const std::string& person_id, const std::string& department_id,
                              const std::string& user_id);
/// Removes the person from it (person:update), same errors.
void remove_from_department(db::Connection& c, const std::string& person_id, const std::string& department_id,
                            const std::string& user_id);

/// The link of the "forgot my password" mail for the person: a live token is reused, else a
/// new one lives two hours. 404 unknown, 403 bot, 400 for a protected account or another
/// admin with a password (check_password_change_allowed).
std::string password_reset_link(db::Connection& c, const Config& config, const Identity& admin,
                                const std::string& person_id);

/// Turns every second factor of the person off and drops their recovery codes; answers the
/// mail that tells them (IP: the admin's, may be empty). 400 for another admin or when none is
/// on, with Zou's messages.
Mail disable_two_factor_by_admin(db::Connection& c, const Identity& admin, const std::string& person_id,
                                 const std::string& admin_ip);

} // namespace slate::engine::services
