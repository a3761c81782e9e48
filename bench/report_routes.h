#pragma once
// bench/report_routes.h: the routes the report measures, on the sample production, and the
// bare SQL that reads (or writes) the same rows: the floor a server cannot go below.

#include "report_wrk.h"

#include "engine/db/connection.h"

#include <string>
#include <vector>

namespace slate::bench {

/// Who asks: a production manager of the sample (sees the whole production) or an artist.
enum class Asker { manager, artist };

struct RouteCase {
    std::string name;   ///< what a user is doing
    std::string method; ///< GET, POST
    std::string path;
    std::string body;
    Asker asker = Asker::manager;
    std::string floor_sql; ///< the same rows in one statement ($n from floor_params)
    std::vector<std::string> floor_params;
    bool writes = false;            ///< the floor runs in a rolled-back transaction
    std::vector<std::string> turns; ///< when given, the paths asked in turn (`path` is the first)
};

/// The routes, with the ids of the sample production loaded in `c` (project `project_id`,
/// artist `artist_email`).
std::vector<RouteCase> report_routes(engine::db::Connection& c, const std::string& project_id,
                                     const std::string& artist_email);

/// Median milliseconds of the floor statement over a few runs.
double floor_ms(engine::db::Connection& c, const RouteCase& route);

} // namespace slate::bench
