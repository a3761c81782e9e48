#pragma once
// engine/entities/entity_kinds.h: the temporal entity kinds Zou keeps in its `entity` table
// beside the assets (shots, sequences, episodes, scenes, edits, concepts), told apart by their
// entity type's name; and loading one entity of a kind, as Zou's get_shot/get_sequence/... do.

#include "engine/fwd.h"

#include <optional>
#include <string>
#include <string_view>

namespace slate::engine::entities {

enum class Kind { shot, sequence, episode, scene, edit, concept_art }; /// concept_art: Zou's concepts ("concept" is a C++ keyword)

/// "Shot", "Sequence", ...: the entity type's name and the "type" key of the typed JSON.
std::string_view type_name(Kind kind);
/// "shot", "sequence", ...: the prefix of the kind's events and the key of their data.
std::string_view event_name(Kind kind);

/// The id of the kind's entity type, created when missing (Zou's
/// get_temporal_entity_type_by_name).
std::string entity_type_id(db::Connection& c, Kind kind);

/// What the routes read of a loaded entity.
struct Loaded {
    std::string id;
    std::string project_id;
    std::optional<std::string> parent_id;
    std::optional<std::string> created_by;
    bool canceled = false;
};

/// The entity of that kind: Zou's 404 when the id is malformed, absent or of another kind.
Loaded load(db::Connection& c, Kind kind, const std::string& id);
/// Any entity (Zou's entities_service.get_entity): 404 when malformed or absent.
Loaded load_any(db::Connection& c, const std::string& id);

} // namespace slate::engine::entities
