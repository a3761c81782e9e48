#pragma once
// engine/system/status_queries.h: the SQL behind the index routes (/status, /stats).

#include "engine/db/connection.h"

namespace slate::engine::queries {

/// Whether the database answers a trivial query (Zou's status check reads the "Open" status).
bool database_answers(db::Connection& c);

/// Zou's telemetry counts: previews by kind and comments (stats_service.get_main_stats).
db::Result main_stats(db::Connection& c);

/// Publishes a transient event on Slate's event channel (not stored as an ApiEvent).
void notify_event(db::Connection& c, const std::string& payload_json);

} // namespace slate::engine::queries
