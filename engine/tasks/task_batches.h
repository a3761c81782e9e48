#pragma once
// engine/tasks/task_batches.h: the tasks of a task type made or removed for many entities at once
// (Zou's tasks_service.create_tasks, deletion_service.remove_tasks and
// remove_tasks_for_project_and_task_type) and the deprecated to-review (task_to_review).

#include "engine/fwd.h"

#include <optional>
#include <string>
#include <vector>

namespace slate::engine::storage {
struct DeletedFiles;
}

namespace slate::engine::tasks {

/// Which entities a create-tasks route takes: assets (every type not in time), shots, edits,
/// concepts, or the entity type of that name.
enum class EntityKind { asset, shot, edit, concept_sheet, named };

/// Creates a "main" task of the type for each chosen entity of the production that has none of
/// that type yet (the default status: Todo, Neutral for concepts); task:new each. `ids` nullopt:
/// every entity of the kind in the production; else those ids (404 for an unknown one or one of
/// another kind; those of another production skipped). Answers the new tasks with their status
/// and type fields. 404 for an unknown task type or entity type name.
/// `episode_id` (with no ids) narrows to the episode: its sequences' shots, the assets it holds
/// or casts, the edits and other entities under it.
std::string create_tasks(db::Connection& c, const std::string& caller_id, const std::string& project_id,
                         const std::string& task_type_id, EntityKind kind, const std::string& type_name,
                         const std::optional<std::vector<std::string>>& ids,
                         const std::optional<std::string>& episode_id = std::nullopt);

/// Removes the production's tasks among `ids` with everything hanging from them (task:delete
/// each); answers the ids given. The stored files of what goes are added to `deleted`, for the
/// caller to remove after the commit (as below).
std::string remove_tasks(db::Connection& c, const std::string& caller_id, const std::string& project_id,
                         const std::vector<std::string>& ids, storage::DeletedFiles& deleted);
/// Removes every task of the type in the production (404 for an unknown production).
void remove_task_type_tasks(db::Connection& c, const std::string& caller_id, const std::string& project_id,
                            const std::string& task_type_id, storage::DeletedFiles& deleted);

} // namespace slate::engine::tasks
