#pragma once
// engine/tasks/time_spents.h: the time spent on a task, per person and day (Zou's tasks_service
// get_time_spents, create_or_update_time_spent, delete_time_spent; permissions_service
// check_time_spent_access). A change sets the task's duration to the sum of its time spents.

#include "engine/fwd.h"
#include "engine/people/auth_service.h"

#include <optional>
#include <string>

namespace slate::engine::tasks {

/// {"total": minutes, "<person_id>": [time spents], ...} of the task, of one date when given.
/// Throws user::WrongDate-like bad_request "Wrong date format." for a date PostgreSQL refuses.
std::string task_time_spents_json(db::Connection& c, const std::string& task_id,
                                  const std::optional<std::string>& date);

/// 403 unless the person is assigned the task and the caller is that person, an admin, or a
/// manager of the production.
void require_time_spent_access(db::Connection& c, const services::Identity& caller, const std::string& task_id,
                               const std::string& person_id);

/// Sets (or, `add`, increases) the person's time spent on the task that day (YYYY-MM-DD);
/// time-spent:new or :update and task:update; a new one moves the person's last presence.
std::string set_time_spent(db::Connection& c, const services::Identity& caller, const std::string& task_id,
                           const std::string& person_id, const std::string& date, double duration, bool add);
/// Removes it (404 when there is none); answers it with a duration of 0.
std::string delete_time_spent(db::Connection& c, const services::Identity& caller, const std::string& task_id,
                              const std::string& person_id, const std::string& date);

} // namespace slate::engine::tasks
