#pragma once
// engine/tasks/task_full.h: a task with everything its page shows (Zou's
// tasks_service.get_full_task): the task with its assignees, its entity and entity type, production,
// task type and status, the assignees' and assigner's persons, whether the caller follows it, and
// for shots, scenes and sequences their sequence and episode.

#include "engine/fwd.h"

#include <string>

namespace slate::engine::tasks {

/// The full task (the caller's access already checked); 404 when there is no such task.
std::string full_task_json(db::Connection& c, const std::string& task_id, const std::string& caller_id);

} // namespace slate::engine::tasks
