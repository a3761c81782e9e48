// engine/production/asset_instances.cpp: the SQL of asset instances.
#include "engine/production/asset_instances.h"

#include "engine/crud/queries.h"
#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/json.h"
#include "engine/production/casting.h"
#include "engine/serialize.h"
#include "engine/uuid.h"

#include <cctype>
#include <cstdio>

namespace slate::engine::production {
namespace {

/// Instances grouped by `key` (an SQL expression over instance "i"), as serialize() writes them.
std::string grouped_instances(db::Connection& c, const std::string& key, const std::string& from_where,
                              const db::Params& params, const std::string& order = "i.asset_id, i.number") {
    return grouped_json(
        c, "SELECT " + key + " AS group_key, i.*, 'AssetInstance' AS type " + from_where + " ORDER BY " + order,
        params);
}

/// python-slugify's slugify(name, separator="_", lowercase=False) for the names Zou gives
/// instances: runs of anything but ASCII letters and digits become one "_", none at the ends;
/// apostrophes vanish.
std::string instance_slug(const std::string& name) {
    std::string slug;
    bool pending = false;
    for (const char ch : name) {
        const auto byte = static_cast<unsigned char>(ch);
        if (ch == '\'')
            continue;
        if (byte < 0x80 && std::isalnum(byte)) {
            if (pending && !slug.empty())
                slug += '_';
            pending = false;
            slug += ch;
        } else {
            pending = true;
        }
    }
    return slug;
}

void emit(db::Connection& c, const std::string& name, const std::string& user_id,
          const std::vector<std::pair<std::string, std::string>>& data) {
    JsonWriter out;
    out.begin_object();
    for (const auto& [key, value] : data)
        out.field(key, value);
    out.end_object();
    queries::insert_event(c, name, user_id, std::nullopt, out.take());
}

} // namespace

std::string project_of_typed_entity(db::Connection& c, const std::string& id, const std::string& type_name) {
    if (!is_uuid(id))
        throw_not_found(not_found_message);
    const auto row = c.exec("SELECT e.project_id FROM entity e JOIN entity_type et ON et.id = e.entity_type_id"
                            " WHERE e.id = $1::uuid AND et.name = $2",
                            {id, type_name});
    if (row.rows() == 0)
        throw_not_found(not_found_message);
    return std::string(row.get(0, 0));
}

std::string asset_instances_for_asset_json(db::Connection& c, const std::string& asset_id) {
    return grouped_instances(c, "i.asset_id", "FROM asset_instance i WHERE i.target_asset_id = $1::uuid", {asset_id});
}

std::string shot_asset_instances_for_asset_json(db::Connection& c, const std::string& asset_id) {
    return grouped_instances(c, "s.entity_id",
                             "FROM asset_instance i JOIN asset_instance_link s ON s.asset_instance_id = i.id"
                             " WHERE i.asset_id = $1::uuid",
                             {asset_id}, "s.entity_id, i.number");
}

std::string scene_asset_instances_for_asset_json(db::Connection& c, const std::string& asset_id) {
    return grouped_instances(c, "COALESCE(i.scene_id::text, 'None')",
                             "FROM asset_instance i WHERE i.asset_id = $1::uuid", {asset_id},
                             "i.scene_id NULLS FIRST, i.number");
}

std::string scene_asset_instances_json(db::Connection& c, const std::string& scene_id,
                                       const std::optional<std::string>& asset_type_id) {
    if (asset_type_id)
        return grouped_instances(c, "i.asset_id",
                                 "FROM asset_instance i JOIN entity a ON a.id = i.asset_id"
                                 " WHERE i.scene_id = $1::uuid AND a.entity_type_id = $2::uuid",
                                 {scene_id, *asset_type_id});
    return grouped_instances(c, "i.asset_id", "FROM asset_instance i WHERE i.scene_id = $1::uuid", {scene_id});
}

std::string scene_camera_instances_json(db::Connection& c, const std::string& user_id, const std::string& scene_id) {
    auto camera = c.exec("SELECT id FROM entity_type WHERE name = 'Camera'");
    if (camera.rows() == 0) { // get_or_create_asset_type("Camera")
        camera = c.exec("INSERT INTO entity_type (id, name, archived, created_at, updated_at) VALUES ($1::uuid, "
                        "'Camera', false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc') RETURNING id",
                        {new_uuid()});
        JsonWriter data;
        data.begin_object().field("asset_type_id", std::string(camera.get(0, 0))).end_object();
        queries::insert_event(c, "asset-type:new", user_id, std::nullopt, data.take());
    }
    return scene_asset_instances_json(c, scene_id, std::string(camera.get(0, 0)));
}

std::string shot_asset_instances_json(db::Connection& c, const std::string& shot_id) {
    return grouped_instances(c, "i.asset_id",
                             "FROM asset_instance i JOIN asset_instance_link s ON s.asset_instance_id = i.id"
                             " WHERE s.entity_id = $1::uuid",
                             {shot_id});
}

std::string add_asset_instance(db::Connection& c, const std::string& user_id, const std::string& asset_id,
                               const std::optional<std::string>& target_asset_id,
                               const std::optional<std::string>& scene_id,
                               const std::optional<std::string>& description) {
    if (!is_uuid(asset_id))
        throw_not_found(not_found_message);
    const auto asset = c.exec("SELECT name FROM entity WHERE id = $1::uuid", {asset_id});
    if (asset.rows() == 0)
        throw_not_found(not_found_message);
    db::Transaction transaction(c);
    const std::string place = target_asset_id ? "target_asset_id" : "scene_id";
    const std::string place_id = target_asset_id ? *target_asset_id : scene_id.value_or("");
    const auto last = c.exec("SELECT COALESCE(max(number), 0) FROM asset_instance WHERE " + place +
                                 " = $1::uuid AND asset_id = $2::uuid",
                             {place_id, asset_id});
    const long long number = std::stoll(std::string(last.get(0, 0))) + 1;
    char digits[32];
    std::snprintf(digits, sizeof digits, "%04lld", number);
    const std::string id = new_uuid();
    const auto rows = c.exec("INSERT INTO asset_instance (id, asset_id, " + place +
                                 ", number, name, description, active, created_at, updated_at) VALUES ($1::uuid, "
                                 "$2::uuid, $3::uuid, $4::integer, $5, $6, true, now() AT TIME ZONE 'utc', now() AT "
                                 "TIME ZONE 'utc') RETURNING *",
                             {id, asset_id, place_id, std::to_string(number),
                              instance_slug(std::string(asset.get(0, 0))) + "_" + digits, description});
    if (target_asset_id)
        emit(c, "asset_instance:new", user_id,
             {{"asset_id", *target_asset_id}, {"asset_instantiated", asset_id}, {"asset_instance_id", id}});
    else
        emit(c, "asset_instance:new", user_id,
             {{"scene_id", place_id}, {"asset_id", asset_id}, {"asset_instance_id", id}});
    transaction.commit();
    return row_json(rows, 0, "AssetInstance");
}

std::string add_asset_instance_to_shot(db::Connection& c, const std::string& user_id, const std::string& shot_id,
                                       const std::string& asset_instance_id) {
    if (!is_uuid(asset_instance_id) ||
        c.exec("SELECT 1 FROM asset_instance WHERE id = $1::uuid", {asset_instance_id}).rows() == 0)
        throw_not_found(not_found_message);
    db::Transaction transaction(c);
    c.exec("INSERT INTO asset_instance_link (entity_id, asset_instance_id) VALUES ($1::uuid, $2::uuid)"
           " ON CONFLICT DO NOTHING",
           {shot_id, asset_instance_id});
    emit(c, "asset_instance:add-to-shot", user_id, {{"shot_id", shot_id}, {"asset_instance_id", asset_instance_id}});
    transaction.commit();
    return row_json(c.exec("SELECT * FROM entity WHERE id = $1::uuid", {shot_id}), 0, "Entity");
}

void remove_asset_instance_from_shot(db::Connection& c, const std::string& user_id, const std::string& shot_id,
                                     const std::string& asset_instance_id) {
    if (!is_uuid(asset_instance_id))
        throw_not_found(not_found_message);
    db::Transaction transaction(c);
    if (c.exec("DELETE FROM asset_instance_link WHERE entity_id = $1::uuid AND asset_instance_id = $2::uuid",
               {shot_id, asset_instance_id})
            .affected() == 0)
        throw_not_found(not_found_message);
    emit(c, "asset_instance:remove-from-shot", user_id,
         {{"shot_id", shot_id}, {"asset_instance_id", asset_instance_id}});
    transaction.commit();
}

} // namespace slate::engine::production
