#pragma once
// engine/entities/with_tasks.h: the listings the Kitsu web app loads first — shots, sequences,
// episodes, scenes, edits and concepts each with their tasks (Zou's get_shots_and_tasks,
// entities_service.get_entities_and_tasks, get_edits_and_tasks, get_concepts_and_tasks) — in
// Zou's item shapes. Two statements (the entities, their tasks) read side by side through
// cursors in batches and written out as they come: the memory used does not grow with the
// production.

#include "engine/entities/entity_kinds.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace slate::engine::entities {

struct WithTasksQuery {
    Kind kind = Kind::shot;
    std::string caller_id;                    ///< whose subscriptions make is_subscribed
    std::optional<std::string> id;            ///< one entity
    std::optional<std::string> project_id;    ///< is_subscribed is only read with a project
    std::optional<std::string> episode_id;    ///< an id; "all" answers [] (but for shots)
    std::optional<std::string> assigned_to;   ///< a vendor: entities and tasks of their assignments
    bool full = false;                        ///< the one-entity page: serialize()'s columns too
    bool compact = false; ///< Zou's compact=true: {"compact", "shot_fields", "task_fields", "rows"} of arrays
    bool stream = false;  ///< Zou's stream=true: NDJSON, the header line then one item a line
    /// Instead of a kind: the entities linked to this concept, any kind, in the shape of Zou's
    /// get_linked_entities_with_tasks (the kind's filters do not apply).
    std::optional<std::string> linked_to;
};

/// Writes the JSON array to `sink` piece by piece. Runs in its own transaction (a cursor). With
/// `helpers`, a production's listing borrows a second connection when one is free and reads
/// half the tasks there at the same time.
void write_with_tasks(db::Connection& c, const WithTasksQuery& query,
                      const std::function<void(std::string_view)>& sink, db::Pool* helpers = nullptr);

/// GET /data/shots/<id>, /data/edits/<id>, /data/concepts/<id>: the with-tasks item of the
/// entity (for shots and concepts merged with its serialisation with relations); for
/// sequences, episodes and scenes the serialisation with project_name and, when they have
/// them, sequence and episode id and name. 404 when there is no such entity of that kind.
std::string full_entity_json(db::Connection& c, Kind kind, const std::string& id, const std::string& caller_id);

} // namespace slate::engine::entities
