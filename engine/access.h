#pragma once
// engine/access.h: Zou's per-object access checks (permissions_service: check_project_access,
// check_entity_access, check_task_access, check_task_action_access), for the routes that name
// them. Each require_* throws Zou's 403 when denied. Once the caller belongs to the project,
// role checks use their effective role there (the team link's role when set).

#include "engine/fwd.h"

#include <optional>
#include <string>
#include <string_view>

namespace slate::engine::access {

/// What a route's path names: the dispatcher loads it (404 with Zou's message when the id is
/// malformed or absent) and checks the caller's access to it before the handler runs.
enum class SubjectKind { project, entity, task, comment, preview, playlist };

/// The loaded subject: its id and what the access rules and handlers read of it.
struct Subject {
    SubjectKind kind = SubjectKind::project;
    std::string id;
    std::string project_id;
    std::string entity_id;                          ///< entity, task, preview; a comment's task's entity
    std::string task_id;                            ///< task, preview; a comment's object (its task)
    std::string task_status_id;                     ///< task
    std::string task_type_department;               ///< task, preview: the task type's department ("" when none)
    std::string person_id;                          ///< comment: its author
    std::optional<std::string> created_by;          ///< playlist, entity
    std::optional<std::string> revision, extension; ///< preview
    bool for_client = false;                        ///< playlist
};

/// Loads the subject `id` of that kind with one query; 404 when malformed or absent.
Subject load_subject(db::Connection& c, SubjectKind kind, const std::string& id);

/// The per-object rule a route asks of its subject (Zou's permissions_service names).
enum class Check {
    none,
    project_access,     ///< check_project_access on the subject's project
    reader,             ///< block_access_to_vendor, then check_project_access
    entity_access,      ///< project access, then check_entity_access (vendors: assigned work)
    task_access,        ///< check_task_access on the subject's task
    task_action_access, ///< check_task_action_access on the subject's task
    manager,            ///< check_manager_project_access: admin or a manager of the project
};

/// Runs `check` for the caller on `subject`; throws Zou's 403 when denied.
void check_subject(const services::Identity& caller, db::Connection& c, const Subject& subject, Check check);

/// The caller's role on a project: the global role for admins and non-members, else the team
/// link's role when set, else the global role.
std::string effective_role(const services::Identity& caller, db::Connection& c, const std::string& project_id);

/// Admin, or a member of the project's team.
bool has_project_access(const services::Identity& caller, db::Connection& c, const std::string& project_id);
void require_project_access(const services::Identity& caller, db::Connection& c, const std::string& project_id);

/// Anyone but a vendor; a vendor needs a task of the entity assigned to them.
/// `project_id` gives the project the vendor role is read on.
void require_entity_access(const services::Identity& caller, db::Connection& c, const std::string& project_id,
                           const std::string& entity_id);

/// Project access, then entity access on the task's entity.
void require_task_access(const services::Identity& caller, db::Connection& c, const std::string& project_id,
                         const std::string& entity_id);

/// SQL that is true when the person supervises the department (both SQL expressions, e.g.
/// "$1::uuid" and "tt.department_id"): a supervisor of no department supervises every one, as
/// in Zou's permission checks.
std::string supervises_department_sql(std::string_view person, std::string_view department);

/// Acting on a task: admin; a team member who is manager or client there; an assignee; a
/// supervisor without departments or of the task type's department; the entity's creator.
void require_task_action_access(const services::Identity& caller, db::Connection& c, const std::string& task_id);

} // namespace slate::engine::access
