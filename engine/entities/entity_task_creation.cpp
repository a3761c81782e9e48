#include "engine/entities/entity_task_creation.h"

#include "engine/crud/queries.h"
#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/json.h"
#include "engine/production/production_common.h"
#include "engine/serialize.h"
#include "engine/uuid.h"

#include <algorithm>
#include <set>

namespace slate::engine::entities {
namespace {

std::set<std::string> ids_of(const db::Result& rows) {
    std::set<std::string> ids;
    for (int row = 0; row < rows.rows(); ++row)
        ids.emplace(rows.get(row, 0));
    return ids;
}

/// The default status (get_or_create_status): created when the database has none.
std::string default_status(db::Connection& c, bool for_concept) {
    const auto found = c.exec("SELECT id FROM task_status WHERE is_default AND COALESCE(for_concept, false) = $1 "
                              "ORDER BY created_at LIMIT 1",
                              {for_concept ? "true" : "false"});
    if (found.rows() > 0)
        return std::string(found.get(0, 0));
    const std::string id = new_uuid();
    c.exec(R"(INSERT INTO task_status (id, name, short_name, color, is_done, is_retake, is_feedback_request,
            is_default, is_wip, for_concept, is_artist_allowed, is_client_allowed, archived, priority,
            created_at, updated_at)
        VALUES ($1::uuid, $2, $3, $4, false, false, false, true, false, $5::boolean, true, true, false, 1,
                now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'))",
           {id, for_concept ? "Neutral" : "Todo", for_concept ? "neutral" : "todo",
            for_concept ? "#CCCCCC" : "#f5f5f5", for_concept ? "true" : "false"});
    JsonWriter data;
    queries::insert_event(c, "task-status:new", std::nullopt, std::nullopt,
                          data.begin_object().field("task_status_id", id).end_object().take());
    return id;
}

} // namespace

std::string create_entity_tasks(db::Connection& c, const std::string& user_id, const std::string& entity_id,
                                const std::vector<std::string>& task_type_ids) {
    const auto entity = c.exec(R"(SELECT e.id, e.project_id, e.entity_type_id, t.name AS type_name
        FROM entity e JOIN entity_type t ON t.id = e.entity_type_id WHERE e.id = $1::uuid)",
                               {entity_id});
    const std::string project_id(entity.get(0, "project_id"));
    const std::string entity_type_id(entity.get(0, "entity_type_id"));
    const std::string type_name(entity.get(0, "type_name"));
    static const std::vector<std::string> temporal = {"Shot", "Sequence", "Scene", "Edit", "Concept", "Episode"};
    const bool is_asset = std::find(temporal.begin(), temporal.end(), type_name) == temporal.end();
    const std::string kind = is_asset ? "Asset" : type_name;
    const auto enabled =
        ids_of(c.exec("SELECT task_type_id FROM project_task_type_link WHERE project_id = $1::uuid", {project_id}));
    std::optional<std::set<std::string>> workflow;
    if (is_asset) {
        auto linked = ids_of(c.exec("SELECT task_type_id FROM task_type_asset_type_link WHERE asset_type_id = $1::uuid",
                                    {entity_type_id}));
        if (!linked.empty())
            workflow = std::move(linked);
    }

    std::vector<std::string> chosen;
    if (task_type_ids.empty()) {
        for (const auto& id : enabled)
            if (!workflow || workflow->count(id))
                chosen.push_back(id);
        if (!chosen.empty()) {
            std::string list;
            for (const auto& id : chosen)
                list += (list.empty() ? "" : ",") + id;
            const auto fitting = c.exec("SELECT id FROM task_type WHERE id = ANY($1::uuid[]) AND "
                                        "(COALESCE(for_entity, '') = '' OR for_entity = $2)",
                                        {"{" + list + "}", kind});
            chosen.clear();
            for (const auto& id : ids_of(fitting))
                chosen.push_back(id);
        }
    } else {
        for (const auto& id : task_type_ids) {
            const auto type = is_uuid(id) ? c.exec("SELECT for_entity FROM task_type WHERE id = $1::uuid", {id})
                                          : db::Result();
            if (type.rows() == 0)
                throw_not_found(not_found_message);
            const std::string expected(type.get(0, 0));
            if (!expected.empty() && expected != kind)
                throw_wrong_parameter("Task type " + id + " is for " + expected + " entities, got " + kind + ".");
            if (!enabled.count(id))
                throw_wrong_parameter("Task type " + id + " is not enabled in project " + project_id + ".");
            if (workflow && !workflow->count(id))
                throw_wrong_parameter("Task type " + id + " is not in the workflow of asset type " +
                                            entity_type_id + ".");
            chosen.push_back(id);
        }
    }

    db::Transaction tx(c);
    const std::string status = default_status(c, type_name == "Concept");
    JsonWriter out;
    out.begin_array();
    for (const auto& type_id : chosen) {
        if (c.exec("SELECT 1 FROM task WHERE entity_id = $1::uuid AND task_type_id = $2::uuid AND name = 'main'",
                   {entity_id, type_id})
                .rows() > 0)
            continue;
        const std::string id = new_uuid();
        c.exec(R"(INSERT INTO task (id, name, priority, difficulty, duration, estimation, completion_rate,
                retake_count, sort_order, nb_assets_ready, nb_drawings, project_id, task_type_id, task_status_id,
                entity_id, assigner_id, created_at, updated_at)
            VALUES ($1::uuid, 'main', 0, 3, 0, 0, 0, 0, 0, 0, 0, $2::uuid, $3::uuid, $4::uuid, $5::uuid, $6::uuid,
                    now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'))",
               {id, project_id, type_id, status, entity_id, user_id});
        const auto row = c.exec(production::select_model_sql("task", false) + " WHERE t.id = $1::uuid", {id});
        const auto names = c.exec(R"(SELECT s.name, s.short_name, s.color, y.name AS type_name, y.color AS type_color,
                y.priority FROM task t JOIN task_status s ON s.id = t.task_status_id
                JOIN task_type y ON y.id = t.task_type_id WHERE t.id = $1::uuid)",
                                  {id});
        out.begin_object();
        write_row_fields(out, row, 0);
        out.field("type", "Task").key("assignees").begin_array().end_array();
        out.field("task_status_name", names.get(0, "name"))
            .field("task_status_short_name", names.get(0, "short_name"))
            .field("task_status_color", names.get(0, "color"))
            .field("task_type_name", names.get(0, "type_name"))
            .field("task_type_color", names.get(0, "type_color"))
            .key("task_type_priority");
        write_value(out, names, 0, names.column_index("priority"));
        out.end_object();
        production::emit_project_event(c, "task:new", user_id, project_id, {{"task_id", id}});
    }
    out.end_array();
    tx.commit();
    return out.take();
}

} // namespace slate::engine::entities
