#include "folders_bench.h"

#include "engine/config.h"
#include "engine/db/connection.h"
#include "engine/db/database.h"
#include "engine/db/migrate.h"
#include "engine/samples/sample_production.h"
#include "filetree/db/context_loader.h"
#include "filetree/db/tree_store.h"
#include "filetree/folders.h"
#include "filetree/shipped.h"
#include "filetree/tree.h"

#include <tbb/global_control.h>
#include <tbb/info.h>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace slate::bench {

namespace fs = std::filesystem;

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void print_run(const char* label, const filetree::FolderReport& report, bool disk) {
    std::printf("  %-34s %8lld paths in %6.3f s: %9.0f paths/s", label, report.rendered, report.render_seconds,
                report.rendered / report.render_seconds);
    if (disk)
        std::printf("; %zu folders made in %.3f s: %.0f folders/s", report.created.size(), report.disk_seconds,
                    report.created.size() / report.disk_seconds);
    std::printf("\n");
}

} // namespace

int run_folders_bench(const FoldersBenchOptions& options) {
    const auto size = engine::samples::sample_size(options.size); // a bad size fails before any work
    char pattern[] = "/tmp/slate-folders-bench-XXXXXX";
    const fs::path work = mkdtemp(pattern);
    setenv("DB_HOST", "", 1); // a cluster of its own under the data folder
    engine::Config config = engine::Config::from_environment();
    config.data_dir = (work / "data").string();
    {
        engine::db::Database database(config);
        engine::db::Connection c(database.settings());
        engine::db::upgrade_database(c);
        engine::db::init_data(c);
        std::fprintf(stderr, "loading the %s sample production...\n", options.size.c_str());
        engine::samples::SampleOptions sample_options;
        sample_options.size = size;
        const auto sample = engine::samples::load_sample_production(c, config, sample_options);
        filetree::set_project_tree(c, sample.project_id, filetree::shipped_tree("simple"));

        auto start = std::chrono::steady_clock::now();
        const auto sources = filetree::load_folder_sources(c, sample.project_id);
        const auto tree = filetree::load_project_tree(c, sample.project_id);
        std::printf("create-folders on the %s sample production (%zu tasks, %zu entities), simple tree, %d cores\n",
                    options.size.c_str(), sources.tasks.size(), sources.entities.size(),
                    tbb::info::default_concurrency());
        std::printf("  %-34s %.3f s\n", "rows read (4 queries)", seconds_since(start));

        filetree::FolderOptions dry;
        dry.dry_run = true;
        dry.root = (work / "storage").string();
        {
            tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
            print_run("dry run, rendering on 1 core", filetree::create_folders(tree, sources, dry), false);
        }
        print_run("dry run, rendering on the pool", filetree::create_folders(tree, sources, dry), false);

        filetree::FolderOptions real = dry;
        real.dry_run = false;
        start = std::chrono::steady_clock::now();
        const auto made = filetree::create_folders(tree, sources, real);
        print_run("creation in a temporary folder", made, true);
        std::printf("  %-34s %.3f s (%zu folders: %zu created, %lld existing, %zu refused, %zu failed; %zu shared "
                    "by different entities)\n",
                    "whole run", seconds_since(start), made.folders, made.created.size(), made.existing,
                    made.refused.size(), made.failed.size(), made.shared.size());
        start = std::chrono::steady_clock::now();
        const auto again = filetree::create_folders(tree, sources, real);
        std::printf("  %-34s %.3f s (%lld existing)\n", "second run, all existing", seconds_since(start), again.existing);

        // The simple tree has no episode in its shot folders: the sample's sequence names repeat
        // in each episode, so its shots share folders. With the episode, every shot has its own.
        std::string text(*filetree::shipped_tree_json("simple"));
        for (const std::string kind : {"shots", "sequences", "scenes"})
            for (std::size_t at = 0; (at = text.find("<Project>/" + kind + "/", at)) != std::string::npos; at += 10)
                text.replace(at, 10, "<Project>/<Episode>/");
        const auto episodes = filetree::parse_tree_json(text);
        real.root = (work / "storage-episodes").string();
        start = std::chrono::steady_clock::now();
        const auto each = filetree::create_folders(episodes, sources, real);
        print_run("with <Episode>: creation", each, true);
        std::printf("  %-34s %.3f s (%zu folders, %zu shared by different entities)\n", "whole run",
                    seconds_since(start), each.folders, each.shared.size());
    }
    fs::remove_all(work);
    return 0;
}

} // namespace slate::bench
