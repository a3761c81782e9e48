#pragma once
// engine/crud/project_links.h: the non-generic routes of Zou's CRUD blueprint: linking task
// types and statuses to a project with a priority, and reordering them.

#include "engine/fwd.h"

#include <Poco/JSON/Object.h>

#include <string>

namespace slate::engine::crud {

/// POST /data/task-type-links {project_id, task_type_id, priority}: 201 body.
std::string link_task_type(db::Pool& pool, const services::Identity& caller, const Poco::JSON::Object& body);
/// POST /data/task-status-links {project_id, task_status_id, priority, roles_for_board}.
std::string link_task_status(db::Pool& pool, const services::Identity& caller, const Poco::JSON::Object& body);
/// POST /actions/projects/{id}/task-type-links/reorder {task_type_ids: [...]}: the links.
std::string reorder_project_task_types(db::Pool& pool, const services::Identity& caller, const std::string& project_id,
                                       const Poco::JSON::Object& body);
/// POST /actions/projects/{id}/task-status-links/reorder {task_status_ids: [...]}.
std::string reorder_project_task_statuses(db::Pool& pool, const services::Identity& caller,
                                          const std::string& project_id, const Poco::JSON::Object& body);
/// POST /actions/task-types/reorder {task_type_ids: [...]} (admins): the task types.
std::string reorder_task_types(db::Pool& pool, const services::Identity& caller, const Poco::JSON::Object& body);

} // namespace slate::engine::crud
