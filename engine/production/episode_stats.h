#pragma once
// engine/production/episode_stats.h: a TV show's progress per episode (Zou's stats_service):
// task counts, frames and drawings per episode, task type and status, and retake counts and
// their evolution take by take. Tasks count through their entity's sequence's episode.

#include "engine/fwd.h"

#include <optional>
#include <string>

namespace slate::engine::production {

/// {"<episode>"|"all": {"<task type>"|"all": {"<status>": {name, color, count, frames,
/// drawings}}}}; only the tasks assigned to `assignee` when set (a vendor's view).
std::string episode_stats_json(db::Connection& c, const std::string& project_id,
                               const std::optional<std::string>& assignee);

/// {"<episode>"|"all": {"<task type>"|"all": {max_retake_count, evolution: {"<take>": {done,
/// retake, other}}, done, retake, other}}}; evolution only per episode.
std::string episode_retake_stats_json(db::Connection& c, const std::string& project_id,
                                      const std::optional<std::string>& assignee);

} // namespace slate::engine::production
