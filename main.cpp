// main.cpp: the `slate` command: serve the API, and the database verbs Zou's CLI has.

#include "api/application.h"
#include "api/router.h"
#include "api/smtp_mailer.h"
#include "engine/bootstrap.h"
#include "engine/config.h"
#include "engine/db/database.h"
#include "engine/db/embedded_cluster.h"
#include "engine/db/migrate.h"
#include "engine/db/pool.h"
#include "engine/error.h"
#include "engine/log.h"
#include "engine/people/person_queries.h"
#include "engine/people/auth_service.h"
#include "engine/people/bots.h"
#include "engine/people/ldap_sync.h"
#include "engine/samples/sample_production.h"
#include "engine/storage/file_store.h"
#include "filetree/db/context_loader.h"
#include "filetree/db/tree_store.h"
#include "filetree/folders.h"
#include "filetree/shipped.h"
#include "workers/media_jobs.h"
#include "workers/picture_variants.h"
#include "workers/person_avatars.h"
#include "workers/still_images.h"

#include <csignal>
#include <malloc.h>
#include <filesystem>
#include <cstdio>
#include <iostream>
#include <map>
#include <pthread.h>
#include <unistd.h>
#include <string>
#include <vector>

namespace {

using namespace slate;

constexpr const char* usage_text = R"(usage: slate VERB [options]

Verbs:
  serve                    migrate, create the first admin if none, serve the API (with a
                           media worker pool)
  worker                   run the media worker pool alone (scale out media work)
  init-db                  create the schema (same as upgrade-db on an empty database)
  upgrade-db               apply the migrations this version has and the database lacks
  init-data                create Zou's default statuses, task types, asset types, departments
  reset-db                 drop every table and create the schema again (data is lost)
  create-admin EMAIL --password P
                           create an admin, or make that person an active admin
  create-bot --email E --name N [--role R] [--expiration-date YYYY-MM-DD]
                           create a bot and print its API token
  check-file-tree FILE     read a file tree (JSON, or YAML for .yaml/.yml) and list its problems
  set-file-tree PROJECT FILE|default|simple
                           set a project's file tree (project by id or name) from a file or a
                           shipped tree; refused when the tree has problems
  create-folders PROJECT [--root DIR] [--dry-run]
                           make the working and output folder of every task (and asset
                           instance) of a production from its file tree, the missing ones;
                           --root replaces the tree's mountpoint; --dry-run lists what would be
                           made and makes nothing
  sync-with-ldap-server    create, update and disable persons from the LDAP directory (LDAP_*
                           settings), their directory photos as avatars
  sample-production [--size small|big|spec] [--seed N] [--media DIR]
                           write a realistic sample production (small: a few hundred shots
                           and tasks, in seconds; big: 15,000 shots, 200,000 tasks, 1,000,000
                           comments, in minutes), the same for the same seed; its previews
                           show the sample media of DIR (default: samples/ of the source tree;
                           none: preview rows without files)
  db-start, db-stop        start or stop the embedded PostgreSQL cluster of the data folder
  version                  print the version

Options:
  --data DIR               the data folder (default: $SLATE_DATA or ./var)
  --host HOST              serve: address to listen on (default 127.0.0.1)
  --port PORT              serve: port (default 5000)

Settings come from the environment with Zou's names: DB_HOST, DB_PORT, DB_USERNAME,
DB_PASSWORD, DB_DATABASE (no DB_HOST: the embedded cluster), SECRET_KEY, ...
)";

struct Command {
    std::string verb;
    std::vector<std::string> positional;
    std::map<std::string, std::string> options;
};

Command parse_command(int argc, char** argv) {
    Command command;
    if (argc < 2)
        throw_bad_request("no verb given");
    command.verb = argv[1];
    for (int i = 2; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--dry-run") {
            command.options["dry-run"] = "yes";
        } else if (arg.rfind("--", 0) == 0) {
            auto eq = arg.find('=');
            if (eq != std::string::npos) {
                command.options[arg.substr(2, eq - 2)] = arg.substr(eq + 1);
            } else {
                if (i + 1 >= argc)
                    throw_bad_request("option " + arg + " needs a value");
                command.options[arg.substr(2)] = argv[++i];
            }
        } else {
            command.positional.push_back(arg);
        }
    }
    return command;
}

engine::Config load_config(const Command& command) {
    engine::Config config = engine::Config::from_environment();
    for (const auto& [name, value] : command.options) {
        if (name == "data")
            config.data_dir = value;
        else if (name == "host")
            config.host = value;
        else if (name == "port") {
            try {
                config.port = std::stoi(value);
            } catch (...) {
                throw_bad_request("--port must be a number");
            }
        } else if (name != "password" && name != "email" && name != "name" && name != "role" &&
                   name != "expiration-date" && name != "size" && name != "seed" && name != "media" &&
                   name != "root" && name != "dry-run")
            throw_bad_request("unknown option --" + name);
    }
    return config;
}

