#include "engine/production/settings.h"

#include "engine/crud/values.h"
#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/production/production_common.h"
#include "engine/serialize.h"
#include "engine/uuid.h"

#include <map>
#include <set>

namespace slate::engine::production {
namespace {

/// Where a setting lives: the studio table, Zou's model name, the link table and its column.
struct SettingTables {
    const char* table;
    const char* model;
    const char* link_table;
    const char* link_column;
};

SettingTables tables_of(Setting setting) {
    switch (setting) {
    case Setting::asset_type: return {"entity_type", "EntityType", "project_asset_type_link", "asset_type_id"};
    case Setting::task_type: return {"task_type", "TaskType", "project_task_type_link", "task_type_id"};
    case Setting::task_status: return {"task_status", "TaskStatus", "project_task_status_link", "task_status_id"};
    case Setting::status_automation:
        return {"status_automation", "StatusAutomation", "project_status_automation_link", "status_automation_id"};
    case Setting::preview_background_file:
        return {"preview_background_file", "PreviewBackgroundFile", "project_preview_background_file_link",
                "preview_background_file_id"};
    }
    throw Error(ErrorKind::internal, "unknown setting");
}

bool row_exists(db::Connection& c, const char* table, const std::string& id) {
    return is_uuid(id) &&
           c.exec("SELECT 1 FROM " + db::quote_identifier(table) + " WHERE id = $1::uuid", {id}).rows() > 0;
}

/// Inserts the link if missing; true when it was. Task type and status links are models of
/// their own in Zou (id, dates, a priority; board roles for statuses), filled as its defaults
/// fill them.
bool insert_link(db::Connection& c, Setting setting, const std::string& project_id, const std::string& id,
                 std::optional<long long> priority = std::nullopt) {
    const db::Param rank = priority ? db::Param(std::to_string(*priority)) : std::nullopt;
    db::Result inserted;
    if (setting == Setting::task_type)
        inserted = c.exec(R"(INSERT INTO project_task_type_link (id, project_id, task_type_id, priority,
                                                                created_at, updated_at)
            VALUES ($1::uuid, $2::uuid, $3::uuid, $4::integer, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc')
            ON CONFLICT DO NOTHING)",
                          {new_uuid(), project_id, id, rank});
    else if (setting == Setting::task_status)
        inserted = c.exec(R"(INSERT INTO project_task_status_link (id, project_id, task_status_id, priority,
                                                                  roles_for_board, created_at, updated_at)
            VALUES ($1::uuid, $2::uuid, $3::uuid, NULL, '{user,admin,supervisor,manager,vendor}',
                    now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc')
            ON CONFLICT DO NOTHING)",
                          {new_uuid(), project_id, id});
    else {
        const SettingTables tables = tables_of(setting);
        inserted = c.exec("INSERT INTO " + db::quote_identifier(tables.link_table) + " (project_id, " +
                              db::quote_identifier(tables.link_column) +
                              ") VALUES ($1::uuid, $2::uuid) ON CONFLICT DO NOTHING",
                          {project_id, id});
    }
    return inserted.affected() > 0;
}

void delete_link(db::Connection& c, Setting setting, const std::string& project_id, const std::string& id) {
    const SettingTables tables = tables_of(setting);
    c.exec("DELETE FROM " + db::quote_identifier(tables.link_table) + " WHERE project_id = $1::uuid AND " +
               db::quote_identifier(tables.link_column) + " = $2::uuid",
           {project_id, id});
}

} // namespace

std::string settings_json(db::Connection& c, const std::string& project_id, Setting setting) {
    const SettingTables tables = tables_of(setting);
    const auto rows = c.exec("SELECT x.* FROM " + db::quote_identifier(tables.link_table) + " l JOIN " +
                                 db::quote_identifier(tables.table) + " x ON x.id = l." +
                                 db::quote_identifier(tables.link_column) + " WHERE l.project_id = $1::uuid",
                             {project_id});
    return rows_json(rows, tables.model);
}

std::string add_setting(db::Connection& c, const std::string& user_id, const std::string& project_id, Setting setting,
                        const std::string& id, std::optional<long long> priority) {
    const SettingTables tables = tables_of(setting);
    if (setting == Setting::task_type && !is_uuid(id))
        throw_wrong_parameter("task_type_id is required and must be a valid UUID");
    if (!row_exists(c, tables.table, id))
        throw_wrong_parameter(std::string(tables.model) + " with id " + id + " not found");
    db::Transaction tx(c);
    // Zou saves the project (and tells clients) on every task type call, and on the other
    // lists only when the link is new.
    if (insert_link(c, setting, project_id, id, priority) || setting == Setting::task_type)
        emit_project_update(c, user_id, project_id);
    std::string project = project_json(c, project_id);
    tx.commit();
    return project;
}

void remove_setting(db::Connection& c, const std::string& user_id, const std::string& project_id, Setting setting,
                    const std::string& id) {
    if (!is_uuid(id))
        throw_wrong_parameter("Wrong UUID format.");
    db::Transaction tx(c);
    delete_link(c, setting, project_id, id);
    emit_project_update(c, user_id, project_id);
    tx.commit();
}

std::string update_settings(db::Connection& c, const std::string& user_id, const std::string& project_id,
                            const std::vector<TaskTypeChoice>& task_types,
                            const std::vector<std::string>& task_status_ids,
                            const std::vector<std::string>& asset_type_ids, bool replace_task_types) {
    // The wanted task types, a later entry's priority winning, in the order first listed.
    std::vector<std::string> wanted_order;
    std::map<std::string, std::optional<long long>> wanted;
    for (const auto& choice : task_types) {
        if (!wanted.count(choice.task_type_id))
            wanted_order.push_back(choice.task_type_id);
        wanted[choice.task_type_id] = choice.priority;
    }
    db::Transaction tx(c);
    for (const auto& task_type_id : wanted_order) {
        if (!row_exists(c, "task_type", task_type_id))
            continue;
        const auto priority = wanted[task_type_id];
        if (!insert_link(c, Setting::task_type, project_id, task_type_id, priority) && priority)
            c.exec(R"(UPDATE project_task_type_link SET priority = $3::integer, updated_at = now() AT TIME ZONE 'utc'
                      WHERE project_id = $1::uuid AND task_type_id = $2::uuid AND priority IS DISTINCT FROM $3::integer)",
                   {project_id, task_type_id, std::to_string(*priority)});
    }
    if (replace_task_types) {
        std::vector<std::string> kept;
        for (const auto& id : wanted_order)
            if (is_uuid(id))
                kept.push_back(id);
        c.exec("DELETE FROM project_task_type_link WHERE project_id = $1::uuid AND NOT task_type_id = ANY($2::uuid[])",
               {project_id, crud::array_literal(kept)});
    }
    for (const auto& id : task_status_ids)
        if (row_exists(c, "task_status", id))
            insert_link(c, Setting::task_status, project_id, id);
    for (const auto& id : asset_type_ids)
        if (row_exists(c, "entity_type", id))
            insert_link(c, Setting::asset_type, project_id, id);
    emit_project_update(c, user_id, project_id);
    std::string project = project_json(c, project_id);
    tx.commit();
    return project;
}

} // namespace slate::engine::production
