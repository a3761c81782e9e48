#pragma once
// engine/tasks/project_lists.h: a production's tasks, comments and preview files, and the tasks
// and previews of an entity or a task, as Zou's resources list them: everything when no page is
// asked, else Zou's page object ({data, total, nb_pages, limit, offset, page}).

#include "engine/fwd.h"
#include "engine/people/auth_service.h"

#include <cstdint>
#include <optional>
#include <string>

namespace slate::engine::tasks {

/// `page` < 1: the whole list; `limit` 0: 100 a page.
struct Paging {
    int64_t page = -1;
    int64_t limit = 0;
};

/// The production's tasks with their assignees, last changed first. With `episode_id`, the tasks
/// of that episode's shots, and then (as Zou does) only the caller's tasks for vendors and only
/// their open productions for non-admins.
std::string project_tasks_json(db::Connection& c, const services::Identity& caller, const std::string& project_id,
                               const std::optional<std::string>& task_type_id,
                               const std::optional<std::string>& episode_id, const Paging& paging);
/// The production's comments with their relations, last changed first.
std::string project_comments_json(db::Connection& c, const std::string& project_id, const Paging& paging);
/// The production's preview files, last changed first.
std::string project_preview_files_json(db::Connection& c, const std::string& project_id, const Paging& paging);
/// The entity's tasks of a task type, by name.
std::string entity_task_type_tasks_json(db::Connection& c, const std::string& entity_id,
                                        const std::string& task_type_id);
/// The task's preview files, newest revision first.
std::string task_previews_json(db::Connection& c, const std::string& task_id);

/// The tasks of a task type on every entity of an open production where the person has a task.
std::string person_related_tasks_json(db::Connection& c, const std::string& person_id, const std::string& task_type_id);

} // namespace slate::engine::tasks
