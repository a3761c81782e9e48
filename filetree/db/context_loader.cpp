#include "filetree/db/context_loader.h"

#include "engine/db/connection.h"
#include "engine/uuid.h"
#include "filetree/error.h"

#include <unordered_map>

namespace slate::filetree {
namespace {

using engine::db::Connection;
using engine::db::Result;

Record record_of(const Result& row, const std::string& prefix, bool has_short_name, int at = 0) {
    Record record;
    record.id = std::string(row.get(at, prefix + "id"));
    record.name = row.optional(at, prefix + "name").value_or("");
    if (has_short_name)
        record.short_name = row.optional(at, prefix + "short_name");
    return record;
}

std::optional<Record> optional_record(const Result& row, const std::string& prefix, int at = 0) {
    if (!row.optional(at, prefix + "id"))
        return std::nullopt;
    return record_of(row, prefix, false, at);
}

EntityKind kind_of(const std::string& type_name) {
    if (type_name == "Shot")
        return EntityKind::shot;
    if (type_name == "Sequence")
        return EntityKind::sequence;
    if (type_name == "Scene")
        return EntityKind::scene;
    if (type_name == "Episode")
        return EntityKind::episode;
    return EntityKind::asset;
}

/// The entity columns every entity query selects, with its type, parent and grandparent.
constexpr const char* entity_select = R"(SELECT e.id, e.name, e.project_id,
            et.id AS type_id, et.name AS type_name, et.short_name AS type_short_name,
            p.id AS parent_id, p.name AS parent_name, pt.name AS parent_type,
            gp.id AS grandparent_id, gp.name AS grandparent_name
        FROM entity e JOIN entity_type et ON et.id = e.entity_type_id
        LEFT JOIN entity p ON p.id = e.parent_id
        LEFT JOIN entity_type pt ON pt.id = p.entity_type_id
        LEFT JOIN entity gp ON gp.id = p.parent_id
        )";

/// Row `at` of an entity_select query.
LoadedEntity entity_of(const Result& row, int at) {
    LoadedEntity loaded;
    loaded.project_id = std::string(row.get(at, "project_id"));
    loaded.type_name = row.optional(at, "type_name").value_or("");
    Entity& entity = loaded.entity;
    entity.kind = kind_of(loaded.type_name);
    entity.record = record_of(row, "", false, at);
    entity.type = record_of(row, "type_", true, at);
    switch (entity.kind) {
    case EntityKind::shot:
    case EntityKind::scene:
        // The parent is the sequence; its parent the episode.
        entity.sequence = optional_record(row, "parent_", at);
        entity.episode = optional_record(row, "grandparent_", at);
        break;
    case EntityKind::sequence: entity.episode = optional_record(row, "parent_", at); break;
    case EntityKind::episode:
    case EntityKind::asset: break;
    }
    return loaded;
}

} // namespace

FileTree load_project_tree(Connection& c, const std::string& project_id) {
    const auto row = c.exec("SELECT file_tree::text AS tree FROM project WHERE id = $1::uuid", {project_id});
    const auto text = row.rows() ? row.optional(0, "tree") : std::nullopt;
    if (!text || *text == "null")
        throw MalformedTree("No tree can be found for given project.");
    return parse_tree_json(*text);
}

std::optional<LoadedEntity> load_entity(Connection& c, const std::string& entity_id) {
    if (!engine::is_uuid(entity_id))
        return std::nullopt;
    const auto row = c.exec(std::string(entity_select) + "WHERE e.id = $1::uuid", {entity_id});
    if (row.rows() == 0)
        return std::nullopt;
    return entity_of(row, 0);
}

std::optional<Record> load_record(Connection& c, NamedTable table, const std::string& id) {
    if (!engine::is_uuid(id))
        return std::nullopt;
    const char* sql = nullptr;
    bool has_short_name = true;
    switch (table) {
    case NamedTable::project:
        sql = "SELECT id, name FROM project WHERE id = $1::uuid";
        has_short_name = false;
        break;
    case NamedTable::department:
        sql = "SELECT id, name FROM department WHERE id = $1::uuid";
        has_short_name = false;
        break;
    case NamedTable::task_type: sql = "SELECT id, name, short_name FROM task_type WHERE id = $1::uuid"; break;
    case NamedTable::software: sql = "SELECT id, name, short_name FROM software WHERE id = $1::uuid"; break;
    case NamedTable::output_type: sql = "SELECT id, name, short_name FROM output_type WHERE id = $1::uuid"; break;
    }
    const auto row = c.exec(sql, {id});
    if (row.rows() == 0)
        return std::nullopt;
    return record_of(row, "", has_short_name);
}

