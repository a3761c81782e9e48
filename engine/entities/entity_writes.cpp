#include "engine/entities/entity_writes.h"

#include "engine/crud/queries.h"
#include "engine/crud/values.h"
#include "engine/db/connection.h"
#include "engine/entities/entity_lists.h"
#include "engine/error.h"
#include "engine/json.h"
#include "engine/models/catalog.h"
#include "engine/serialize.h"
#include "engine/storage/deleted_files.h"
#include "engine/uuid.h"

#include <Poco/JSON/Object.h>

#include <algorithm>

namespace slate::engine::entities {
namespace {

const std::vector<std::string> episode_statuses = {"running", "complete", "standby", "canceled"};

/// `<kind>:<action>` with {"<kind>_id": id, extra..., "project_id": project}.
void emit(db::Connection& c, const std::string& user_id, Kind kind, const std::string& action,
          const std::string& id, const std::string& project_id,
          const std::vector<std::pair<std::string, std::optional<std::string>>>& extra = {}) {
    const std::string prefix(event_name(kind));
    JsonWriter data;
    data.begin_object().field(prefix + "_id", id);
    for (const auto& [key, value] : extra)
        value ? data.field(key, *value) : data.field_null(key);
    data.field("project_id", project_id).end_object();
    queries::insert_event(c, prefix + ":" + action, user_id, project_id, data.take());
}

void emit_typed(db::Connection& c, const std::string& user_id, const std::string& prefix, const std::string& action,
                const std::string& id, const std::string& project_id) {
    JsonWriter data;
    data.begin_object().field(prefix + "_id", id).field("project_id", project_id).end_object();
    queries::insert_event(c, prefix + ":" + action, user_id, project_id, data.take());
}

/// The parent a new entity names must be of the expected kind and of this project: Zou's
/// typed NotFound (404) otherwise.
void check_parent(db::Connection& c, Kind parent_kind, const std::string& parent_id, const std::string& project_id) {
    if (load(c, parent_kind, parent_id).project_id != project_id)
        throw_not_found(not_found_message);
}

bool has_tasks(db::Connection& c, const std::string& id) {
    return c.exec("SELECT 1 FROM task WHERE entity_id = $1::uuid LIMIT 1", {id}).rows() > 0;
}

std::vector<std::string> ids_of(const db::Result& rows) {
    std::vector<std::string> ids;
    for (int row = 0; row < rows.rows(); ++row)
        ids.emplace_back(rows.get(row, 0));
    return ids;
}

void cancel(db::Connection& c, const std::string& id) {
    c.exec("UPDATE entity SET canceled = true, updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid", {id});
}

/// The entity and all that depends on it (tasks with their comments and previews, versions,
/// subscriptions, links, output files), and the schedule items that name it.
void delete_for_good(db::Connection& c, const std::string& id, storage::DeletedFiles& deleted) {
    c.exec("DELETE FROM schedule_item WHERE object_id = $1::uuid", {id});
    // Its previews go with its tasks: unset them as main previews first, as remove_preview_file does.
    c.exec(R"(UPDATE entity SET preview_file_id = NULL WHERE preview_file_id IN
        (SELECT p.id FROM preview_file p JOIN task t ON t.id = p.task_id WHERE t.entity_id = $1::uuid))",
           {id});
    queries::delete_cascade(c, models::table("entity"), {id}, deleted);
}

/// A shot, edit, concept or asset: canceled when it has tasks and no force, else deleted.
void remove_leaf(db::Connection& c, const std::string& user_id, const std::string& prefix, const Loaded& entity,
                 bool force, storage::DeletedFiles& deleted) {
    if (!force && has_tasks(c, entity.id)) {
        cancel(c, entity.id);
        emit_typed(c, user_id, prefix, "update", entity.id, entity.project_id);
        return;
    }
    // An asset's children (its instances' parents) are detached, as Zou's remove_asset does.
    c.exec("UPDATE entity SET parent_id = NULL WHERE parent_id = $1::uuid", {entity.id});
    delete_for_good(c, entity.id, deleted);
    emit_typed(c, user_id, prefix, "delete", entity.id, entity.project_id);
}

/// A plain delete, as SQLAlchemy's: the many-to-many links go, any other dependant refuses it.
bool try_delete(db::Connection& c, const std::string& id) {
    try {
        db::Transaction attempt(c);
        queries::delete_row(c, models::table("entity"), id);
        attempt.commit();
        return true;
    } catch (const db::DbError&) {
        return false;
    }
}

void remove_scene(db::Connection& c, const std::string& user_id, const Loaded& scene) {
    if (!try_delete(c, scene.id))
        cancel(c, scene.id);
    emit(c, user_id, Kind::scene, "delete", scene.id, scene.project_id);
}

void remove_sequence(db::Connection& c, const std::string& user_id, const Loaded& sequence, bool force,
                     storage::DeletedFiles& deleted) {
    if (force) {
        const auto shots = c.exec(R"(SELECT e.id FROM entity e JOIN entity_type t ON t.id = e.entity_type_id
            WHERE e.parent_id = $1::uuid AND t.name = 'Shot')",
                                  {sequence.id});
        for (const auto& shot : ids_of(shots))
            remove_leaf(c, user_id, "shot", load(c, Kind::shot, shot), true, deleted);
        const auto scenes = c.exec(R"(SELECT e.id FROM entity e JOIN entity_type t ON t.id = e.entity_type_id
            WHERE e.parent_id = $1::uuid AND t.name = 'Scene')",
                                   {sequence.id});
        for (const auto& scene : ids_of(scenes))
            remove_scene(c, user_id, load(c, Kind::scene, scene));
        c.exec("DELETE FROM schedule_item WHERE object_id = $1::uuid", {sequence.id});
        const auto tasks = c.exec("SELECT id FROM task WHERE entity_id = $1::uuid", {sequence.id});
        queries::delete_cascade(c, models::table("task"), ids_of(tasks), deleted);
        c.exec("DELETE FROM subscription WHERE entity_id = $1::uuid", {sequence.id});
        const auto outputs = c.exec("SELECT id FROM output_file WHERE entity_id = $1::uuid", {sequence.id});
        queries::delete_cascade(c, models::table("output_file"), ids_of(outputs), deleted);
    }
    if (!try_delete(c, sequence.id))
        throw_bad_request("Some data are still linked to this sequence.");
    emit(c, user_id, Kind::sequence, "delete", sequence.id, sequence.project_id);
}

