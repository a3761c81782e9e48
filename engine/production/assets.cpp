// engine/production/assets.cpp: the SQL of assets and asset types (Zou's assets_service).
#include "engine/production/assets.h"

#include "engine/crud/queries.h"
#include "engine/crud/values.h"
#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/json.h"
#include "engine/models/catalog.h"
#include "engine/production/assets_with_tasks.h"
#include "engine/production/casting.h"
#include "engine/production/production_common.h"
#include "engine/serialize.h"
#include "engine/uuid.h"

#include <Poco/JSON/Array.h>

#include <algorithm>

namespace slate::engine::production {
namespace {

constexpr const char* temporal_types = "('Shot', 'Sequence', 'Episode', 'Edit', 'Scene', 'Concept')";

/// Zou's apply_criterions_to_db_query over `table` aliased `alias`: columns only (others
/// ignored), name case-insensitive, "[...]" a list, else equality; `skip` names are the
/// route's own.
std::string criterion_conditions(const std::string& table_name, const std::string& alias, const Criterions& criterions,
                                 std::initializer_list<std::string_view> skip, db::Params& params) {
    const models::Table& table = models::table(table_name);
    std::string sql;
    for (const auto& [key, raw] : criterions) {
        if (key == "page" || key == "relations" || std::find(skip.begin(), skip.end(), key) != skip.end())
            continue;
        const models::Column* column = table.column(key);
        if (!column)
            continue;
        const std::string target = alias + "." + db::quote_identifier(key);
        if (key == "name") {
            params.emplace_back(raw);
            sql += " AND " + target + " ILIKE " + placeholder(params.size());
        } else if (!raw.empty() && raw.front() == '[') {
            Poco::JSON::Array::Ptr items;
            try {
                items = parse_json_object("{\"v\":" + raw + "}")->getArray("v");
            } catch (const Error&) {
            }
            if (!items)
                throw Error(ErrorKind::bad_request, "Malformed list filter for field " + key + ".");
            std::vector<std::string> values;
            for (const auto& item : *items)
                values.push_back(crud::filter_value(*column, item.convert<std::string>()));
            params.emplace_back(crud::array_literal(values));
            sql += " AND " + target + " = ANY(" + placeholder(params.size()) + "::" + column->sql_type + "[])";
        } else {
            params.emplace_back(crud::filter_value(*column, raw));
            sql += " AND " + target + " = " + placeholder(params.size()) + "::" + column->sql_type;
        }
    }
    return sql;
}

std::optional<std::string> criterion(const Criterions& criterions, const std::string& key) {
    const auto it = criterions.find(key);
    return it == criterions.end() ? std::nullopt : std::optional<std::string>(it->second);
}

/// Asset types as Zou's EntityType.serialize(obj_type="AssetType"), `relations`: task_types.
std::string asset_types_where(db::Connection& c, const std::string& where, const db::Params& params, bool relations) {
    return rows_json(c.exec(select_model_sql("entity_type", relations) + " WHERE t.name NOT IN " +
                                std::string(temporal_types) + where + " ORDER BY t.name",
                            params),
                     "AssetType");
}

} // namespace

std::string asset_type_condition(const std::string& entity) {
    return entity + ".entity_type_id IN (SELECT id FROM entity_type WHERE name NOT IN " + std::string(temporal_types) +
           ")";
}

AssetRef asset_or_404(db::Connection& c, const std::string& id) {
    if (!is_uuid(id))
        throw_not_found(not_found_message);
    const auto row = c.exec("SELECT e.id, e.project_id, e.entity_type_id, e.created_by FROM entity e WHERE e.id = "
                            "$1::uuid AND " +
                                asset_type_condition("e"),
                            {id});
    if (row.rows() == 0)
        throw_not_found(not_found_message);
    return {std::string(row.get(0, 0)), std::string(row.get(0, 1)), std::string(row.get(0, 2)),
            row.optional(0, "created_by")};
}

std::string asset_types_json(db::Connection& c, const Criterions& criterions) {
    db::Params params;
    std::string where = criterion_conditions("entity_type", "t", criterions, {"project_id"}, params);
    if (const auto project_id = criterion(criterions, "project_id")) {
        params.emplace_back(crud::filter_value(*models::table("entity").column("project_id"), *project_id));
        where +=
            " AND t.id IN (SELECT e.entity_type_id FROM entity e WHERE e.project_id = " + placeholder(params.size()) +
            "::uuid)";
    }
    return asset_types_where(c, where, params, true);
}

std::string asset_type_json(db::Connection& c, const std::string& asset_type_id) {
    if (!is_uuid(asset_type_id))
        throw_not_found(not_found_message);
    const auto rows =
        c.exec(select_model_sql("entity_type", true) + " WHERE t.id = $1::uuid AND t.name NOT IN " + temporal_types,
               {asset_type_id});
    if (rows.rows() == 0)
        throw_not_found(not_found_message);
    return row_json(rows, 0, "AssetType");
}

std::string project_asset_types_json(db::Connection& c, const std::string& project_id) {
    return asset_types_where(c, " AND t.id IN (SELECT e.entity_type_id FROM entity e WHERE e.project_id = $1::uuid)",
                             {project_id}, false);
}

std::string shot_asset_types_json(db::Connection& c, const std::string& shot_id) {
    return asset_types_where(c,
                             " AND t.id IN (SELECT a.entity_type_id FROM entity_link l JOIN entity a ON a.id = "
                             "l.entity_out_id WHERE l.entity_in_id = $1::uuid)",
                             {shot_id}, false);
}

std::string assets_json(db::Connection& c, const Criterions& criterions, const std::optional<std::string>& assigned_to,
                        const std::optional<std::string>& team_of, const std::optional<std::string>& vendor) {
    db::Params params;
    std::string where = " WHERE " + asset_type_condition("t") +
                        criterion_conditions("entity", "t", criterions, {"episode_id", "assigned_to"}, params);
    if (assigned_to) {
        params.emplace_back(*assigned_to);
        where += " AND EXISTS (SELECT 1 FROM task at JOIN task_person_link ap ON ap.task_id = at.id"
                 " WHERE at.entity_id = t.id AND ap.person_id = " +
                 placeholder(params.size()) + "::uuid)";
    }
    if (team_of) {
        params.emplace_back(*team_of);
        where += " AND EXISTS (SELECT 1 FROM project_person_link tm WHERE tm.project_id = t.project_id"
                 " AND tm.person_id = " +
                 placeholder(params.size()) + "::uuid)";
    }
    std::string masked;
    if (vendor) {
        params.emplace_back(*vendor);
        masked = vendor_visible_data("Asset", placeholder(params.size()) + "::uuid", "t");
    }
    const std::string select = select_model_sql("entity", false, masked);
    if (const auto episode_id = criterion(criterions, "episode_id")) {
        // The assets of the episode, then those cast in it that come from elsewhere.
        params.emplace_back(crud::filter_value(*models::table("entity").column("source_id"), *episode_id));
        const std::string episode = placeholder(params.size()) + "::uuid";
        return rows_json(c.exec("SELECT * FROM (" + select + where + " AND t.source_id = " + episode +
                                    ") main UNION ALL SELECT * FROM (" + select +
                                    " JOIN entity_link l ON l.entity_out_id = t.id" + where + " AND l.entity_in_id = " +
                                    episode + " AND t.source_id IS DISTINCT FROM " + episode + ") cast_in",
                                params),
                         "Asset");
    }
    return rows_json(c.exec(select + where, params), "Asset");
}

std::string full_asset_json(db::Connection& c, const std::string& person_id, const std::string& asset_id) {
    const auto rows = c.exec("SELECT x.*, p.name AS project_name FROM (" + select_model_sql("entity", true) +
                                 " WHERE t.id = $1::uuid) x JOIN project p ON p.id = x.project_id",
                             {asset_id});
    if (rows.rows() == 0)
        throw_not_found(not_found_message);
    JsonWriter out;
    out.begin_object();
    // What the with-tasks item writes replaces the asset's own columns; source_id and
    // nb_frames are dropped, as get_full_asset does.
    write_row_fields(out, rows, 0,
                     {"id", "name", "preview_file_id", "description", "canceled", "ready_for", "is_casting_standby",
                      "is_shared", "data", "source_id", "nb_frames"});
    out.field("type", "Asset");
    if (!write_asset_item_members(c, out, asset_id, person_id))
        throw_not_found(not_found_message);
    out.end_object();
    return out.take();
}

std::string create_asset(db::Connection& c, const std::string& user_id, const std::string& project_id,
                         const std::string& asset_type_id, const NewAsset& asset) {
    if (!is_uuid(project_id) || c.exec("SELECT 1 FROM project WHERE id = $1::uuid", {project_id}).rows() == 0)
        throw_not_found(not_found_message);
    if (!is_uuid(asset_type_id) ||
        c.exec("SELECT 1 FROM entity_type WHERE id = $1::uuid AND name NOT IN " + std::string(temporal_types),
               {asset_type_id})
                .rows() == 0)
        throw_not_found(not_found_message);
    db::Transaction transaction(c);
    const std::string id = new_uuid();
    const auto rows = c.exec(
        R"(INSERT INTO entity (id, name, description, data, is_shared, source_id, created_by, project_id,
                               entity_type_id, canceled, nb_entities_out, is_casting_standby, status,
                               created_at, updated_at)
           VALUES ($1::uuid, $2, $3, $4::jsonb, $5::boolean, $6::uuid, $7::uuid, $8::uuid, $9::uuid, false, 0, false,
                   'running', now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc')
           RETURNING *)",
        {id, asset.name, asset.description, asset.data_json, asset.is_shared ? "true" : "false", asset.episode_id,
         user_id, project_id, asset_type_id});
    emit_project_event(c, "asset:new", user_id, project_id, {{"asset_id", id}, {"asset_type", asset_type_id}});
    transaction.commit();
    return row_json(rows, 0, "Asset");
}

