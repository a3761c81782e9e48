// engine/tasks/task_batches.cpp: the SQL of making and removing many tasks at once.
#include "engine/tasks/task_batches.h"

#include "engine/crud/descriptors.h"
#include "engine/crud/queries.h"
#include "engine/crud/values.h"
#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/json.h"
#include "engine/serialize.h"
#include "engine/uuid.h"

#include <algorithm>
#include <set>

namespace slate::engine::tasks {
namespace {

/// The entity types that are not assets (assets_service.get_temporal_type_ids).
constexpr const char* temporal_types = "('Shot', 'Sequence', 'Episode', 'Edit', 'Scene', 'Concept')";

/// Parameters numbered as they are added.
struct Params {
    db::Params values;
    std::string add(const db::Param& value, const char* cast) {
        values.push_back(value);
        return "$" + std::to_string(values.size()) + cast;
    }
};

/// The SQL condition on `e` (joined with its type `et`) choosing the kind.
std::string kind_condition(EntityKind kind, Params& params, const std::string& type_id) {
    switch (kind) {
    case EntityKind::asset: return std::string("et.name NOT IN ") + temporal_types;
    case EntityKind::shot: return "et.name = 'Shot'";
    case EntityKind::edit: return "et.name = 'Edit'";
    case EntityKind::concept_sheet: return "et.name = 'Concept'";
    case EntityKind::named: return "et.id = " + params.add(type_id, "::uuid");
    }
    return "FALSE";
}

/// The status new tasks start on (get_default_status), made when the studio has none.
db::Result default_status(db::Connection& c, bool for_concept) {
    const std::string concept_flag = for_concept ? "true" : "false";
    auto status = c.exec("SELECT * FROM task_status WHERE is_default AND coalesce(for_concept, false) = $1::bool "
                         "ORDER BY created_at LIMIT 1",
                         {concept_flag});
    if (status.rows() == 0)
        status = c.exec("SELECT * FROM task_status WHERE short_name = $2 AND coalesce(for_concept, false) = $1::bool "
                        "LIMIT 1",
                        {concept_flag, for_concept ? "neutral" : "todo"});
    if (status.rows() == 0)
        status = c.exec("INSERT INTO task_status (id, name, short_name, color, priority, is_done, is_artist_allowed, "
                        "is_client_allowed, is_retake, is_feedback_request, is_default, is_wip, for_concept, archived, "
                        "created_at, updated_at) VALUES (gen_random_uuid(), $2, $3, $4, 1, false, true, true, false, "
                        "false, true, false, $1::bool, false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc') "
                        "RETURNING *",
                        {concept_flag, for_concept ? "Neutral" : "Todo", for_concept ? "neutral" : "todo",
                         for_concept ? "#CCCCCC" : "#f5f5f5"});
    return status;
}

/// One event per task, as Zou emits them, in two statements whatever the number of tasks;
/// the data holds the task ids and, when given, their entity and task type ids.
void task_events(db::Connection& c, const std::string& name, const std::string& caller_id,
                 const std::string& project_id, const std::vector<std::string>& ids,
                 const std::vector<std::string>& entity_ids = {}, const std::vector<std::string>& type_ids = {}) {
    if (ids.empty())
        return;
    const bool full = !entity_ids.empty();
    const std::string rows = full ? "unnest($4::uuid[], $5::uuid[], $6::uuid[]) AS r(id, entity_id, task_type_id)"
                                  : "unnest($4::uuid[]) AS r(id)";
    const std::string data = full ? "json_build_object('task_id', r.id, 'entity_id', r.entity_id, 'task_type_id', "
                                    "r.task_type_id)"
                                  : "json_build_object('task_id', r.id)";
    db::Params params{name, caller_id, project_id, crud::array_literal(ids)};
    if (full) {
        params.push_back(crud::array_literal(entity_ids));
        params.push_back(crud::array_literal(type_ids));
    }
    c.exec("INSERT INTO api_event (id, name, user_id, project_id, data, created_at, updated_at) "
           "SELECT gen_random_uuid(), $1, $2::uuid, $3::uuid, " +
               data + "::jsonb, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc' FROM " + rows,
           params);
    c.exec("SELECT pg_notify('slate_events', json_build_object('name', $1::text, 'data', " + data +
               ", 'project_id', $3::text, 'user_id', $2::text)::text) FROM " + rows,
           params);
}

} // namespace

std::string create_tasks(db::Connection& c, const std::string& caller_id, const std::string& project_id,
                         const std::string& task_type_id, EntityKind kind, const std::string& type_name,
                         const std::optional<std::vector<std::string>>& ids,
                         const std::optional<std::string>& episode_id) {
    if (!is_uuid(task_type_id))
        throw_not_found(not_found_message);
    const auto task_type =
        c.exec("SELECT id, name, color, priority FROM task_type WHERE id = $1::uuid", {task_type_id});
    if (task_type.rows() == 0)
        throw_not_found(not_found_message);
    std::string type_id;
    if (kind == EntityKind::named) {
        const auto type = c.exec("SELECT id FROM entity_type WHERE name = $1", {type_name});
        if (type.rows() == 0)
            throw_not_found(not_found_message);
        type_id = std::string(type.get(0, "id"));
    }
    Params params;
    std::string which = "e.project_id = " + params.add(project_id, "::uuid");
    if (ids) {
        // Each id must name an entity of the kind (Zou's get_shot, get_asset... answer 404).
        const std::set<std::string> distinct(ids->begin(), ids->end());
        Params check;
        const std::string chosen = kind == EntityKind::named ? "TRUE" : kind_condition(kind, check, type_id);
        const std::string id_list =
            check.add(crud::array_literal(std::vector<std::string>(distinct.begin(), distinct.end())), "::uuid[]");
        const auto found = c.exec("SELECT count(*) FROM entity e JOIN entity_type et ON et.id = e.entity_type_id "
                                  "WHERE e.id = ANY(" +
                                      id_list + ") AND " + chosen,
                                  check.values);
        if (found.get_int(0, "count") != int64_t(distinct.size()))
            throw_not_found(not_found_message);
        which += " AND e.id = ANY(" + params.add(crud::array_literal(*ids), "::uuid[]") + ")";
    } else {
        which += " AND " + kind_condition(kind, params, type_id);
        if (episode_id) {
            const std::string episode = params.add(*episode_id, "::uuid");
            if (kind == EntityKind::shot)
                which += " AND e.parent_id IN (SELECT id FROM entity WHERE parent_id = " + episode + ")";
            else if (kind == EntityKind::asset)
                which += " AND (e.source_id = " + episode +
                         " OR EXISTS (SELECT 1 FROM entity_link el WHERE "
                         "el.entity_out_id = e.id AND el.entity_in_id = " +
                         episode + "))";
            else
                which += " AND e.parent_id = " + episode;
        }
    }
    db::Transaction transaction(c);
    const auto status = default_status(c, kind == EntityKind::concept_sheet);
    const std::string type = params.add(task_type_id, "::uuid");
    const std::string status_id = params.add(std::string(status.get(0, "id")), "::uuid");
    const std::string assigner = params.add(caller_id, "::uuid");
    const auto tasks = c.exec(
        "INSERT INTO task (id, name, priority, duration, estimation, completion_rate, retake_count, sort_order, "
        "nb_assets_ready, nb_drawings, project_id, task_type_id, task_status_id, entity_id, assigner_id, created_at, "
        "updated_at) SELECT gen_random_uuid(), 'main', 0, 0, 0, 0, 0, 0, 0, 0, e.project_id, " +
            type + ", " + status_id + ", e.id, " + assigner +
            ", now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc' FROM entity e JOIN entity_type et ON "
            "et.id = e.entity_type_id WHERE " +
            which + " AND NOT EXISTS (SELECT 1 FROM task t WHERE t.entity_id = e.id AND t.task_type_id = " + type +
            ") RETURNING *",
        params.values);
    std::vector<std::string> new_ids;
    for (int row = 0; row < tasks.rows(); ++row)
        new_ids.emplace_back(tasks.get(row, "id"));
    task_events(c, "task:new", caller_id, project_id, new_ids);
    transaction.commit();

    JsonWriter out;
    out.begin_array();
    for (int row = 0; row < tasks.rows(); ++row) {
        out.begin_object();
        write_row_fields(out, tasks, row);
        out.field("type", "Task");
        out.key("assignees").begin_array().end_array();
        out.key("task_status_name").string(status.get(0, "name"));
        out.key("task_status_short_name").string(status.get(0, "short_name"));
        out.key("task_status_color").string(status.get(0, "color"));
        out.key("task_type_name").string(task_type.get(0, "name"));
        out.key("task_type_color").string(task_type.get(0, "color"));
        out.key("task_type_priority");
        write_value(out, task_type, 0, task_type.column_index("priority"));
        out.end_object();
    }
    out.end_array();
    return out.take();
}

namespace {

/// Removes the tasks `where` selects (with `params`) and their dependents; task:delete each.
void remove_where(db::Connection& c, const std::string& caller_id, const std::string& project_id,
                  const std::string& where, const db::Params& params, storage::DeletedFiles& deleted) {
    db::Transaction transaction(c);
    const auto tasks = c.exec("SELECT id, entity_id, task_type_id FROM task WHERE " + where, params);
    std::vector<std::string> ids, entity_ids, type_ids;
    for (int row = 0; row < tasks.rows(); ++row) {
        ids.emplace_back(tasks.get(row, "id"));
        entity_ids.emplace_back(tasks.get(row, "entity_id"));
        type_ids.emplace_back(tasks.get(row, "task_type_id"));
    }
    if (!ids.empty())
        queries::delete_cascade(c, crud::find_descriptor("tasks")->schema(), ids, deleted);
    task_events(c, "task:delete", caller_id, project_id, ids, entity_ids, type_ids);
    transaction.commit();
}

} // namespace

std::string remove_tasks(db::Connection& c, const std::string& caller_id, const std::string& project_id,
                         const std::vector<std::string>& ids, storage::DeletedFiles& deleted) {
    remove_where(c, caller_id, project_id, "project_id = $1::uuid AND id = ANY($2::uuid[])",
                 {project_id, crud::array_literal(ids)}, deleted);
    JsonWriter out;
    out.begin_array();
    for (const auto& id : ids)
        out.string(id);
    out.end_array();
    return out.take();
}

void remove_task_type_tasks(db::Connection& c, const std::string& caller_id, const std::string& project_id,
                            const std::string& task_type_id, storage::DeletedFiles& deleted) {
    if (!is_uuid(project_id) || c.exec("SELECT 1 FROM project WHERE id = $1::uuid", {project_id}).rows() == 0)
        throw_not_found(not_found_message);
    if (!is_uuid(task_type_id))
        return;
    remove_where(c, caller_id, project_id, "project_id = $1::uuid AND task_type_id = $2::uuid",
                 {project_id, task_type_id}, deleted);
}

} // namespace slate::engine::tasks
