#pragma once
// engine/people/user_todos.h: the to-do lists (Zou's tasks_service get_person_tasks,
// get_person_done_tasks, get_person_tasks_to_check; conventions.md §7.4, §7.5): each task's
// serialisation plus its production, entity, episode, type and status names and colours, its
// assignees and its last comment not written by a client.

#include "engine/fwd.h"
#include "engine/people/auth_service.h"

#include <cstdint>
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

/// GET /data/tasks/open-tasks: its filters (strings as sent; person_id a comma-separated list or
/// "unassigned"), page (1-based, none below 1) and limit.
struct OpenTaskFilters {
    std::optional<std::string> project_id, task_type_id, task_status_id, person_id, studio_id, department_id,
        start_date, due_date, priority;
    int64_t page = 0;
    int64_t limit = 100;
};

/// The open productions' tasks (the caller's for non-admins; one production, access checked, when
/// asked), by production, episode, sequence, entity type, entity and task type, with Zou's
/// figures: {data, stats {total_duration, total_estimation, total, status}, limit, is_more, page}.
std::string open_tasks_json(db::Connection& c, const services::Identity& caller, const OpenTaskFilters& filters);

} // namespace slate::engine::user
