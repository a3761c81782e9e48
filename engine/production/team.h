#pragma once
// engine/production/team.h: a production's team (Zou's ProductionTeamResource and
// ProductionTeamMemberResource over projects_service): who is in it, with their role there.

#include "engine/fwd.h"

#include <optional>
#include <string>

namespace slate::engine::production {

/// The team's persons, each with "project_role" (the team link's role, null when the global
/// role applies): managers see the safe person shape with departments, others Zou's
/// present_minimal (departments empty).
std::string team_json(db::Connection& c, const std::string& project_id, bool manager_view);

/// Adds the person to the team (400 "Person with id … not found" when there is none), then
/// sets their project role when one is given; project:update for each change. Answers the
/// project as serialize() does. The project must exist.
std::string add_team_member(db::Connection& c, const std::string& user_id, const std::string& project_id,
                            const std::string& person_id, const std::optional<std::string>& role);

/// Removes the person from the team, if there; project:update either way, as Zou does.
void remove_team_member(db::Connection& c, const std::string& user_id, const std::string& project_id,
                        const std::string& person_id);

/// Sets (or, null, clears) a team member's role on this production: 400 "Person is not a member
/// of the project team" otherwise. Answers {"project_id", "person_id", "role"}.
std::string set_team_member_role(db::Connection& c, const std::string& user_id, const std::string& project_id,
                                 const std::string& person_id, const std::optional<std::string>& role);

} // namespace slate::engine::production
