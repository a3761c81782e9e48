// engine/tasks/project_lists.cpp: the SQL of a production's lists, built on the CRUD row
// reader so that relations come out as the generic routes write them.
#include "engine/tasks/project_lists.h"

#include "engine/crud/queries.h"
#include "engine/db/connection.h"
#include "engine/json.h"
#include "engine/models/catalog.h"
#include "engine/serialize.h"
#include "engine/uuid.h"

namespace slate::engine::tasks {
namespace {

constexpr int64_t records_per_page = 100; // NB_RECORDS_PER_PAGE

/// Rows of `table` (alias "t") selected by `where`, as Zou's get_paginated_results answers
/// them: last changed first (Zou's updated_at DESC), a page or the whole list.
std::string listed(db::Connection& c, const char* table, const char* type, bool relations, const queries::Where& where,
                   const Paging& paging) {
    const auto& schema = models::table(table);
    if (paging.page < 1) {
        const auto rows = queries::select_rows(c, schema, relations, where, queries::Page{0, 0});
        return rows_json(rows, type);
    }
    const int64_t limit = paging.limit > 0 ? paging.limit : records_per_page;
    const int64_t total = queries::count_rows(c, schema, where);
    const int64_t offset = (paging.page - 1) * limit;
    JsonWriter out;
    out.begin_object();
    if (total < offset) {
        out.key("data").begin_array().end_array();
        out.field("total", int64_t(0));
    } else {
        const auto rows = queries::select_rows(c, schema, relations, where, queries::Page{limit, offset});
        out.key("data").raw(rows_json(rows, type));
        out.field("total", total);
    }
    out.field("nb_pages", (total + limit - 1) / limit)
        .field("limit", limit)
        .field("offset", offset)
        .field("page", paging.page);
    out.end_object();
    return out.take();
}

void check_id(const std::optional<std::string>& value, const char* field) {
    if (value && !is_uuid(*value))
        throw_bad_request(std::string("Invalid UUID format for ") + field + ": " + *value);
}

} // namespace

std::string project_tasks_json(db::Connection& c, const services::Identity& caller, const std::string& project_id,
                               const std::optional<std::string>& task_type_id,
                               const std::optional<std::string>& episode_id, const Paging& paging) {
    check_id(task_type_id, "task_type_id");
    check_id(episode_id, "episode_id");
    queries::Where where;
    where.add("t.project_id = " + where.param(project_id) + "::uuid");
    if (task_type_id)
        where.add("t.task_type_id = " + where.param(*task_type_id) + "::uuid");
    if (episode_id) {
        where.reads("entity");
        where.add("t.entity_id IN (SELECT e.id FROM entity e JOIN entity q ON q.id = e.parent_id WHERE q.parent_id = " +
                  where.param(*episode_id) + "::uuid)");
        // Zou narrows for roles only in this branch.
        if (caller.role == "vendor") {
            where.reads("task_person_link");
            where.add("EXISTS (SELECT 1 FROM task_person_link a WHERE a.task_id = t.id AND a.person_id = " +
                      where.param(caller.person_id) + "::uuid)");
        } else if (caller.role != "admin") {
            for (const char* table : {"project_person_link", "project", "project_status"})
                where.reads(table);
            where.add("t.project_id IN " + queries::open_team_projects_sql(where.param(caller.person_id)));
        }
    }
    return listed(c, "task", "Task", true, where, paging);
}

std::string project_comments_json(db::Connection& c, const std::string& project_id, const Paging& paging) {
    queries::Where where;
    where.reads("task");
    where.add("t.object_id IN (SELECT x.id FROM task x WHERE x.project_id = " + where.param(project_id) + "::uuid)");
    return listed(c, "comment", "Comment", true, where, paging);
}

std::string project_preview_files_json(db::Connection& c, const std::string& project_id, const Paging& paging) {
    queries::Where where;
    where.reads("task");
    where.add("t.task_id IN (SELECT x.id FROM task x WHERE x.project_id = " + where.param(project_id) + "::uuid)");
    return listed(c, "preview_file", "PreviewFile", false, where, paging);
}

std::string entity_task_type_tasks_json(db::Connection& c, const std::string& entity_id,
                                        const std::string& task_type_id) {
    if (!is_uuid(task_type_id))
        return "[]";
    return rows_json(c.exec("SELECT * FROM task WHERE entity_id = $1::uuid AND task_type_id = $2::uuid ORDER BY name",
                            {entity_id, task_type_id}),
                     "Task");
}

std::string task_previews_json(db::Connection& c, const std::string& task_id) {
    return rows_json(c.exec("SELECT * FROM preview_file WHERE task_id = $1::uuid ORDER BY revision DESC", {task_id}),
                     "PreviewFile");
}

std::string person_related_tasks_json(db::Connection& c, const std::string& person_id,
                                      const std::string& task_type_id) {
    if (!is_uuid(task_type_id))
        return "[]";
    return rows_json(c.exec("SELECT * FROM task WHERE task_type_id = $2::uuid AND entity_id IN ("
                            "SELECT x.entity_id FROM task x JOIN task_person_link a ON a.task_id = x.id "
                            "AND a.person_id = $1::uuid JOIN project p ON p.id = x.project_id "
                            "JOIN project_status s ON s.id = p.project_status_id AND s.name = 'Open')",
                            {person_id, task_type_id}),
                     "Task");
}

} // namespace slate::engine::tasks
