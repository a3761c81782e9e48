#pragma once
// engine/people/user_context.h: what the Kitsu web app loads first (Zou's user_service
// get_context and get_open_projects): the caller's open productions with their extra data,
// and the one payload of reference lists, persons, filters and counts it starts from.

#include "engine/fwd.h"
#include "engine/people/auth_service.h"

#include <optional>
#include <string>

namespace slate::engine::user {

/// GET /data/user/projects/open: the open productions (all of them for admins, else those
/// whose team holds the caller), each serialised with relations plus `descriptors` (clients:
/// only those published to clients; vendors: those of their departments or of none),
/// `task_types_priority`, `task_statuses_link` and, for TV shows, `first_episode_id`.
/// `name`, when given, keeps the production of exactly that name.
std::string open_projects_json(db::Connection& c, const services::Identity& caller,
                               const std::optional<std::string>& name = std::nullopt);

/// GET /data/user/context. `user_limit` is added for admins.
std::string context_json(db::Connection& c, const services::Identity& caller, int64_t user_limit);

} // namespace slate::engine::user
