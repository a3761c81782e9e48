#include "engine/crud/project_link_queries.h"

#include "engine/uuid.h"

namespace slate::engine::queries {
namespace {

struct LinkTable {
    const char* table;
    const char* target_column;
};

LinkTable link_table(ProjectLink kind) {
    return kind == ProjectLink::task_type ? LinkTable{"project_task_type_link", "task_type_id"}
                                          : LinkTable{"project_task_status_link", "task_status_id"};
}

} // namespace

db::Result upsert_project_link(db::Connection& c, ProjectLink kind, const std::string& project_id,
                               const std::string& target_id, const db::Param& priority,
                               const db::Param& roles_for_board) {
    const LinkTable link = link_table(kind);
    const std::string table = link.table, target = link.target_column;
    const bool with_roles = kind == ProjectLink::task_status;
    auto updated =
        c.exec("UPDATE " + table + " SET priority = $3::int" + (with_roles ? ", roles_for_board = $4::varchar[]" : "") +
                   ", updated_at = now() AT TIME ZONE 'utc' WHERE project_id = $1::uuid "
                   "AND " +
                   target + " = $2::uuid RETURNING *",
               with_roles ? db::Params{project_id, target_id, priority, roles_for_board}
                          : db::Params{project_id, target_id, priority});
    if (updated.rows() > 0)
        return updated;
    // Zou's model default for the board roles when a status link is created without them.
    const std::string roles_value =
        "COALESCE($5::varchar[], ARRAY['user','admin','supervisor','manager','vendor']::varchar[])";
    return c.exec("INSERT INTO " + table + " (id, project_id, " + target + ", priority" +
                      (with_roles ? ", roles_for_board" : "") +
                      ", created_at, updated_at) VALUES ($1::uuid, $2::uuid, $3::uuid, $4::int" +
                      (with_roles ? ", " + roles_value : std::string()) +
                      ", now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc') RETURNING *",
                  with_roles ? db::Params{new_uuid(), project_id, target_id, priority, roles_for_board}
                             : db::Params{new_uuid(), project_id, target_id, priority});
}

db::Result set_project_link_priority(db::Connection& c, ProjectLink kind, const std::string& project_id,
                                     const std::string& target_id, int priority) {
    const LinkTable link = link_table(kind);
    return c.exec(std::string("UPDATE ") + link.table +
                      " SET priority = $3::int, updated_at = now() AT TIME ZONE 'utc' "
                      "WHERE project_id = $1::uuid AND " +
                      link.target_column + " = $2::uuid RETURNING *",
                  {project_id, target_id, std::to_string(priority)});
}

db::Result set_task_type_priority(db::Connection& c, const std::string& task_type_id, int priority) {
    return c.exec("UPDATE task_type SET priority = $2::int, updated_at = now() AT TIME ZONE 'utc' "
                  "WHERE id = $1::uuid RETURNING *",
                  {task_type_id, std::to_string(priority)});
}

} // namespace slate::engine::queries
