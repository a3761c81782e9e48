#pragma once
// engine/tasks/open_tasks.h: the figures of the open productions' tasks (Zou's
// tasks_service.get_open_tasks_stats), for the studio-wide task lists.

#include "engine/fwd.h"
#include "engine/people/auth_service.h"

#include <string>

namespace slate::engine::tasks {

/// {project_id: {amount, amount_done, total_duration, total_estimation, task_types: [{project_id,
/// task_type_id, task_status_id, amount, amount_done, total_duration, total_estimation}]}} over
/// every open production for admins, the caller's open productions for others; concept tasks
/// left out.
std::string open_tasks_stats_json(db::Connection& c, const services::Identity& caller);

} // namespace slate::engine::tasks
