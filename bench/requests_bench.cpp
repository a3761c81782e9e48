#include "requests_bench.h"

#include "bench_server.h"
#include "http_load.h"
#include "load_production.h"

#include "engine/storage/file_store.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

namespace slate::bench {
namespace {

/// A 1×1 PNG: the size of the thumbnails' answers does not matter here, their checks do.
const unsigned char tiny_png[] = {0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
                                  0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
                                  0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78,
                                  0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0, 0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99,
                                  0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};

struct Figures {
    double per_second = 0, median = 0, p99 = 0;
    int errors = 0;
};

Figures measure(int port, const std::string& path, const std::string& token, const RequestsBenchOptions& options) {
    run_timed_load(port, path, token, options.clients, 0.3); // warm: connections, caches, plans
    LoadResult load = run_timed_load(port, path, token, options.clients, options.seconds);
    Figures figures;
    figures.per_second = double(load.latencies_ms.size()) / load.seconds;
    figures.median = percentile(load.latencies_ms, 0.5);
    figures.p99 = percentile(load.latencies_ms, 0.99);
    figures.errors = load.errors;
    return figures;
}

} // namespace

int run_requests_bench(const RequestsBenchOptions& options) {
    char pattern[] = "/tmp/slate-bench-XXXXXX";
    const std::string data_dir = mkdtemp(pattern);
    bool all_met = true;
    {
        BenchServer server(data_dir, 16, false);
        engine::db::Connection& c = server.connection();
        const Production production = load_production(c, server.config(), options.size, options.seed);

        // An artist of the production's team: the small routes are asked as them, so that the
        // token check and the production-access check are both paid. A picture preview of the
        // production gets a thumbnail file.
        const std::string preview_id(c.exec(R"(SELECT p.id FROM preview_file p JOIN task t ON t.id = p.task_id
                WHERE t.project_id = $1::uuid AND NOT p.is_movie ORDER BY p.id LIMIT 1)",
                                            {production.project_id})
                                         .get(0, 0));
        engine::storage::LocalFileStore files(server.config().file_store_root(), server.config().fs_bucket_prefix);
        files.put_bytes(engine::storage::Bucket::pictures, engine::storage::make_key("thumbnails", preview_id),
                        std::string_view(reinterpret_cast<const char*>(tiny_png), sizeof tiny_png));

        const std::string admin = server.admin_token();
        const std::string user = server.login(production.sample.artist_email, engine::samples::sample_password);
        std::printf("%d clients, %.0f s a route, same run\n\n", options.clients, options.seconds);
        std::printf("%-56s %-7s %9s %9s %9s %8s  %s\n", "route", "as", "req/s", "median", "p99", "x /api/", "goal");
        const Figures bare = measure(server.port(), "/api/", "", options);
        std::printf("%-56s %-7s %9.0f %9.2f %9.2f %8s  %s\n", "GET /api/", "-", bare.per_second, bare.median, bare.p99,
                    "1", "(the HTTP layer)");
        struct Row {
            std::string label, path;
            bool as_admin;
        };
        const std::vector<Row> small = {
            {"GET /api/data/task-status", "/api/data/task-status", false},
            {"GET /api/data/task-types", "/api/data/task-types", false},
            {"GET /api/data/persons", "/api/data/persons", false},
            {"GET /api/data/projects", "/api/data/projects", false},
            {"GET /api/data/projects/{id}", "/api/data/projects/" + production.project_id, false},
            {"GET /api/auth/authenticated", "/api/auth/authenticated", false},
            {"GET /api/pictures/thumbnails/preview-files/{id}.png",
             "/api/pictures/thumbnails/preview-files/" + preview_id + ".png", false},
        };
        for (const Row& row : small) {
            const Figures f = measure(server.port(), row.path, row.as_admin ? admin : user, options);
            const bool met = f.per_second * 3 >= bare.per_second && f.p99 < 5 && f.errors == 0;
            all_met = all_met && met;
            std::printf("%-56s %-7s %9.0f %9.2f %9.2f %8.2f  %s%s\n", row.label.c_str(), "artist", f.per_second,
                        f.median, f.p99, f.per_second / bare.per_second, met ? "met" : "NOT met",
                        f.errors ? " (errors!)" : "");
        }
        const std::vector<Row> listings = {
            {"GET /api/data/tasks?project_id=...&page=1",
             "/api/data/tasks?project_id=" + production.project_id + "&page=1", true},
            {"GET /api/data/entities?project_id=...&page=1",
             "/api/data/entities?project_id=" + production.project_id + "&page=1", true},
        };
        for (const Row& row : listings) {
            const Figures f = measure(server.port(), row.path, admin, options);
            const bool met = f.per_second >= 30 * 23 && f.errors == 0;
            all_met = all_met && met;
            std::printf("%-56s %-7s %9.0f %9.2f %9.2f %8.2f  %s%s\n", row.label.c_str(), "admin", f.per_second,
                        f.median, f.p99, f.per_second / bare.per_second, met ? "met" : "NOT met",
                        f.errors ? " (errors!)" : "");
        }
        std::printf("\n(milliseconds; goals: small authenticated routes >= 1/3 of GET /api/ with p99 < 5 ms;\n"
                    " paginated listings of the %d-task sample production >= 690 req/s, 30x the 23 req/s\n"
                    " measured before)\n"
                    "%s\n",
                    production.tasks, all_met ? "every goal met" : "some goals NOT met");
    }
    std::error_code ignored;
    std::filesystem::remove_all(data_dir, ignored);
    return 0;
}

} // namespace slate::bench
