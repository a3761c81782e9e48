#pragma once
// bench/load_production.h: a synthetic production loaded straight into PostgreSQL.

#include "engine/db/connection.h"

#include <string>

namespace slate::bench {

struct Production {
    std::string project_id;
    std::string some_task_id;
    int tasks = 0;
};

/// One open project with `shots` shots and `tasks_per_shot` tasks each (task types cycled),
/// written with set-based INSERTs. Needs init-data's task types and statuses.
Production load_production(engine::db::Connection& c, int shots, int tasks_per_shot);

} // namespace slate::bench