void remove_asset(db::Connection& c, const std::string& user_id, const std::string& asset_id, bool force,
                  storage::DeletedFiles& deleted) {
    const AssetRef asset = asset_or_404(c, asset_id);
    db::Transaction transaction(c);
    const bool has_tasks = c.exec("SELECT 1 FROM task WHERE entity_id = $1::uuid LIMIT 1", {asset_id}).rows() > 0;
    // The shots the asset is cast in: their casting stats change either way.
    std::vector<std::string> shots;
    const auto cast_in = c.exec("SELECT l.entity_in_id FROM entity_link l JOIN entity s ON s.id = l.entity_in_id"
                                " JOIN entity_type st ON st.id = s.entity_type_id"
                                " WHERE l.entity_out_id = $1::uuid AND st.name = 'Shot'",
                                {asset_id});
    for (int row = 0; row < cast_in.rows(); ++row)
        shots.emplace_back(cast_in.get(row, 0));
    if (has_tasks && !force) {
        c.exec("UPDATE entity SET canceled = true, updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid",
               {asset_id});
        emit_project_event(c, "asset:update", user_id, asset.project_id, {{"asset_id", asset_id}});
    } else {
        emit_project_event(c, "asset:delete", user_id, asset.project_id, {{"asset_id", asset_id}});
        // Tasks (and what hangs from them), links both ways, versions, subscriptions, output
        // files and instances go; children are detached.
        queries::delete_cascade(c, models::table("entity"), {asset_id}, deleted);
    }
    refresh_shot_casting_stats(c, shots);
    transaction.commit();
}

