#include "engine/production/schedule.h"

#include "engine/db/connection.h"
#include "engine/json.h"
#include "engine/production/production_common.h"
#include "engine/serialize.h"
#include "engine/uuid.h"

#include <algorithm>
#include <map>
#include <vector>

namespace slate::engine::production {
namespace {

/// present()'s columns of a schedule item.
constexpr const char* item_columns = "s.id, s.start_date, s.end_date, s.man_days, s.project_id, s.task_type_id, "
                                     "s.object_id";

/// Makes an item (today to tomorrow, as Zou's date.today() in UTC) and tells clients.
std::string create_item(db::Connection& c, const std::string& user_id, const std::string& project_id,
                        const std::string& task_type_id, const std::optional<std::string>& object_id) {
    const std::string id = new_uuid();
    c.exec(R"(INSERT INTO schedule_item (id, project_id, task_type_id, object_id, start_date, end_date,
                                         created_at, updated_at)
              VALUES ($1::uuid, $2::uuid, $3::uuid, $4::uuid, (now() AT TIME ZONE 'utc')::date,
                      (now() AT TIME ZONE 'utc')::date + 1, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'))",
           {id, project_id, task_type_id, object_id});
    emit_project_event(c, "schedule-item:new", user_id, project_id, {{"schedule_item_id", id}});
    return id;
}

/// One item in present()'s shape, with the name of its object when given.
void write_item(JsonWriter& out, const db::Result& rows, int row, const std::string* name) {
    out.begin_object();
    write_row_fields(out, rows, row);
    if (name)
        out.field("name", *name);
    out.end_object();
}

/// The objects a level's items are made for, as (id, name): the SQL over $1 (project) and, when
/// given, $2 (episode).
std::string objects_sql(ScheduleLevel level, bool by_episode) {
    switch (level) {
    case ScheduleLevel::asset_type:
        return std::string(R"(SELECT DISTINCT et.id::text AS id, et.name FROM entity e
            JOIN entity_type et ON et.id = e.entity_type_id
            WHERE e.project_id = $1::uuid
              AND et.name NOT IN ('Shot', 'Scene', 'Sequence', 'Episode', 'Edit', 'Concept'))") +
               (by_episode ? " AND e.source_id = $2::uuid" : "");
    case ScheduleLevel::episode:
        return std::string(R"(SELECT e.id::text AS id, e.name FROM entity e
            JOIN entity_type et ON et.id = e.entity_type_id AND et.name = 'Episode'
            WHERE e.project_id = $1::uuid)") +
               (by_episode ? " AND e.id = $2::uuid" : "");
    case ScheduleLevel::sequence:
        return std::string(R"(SELECT e.id::text AS id, e.name FROM entity e
            JOIN entity_type et ON et.id = e.entity_type_id AND et.name = 'Sequence'
            WHERE e.project_id = $1::uuid)") +
               (by_episode ? " AND e.parent_id = $2::uuid" : "");
    case ScheduleLevel::edit:
        return std::string(R"(SELECT e.id::text AS id, e.name FROM entity e
            JOIN entity_type et ON et.id = e.entity_type_id AND et.name = 'Edit'
            WHERE e.project_id = $1::uuid AND NOT COALESCE(e.canceled, false))") +
               (by_episode ? " AND e.parent_id = $2::uuid" : "");
    }
    return {};
}

} // namespace

std::string schedule_items_json(db::Connection& c, const std::string& project_id) {
    return rows_json(c.exec(select_model_sql("schedule_item", false) + " WHERE t.project_id = $1::uuid", {project_id}),
                     "ScheduleItem");
}

std::string task_type_schedule_items_json(db::Connection& c, const std::string& user_id,
                                          const std::string& project_id) {
    db::Transaction tx(c);
    const auto task_types = c.exec(R"(SELECT DISTINCT tt.id::text AS id FROM task_type tt
        JOIN task t ON t.task_type_id = tt.id
        WHERE t.project_id = $1::uuid AND tt.for_entity IN ('Asset', 'Shot', 'Sequence', 'Episode', 'Edit'))",
                                   {project_id});
    auto existing = [&] {
        return c.exec("SELECT " + std::string(item_columns) +
                          " FROM schedule_item s WHERE s.project_id = $1::uuid AND s.object_id IS NULL",
                      {project_id});
    };
    auto items = existing();
    std::vector<std::string> used;
    for (int row = 0; row < task_types.rows(); ++row)
        used.emplace_back(task_types.get(row, "id"));
    bool created = false;
    for (const auto& task_type : used) {
        bool found = false;
        for (int row = 0; row < items.rows() && !found; ++row)
            found = items.optional(row, "task_type_id") == task_type;
        if (!found) {
            create_item(c, user_id, project_id, task_type, std::nullopt);
            created = true;
        }
    }
    if (created)
        items = existing();
    // Items of task types the production no longer uses stay stored but are not answered.
    std::vector<int> kept;
    for (int row = 0; row < items.rows(); ++row) {
        const auto task_type = items.optional(row, "task_type_id");
        if (!task_type || std::count(used.begin(), used.end(), *task_type))
            kept.push_back(row);
    }
    std::stable_sort(kept.begin(), kept.end(), [&](int a, int b) {
        return items.optional(a, "start_date").value_or("") < items.optional(b, "start_date").value_or("");
    });
    JsonWriter out;
    out.begin_array();
    for (int row : kept)
        write_item(out, items, row, nullptr);
    out.end_array();
    tx.commit();
    return out.take();
}

