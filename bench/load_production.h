#pragma once
// bench/load_production.h: the sample production (engine/samples, as `slate sample-production`
// writes it) loaded for a benchmark, with the few ids the benchmarks ask for.

#include "engine/config.h"
#include "engine/db/connection.h"
#include "engine/samples/sample_production.h"

#include <string>

namespace slate::bench {

struct Production {
    engine::samples::SampleSummary sample;
    std::string project_id;
    std::string some_task_id; ///< a task of the production, the same for the same seed
    int tasks = 0;
};

/// Loads the sample production of `size` ("small", "big" or "spec") and `seed`, saying on stdout what
/// and how long.
Production load_production(engine::db::Connection& c, const engine::Config& config, const std::string& size,
                           unsigned long long seed);

} // namespace slate::bench
