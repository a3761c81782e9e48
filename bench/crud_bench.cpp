#include "crud_bench.h"

#include "bench_server.h"
#include "http_load.h"
#include "load_production.h"

#include "engine/models/catalog.h"
#include "engine/crud/queries.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>

namespace slate::bench {
namespace {

double time_ms(const std::function<void()>& work, int repeats) {
    std::vector<double> samples;
    for (int i = 0; i < repeats; ++i) {
        const auto begin = std::chrono::steady_clock::now();
        work();
        samples.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - begin).count());
    }
    return percentile(samples, 0.5);
}

void report(const char* route, double bare_ms, int port, const std::string& path, const std::string& token,
            int requests) {
    for (int clients : {2, 16}) {
        LoadResult load = run_load(port, path, token, clients, requests);
        const double median = percentile(load.latencies_ms, 0.5);
        const double p99 = percentile(load.latencies_ms, 0.99);
        const double goal = 1.5 * bare_ms + 1.0;
        std::printf("%-44s %7d %9.2f %9.2f %9.0f %9.2f %9.2f  %s%s\n", route, clients, median, p99,
                    double(load.latencies_ms.size()) / load.seconds, bare_ms, goal,
                    median <= goal ? "within goal" : "over goal", load.errors ? " (errors!)" : "");
    }
}

} // namespace

int run_crud_bench(const CrudBenchOptions& options) {
    char pattern[] = "/tmp/slate-bench-XXXXXX";
    const std::string data_dir = mkdtemp(pattern);
    int exit_code = 0;
    {
        BenchServer server(data_dir, 24, false);
        engine::db::Connection& connection = server.connection();
        const Production production = load_production(connection, server.config(), options.size, options.seed);
        const std::string token = server.admin_token();

        // The bare queries: the statements the routes run, fetched through libpq, no JSON.
        const auto& task = engine::models::table("task");
        engine::queries::Where where;
        where.add("t.project_id = " + where.param(production.project_id) + "::uuid");
        const double bare_page = time_ms(
            [&] {
                engine::queries::count_rows(connection, task, where);
                engine::queries::select_rows(connection, task, false, where, engine::queries::Page{100, 0});
            },
            50);
        const double bare_one =
            time_ms([&] { engine::queries::select_by_id(connection, task, production.some_task_id, true); }, 200);

        std::printf("%-44s %7s %9s %9s %9s %9s %9s\n", "route", "clients", "median", "p99", "req/s", "bare SQL",
                    "goal");
        report("GET /data/tasks?project_id=...&page=1", bare_page, server.port(),
               "/data/tasks?project_id=" + production.project_id + "&page=1", token, options.requests);
        report("GET /data/tasks/{id}", bare_one, server.port(), "/data/tasks/" + production.some_task_id, token,
               options.requests);
        std::printf("\n(milliseconds; goal: median within 1.5 x bare SQL + 1 ms)\n");
    }
    std::error_code ignored;
    std::filesystem::remove_all(data_dir, ignored);
    return exit_code;
}

} // namespace slate::bench