/// Blocks SIGINT/SIGTERM in every thread (set before any thread starts) so that the main
/// thread alone receives them through sigwait.
sigset_t block_stop_signals() {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    return signals;
}

int serve(engine::Config config) {
    const sigset_t stop_signals = block_stop_signals();
    engine::ensure_secret_key(config);
    engine::db::Database database(config);
    {
        engine::db::Connection connection(database.settings());
        if (auto admin = engine::prepare_database(connection, config)) {
            std::printf("\nFirst admin created (shown once):\n  email:    %s\n  password: %s\n\n", admin->email.c_str(),
                        admin->password.c_str());
            std::fflush(stdout);
        }
    }
    api::ApplicationOptions options;
    options.host = config.host;
    options.port = config.port;
    options.http_threads = config.effective_http_threads();
    options.pool_size = config.db.pool_size;
    api::Application application(config, database.settings(), options);
    application.start();
    int received = 0;
    sigwait(&stop_signals, &received);
    log::info(std::string("stopping (") + (received == SIGINT ? "SIGINT" : "SIGTERM") + ")");
    application.stop();
    return 0;
}

/// `slate worker`: the media worker pool alone, for another machine sharing the database
/// (and the file store: a shared PREVIEW_FOLDER).
int worker(engine::Config config) {
    const sigset_t stop_signals = block_stop_signals();
    engine::db::Database database(config);
    {
        engine::db::Connection connection(database.settings());
        engine::db::upgrade_database(connection);
    }
    engine::storage::LocalFileStore files(config.file_store_root(), config.fs_bucket_prefix);
    workers::set_picture_pixel_limit(config.max_image_pixels);
    workers::set_still_settings(workers::StillSettings::from(config));
    api::SmtpMailer mailer(config);
    workers::WorkerPool media(database.settings(),
                              workers::media_handlers(files, workers::MovieSettings::from(config),
                                                      workers::PlaylistBuildSettings::from(config, mailer)));
    media.start();
    int received = 0;
    sigwait(&stop_signals, &received);
    log::info("stopping the worker pool");
    media.stop();
    return 0;
}

/// A tree file, or the name of a shipped tree.
filetree::FileTree tree_argument(const std::string& argument) {
    if (filetree::shipped_tree_json(argument))
        return filetree::shipped_tree(argument);
    return filetree::read_tree_file(argument);
}

/// Prints each problem of a tree; whether there was any.
bool report_problems(const std::string& name, const filetree::FileTree& tree) {
    const auto problems = filetree::validate(tree);
    for (const auto& problem : problems)
        std::fprintf(stderr, "%s: %s\n", name.c_str(), problem.c_str());
    return !problems.empty();
}

int check_file_tree(const Command& command) {
    if (command.positional.size() != 1)
        throw_bad_request("check-file-tree takes one file");
    const std::string& name = command.positional[0];
    if (report_problems(name, tree_argument(name)))
        return 1;
    std::printf("%s: a valid file tree\n", name.c_str());
    return 0;
}

/// `slate sync-with-ldap-server`: Zou's directory sync, a line per change.
int sync_with_ldap_server(const engine::Config& config, engine::db::Connection& connection) {
    engine::db::upgrade_database(connection);
    if (engine::queries::user_limit_reached(connection, config.user_limit)) {
        std::printf("User limit reached (limit %d). New users will not be added.\n", config.user_limit);
        return 1;
    }
    const auto persons = engine::services::read_directory_persons(config);
    engine::storage::LocalFileStore files(config.file_store_root(), config.fs_bucket_prefix);
    const auto scratch = std::filesystem::path(config.data_dir) / "tmp";
    const auto report = engine::services::sync_directory_persons(
        connection, config, persons, [&](const std::string& person_id, const std::string& photo) {
            return workers::store_person_avatar(files, connection, person_id, photo, scratch);
        });
    for (const auto& line : report.lines)
        std::printf("%s\n", line.c_str());
    std::printf("%zu directory persons: %d created, %d updated, %d disabled, %d failed.\n", persons.size(),
                report.created, report.updated, report.disabled, report.failed);
    return report.failed ? 1 : 0;
}