void remove_episode(db::Connection& c, const std::string& user_id, const Loaded& episode, bool force,
                    storage::DeletedFiles& deleted) {
    if (force) {
        const auto children = c.exec("SELECT id FROM entity WHERE parent_id = $1::uuid", {episode.id});
        for (const auto& child : ids_of(children))
            remove_sequence(c, user_id, load_any(c, child), true, deleted);
        const auto assets = c.exec("SELECT id FROM entity WHERE source_id = $1::uuid", {episode.id});
        for (const auto& asset : ids_of(assets))
            remove_leaf(c, user_id, "asset", load_any(c, asset), true, deleted);
        const auto playlists = c.exec("SELECT id FROM playlist WHERE episode_id = $1::uuid", {episode.id});
        queries::delete_cascade(c, models::table("playlist"), ids_of(playlists), deleted);
        delete_for_good(c, episode.id, deleted);
    } else if (!try_delete(c, episode.id)) {
        throw_bad_request("Some data are still linked to this episode.");
    }
    emit(c, user_id, Kind::episode, "delete", episode.id, episode.project_id);
}

} // namespace

std::string create_entity(db::Connection& c, const std::string& user_id, Kind kind, const std::string& project_id,
                          const NewEntity& fields) {
    std::optional<std::string> parent = fields.parent_id;
    if (parent && (kind == Kind::sequence))
        check_parent(c, Kind::episode, *parent, project_id);
    if (parent && (kind == Kind::shot || kind == Kind::scene))
        check_parent(c, Kind::sequence, *parent, project_id);
    if (kind == Kind::edit && parent && parent->size() < 36)
        parent.reset();
    if (kind == Kind::concept_art || kind == Kind::episode)
        parent.reset();
    const std::string type_id = entity_type_id(c, kind);
    db::Transaction tx(c);
    const auto existing = c.exec(R"(SELECT id FROM entity WHERE entity_type_id = $1::uuid AND project_id = $2::uuid
        AND name = $3 AND parent_id IS NOT DISTINCT FROM $4::uuid LIMIT 1)",
                                 {type_id, project_id, fields.name, parent});
    if (existing.rows() > 0) {
        tx.commit();
        return entity_json(c, kind, std::string(existing.get(0, 0)), false);
    }
    std::string status = "running";
    if (kind == Kind::episode && fields.status &&
        std::find(episode_statuses.begin(), episode_statuses.end(), *fields.status) != episode_statuses.end())
        status = *fields.status;
    const std::string id = new_uuid();
    c.exec(R"(INSERT INTO entity (id, name, description, data, nb_frames, status, project_id, entity_type_id,
            parent_id, created_by, canceled, nb_entities_out, is_casting_standby, is_shared, created_at, updated_at)
        VALUES ($1::uuid, $2, $3, $4::jsonb, $5::integer, $6, $7::uuid, $8::uuid, $9::uuid, $10::uuid, false, 0,
                false, false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'))",
           {id, fields.name, fields.description, fields.data.value_or("{}"),
            fields.nb_frames ? db::Param(std::to_string(*fields.nb_frames)) : std::nullopt, status, project_id, type_id,
            parent, user_id});
    if (kind == Kind::concept_art)
        for (const auto& linked : fields.concept_links)
            if (is_uuid(linked))
                c.exec(R"(INSERT INTO entity_concept_link (id, entity_in_id, entity_out_id, created_at, updated_at)
                    SELECT gen_random_uuid(), $1::uuid, x.id, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
                    FROM entity x WHERE x.id = $2::uuid ON CONFLICT DO NOTHING)",
                       {id, linked});
    if (kind == Kind::shot) {
        const auto episode = parent ? c.exec("SELECT parent_id FROM entity WHERE id = $1::uuid", {*parent}).optional(
                                          0, "parent_id")
                                    : std::nullopt;
        emit(c, user_id, kind, "new", id, project_id, {{"episode_id", episode}});
    } else if (kind == Kind::edit) {
        emit(c, user_id, kind, "new", id, project_id, {{"parent_id", parent}});
    } else {
        emit(c, user_id, kind, "new", id, project_id);
    }
    tx.commit();
    return entity_json(c, kind, id, false);
}

