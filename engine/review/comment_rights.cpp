// engine/review/comment_rights.cpp: the reads behind the comment routes' permission rules.
#include "engine/review/comment_rights.h"

#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/uuid.h"

namespace slate::engine::services {

bool mentioned_on_task(db::Connection& c, const std::string& task_id, const std::string& person_id) {
    return c.exec(R"(SELECT 1 FROM comment cm WHERE cm.object_id = $1::uuid AND (
            EXISTS (SELECT 1 FROM comment_mentions m WHERE m.comment = cm.id AND m.person = $2::uuid)
            OR EXISTS (SELECT 1 FROM comment_department_mentions d JOIN department_link l
                       ON l.department_id = d.department WHERE d.comment = cm.id AND l.person_id = $2::uuid)
            OR cm.replies @> jsonb_build_array(jsonb_build_object('mentions', jsonb_build_array($2::text))))
        LIMIT 1)",
                  {task_id, person_id})
               .rows() > 0;
}

void require_task_status_access(db::Connection& c, const std::string& role, const std::string& task_status_id) {
    if (role != "user" && role != "client")
        return;
    if (!is_uuid(task_status_id))
        throw_not_found(not_found_message);
    const auto status =
        c.exec("SELECT is_artist_allowed, is_client_allowed FROM task_status WHERE id = $1::uuid", {task_status_id});
    if (status.rows() == 0)
        throw_not_found(not_found_message);
    if (!status.get_bool(0, role == "user" ? "is_artist_allowed" : "is_client_allowed"))
        throw_forbidden();
}

std::optional<bool> same_studio(db::Connection& c, const std::string& person_id, const std::string& other_id) {
    const auto row = c.exec(R"(SELECT a.studio_id IS NOT DISTINCT FROM me.studio_id AS same_studio
        FROM person a, person me WHERE a.id = $1::uuid AND me.id = $2::uuid)",
                            {person_id, other_id});
    if (row.rows() == 0)
        return std::nullopt;
    return row.get_bool(0, "same_studio");
}

std::optional<std::string> reply_author(db::Connection& c, const std::string& comment_id, const std::string& reply_id) {
    const auto reply = c.exec(R"(SELECT r->>'person_id' AS person_id FROM comment cm,
                                 jsonb_array_elements(COALESCE(cm.replies, '[]'::jsonb)) r
                                 WHERE cm.id = $1::uuid AND r->>'id' = $2)",
                              {comment_id, reply_id});
    if (reply.rows() == 0)
        return std::nullopt;
    return reply.optional(0, "person_id").value_or("");
}

std::optional<std::string> task_project_id(db::Connection& c, const std::string& task_id) {
    if (!is_uuid(task_id))
        return std::nullopt;
    const auto task = c.exec("SELECT project_id FROM task WHERE id = $1::uuid", {task_id});
    if (task.rows() == 0)
        return std::nullopt;
    return std::string(task.get(0, "project_id"));
}

} // namespace slate::engine::services
