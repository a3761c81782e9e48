#pragma once
// engine/crud/project_link_queries.h: a project's task type and task status links (their
// priorities and board roles), and the studio-wide order of task types.

#include "engine/db/connection.h"

#include <optional>
#include <string>

namespace slate::engine::queries {

/// Which link table: project_task_type_link or project_task_status_link.
enum class ProjectLink { task_type, task_status };

/// Creates the link, or updates its priority (and board roles for statuses). Returns the row.
db::Result upsert_project_link(db::Connection& c, ProjectLink kind, const std::string& project_id,
                               const std::string& target_id, const db::Param& priority,
                               const db::Param& roles_for_board);

/// Sets the priority of an existing link (none is created); returns the row, if any.
db::Result set_project_link_priority(db::Connection& c, ProjectLink kind, const std::string& project_id,
                                     const std::string& target_id, int priority);

/// Sets a task type's studio-wide priority; returns the row, if any.
db::Result set_task_type_priority(db::Connection& c, const std::string& task_type_id, int priority);

} // namespace slate::engine::queries