/// The sample production's progress on a terminal: one line redrawn per stage.
void draw_progress(const std::string& stage, long long done, long long total) {
    static std::string last_stage;
    static int last_percent = -1;
    const int percent = total > 0 ? static_cast<int>(done * 100 / total) : 100;
    if (stage == last_stage && percent == last_percent)
        return;
    if (stage != last_stage && !last_stage.empty())
        std::fputc('\n', stderr);
    last_stage = stage, last_percent = percent;
    const std::string bar = std::string(percent * 30 / 100, '#') + std::string(30 - percent * 30 / 100, '.');
    std::fprintf(stderr, "\r  %-14s [%s] %3d%%", stage.c_str(), bar.c_str(), percent);
    std::fflush(stderr);
}

/// `slate sample-production`: the sample production, then what was written and how to look.
int sample_production(const Command& command, const engine::Config& config, engine::db::Connection& connection) {
    engine::samples::SampleOptions options;
    const auto size = command.options.find("size");
    options.size = engine::samples::sample_size(size == command.options.end() ? "small" : size->second);
    if (const auto seed = command.options.find("seed"); seed != command.options.end()) {
        const std::string& text = seed->second;
        if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos)
            throw_bad_request("--seed must be a whole number");
        options.seed = std::stoull(text);
    }
    if (const auto media = command.options.find("media"); media != command.options.end()) {
        if (media->second != "none")
            options.media = media->second;
    } else { // the samples/ folder of the source tree the binary was built in, when there
        std::error_code error;
        const auto beside = std::filesystem::read_symlink("/proc/self/exe", error).parent_path().parent_path() / "samples";
        if (!error && std::filesystem::exists(beside / "media.json"))
            options.media = beside;
    }
    const bool terminal = isatty(fileno(stderr));
    if (terminal)
        options.progress = draw_progress;
    engine::db::upgrade_database(connection);
    engine::db::init_data(connection);
    const auto summary = engine::samples::load_sample_production(connection, config, options);
    if (terminal)
        std::fputc('\n', stderr);
    std::printf("Sample production \"%s\" (%s, seed %llu) loaded: project %s\n", summary.project_name.c_str(),
                options.size.name.c_str(), static_cast<unsigned long long>(options.seed), summary.project_id.c_str());
    for (const auto& [table, rows] : summary.rows)
        std::printf("  %-26s %9lld\n", table.c_str(), rows);
    if (summary.media_files)
        std::printf("  %-26s %9lld (%s)\n", "files in the store", summary.media_files, options.media.c_str());
    std::printf("Sample persons log in with the password \"%s\", e.g. %s (artist), %s (manager).\n",
                engine::samples::sample_password, summary.artist_email.c_str(), summary.manager_email.c_str());
    return 0;
}

/// `slate create-folders`: a production's folders, then a line per refused or failed folder
/// (and, dry run, per folder that would be made) and the summary.
int create_folders(const Command& command, engine::db::Connection& connection) {
    if (command.positional.size() != 1)
        throw_bad_request("create-folders takes one project (an id or a name)");
    engine::db::upgrade_database(connection);
    const auto sources = filetree::load_folder_sources(connection, command.positional[0]);
    const auto tree = filetree::load_project_tree(connection, sources.project.id);
    filetree::FolderOptions options;
    if (const auto root = command.options.find("root"); root != command.options.end())
        options.root = root->second;
    options.dry_run = command.options.count("dry-run") > 0;
    const bool terminal = isatty(fileno(stderr));
    if (terminal)
        options.progress = draw_progress;
    const auto report = filetree::create_folders(tree, sources, options);
    if (terminal)
        std::fputc('\n', stderr);
    if (options.dry_run)
        for (const auto& folder : report.created)
            std::printf("would create %s\n", folder.c_str());
    for (const auto& refused : report.refused)
        std::printf("refused %s: %s%s%s\n", refused.what.c_str(), refused.reason.c_str(),
                    refused.path.empty() ? "" : ": ", refused.path.c_str());
    for (const auto& failed : report.failed)
        std::printf("failed %s: %s\n", failed.path.c_str(), failed.reason.c_str());
    std::printf("%s: %zu tasks, %lld paths rendered in %.2f s, %zu folders; %zu %s, %lld existing, %zu refused, "
                "%zu failed\n",
                sources.project.name.c_str(), sources.tasks.size(), report.rendered, report.render_seconds,
                report.folders,
                report.created.size(), options.dry_run ? "to create" : "created", report.existing,
                report.refused.size(), report.failed.size());
    if (!report.shared.empty()) {
        std::printf("%zu folders are shared by different entities (the tree does not tell them apart)%s\n",
                    report.shared.size(), report.shared.size() > 10 ? ", the first 10:" : ":");
        for (std::size_t i = 0; i < report.shared.size() && i < 10; ++i) {
            std::string owners;
            for (const auto& owner : report.shared[i].owners)
                owners += (owners.empty() ? "" : ", ") + owner;
            std::printf("  %s: %s\n", report.shared[i].path.c_str(), owners.c_str());
        }
    }
    if (report.skipped_instances)
        std::printf("%lld asset instance folders skipped: the tree's output mode has no instance template\n",
                    report.skipped_instances);
    return report.refused.empty() && report.failed.empty() ? 0 : 1;
}

