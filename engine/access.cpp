#include "engine/access.h"

#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/uuid.h"
#include "engine/crud/queries.h"
#include "engine/people/auth_service.h"

namespace slate::engine::access {

std::string effective_role(const services::Identity& caller, db::Connection& c, const std::string& project_id) {
    if (caller.role == "admin")
        return caller.role;
    return queries::project_role(c, project_id, caller.person_id).value_or(caller.role);
}

bool has_project_access(const services::Identity& caller, db::Connection& c, const std::string& project_id) {
    return caller.role == "admin" || queries::project_role(c, project_id, caller.person_id);
}

void require_project_access(const services::Identity& caller, db::Connection& c, const std::string& project_id) {
    if (!has_project_access(caller, c, project_id))
        throw_forbidden();
}

void require_entity_access(const services::Identity& caller, db::Connection& c, const std::string& project_id,
                           const std::string& entity_id) {
    if (effective_role(caller, c, project_id) != "vendor")
        return;
    const auto assigned = c.exec(R"(SELECT 1 FROM task t
        JOIN task_person_link a ON a.task_id = t.id AND a.person_id = $2::uuid
        WHERE t.entity_id = $1::uuid LIMIT 1)",
                                 {entity_id, caller.person_id});
    if (assigned.rows() == 0)
        throw_forbidden();
}

void require_task_access(const services::Identity& caller, db::Connection& c, const std::string& project_id,
                         const std::string& entity_id) {
    require_project_access(caller, c, project_id);
    require_entity_access(caller, c, project_id, entity_id);
}

namespace {

Subject subject_row(db::Connection& c, SubjectKind kind, const std::string& id) {
    // One prepared statement per kind: the dispatcher runs these on nearly every request.
    static const char* const statements[] = {
        // project
        "SELECT p.id, p.id AS project_id FROM project p WHERE p.id = $1::uuid",
        // entity
        "SELECT e.id, e.project_id, e.id AS entity_id, e.created_by FROM entity e WHERE e.id = $1::uuid",
        // task
        R"(SELECT t.id, t.project_id, t.entity_id, t.id AS task_id, t.task_status_id, tt.department_id
           FROM task t JOIN task_type tt ON tt.id = t.task_type_id WHERE t.id = $1::uuid)",
        // comment (on a task, or on another object: then no task facts)
        R"(SELECT cm.id, t.project_id, t.entity_id, cm.object_id AS task_id, cm.person_id
           FROM comment cm LEFT JOIN task t ON t.id = cm.object_id WHERE cm.id = $1::uuid)",
        // preview
        R"(SELECT p.id, t.project_id, t.entity_id, p.task_id, tt.department_id, p.revision, p.extension
           FROM preview_file p JOIN task t ON t.id = p.task_id JOIN task_type tt ON tt.id = t.task_type_id
           WHERE p.id = $1::uuid)",
        // playlist
        "SELECT pl.id, pl.project_id, pl.created_by, pl.for_client FROM playlist pl WHERE pl.id = $1::uuid",
    };
    const auto row = c.exec_prepared(statements[static_cast<int>(kind)], {id});
    if (row.rows() == 0)
        throw_not_found(not_found_message);
    auto text = [&](const char* column) {
        return row.column_index(column) >= 0 ? row.optional(0, column).value_or("") : std::string();
    };
    Subject subject;
    subject.kind = kind;
    subject.id = text("id"); // the database's form of the id (lower case), for events and answers
    subject.project_id = text("project_id");
    subject.entity_id = text("entity_id");
    subject.task_id = text("task_id");
    subject.task_status_id = text("task_status_id");
    subject.task_type_department = text("department_id");
    subject.person_id = text("person_id");
    if (row.column_index("created_by") >= 0)
        subject.created_by = row.optional(0, "created_by");
    if (row.column_index("revision") >= 0) {
        subject.revision = row.optional(0, "revision");
        subject.extension = row.optional(0, "extension");
    }
    subject.for_client =
        row.column_index("for_client") >= 0 && row.optional(0, "for_client") == std::optional<std::string>("t");
    return subject;
}

} // namespace

Subject load_subject(db::Connection& c, SubjectKind kind, const std::string& id) {
    if (!is_uuid(id))
        throw_not_found(not_found_message);
    return subject_row(c, kind, id);
}

void check_subject(const services::Identity& caller, db::Connection& c, const Subject& subject, Check check) {
    switch (check) {
    case Check::none: return;
    case Check::project_access: require_project_access(caller, c, subject.project_id); return;
    case Check::reader:
        require_project_access(caller, c, subject.project_id);
        if (effective_role(caller, c, subject.project_id) == "vendor")
            throw_forbidden();
        return;
    case Check::entity_access:
        require_project_access(caller, c, subject.project_id);
        require_entity_access(caller, c, subject.project_id, subject.entity_id);
        return;
    case Check::task_access: require_task_access(caller, c, subject.project_id, subject.entity_id); return;
    case Check::task_action_access: require_task_action_access(caller, c, subject.task_id); return;
    case Check::manager: // a team member whose role there is manager
        if (caller.role != "admin" &&
            queries::project_role(c, subject.project_id, caller.person_id) != std::optional<std::string>("manager"))
            throw_forbidden();
        return;
    }
}

std::string supervises_department_sql(std::string_view person, std::string_view department) {
    const std::string who(person);
    return "(NOT EXISTS (SELECT 1 FROM department_link d WHERE d.person_id = " + who +
           ") OR EXISTS (SELECT 1 FROM department_link d WHERE d.person_id = " + who +
           " AND d.department_id = " + std::string(department) + "))";
}

void require_task_action_access(const services::Identity& caller, db::Connection& c, const std::string& task_id) {
    if (caller.role == "admin")
        return;
    const auto task = c.exec(R"(SELECT t.project_id, t.entity_id, tt.department_id, e.created_by,
            EXISTS (SELECT 1 FROM task_person_link a
                    WHERE a.task_id = t.id AND a.person_id = $2::uuid) AS assigned,
            )" + supervises_department_sql("$2::uuid", "tt.department_id") + R"( AS supervised
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
    if (*role == "supervisor" && task.get_bool(0, "supervised"))
        return;
    if (task.optional(0, "created_by") == caller.person_id)
        return;
    throw_forbidden();
}

} // namespace slate::engine::access
