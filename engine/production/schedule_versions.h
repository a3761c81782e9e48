#pragma once
// engine/production/schedule_versions.h: production schedule versions (Zou's schedule_service):
// a version keeps its own dates and estimations per task (task links, with their assignees),
// filled from the production or from another version, and applied back to the tasks.

#include "engine/fwd.h"

#include <optional>
#include <string>

namespace slate::engine::production {

/// The production of a schedule version; 404 when there is no such version.
std::string schedule_version_project(db::Connection& c, const std::string& version_id);

/// The version's task links (only those of tasks of `task_type_id` when given), serialize()
/// shape, with "assignees" when `relations`.
std::string schedule_version_task_links_json(db::Connection& c, const std::string& version_id,
                                             const std::optional<std::string>& task_type_id, bool relations);

/// Copies every task of the production into the version (dates, estimation; existing links
/// updated) and the tasks' assignees onto its links. {"success": true, "task_link_count": n}.
std::string set_task_links_from_production(db::Connection& c, const std::string& version_id);

/// Copies the links of another version of the same production (400 when it is the version
/// itself) and their assignees; the version records where it came from
/// (production_schedule_version:update). {"success": true, "task_link_count": n}.
std::string set_task_links_from_version(db::Connection& c, const std::string& user_id, const std::string& version_id,
                                        const std::string& other_version_id);

/// Writes the version's dates and estimations onto the tasks (task:update each), locks the
/// version and records it on the production. {"success": true, "task_count": n}.
std::string apply_schedule_version(db::Connection& c, const std::string& user_id, const std::string& version_id);

} // namespace slate::engine::production