std::optional<LoadedTaskType> load_task_type(Connection& c, const std::string& task_type_id) {
    if (!engine::is_uuid(task_type_id))
        return std::nullopt;
    const auto row = c.exec(R"(SELECT tt.id, tt.name, tt.short_name, d.id AS department_id,
            d.name AS department_name
        FROM task_type tt LEFT JOIN department d ON d.id = tt.department_id
        WHERE tt.id = $1::uuid)",
                            {task_type_id});
    if (row.rows() == 0)
        return std::nullopt;
    return LoadedTaskType{record_of(row, "", true), optional_record(row, "department_")};
}

std::optional<LoadedTask> load_task(Connection& c, const std::string& task_id) {
    if (!engine::is_uuid(task_id))
        return std::nullopt;
    const auto row = c.exec(R"(SELECT t.id, t.name, t.project_id, t.entity_id,
            tt.id AS task_type_id, tt.name AS task_type_name, tt.short_name AS task_type_short_name,
            d.id AS department_id, d.name AS department_name
        FROM task t JOIN task_type tt ON tt.id = t.task_type_id
        LEFT JOIN department d ON d.id = tt.department_id
        WHERE t.id = $1::uuid)",
                            {task_id});
    if (row.rows() == 0)
        return std::nullopt;
    auto entity = load_entity(c, std::string(row.get(0, "entity_id")));
    if (!entity)
        return std::nullopt;
    LoadedTask loaded;
    loaded.project_id = std::string(row.get(0, "project_id"));
    loaded.task = record_of(row, "", false);
    loaded.task_type = record_of(row, "task_type_", true);
    loaded.department = optional_record(row, "department_");
    loaded.entity = std::move(*entity);
    return loaded;
}

std::optional<AssetInstance> load_asset_instance(Connection& c, const std::string& asset_instance_id) {
    if (!engine::is_uuid(asset_instance_id))
        return std::nullopt;
    const auto row = c.exec(R"(SELECT id, name, number, asset_id, target_asset_id
        FROM asset_instance WHERE id = $1::uuid)",
                            {asset_instance_id});
    if (row.rows() == 0)
        return std::nullopt;
    auto asset = load_entity(c, std::string(row.get(0, "asset_id")));
    if (!asset)
        return std::nullopt;
    AssetInstance instance;
    instance.id = std::string(row.get(0, "id"));
    instance.name = row.optional(0, "name");
    if (const auto number = row.optional(0, "number"))
        instance.number = std::stoll(*number);
    instance.in_asset = row.optional(0, "target_asset_id").has_value();
    instance.asset = std::move(asset->entity);
    return instance;
}

std::optional<std::string> instance_project_id(Connection& c, const std::string& asset_instance_id) {
    if (!engine::is_uuid(asset_instance_id))
        return std::nullopt;
    const auto row = c.exec(R"(SELECT a.project_id FROM asset_instance i JOIN entity a ON a.id = i.asset_id
                               WHERE i.id = $1::uuid)",
                            {asset_instance_id});
    if (row.rows() == 0)
        return std::nullopt;
    return std::string(row.get(0, "project_id"));
}

bool project_exists(Connection& c, const std::string& project_id) {
    return c.exec("SELECT 1 FROM project WHERE id = $1::uuid", {project_id}).rows() > 0;
}

Record get_or_create_software(Connection& c, const std::string& name, const std::string& short_name,
                              const std::string& file_extension) {
    // Zou's get_or_create_software: first by name, else a new row. The name has no unique
    // constraint: concurrent requests take turns under an advisory lock on it.
    engine::db::Transaction transaction(c);
    c.exec("SELECT pg_advisory_xact_lock(hashtextextended('software:' || $1, 0))", {name});
    for (int attempt = 0; attempt < 2; ++attempt) {
        const auto found = c.exec("SELECT id, name, short_name FROM software WHERE name = $1 "
                                  "ORDER BY created_at LIMIT 1",
                                  {name});
        if (found.rows()) {
            transaction.commit();
            return record_of(found, "", true);
        }
        if (attempt == 0)
            c.exec(R"(INSERT INTO software (id, name, short_name, file_extension, archived,
                        monthly_cost, inventory_amount, created_at, updated_at)
                      SELECT $1::uuid, $2::text, $3::text, $4::text, false, 0, 0, now() AT TIME ZONE 'utc',
                             now() AT TIME ZONE 'utc'
                      WHERE NOT EXISTS (SELECT 1 FROM software WHERE name = $2))",
                   {engine::new_uuid(), name, short_name, file_extension});
    }
    throw Error(ErrorKind::internal, "The software " + name + " could not be created.");
}

Record get_or_create_output_type(Connection& c, const std::string& name, const std::string& short_name) {
    engine::db::Transaction transaction(c);
    c.exec("SELECT pg_advisory_xact_lock(hashtextextended('output_type:' || $1, 0))", {name});
    for (int attempt = 0; attempt < 2; ++attempt) {
        const auto found = c.exec("SELECT id, name, short_name FROM output_type WHERE name = $1 "
                                  "ORDER BY created_at LIMIT 1",
                                  {name});
        if (found.rows()) {
            transaction.commit();
            return record_of(found, "", true);
        }
        if (attempt == 0)
            c.exec(R"(INSERT INTO output_type (id, name, short_name, created_at, updated_at)
                      SELECT $1::uuid, $2::text, $3::text, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
                      WHERE NOT EXISTS (SELECT 1 FROM output_type WHERE name = $2))",
                   {engine::new_uuid(), name, short_name});
    }
    throw Error(ErrorKind::internal, "The output type " + name + " could not be created.");
}

