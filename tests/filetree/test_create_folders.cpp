// tests/filetree/test_create_folders.cpp: `slate create-folders`, the real binary on the test
// database: a small production's working, output and instance folders made from the simple
// tree under --root, a dry run that makes nothing, a second run that finds them existing, and
// names, templates or symbolic links that would leave the root refused and never made.
#include <catch2/catch.hpp>

#include "support/test_server.h"

#include "engine/db/pool.h"
#include "filetree/folders.h"

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

namespace fs = std::filesystem;
using namespace slate::test;
using slate::filetree::unsafe_folder_reason;

namespace {

struct Run {
    int status = -1;
    std::string out;
};

/// `slate ARGS` on the test server's database, its output and exit status.
Run run_slate(TestServer& server, const std::vector<std::string>& args) {
    const auto& db = server.pool().settings();
    const Poco::Process::Env env{{"DB_HOST", db.host},
                                 {"DB_PORT", std::to_string(db.port)},
                                 {"DB_USERNAME", db.user},
                                 {"DB_PASSWORD", db.password},
                                 {"DB_DATABASE", db.database}};
    Poco::Pipe out;
    auto handle = Poco::Process::launch(SLATE_BINARY, args, fs::temp_directory_path().string(), nullptr, &out, &out, env);
    Poco::PipeInputStream stream(out);
    Run run;
    Poco::StreamCopier::copyToString(stream, run.out);
    run.status = handle.wait();
    return run;
}

/// Every folder under `root`, relative to it.
std::set<std::string> folders_under(const fs::path& root) {
    std::set<std::string> found;
    for (const auto& entry : fs::recursive_directory_iterator(root))
        if (entry.is_directory())
            found.insert(fs::relative(entry.path(), root).string());
    return found;
}

struct Production {
    TestServer server;
    std::string token = server.login();
    int port = server.port();
    std::string project, shot;

    Production() {
        project = server.create_project(token, "Cosmos Landromat");
        REQUIRE(http_post(port, "/actions/projects/" + project + "/set-file-tree", R"({"tree_name":"simple"})", token)
                    .status == 200);
        const std::string sequence = entity("Sequence", "SQ01", "");
        shot = entity("Shot", "SH010", sequence);
        const std::string other = entity("Shot", "SH020", sequence);
        const std::string animation = type_id("task_type", "Animation' AND for_entity = 'Shot");
        const std::string layout = type_id("task_type", "Layout");
        const std::string modeling = type_id("task_type", "Modeling");
        task(shot, animation);
        task(shot, layout);
        task(other, animation);
        const std::string tree = entity("Prop", "Tree", "");
        task(tree, modeling);
        const std::string a_b = entity("Prop", "a/b", ""); // slugified to a_b: a plain folder
        task(a_b, modeling);
        task(entity("Prop", "..", ""), modeling);  // slugified to nothing: refused
        // Instance #1 of Tree placed in SH010.
        server.query(R"(WITH i AS (INSERT INTO asset_instance (id, asset_id, number, active)
                          VALUES (gen_random_uuid(), $1::uuid, 1, true) RETURNING id)
                        INSERT INTO asset_instance_link (entity_id, asset_instance_id) SELECT $2::uuid, id FROM i)",
                     {tree, shot});
        // Instance #2 of Tree placed in the asset a/b (Zou's instance_asset template).
        server.query(R"(INSERT INTO asset_instance (id, asset_id, number, active, target_asset_id)
                        VALUES (gen_random_uuid(), $1::uuid, 2, true, $2::uuid))",
                     {tree, a_b});
    }

    std::string type_id(const std::string& table, const std::string& name) {
        return server.query("SELECT id FROM " + table + " WHERE name = '" + name + "'");
    }

    std::string entity(const std::string& type, const std::string& name, const std::string& parent) {
        const auto created = http_post(port, "/data/entities",
                                       R"({"name":")" + name + R"(","project_id":")" + project +
                                           R"(","entity_type_id":")" + type_id("entity_type", type) + R"(")" +
                                           (parent.empty() ? "" : R"(,"parent_id":")" + parent + R"(")") + "}",
                                       token);
        INFO(created.body);
        REQUIRE(created.status == 201);
        return created.json()->getValue<std::string>("id");
    }

    void task(const std::string& entity_id, const std::string& task_type_id) {
        const auto created = http_post(port, "/data/tasks",
                                       R"({"project_id":")" + project + R"(","entity_id":")" + entity_id +
                                           R"(","task_type_id":")" + task_type_id + R"("})",
                                       token);
        INFO(created.body);
        REQUIRE(created.status == 201);
    }
};

