#pragma once
// engine/system/event_log.h: the log of every event (api_event) read back, newest first (Zou's
// events_service.get_last_events): what a client that was disconnected from the event stream
// reads to catch up, and what the web app's event log page lists.

#include "engine/fwd.h"
#include "engine/people/auth_service.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace slate::engine::system {

struct EventLogQuery {
    std::optional<std::string> after, before; ///< "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS", exclusive
    std::optional<std::string> cursor_event_id; ///< only events older than this one
    std::optional<std::string> project_id, name;
    std::vector<std::string> name_prefixes; ///< "task" matches "task:update"
    std::vector<std::string> name_suffixes; ///< "update" matches "task:update"
    std::vector<std::string> person_ids;    ///< authors
    bool only_files = false;                ///< the events that carry a new file
    int64_t limit = 100;                    ///< at most 1000
};

/// Zou's "Wrong date format ..." 400 unless `text` is one of the two forms it parses.
void check_event_date(const std::string& text);

/// The events, newest first: [{id, created_at, name, user_id, project_id, data}], for admins
/// and managers (a production's manager too, when asking for that production: 403 otherwise,
/// unknown productions included). Managers read only their productions' events, never the
/// events without a production. Bad ids, name parts or an unknown cursor → 400 with Zou's
/// messages.
std::string last_events_json(db::Connection& c, const services::Identity& caller, const EventLogQuery& query);

/// The distinct names of the events in the log, sorted (for the log's filters; not scoped to
/// the caller's productions, as in Zou): admins and managers only.
std::string event_names_json(db::Connection& c, const services::Identity& caller);

} // namespace slate::engine::system
