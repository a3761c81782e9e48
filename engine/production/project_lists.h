#pragma once
// engine/production/project_lists.h: the production lists clients start from (Zou's
// OpenProjectsResource and AllProjectsResource over projects_service and user_service).

#include "engine/fwd.h"

#include <optional>
#include <string>

namespace slate::engine::production {

/// GET /data/projects/open: the open productions (an admin: every project whose status is
/// Active, open or Open; others: those of the Open status whose team holds them), ordered by
/// name, each serialised with its relations plus "descriptors" (clients: only those for
/// clients; vendors: those of no department or of one of theirs), "task_types_priority",
/// "task_statuses_link" and, for a tv show, "first_episode_id" (its first running episode by
/// name, else its first episode). `name`: exact name filter.
std::string open_projects_json(db::Connection& c, const services::Identity& caller,
                               const std::optional<std::string>& name);

/// GET /data/projects/all: an admin gets every project with "project_status_name" and its
/// Project-level "descriptors" (with `name`: the one project whose name matches it
/// case-insensitively, 404 when none); others the projects whose team holds them (any status;
/// with `name`, the one of them matching as for admins, where Zou fails with a 500).
std::string all_projects_json(db::Connection& c, const services::Identity& caller,
                              const std::optional<std::string>& name);

} // namespace slate::engine::production