struct TempDir {
    fs::path path;
    TempDir() {
        char pattern[] = "/tmp/slate-folders-XXXXXX";
        path = mkdtemp(pattern);
    }
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
};

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

} // namespace

TEST_CASE("what a folder below the root may be", "[filetree][folders]") {
    CHECK_FALSE(unsafe_folder_reason("proj/shots/sq01/sh010/animation/3dsmax"));
    CHECK_FALSE(unsafe_folder_reason("proj/assets/prop/tree/modeling/")); // an empty last token
    CHECK_FALSE(unsafe_folder_reason("proj/a..b/c"));
    CHECK(has(*unsafe_folder_reason("proj/../../etc"), "leave the root"));
    CHECK(has(*unsafe_folder_reason(".."), "leave the root"));
    CHECK(has(*unsafe_folder_reason("/etc/x"), "leave the root"));
    CHECK(has(*unsafe_folder_reason("proj/assets/prop//modeling"), "empty folder name"));
    CHECK(has(*unsafe_folder_reason("proj/./x"), "\".\""));
    CHECK(has(*unsafe_folder_reason("proj/<AssetType.short_name>/x"), "token"));
    CHECK(unsafe_folder_reason(""));
}

TEST_CASE("create-folders makes a production's folders from its tree", "[filetree][folders][pg]") {
    Production production;
    TempDir dir;
    const fs::path root = dir.path / "storage";
    const std::string prefix = root.string() + "/productions/";
    const std::set<std::string> expected = {
        "productions/cosmos_landromat/shots/sq01/sh010/animation/3dsmax",
        "productions/cosmos_landromat/shots/sq01/sh010/layout/3dsmax",
        "productions/cosmos_landromat/shots/sq01/sh020/animation/3dsmax",
        "productions/cosmos_landromat/assets/prop/tree/modeling/3dsmax",
        "productions/cosmos_landromat/assets/prop/a_b/modeling/3dsmax",
        "productions/export/cosmos_landromat/shots/sq01/sh010/animation/geometry",
        "productions/export/cosmos_landromat/shots/sq01/sh010/layout/geometry",
        "productions/export/cosmos_landromat/shots/sq01/sh020/animation/geometry",
        "productions/export/cosmos_landromat/assets/prop/tree/modeling/geometry",
        "productions/export/cosmos_landromat/assets/prop/a_b/modeling/geometry",
        "productions/export/cosmos_landromat/shot/sq01/sh010/animation/geometry/prop/tree/instance_0001",
        "productions/export/cosmos_landromat/shot/sq01/sh010/layout/geometry/prop/tree/instance_0001",
        "productions/export/cosmos_landromat/assets/prop/a_b/modeling/geometry/prop/tree/instance_0002"};

    // A dry run lists them and makes nothing; the asset named ".." is refused (its name
    // slugifies to nothing).
    const Run dry = run_slate(production.server, {"create-folders", "Cosmos Landromat", "--root", root.string(), "--dry-run"});
    INFO(dry.out);
    CHECK(dry.status == 1); // something was refused
    for (const auto& folder : expected)
        CHECK(has(dry.out, "would create " + root.string() + "/" + folder + "\n"));
    CHECK(has(dry.out, "15 paths rendered"));
    CHECK(has(dry.out, "13 folders;"));
    CHECK(has(dry.out, "13 to create, 0 existing, 2 refused, 0 failed"));
    CHECK(has(dry.out, "refused working folder of task"));
    CHECK(has(dry.out, "empty folder name"));
    CHECK_FALSE(fs::exists(root));

    // The real run (the project named by id this time) makes exactly those, and their parents.
    const Run made = run_slate(production.server, {"create-folders", production.project, "--root", root.string()});
    INFO(made.out);
    CHECK(made.status == 1);
    CHECK(has(made.out, "13 created, 0 existing, 2 refused, 0 failed"));
    // Each expected folder is there, and every other folder made is a parent of one (the
    // asset a/b's output folder holds instance #2's: made first, it still counts as created).
    for (const auto& folder : expected)
        CHECK(fs::is_directory(root / folder));
    for (const auto& folder : folders_under(root)) {
        INFO(folder);
        CHECK(std::any_of(expected.begin(), expected.end(), [&](const std::string& wanted) {
            return wanted == folder || wanted.rfind(folder + "/", 0) == 0;
        }));
    }
    CHECK(folders_under(dir.path).count("storage")); // nothing made beside the root
    CHECK(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()) == 1);

    // Again: every folder is counted as existing. A file where a folder goes fails, alone.
    fs::remove(root / *expected.begin());
    std::ofstream(root / *expected.begin()) << "in the way";
    const Run again = run_slate(production.server, {"create-folders", "Cosmos Landromat", "--root", root.string()});
    INFO(again.out);
    CHECK(has(again.out, "0 created, 12 existing, 2 refused, 1 failed"));
    CHECK(has(again.out, "failed " + root.string() + "/" + *expected.begin()));

    // A symbolic link already below the root, leading out of it: the folders through it are
    // refused, nothing is made where it leads.
    const fs::path linked = dir.path / "linked", outside = dir.path / "outside";
    fs::create_directories(linked / "productions");
    fs::create_directories(outside);
    fs::create_symlink(outside, linked / "productions" / "cosmos_landromat");
    const Run through = run_slate(production.server, {"create-folders", "Cosmos Landromat", "--root", linked.string()});
    INFO(through.out);
    CHECK(has(through.out, "8 created, 0 existing, 7 refused, 0 failed"));
    CHECK(has(through.out, "a symbolic link leads it out of the root"));
    CHECK(fs::is_empty(outside));
    CHECK(fs::is_directory(linked / "productions/export/cosmos_landromat/shots/sq01/sh010/layout/geometry"));

    // Unknown project: a clear error, nothing made.
    const Run unknown = run_slate(production.server, {"create-folders", "No Such Show", "--root", root.string()});
    CHECK(unknown.status != 0);
    CHECK(has(unknown.out, "no project No Such Show"));
}