std::string entity_schedule_items_json(db::Connection& c, const std::string& user_id, const std::string& project_id,
                                       const std::string& task_type_id, ScheduleLevel level,
                                       const std::optional<std::string>& episode_id) {
    db::Params object_params{project_id};
    if (episode_id)
        object_params.push_back(*episode_id);
    db::Transaction tx(c);
    const auto objects = c.exec(objects_sql(level, episode_id.has_value()), object_params);
    std::map<std::string, std::string> name_of;
    for (int row = 0; row < objects.rows(); ++row)
        name_of[std::string(objects.get(row, "id"))] = objects.get(row, "name");
    // The items of the level: joined to their object's table, of that type.
    const std::string object_table = level == ScheduleLevel::asset_type ? "entity_type" : "entity";
    std::string sql = "SELECT " + std::string(item_columns) + " FROM schedule_item s JOIN " + object_table +
                      " o ON o.id = s.object_id WHERE s.project_id = $1::uuid AND s.task_type_id = $2::uuid";
    if (level != ScheduleLevel::asset_type) {
        const char* type = level == ScheduleLevel::episode    ? "Episode"
                           : level == ScheduleLevel::sequence ? "Sequence"
                                                              : "Edit";
        sql +=
            std::string(" AND o.entity_type_id IN (SELECT et.id FROM entity_type et WHERE et.name = '") + type + "')";
    }
    auto existing = [&] { return c.exec(sql, {project_id, task_type_id}); };
    auto items = existing();
    bool created = false;
    for (const auto& [object_id, name] : name_of) {
        bool found = false;
        for (int row = 0; row < items.rows() && !found; ++row)
            found = items.optional(row, "object_id") == object_id;
        if (!found) {
            create_item(c, user_id, project_id, task_type_id, object_id);
            created = true;
        }
    }
    if (created)
        items = existing();
    // Only the items of the objects asked for are answered (those of other objects, or of
    // other episodes, are left as they are).
    std::vector<std::pair<std::string, int>> kept;
    for (int row = 0; row < items.rows(); ++row)
        if (const auto it = name_of.find(items.optional(row, "object_id").value_or("")); it != name_of.end())
            kept.emplace_back(it->second, row);
    std::stable_sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    JsonWriter out;
    out.begin_array();
    for (const auto& [name, row] : kept)
        write_item(out, items, row, &name);
    out.end_array();
    tx.commit();
    return out.take();
}

std::string milestones_json(db::Connection& c, const std::string& project_id) {
    const auto rows = c.exec(
        "SELECT m.id, m.date, m.name, m.project_id, m.task_type_id FROM milestone m WHERE m.project_id = $1::uuid",
        {project_id});
    return rows_array_json(rows);
}

} // namespace slate::engine::production