int run(const Command& command) {
    engine::Config config = load_config(command);
    const std::string& verb = command.verb;
    if (verb == "serve")
        return serve(std::move(config));
    if (verb == "worker")
        return worker(std::move(config));
    if (verb == "version") {
        std::printf("slate 0.1.0 (Zou API 1.0.67)\n");
        return 0;
    }
    if (verb == "db-start" || verb == "db-stop") {
        engine::db::EmbeddedCluster cluster(config.data_dir);
        if (verb == "db-stop") {
            cluster.stop_any();
            return 0;
        }
        cluster.start();
        cluster.ensure_database(config.db.database);
        cluster.detach(); // leave it running for the caller
        std::printf("%s\n", cluster.settings(config.db.database).host.c_str());
        return 0;
    }
    if (verb == "check-file-tree")
        return check_file_tree(command);
    if (verb == "sample-production" && command.options.count("size")) // a bad size: told before any work
        engine::samples::sample_size(command.options.at("size"));
    engine::db::Database database(config);
    engine::db::Connection connection(database.settings());
    if (verb == "init-db" || verb == "upgrade-db") {
        const auto applied = engine::db::upgrade_database(connection);
        std::printf("%zu migration(s) applied\n", applied.size());
        return 0;
    }
    if (verb == "init-data") {
        engine::db::upgrade_database(connection);
        engine::db::init_data(connection);
        std::printf("Init data done.\n");
        return 0;
    }
    if (verb == "reset-db") {
        engine::db::reset_database(connection);
        std::printf("Database reset.\n");
        return 0;
    }
    if (verb == "create-admin") {
        if (command.positional.size() != 1)
            throw_bad_request("create-admin takes one e-mail address");
        auto password = command.options.find("password");
        if (password == command.options.end())
            throw_bad_request("create-admin needs --password");
        engine::db::upgrade_database(connection);
        const bool created =
            engine::services::create_admin(connection, config, command.positional[0], password->second);
        std::printf(created ? "Admin successfully created.\n" : "Existing user's password and role updated.\n");
        return 0;
    }
    if (verb == "create-bot") {
        auto option = [&](const char* name) -> std::optional<std::string> {
            auto it = command.options.find(name);
            return it == command.options.end() ? std::nullopt : std::optional(it->second);
        };
        if (!option("email") || !option("name"))
            throw_bad_request("create-bot needs --email and --name");
        engine::ensure_secret_key(config);
        engine::db::upgrade_database(connection);
        std::printf("%s\n", engine::services::create_bot(connection, config, *option("email"), *option("name"),
                                                         option("expiration-date"), option("role").value_or("user"))
                                .c_str());
        return 0;
    }
    if (verb == "set-file-tree") {
        if (command.positional.size() != 2)
            throw_bad_request("set-file-tree takes a project and a file (or default, simple)");
        const auto tree = tree_argument(command.positional[1]);
        if (report_problems(command.positional[1], tree))
            return 1;
        engine::db::upgrade_database(connection);
        const std::string id = filetree::set_project_tree(connection, command.positional[0], tree);
        std::printf("File tree of project %s set.\n", id.c_str());
        return 0;
    }
    if (verb == "sample-production")
        return sample_production(command, config, connection);
    if (verb == "create-folders")
        return create_folders(command, connection);
    if (verb == "sync-with-ldap-server")
        return sync_with_ldap_server(config, connection);
    throw_bad_request("unknown verb '" + verb + "'");
}

} // namespace

int main(int argc, char** argv) {
    // Answers of a few hundred KB (the web app's context, listings) are built and freed on
    // every request: with glibc's defaults each one maps fresh pages and hands them back
    // (page faults, madvise), a third of such a request's time. Kept in the heap below 16 MB,
    // and trimmed only past 64 MB free, they reuse the same memory; streamed answers stay
    // bounded, so the resident size does not grow with them.
    mallopt(M_MMAP_THRESHOLD, 16 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    try {
        if (argc >= 2 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "help")) {
            std::fputs(usage_text, stdout);
            return 0;
        }
        return run(parse_command(argc, argv));
    } catch (const slate::Error& e) {
        std::fprintf(stderr, "slate: %s\n", e.what());
        if (e.kind() == slate::ErrorKind::bad_request && argc < 3)
            std::fputs(usage_text, stderr);
        return e.kind() == slate::ErrorKind::bad_request ? 2 : 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "slate: %s\n", e.what());
        return 1;
    }
}