TEST_CASE("create-folders refuses a tree that would leave the root", "[filetree][folders][pg]") {
    Production production;
    // Working folders of assets two levels above the root; shots fine.
    const std::string tree = R"({"working": {"mountpoint": "/mnt", "root": "prod",
        "folder_path": {"shot": "<Project>/<Shot>/<TaskType>", "asset": "<Project>/../../<Asset>",
                        "style": "lowercase"},
        "file_name": {"shot": "<Shot>", "asset": "<Asset>"}},
      "output": {"mountpoint": "/mnt", "root": "out",
        "folder_path": {"shot": "/<Shot>", "asset": "<Project>/<AssetType.short_name>/<Asset>"},
        "file_name": {"shot": "<Shot>", "asset": "<Asset>"}}})";
    REQUIRE(http_call(production.port, "PUT", "/data/projects/" + production.project, production.token,
                      R"({"file_tree": )" + tree + "}")
                .status == 200);
    production.server.query("UPDATE entity_type SET short_name = NULL WHERE name = 'Prop'");
    TempDir dir;
    const fs::path root = dir.path / "mnt";
    const Run run = run_slate(production.server, {"create-folders", "Cosmos Landromat", "--root", root.string()});
    INFO(run.out);
    CHECK(run.status == 1);
    // Shots: 3 working folders made; their output folders are absolute (refused); the three
    // assets' working folders go up (refused), their output folders keep a token unrendered.
    CHECK(has(run.out, "3 created, 0 existing, 9 refused, 0 failed"));
    CHECK(has(run.out, "leave the root"));
    CHECK(has(run.out, "a token renders as nothing"));
    CHECK(has(run.out, "asset instance folders skipped"));
    CHECK(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()) == 1); // only mnt/
    CHECK(folders_under(root) == std::set<std::string>{"prod", "prod/cosmos_landromat",
                                                        "prod/cosmos_landromat/sh010",
                                                        "prod/cosmos_landromat/sh010/animation",
                                                        "prod/cosmos_landromat/sh010/layout",
                                                        "prod/cosmos_landromat/sh020",
                                                        "prod/cosmos_landromat/sh020/animation"});
}

TEST_CASE("create-folders tells which entities the tree renders into one folder", "[filetree][folders][pg]") {
    Production production;
    // "sh010!" slugifies to sh010, as SH010 does: their Animation folders are one.
    const std::string sequence = production.server.query("SELECT parent_id FROM entity WHERE id = $1::uuid",
                                                          {production.shot});
    production.task(production.entity("Shot", "sh010!", sequence),
                    production.type_id("task_type", "Animation' AND for_entity = 'Shot"));
    TempDir dir;
    const Run run = run_slate(production.server,
                              {"create-folders", "Cosmos Landromat", "--root", dir.path.string(), "--dry-run"});
    INFO(run.out);
    CHECK(has(run.out, "17 paths rendered"));
    CHECK(has(run.out, "13 folders;"));
    CHECK(has(run.out, "2 folders are shared by different entities"));
    CHECK(has(run.out, "/productions/cosmos_landromat/shots/sq01/sh010/animation/3dsmax: SQ01/SH010, SQ01/sh010!\n"));
    CHECK(has(run.out, "/productions/export/cosmos_landromat/shots/sq01/sh010/animation/geometry: SQ01/SH010, SQ01/sh010!\n"));
}
