#pragma once
// engine/people/user_assignments.h: the entities, task types and tasks assigned to the caller in
// open productions (Zou's user_service: get_tasks_for_entity, get_task_types_for_entity,
// get_assets_for_asset_type, get_asset_types_for_project, get_sequences_for_project,
// get_project_episodes, get_shots_for_sequence, get_scenes_for_sequence).

#include "engine/fwd.h"

#include <string>

namespace slate::engine::user {

/// What kind of row a path names; its absence (or another kind) is a 404.
enum class EntityKind { asset, shot, scene, sequence };

/// 404 unless `id` is an entity of that kind.
void require_entity(db::Connection& c, const std::string& id, EntityKind kind);
/// 404 unless `id` is a production / an asset type.
void require_project(db::Connection& c, const std::string& id);
void require_asset_type(db::Connection& c, const std::string& id);

/// The person's tasks of the entity (serialize(), no relations).
std::string tasks_for_entity(db::Connection& c, const std::string& person_id, const std::string& entity_id);
/// The task types of those tasks.
std::string task_types_for_entity(db::Connection& c, const std::string& person_id, const std::string& entity_id);
/// The production's assets of that type the person has a task of ("type": "Asset").
std::string assets_for_asset_type(db::Connection& c, const std::string& person_id, const std::string& project_id,
                                  const std::string& asset_type_id);
/// The asset types of the production's assets the person has a task of.
std::string asset_types_for_project(db::Connection& c, const std::string& person_id, const std::string& project_id);
/// The sequences of the production with a shot the person has a task of.
std::string sequences_for_project(db::Connection& c, const std::string& person_id, const std::string& project_id);
/// The episodes of the production with such a sequence.
std::string episodes_for_project(db::Connection& c, const std::string& person_id, const std::string& project_id);
/// The shots (or scenes) of the sequence the person has a task of.
std::string children_of_sequence(db::Connection& c, const std::string& person_id, const std::string& sequence_id,
                                 EntityKind kind);

} // namespace slate::engine::user