std::string update_shot(db::Connection& c, const std::string& user_id, const std::string& shot_id,
                        const Poco::JSON::Object& body) {
    static const std::vector<std::string> protected_fields = {
        "id",           "created_at", "updated_at", "instance_casting", "project_id", "entities_in",
        "entities_out", "type",       "shotgun_id", "created_by"};
    const Loaded shot = load(c, Kind::shot, shot_id);
    const models::Table& table = models::table("entity");
    queries::Assignments values;
    for (const auto& [key, value] : body) {
        if (std::find(protected_fields.begin(), protected_fields.end(), key) != protected_fields.end())
            continue;
        if (const models::Column* column = table.column(key))
            values.emplace_back(key, crud::body_value(*column, value, false));
    }
    db::Transaction tx(c);
    queries::update_row(c, table, shot.id, values);
    emit(c, user_id, Kind::shot, "update", shot.id, shot.project_id);
    tx.commit();
    return entity_json(c, Kind::shot, shot.id, false, "Entity"); // Zou's update_shot: serialize()
}

void remove_entity(db::Connection& c, const std::string& user_id, Kind kind, const std::string& id, bool force,
                   storage::DeletedFiles& deleted) {
    const Loaded entity = load(c, kind, id);
    db::Transaction tx(c);
    switch (kind) {
    case Kind::sequence: remove_sequence(c, user_id, entity, force, deleted); break;
    case Kind::episode: remove_episode(c, user_id, entity, force, deleted); break;
    case Kind::scene: remove_scene(c, user_id, entity); break;
    default: remove_leaf(c, user_id, std::string(event_name(kind)), entity, force, deleted); break;
    }
    tx.commit();
}

