#pragma once
// engine/access.h: Zou's per-object access checks (permissions_service: check_project_access,
// check_entity_access, check_task_access, check_task_action_access), for the routes that name
// them. Each require_* throws Zou's 403 when denied. Once the caller belongs to the project,
// role checks use their effective role there (the team link's role when set).

#include "engine/fwd.h"

#include <string>

namespace slate::engine::access {

/// The caller's role on a project: the global role for admins and non-members, else the team
/// link's role when set, else the global role.
std::string effective_role(const services::Identity& caller, db::Connection& c,
                           const std::string& project_id);

/// Admin, or a member of the project's team.
bool has_project_access(const services::Identity& caller, db::Connection& c,
                        const std::string& project_id);
void require_project_access(const services::Identity& caller, db::Connection& c,
                            const std::string& project_id);

/// Anyone but a vendor; a vendor needs a task of the entity assigned to them.
/// `project_id` gives the project the vendor role is read on.
void require_entity_access(const services::Identity& caller, db::Connection& c,
                           const std::string& project_id, const std::string& entity_id);

/// Project access, then entity access on the task's entity.
void require_task_access(const services::Identity& caller, db::Connection& c,
                         const std::string& project_id, const std::string& entity_id);

/// Acting on a task: admin; a team member who is manager or client there; an assignee; a
/// supervisor without departments or of the task type's department; the entity's creator.
void require_task_action_access(const services::Identity& caller, db::Connection& c,
                                const std::string& task_id);

} // namespace slate::engine::access
