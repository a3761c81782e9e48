#pragma once
// engine/entities/entity_task_creation.h: POST /data/entities/<id>/tasks (Zou's
// tasks_service.create_tasks_for_entity): the "main" task of each task type asked for, or of
// every task type the production and (for assets) the asset type's workflow enable.

#include "engine/entities/entity_kinds.h"

#include <string>
#include <vector>

namespace slate::engine::entities {

/// Creates the missing tasks with the default status (Todo; Neutral for concepts), each with
/// task:new; answers them as Zou does (serialize(), assignees, status and type names and
/// colours). A task type that does not exist is a 404; one for another kind of entity, not
/// enabled in the production or out of the asset type's workflow, a 400 with Zou's message.
std::string create_entity_tasks(db::Connection& c, const std::string& user_id, const std::string& entity_id,
                                const std::vector<std::string>& task_type_ids);

} // namespace slate::engine::entities
