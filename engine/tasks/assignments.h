#pragma once
// engine/tasks/assignments.h: assigning persons to tasks and clearing assignations (Zou's
// tasks_service.assign_task / clear_assignation with permissions_service's department rules,
// check_person_is_not_bot, the assignation notification and the team membership it implies).

#include "engine/fwd.h"
#include "engine/people/auth_service.h"

#include <optional>
#include <string>
#include <vector>

namespace slate::engine::tasks {

/// Zou's check_person_is_not_bot: 403 for a bot, unless the production lets bots collaborate.
/// Throws AssigneeMissing when there is no such person.
struct AssigneeMissing : std::runtime_error {
    AssigneeMissing() : std::runtime_error("Assignee doesn't exist in database.") {}
};
void require_not_bot(db::Connection& c, const std::string& person_id, const std::optional<std::string>& project_id);

/// Zou's check_task_department_access: may the caller assign `person_id` to the task?
bool may_assign(db::Connection& c, const services::Identity& caller, const std::string& task_id,
                const std::string& person_id);
/// check_task_department_access_for_unassign.
bool may_unassign(db::Connection& c, const services::Identity& caller, const std::string& task_id,
                  const std::optional<std::string>& person_id);

/// Assigns the person (the caller becomes the assigner), notifies them when they are not the
/// caller, emits task:assign and task:update; answers the task with its assignees. The person is
/// added to the team by add_team_member. The notification's id joins `notified` (its mail goes
/// after the commit: people::send_notification_mails).
std::string assign(db::Connection& c, const services::Identity& caller, const std::string& task_id,
                   const std::string& person_id, std::vector<std::string>& notified);
/// Adds the person to the production's team (no-op when already in it).
void add_team_member(db::Connection& c, const std::string& project_id, const std::string& person_id);
/// Removes `person_id` (or every assignee) from the task; task:unassign per person, task:update.
void clear_assignation(db::Connection& c, const std::string& task_id, const std::optional<std::string>& person_id);

/// The task's assignees (person ids).
std::vector<std::string> assignees_of(db::Connection& c, const std::string& task_id);
/// Zou's TaskResource.post_update once a PUT set the assignees: per new assignee task:assign
/// and an assignation notification (not when they are the caller), per one gone task:unassign.
/// Answers the notifications written, for their mails after the commit.
std::vector<std::string> announce_assignees_change(db::Connection& c, const services::Identity& caller,
                                                   const std::string& task_id, const std::vector<std::string>& previous);

/// Zou's check_supervisor_task_access for a change of priority: admins, managers of the
/// production, its supervisors without departments or of the task type's department.
bool may_set_priority(db::Connection& c, const services::Identity& caller, const std::string& task_id);
/// Sets the task's priority (task:update); answers the task.
std::string set_priority(db::Connection& c, const services::Identity& caller, const std::string& task_id,
                         int64_t priority);

/// The task's production; nullopt when there is no such task (or the id is malformed).
std::optional<std::string> task_project(db::Connection& c, const std::string& task_id);

} // namespace slate::engine::tasks
