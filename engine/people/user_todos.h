#pragma once
// engine/people/user_todos.h: the to-do lists (Zou's tasks_service get_person_tasks,
// get_person_done_tasks, get_person_tasks_to_check; conventions.md §7.4, §7.5): each task's
// serialisation plus its production, entity, episode, type and status names and colours, its
// assignees and its last comment not written by a client.

#include "engine/fwd.h"
#include "engine/people/auth_service.h"

#include <optional>
#include <string>

namespace slate::engine::user {

/// The person's unfinished (`done` false) or finished tasks in the open productions whose team
/// holds `scope_person_id` (every open production when nullopt); done ones newest end date first.
std::string person_tasks_json(db::Connection& c, const std::string& person_id, bool done,
                              const std::optional<std::string>& scope_person_id);

/// Tasks waiting for feedback the caller should check: admins in every open production,
/// managers in theirs, supervisors in theirs and (when they have departments) of their
/// departments' task types; nobody else.
std::string tasks_to_check_json(db::Connection& c, const services::Identity& caller);

} // namespace slate::engine::user