FolderSources load_folder_sources(Connection& c, const std::string& project) {
    const auto found = c.exec(R"(SELECT id, name FROM project
        WHERE ($1::uuid IS NOT NULL AND id = $1::uuid) OR name = $2 ORDER BY created_at LIMIT 1)",
                              {engine::is_uuid(project) ? std::optional(project) : std::nullopt, project});
    if (found.rows() == 0)
        throw_not_found("no project " + project);
    FolderSources sources;
    sources.project = record_of(found, "", false);
    const std::string& id = sources.project.id;

    std::unordered_map<std::string, int> entity_index;
    const auto entities = c.exec(std::string(entity_select) + "WHERE e.project_id = $1::uuid", {id});
    sources.entities.reserve(std::size_t(entities.rows()));
    for (int row = 0; row < entities.rows(); ++row) {
        entity_index.emplace(std::string(entities.get(row, "id")), row);
        sources.entities.push_back(entity_of(entities, row).entity);
    }

    std::unordered_map<std::string, int> task_type_index;
    const auto task_types = c.exec(R"(SELECT tt.id, tt.name, tt.short_name, d.id AS department_id,
            d.name AS department_name
        FROM task_type tt LEFT JOIN department d ON d.id = tt.department_id
        WHERE tt.id IN (SELECT DISTINCT task_type_id FROM task WHERE project_id = $1::uuid))",
                                   {id});
    for (int row = 0; row < task_types.rows(); ++row) {
        task_type_index.emplace(std::string(task_types.get(row, "id")), row);
        sources.task_types.push_back({record_of(task_types, "", true, row), optional_record(task_types, "department_", row)});
    }

    const auto tasks = c.exec("SELECT id, name, entity_id, task_type_id FROM task WHERE project_id = $1::uuid "
                              "ORDER BY id",
                              {id});
    sources.tasks.reserve(std::size_t(tasks.rows()));
    for (int row = 0; row < tasks.rows(); ++row) {
        const auto entity = entity_index.find(std::string(tasks.get(row, "entity_id")));
        const auto task_type = task_type_index.find(std::string(tasks.get(row, "task_type_id")));
        if (entity == entity_index.end() || task_type == task_type_index.end())
            continue; // a task on another project's entity renders nothing here
        sources.tasks.push_back({record_of(tasks, "", false, row), entity->second, task_type->second});
    }

    // Asset instances placed in this production's entities: in a scene, in a target asset, or
    // linked to shots; their asset (possibly another project's shared asset) with its type.
    const auto placements = c.exec(R"(SELECT i.id AS instance_id, i.name AS instance_name, i.number,
            i.target_asset_id, placed.entity_id,
            a.id, a.name, et.id AS type_id, et.name AS type_name, et.short_name AS type_short_name
        FROM asset_instance i
        JOIN entity a ON a.id = i.asset_id JOIN entity_type et ON et.id = a.entity_type_id
        JOIN LATERAL (SELECT i.scene_id AS entity_id WHERE i.scene_id IS NOT NULL
                      UNION SELECT i.target_asset_id WHERE i.target_asset_id IS NOT NULL
                      UNION SELECT l.entity_id FROM asset_instance_link l WHERE l.asset_instance_id = i.id) placed
          ON true
        JOIN entity te ON te.id = placed.entity_id AND te.project_id = $1::uuid
        ORDER BY i.id, placed.entity_id)",
                                   {id});
    std::unordered_map<std::string, int> instance_index;
    for (int row = 0; row < placements.rows(); ++row) {
        const std::string instance_id(placements.get(row, "instance_id"));
        auto [at, inserted] = instance_index.emplace(instance_id, int(sources.instances.size()));
        if (inserted) {
            AssetInstance instance;
            instance.id = instance_id;
            instance.name = placements.optional(row, "instance_name");
            if (const auto number = placements.optional(row, "number"))
                instance.number = std::stoll(*number);
            instance.in_asset = placements.optional(row, "target_asset_id").has_value();
            instance.asset.kind = EntityKind::asset;
            instance.asset.record = record_of(placements, "", false, row);
            instance.asset.type = record_of(placements, "type_", true, row);
            sources.instances.push_back(std::move(instance));
        }
        const auto entity = entity_index.find(std::string(placements.get(row, "entity_id")));
        if (entity != entity_index.end())
            sources.placements.push_back({at->second, entity->second});
    }
    return sources;
}

} // namespace slate::filetree
