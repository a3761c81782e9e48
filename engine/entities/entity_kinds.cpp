#include "engine/entities/entity_kinds.h"

#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/uuid.h"

namespace slate::engine::entities {
namespace {

Loaded loaded_from(const db::Result& rows) {
    if (rows.rows() == 0)
        throw_not_found(not_found_message);
    Loaded entity;
    entity.id = std::string(rows.get(0, "id"));
    entity.project_id = std::string(rows.get(0, "project_id"));
    entity.parent_id = rows.optional(0, "parent_id");
    entity.created_by = rows.optional(0, "created_by");
    entity.canceled = !rows.is_null(0, rows.column_index("canceled")) && rows.get_bool(0, "canceled");
    return entity;
}

} // namespace

std::string_view type_name(Kind kind) {
    switch (kind) {
    case Kind::shot: return "Shot";
    case Kind::sequence: return "Sequence";
    case Kind::episode: return "Episode";
    case Kind::scene: return "Scene";
    case Kind::edit: return "Edit";
    case Kind::concept_art: return "Concept";
    }
    return "Entity";
}

std::string_view event_name(Kind kind) {
    switch (kind) {
    case Kind::shot: return "shot";
    case Kind::sequence: return "sequence";
    case Kind::episode: return "episode";
    case Kind::scene: return "scene";
    case Kind::edit: return "edit";
    case Kind::concept_art: return "concept";
    }
    return "entity";
}

std::string entity_type_id(db::Connection& c, Kind kind) {
    const std::string name(type_name(kind));
    auto found = c.exec_prepared("SELECT id FROM entity_type WHERE name = $1::text", {name});
    if (found.rows() > 0)
        return std::string(found.get(0, 0));
    // Zou creates the temporal types on first use; ON CONFLICT for a concurrent first use.
    c.exec(R"(INSERT INTO entity_type (id, name, archived, created_at, updated_at)
              VALUES (gen_random_uuid(), $1, false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc')
              ON CONFLICT DO NOTHING)",
           {name});
    found = c.exec("SELECT id FROM entity_type WHERE name = $1", {name});
    return std::string(found.get(0, 0));
}

Loaded load(db::Connection& c, Kind kind, const std::string& id) {
    if (!is_uuid(id))
        throw_not_found(not_found_message);
    return loaded_from(c.exec_prepared(
        R"(SELECT e.id, e.project_id, e.parent_id, e.created_by, e.canceled FROM entity e
           JOIN entity_type t ON t.id = e.entity_type_id WHERE e.id = $1::uuid AND t.name = $2::text)",
        {id, std::string(type_name(kind))}));
}

Loaded load_any(db::Connection& c, const std::string& id) {
    if (!is_uuid(id))
        throw_not_found(not_found_message);
    return loaded_from(c.exec_prepared(
        "SELECT e.id, e.project_id, e.parent_id, e.created_by, e.canceled FROM entity e WHERE e.id = $1::uuid", {id}));
}

} // namespace slate::engine::entities
