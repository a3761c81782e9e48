#pragma once
// engine/entities/entity_lists.h: the typed listings of shots, sequences, episodes, scenes,
// edits and concepts (Zou's shots_service.get_shots, get_sequences, ..., and
// entities_service.get_entities_for_project): entity rows serialised with their kind's "type".

#include "engine/entities/entity_kinds.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace slate::engine::entities {

using Criteria = std::multimap<std::string, std::string>;

/// GET /data/shots, /data/sequences, ...: Zou's criterion filters over the entity columns
/// (unknown keys ignored), ordered by name. Shots and scenes come with project_name and
/// sequence_name (only those in a sequence), edits and concepts with project_name. With
/// `assigned_to` (a vendor), only entities with a task assigned to that person, their data
/// without the metadata kept to other departments (production::vendor_visible_data), as in
/// all the listings below that name a vendor.
std::string criteria_json(db::Connection& c, const services::Identity& caller, Kind kind, const Criteria& criteria,
                          const std::optional<std::string>& assigned_to = std::nullopt);

/// The project's entities of a kind, by name (Zou's get_entities_for_project); with
/// `assigned_to` (a vendor), those with a task assigned to that person, masked for them.
std::string project_entities_json(db::Connection& c, Kind kind, const std::string& project_id,
                                  const std::optional<std::string>& assigned_to = std::nullopt);

/// A vendor's episodes of a project: those holding a shot or an asset with a task assigned
/// to them (Zou's get_episodes_for_project(only_assigned=True)).
std::string assigned_episodes_json(db::Connection& c, const std::string& project_id, const std::string& person_id);
/// A vendor's sequences of a project (or of an episode): those holding a shot with a task
/// assigned to them. Both masked for the vendor.
std::string assigned_sequences_json(db::Connection& c, const std::optional<std::string>& project_id,
                                    const std::optional<std::string>& episode_id, const std::string& person_id);

/// The entities of a kind whose parent is `parent_id` (scenes of a sequence, edits of an
/// episode), by name; shots of an episode are those of its sequences. With `vendor`, masked
/// for that vendor.
std::string children_json(db::Connection& c, Kind kind, const std::string& parent_id, bool relations,
                          const std::optional<std::string>& vendor = std::nullopt);

/// One entity serialised with its kind's "type", or `type` when given (relations as id lists
/// when asked).
std::string entity_json(db::Connection& c, Kind kind, const std::string& id, bool relations,
                        std::string_view type = {});

/// The entities the entity is linked to (its casting), serialised as "Asset" (Zou's
/// breakdown_service.get_entity_casting).
std::string casting_json(db::Connection& c, const std::string& entity_id);

/// A sequence, episode or scene as Zou's get_full_sequence/episode/scene give it: the
/// serialisation with project_name and, when it has them, its episode's (and a scene's
/// sequence's) id and name. Empty when there is no such entity of that kind.
std::string entity_with_names_json(db::Connection& c, Kind kind, const std::string& id);

} // namespace slate::engine::entities
