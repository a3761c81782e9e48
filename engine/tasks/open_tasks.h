#pragma once
// engine/tasks/open_tasks.h: the figures of the open productions' tasks (Zou's
// tasks_service.get_open_tasks_stats), for the studio-wide task lists.

#include "engine/fwd.h"
#include "engine/people/auth_service.h"

#include <optional>
#include <string>

namespace slate::engine::tasks {

/// {project_id: {amount, amount_done, total_duration, total_estimation, task_types: [{project_id,
/// task_type_id, task_status_id, amount, amount_done, total_duration, total_estimation}]}} over
/// every open production for admins, the caller's open productions for others; concept tasks
/// left out.
std::string open_tasks_stats_json(db::Connection& c, const services::Identity& caller);

/// GET /data/persons/task-dates: per active person assigned tasks, the first start and last due
/// date ("None" when missing, Python's str() as Zou writes them) in `project_id` when given,
/// else in the open productions (all for admins; the caller's for others, the other open ones
/// only as anonymous merged busy periods). The caller's rights are checked by the route.
std::string persons_task_dates_json(db::Connection& c, const services::Identity& caller,
                                    const std::optional<std::string>& project_id);

} // namespace slate::engine::tasks
