#include "load_production.h"

#include <chrono>
#include <cstdio>

namespace slate::bench {

Production load_production(engine::db::Connection& c, const engine::Config& config, const std::string& size,
                           unsigned long long seed) {
    engine::samples::SampleOptions options;
    options.size = engine::samples::sample_size(size);
    options.seed = seed;
    std::printf("loading the %s sample production (seed %llu)...\n", size.c_str(), seed);
    std::fflush(stdout);
    const auto start = std::chrono::steady_clock::now();
    Production production;
    production.sample = engine::samples::load_sample_production(c, config, options);
    production.project_id = production.sample.project_id;
    const auto task = c.exec("SELECT id, count(*) OVER () AS n FROM task WHERE project_id = $1::uuid ORDER BY id "
                             "LIMIT 1 OFFSET 500",
                             {production.project_id});
    production.some_task_id = std::string(task.get(0, "id"));
    production.tasks = task.get_int(0, "n");
    std::printf("loaded %d tasks in %.1f s\n\n", production.tasks,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    return production;
}

} // namespace slate::bench
