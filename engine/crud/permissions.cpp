#include "engine/crud/permissions.h"

#include "engine/access.h"
#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/crud/queries.h"
#include "engine/people/auth_service.h"

namespace slate::engine::crud {

bool allowed(Rule rule, const services::Identity& caller, db::Connection& c, const RowFacts& row) {
    if (caller.role == "admin")
        return true;
    switch (rule) {
    case Rule::admin: return false;
    case Rule::everyone: return true;
    case Rule::manager: return caller.role == "manager";
    case Rule::not_vendor: return caller.role != "vendor";
    case Rule::self_or_admin: return row.person_id && *row.person_id == caller.person_id;
    case Rule::project_member: return row.project_id && queries::project_role(c, *row.project_id, caller.person_id);
    case Rule::project_manager: {
        if (!row.project_id)
            return false;
        // The effective role: the team link's role when set, else the global one.
        const auto role = queries::project_role(c, *row.project_id, caller.person_id);
        return role && *role == "manager";
    }
    case Rule::project_supervisor: {
        if (!row.project_id)
            return false;
        const auto role = queries::project_role(c, *row.project_id, caller.person_id);
        return role && (*role == "manager" || *role == "supervisor");
    }
    }
    return false;
}

void require(Rule rule, const services::Identity& caller, db::Connection& c, const RowFacts& row) {
    if (!allowed(rule, caller, c, row))
        throw_forbidden();
}

namespace {

std::optional<std::string> column(const db::Result& row, const char* name) {
    return row.column_index(name) >= 0 ? row.optional(0, name) : std::nullopt;
}

/// Zou's check_supervisor_project_task_type_access: a manager of the production, or a
/// supervisor there without departments or of the task type's department.
bool supervises_task_type(db::Connection& c, const services::Identity& caller, const RowFacts& facts,
                          const std::optional<std::string>& task_type_id) {
    if (!facts.project_id)
        return false;
    const auto role = queries::project_role(c, *facts.project_id, caller.person_id);
    if (role == std::optional<std::string>("manager"))
        return true;
    if (role != std::optional<std::string>("supervisor"))
        return false;
    return c.exec("SELECT 1 FROM task_type tt WHERE tt.id = $2::uuid AND " +
                      access::supervises_department_sql("$1::uuid", "tt.department_id"),
                  {caller.person_id, task_type_id})
               .rows() > 0;
}

} // namespace

bool may_change_playlist(db::Connection& c, const services::Identity& caller, const std::string& project_id,
                         const std::optional<std::string>& created_by) {
    if (caller.role == "admin")
        return true;
    const auto role = queries::project_role(c, project_id, caller.person_id);
    return role == std::optional<std::string>("manager") ||
           (role == std::optional<std::string>("supervisor") && (!created_by || *created_by == caller.person_id));
}

void require_write(const ModelDescriptor& model, const services::Identity& caller, db::Connection& c,
                   const db::Result& before, const RowFacts& facts, bool removing) {
    if (caller.role == "admin")
        return;
    const std::string& table = model.table;
    bool permitted = false;
    if (table == "playlist") { // check_playlist_update_access, for updates and deletes
        permitted = facts.project_id && may_change_playlist(c, caller, *facts.project_id, column(before, "created_by"));
    } else if (removing) {
        permitted = allowed(model.remove, caller, c, facts);
    } else if (table == "output_file") {
        const auto temporal = column(before, "temporal_entity_id");
        const auto entity = temporal ? temporal : column(before, "entity_id"); // check_working_on_entity
        permitted = allowed(Rule::project_manager, caller, c, facts) ||
                    (entity && queries::assigned_work(c, "entity", *entity, caller.person_id));
    } else if (table == "working_file") {
        const auto task = column(before, "task_id");
        if (!task)
            throw_forbidden();
        access::require_task_action_access(caller, c, *task);
        permitted = true;
    } else if (table == "schedule_item") {
        permitted = supervises_task_type(c, caller, facts, column(before, "task_type_id"));
    } else {
        permitted = allowed(model.update, caller, c, facts);
    }
    if (!permitted)
        throw_forbidden();
}

void require_manager_project_access(const services::Identity& caller, db::Connection& c,
                                    const std::string& project_id) {
    require(Rule::project_manager, caller, c, RowFacts{project_id, std::nullopt});
}

} // namespace slate::engine::crud
