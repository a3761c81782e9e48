#include "engine/access.h"

#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/crud/queries.h"
#include "engine/people/auth_service.h"

namespace slate::engine::access {

std::string effective_role(const services::Identity& caller, db::Connection& c,
                           const std::string& project_id) {
    if (caller.role == "admin")
        return caller.role;
    return queries::project_role(c, project_id, caller.person_id).value_or(caller.role);
}

bool has_project_access(const services::Identity& caller, db::Connection& c,
                        const std::string& project_id) {
    return caller.role == "admin" || queries::project_role(c, project_id, caller.person_id);
}

void require_project_access(const services::Identity& caller, db::Connection& c,
                            const std::string& project_id) {
    if (!has_project_access(caller, c, project_id))
        throw_forbidden();
}

void require_entity_access(const services::Identity& caller, db::Connection& c,
                           const std::string& project_id, const std::string& entity_id) {
    if (effective_role(caller, c, project_id) != "vendor")
        return;
    const auto assigned = c.exec(R"(SELECT 1 FROM task t
        JOIN task_person_link a ON a.task_id = t.id AND a.person_id = $2::uuid
        WHERE t.entity_id = $1::uuid LIMIT 1)",
                                 {entity_id, caller.person_id});
    if (assigned.rows() == 0)
        throw_forbidden();
}

void require_task_access(const services::Identity& caller, db::Connection& c,
                         const std::string& project_id, const std::string& entity_id) {
    require_project_access(caller, c, project_id);
    require_entity_access(caller, c, project_id, entity_id);
}

void require_task_action_access(const services::Identity& caller, db::Connection& c,
                                const std::string& task_id) {
    if (caller.role == "admin")
        return;
    const auto task = c.exec(R"(SELECT t.project_id, t.entity_id, tt.department_id, e.created_by,
            EXISTS (SELECT 1 FROM task_person_link a
                    WHERE a.task_id = t.id AND a.person_id = $2::uuid) AS assigned,
            EXISTS (SELECT 1 FROM department_link d
                    WHERE d.person_id = $2::uuid) AS has_departments,
            EXISTS (SELECT 1 FROM department_link d
                    WHERE d.person_id = $2::uuid AND d.department_id = tt.department_id) AS in_department
        FROM task t JOIN task_type tt ON tt.id = t.task_type_id JOIN entity e ON e.id = t.entity_id
        WHERE t.id = $1::uuid)",
                             {task_id, caller.person_id});
    if (task.rows() == 0)
        throw_not_found(not_found_message);
    const std::string project_id(task.get(0, "project_id"));
    const auto role = queries::project_role(c, project_id, caller.person_id);
    if (!role)
        throw_forbidden();
    if (*role == "manager" || *role == "client" || task.get_bool(0, "assigned"))
        return;
    if (*role == "supervisor" && (!task.get_bool(0, "has_departments") || task.get_bool(0, "in_department")))
        return;
    if (task.optional(0, "created_by") == caller.person_id)
        return;
    throw_forbidden();
}

} // namespace slate::engine::access