std::string asset_tasks_json(db::Connection& c, const std::string& asset_id, bool relations) {
    const auto rows =
        c.exec("SELECT t.*, p.name AS project_name, tt.name AS task_type_name, ts.name AS task_status_name, "
               "et.name AS entity_type_name, e.name AS entity_name" +
                   std::string(relations ? ", ARRAY(SELECT a.person_id::text FROM task_person_link a WHERE a.task_id = "
                                           "t.id) AS assignees"
                                         : "") +
                   " FROM task t JOIN project p ON p.id = t.project_id JOIN task_type tt ON tt.id = t.task_type_id"
                   " LEFT JOIN task_status ts ON ts.id = t.task_status_id JOIN entity e ON e.id = t.entity_id"
                   " JOIN entity_type et ON et.id = e.entity_type_id WHERE t.entity_id = $1::uuid"
                   " ORDER BY t.name, p.name, tt.name, et.name, e.name",
               {asset_id});
    return rows_json(rows, "Task");
}

std::string asset_task_types_json(db::Connection& c, const std::string& asset_id) {
    return rows_json(c.exec("SELECT tt.* FROM task_type tt JOIN task t ON t.task_type_id = tt.id"
                            " WHERE t.entity_id = $1::uuid",
                            {asset_id}),
                     "TaskType");
}

std::string set_shared_assets(db::Connection& c, bool is_shared, const std::optional<std::string>& project_id,
                              const std::optional<std::string>& asset_type_id,
                              const std::optional<std::vector<std::string>>& asset_ids) {
    db::Params params{is_shared ? "true" : "false"};
    std::string where = " WHERE " + asset_type_condition("entity");
    if (project_id) {
        params.emplace_back(*project_id);
        where += " AND project_id = " + placeholder(params.size()) + "::uuid";
    }
    if (asset_type_id) {
        params.emplace_back(*asset_type_id);
        where += " AND entity_type_id = " + placeholder(params.size()) + "::uuid";
    }
    if (asset_ids) {
        params.emplace_back(crud::array_literal(*asset_ids));
        where += " AND id = ANY(" + placeholder(params.size()) + "::uuid[])";
    }
    return rows_json(c.exec("UPDATE entity SET is_shared = $1::boolean, updated_at = now() AT TIME ZONE 'utc'" + where +
                                " RETURNING *",
                            params),
                     "Asset");
}

std::vector<std::string> projects_of_assets(db::Connection& c, const std::vector<std::string>& ids) {
    std::vector<std::string> projects;
    for (const auto& id : ids) {
        const AssetRef asset = asset_or_404(c, id);
        if (std::find(projects.begin(), projects.end(), asset.project_id) == projects.end())
            projects.push_back(asset.project_id);
    }
    return projects;
}

std::string shared_assets_used_json(db::Connection& c, const std::string& project_id,
                                    const std::optional<std::string>& episode_id) {
    db::Params params{project_id};
    std::string used = "SELECT l.entity_out_id FROM entity_link l JOIN entity shot ON shot.id = l.entity_in_id"
                       " JOIN entity sequence ON sequence.id = shot.parent_id WHERE shot.project_id = $1::uuid";
    if (episode_id && *episode_id != "main" && *episode_id != "all") {
        if (!is_uuid(*episode_id))
            throw Error(ErrorKind::bad_request, "Invalid UUID value: " + *episode_id);
        params.emplace_back(*episode_id);
        used += " AND sequence.parent_id = $2::uuid";
    }
    const std::string sql = "SELECT t.* FROM entity t WHERE " + asset_type_condition("t") +
                            " AND t.is_shared AND t.canceled IS NOT TRUE AND t.project_id <> $1::uuid AND t.id IN (" +
                            used + ")";
    return rows_json(c.exec(sql, params), "Asset");
}

} // namespace slate::engine::production