std::string set_shot_scene(db::Connection& c, const std::string& user_id, const Loaded& scene,
                           const std::string& shot_id, bool add) {
    const Loaded shot = load(c, Kind::shot, shot_id);
    db::Transaction tx(c);
    c.exec("UPDATE entity SET source_id = $2::uuid, updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid",
           {shot.id, add ? db::Param(scene.id) : std::nullopt});
    emit(c, user_id, Kind::shot, "update", shot.id, shot.project_id);
    JsonWriter data;
    data.begin_object().field("scene_id", scene.id).field("shot_id", shot.id).field("project_id", shot.project_id);
    queries::insert_event(c, add ? "shot:add-to-scene" : "shot:remove-from-scene", user_id, shot.project_id,
                          data.end_object().take());
    tx.commit();
    return entity_json(c, Kind::shot, shot.id, false, "Entity");
}

std::string set_frames_from_previews(db::Connection& c, const std::string& project_id,
                                     const std::string& task_type_id, const std::optional<std::string>& episode_id) {
    const auto rows = c.exec(R"(WITH latest AS (
            SELECT DISTINCT ON (s.id) s.id, pf.duration FROM entity s JOIN task t ON t.entity_id = s.id
            JOIN preview_file pf ON pf.task_id = t.id LEFT JOIN entity q ON q.id = s.parent_id
            WHERE s.project_id = $1::uuid AND s.entity_type_id = $2::uuid AND t.task_type_id = $3::uuid
              AND ($4::uuid IS NULL OR q.parent_id = $4::uuid)
            ORDER BY s.id, pf.created_at DESC)
        UPDATE entity e SET nb_frames = round(l.duration * NULLIF(p.fps, '')::float8)::integer
        FROM latest l, project p WHERE e.id = l.id AND p.id = $1::uuid AND l.duration IS NOT NULL
        RETURNING e.id, e.nb_frames)",
                             {project_id, entity_type_id(c, Kind::shot), task_type_id, episode_id});
    return rows_array_json(rows);
}

std::string remove_entities(db::Connection& c, const std::string& user_id, const std::string& project_id,
                            const std::vector<std::string>& ids, bool force, storage::DeletedFiles& deleted) {
    db::Transaction tx(c);
    JsonWriter removed;
    removed.begin_array();
    for (const auto& id : ids) {
        const auto found = is_uuid(id) ? c.exec(R"(SELECT e.id, e.project_id, e.parent_id, e.created_by, e.canceled,
                t.name AS type_name FROM entity e JOIN entity_type t ON t.id = e.entity_type_id WHERE e.id = $1::uuid)",
                                                {id})
                                       : db::Result();
        if (found.rows() == 0 || found.get(0, "project_id") != project_id)
            continue;
        const std::string type(found.get(0, "type_name"));
        std::string prefix = "asset";
        if (type == "Shot" || type == "Edit" || type == "Concept")
            prefix = type == "Shot" ? "shot" : type == "Edit" ? "edit" : "concept";
        else if (type == "Sequence" || type == "Episode" || type == "Scene")
            continue;
        const bool canceled = !found.is_null(0, found.column_index("canceled")) && found.get_bool(0, "canceled");
        remove_leaf(c, user_id, prefix, load_any(c, id), force || canceled || prefix == "concept", deleted);
        removed.string(id);
    }
    removed.end_array();
    tx.commit();
    return removed.take();
}

} // namespace slate::engine::entities
