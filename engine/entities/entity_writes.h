#pragma once
// engine/entities/entity_writes.h: creating, updating and deleting shots, sequences,
// episodes, scenes, edits and concepts as Zou's shots_service, edits_service,
// concepts_service and deletion_service do, with their events (shot:new, shot:update,
// shot:delete, sequence:new, ...).

#include "engine/entities/entity_kinds.h"

#include <optional>
#include <string>
#include <vector>

namespace Poco::JSON {
class Object;
}

namespace slate::engine::storage {
struct DeletedFiles;
}

namespace slate::engine::entities {

/// What a creation route's body gives (Zou's New*Schema, already validated).
struct NewEntity {
    std::string name;
    std::optional<std::string> parent_id;   ///< a sequence's episode, a shot's or scene's sequence, an edit's episode
    std::optional<std::string> description;
    std::optional<std::string> data;        ///< JSON object text; none → {}
    std::optional<long long> nb_frames;     ///< shots
    std::optional<std::string> status;      ///< episodes: running, complete, standby or canceled (else running)
    std::vector<std::string> concept_links; ///< concepts: ids of linked entities (unknown ones dropped)
};

/// Creates the entity in the project, or answers the one of that kind, parent and name that
/// exists (Zou's get-or-create, no event then). A sequence's episode or a shot's or scene's
/// sequence must be of this project: 404 otherwise, as Zou's typed NotFound.
std::string create_entity(db::Connection& c, const std::string& user_id, Kind kind, const std::string& project_id,
                          const NewEntity& fields);

/// PUT /data/shots/<id>: sets the entity columns the body names (protected ones dropped, unknown
/// keys ignored; data replaced whole), emits shot:update; answers serialize() ("type": "Entity").
std::string update_shot(db::Connection& c, const std::string& user_id, const std::string& shot_id,
                        const Poco::JSON::Object& body);

/// Deletes as Zou does: a shot, edit or concept with tasks is only canceled (<kind>:update)
/// unless `force`; otherwise it goes with everything that depends on it (<kind>:delete). A
/// sequence or episode with dependants needs `force` (400 "Some data are still linked to this
/// sequence." otherwise), which removes its shots, scenes, tasks and the rest; a scene that
/// cannot be deleted is canceled. The stored files of what goes are added to `deleted`, for the
/// caller to remove once this has committed.
void remove_entity(db::Connection& c, const std::string& user_id, Kind kind, const std::string& id, bool force,
                   storage::DeletedFiles& deleted);

/// POST /actions/projects/<id>/delete-entities: removes the shots, edits, concepts and assets
/// among `ids` that belong to the project (concepts and canceled entities always for good);
/// answers the ids it removed, as a JSON array. Stored files gathered as remove_entity does.
std::string remove_entities(db::Connection& c, const std::string& user_id, const std::string& project_id,
                            const std::vector<std::string>& ids, bool force, storage::DeletedFiles& deleted);

/// Makes the scene the shot's source (`add`) or clears it (Zou's scenes_service): the shot is
/// updated as PUT does (shot:update), then shot:add-to-scene or shot:remove-from-scene. 404
/// when the shot is none. Answers the shot as serialize() ("type": "Entity").
std::string set_shot_scene(db::Connection& c, const std::string& user_id, const Loaded& scene,
                           const std::string& shot_id, bool add);

/// POST set-shot-nb-frames: each shot of the project (or of the episode) with a preview on a
/// task of that type gets the frames of its newest preview (duration × project fps, rounded
/// half to even as Python does); answers [{"id", "nb_frames"}].
std::string set_frames_from_previews(db::Connection& c, const std::string& project_id,
                                     const std::string& task_type_id, const std::optional<std::string>& episode_id);

} // namespace slate::engine::entities
