// tests/api/test_files.cpp: the files area over HTTP against PostgreSQL: file trees set on a
// project, working and output paths (filetree.md §5 examples), new revisions (also under
// concurrent creation), listings, working file content, guess-from-path, bad input.
#include <catch2/catch.hpp>

#include "support/test_server.h"

#include "engine/db/pool.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <set>
#include <thread>

using namespace slate::test;

namespace {

Poco::JSON::Array::Ptr json_array(const HttpResponse& response) {
    INFO(response.body);
    Poco::JSON::Parser parser;
    return parser.parse(response.body).extract<Poco::JSON::Array::Ptr>();
}

std::string text(const Poco::JSON::Object::Ptr& object, const std::string& key) {
    return object->getValue<std::string>(key);
}

/// The production of Zou's file-tree tests: "Cosmos Landromat" with the simple tree, sequence
/// S01 > shot P01 (an Animation task), asset Tree (Prop, a Shading task), output type Cache.
struct World {
    TestServer server;
    std::string token = server.login();
    int port = server.port();
    std::string project, sequence, shot, asset, shot_task, asset_task, cache, animation, shading;

    World() {
        project = server.create_project(token, "Cosmos Landromat");
        const auto tree =
            http_post(port, "/actions/projects/" + project + "/set-file-tree", R"({"tree_name":"simple"})", token);
        INFO(tree.body);
        REQUIRE(tree.status == 200);
        sequence = entity("Sequence", "S01", "");
        shot = entity("Shot", "P01", sequence);
        asset = entity("Prop", "Tree", "");
        animation = id_of("SELECT id FROM task_type WHERE name = 'Animation' AND for_entity = 'Shot'");
        shading = id_of("SELECT id FROM task_type WHERE name = 'Shading'");
        shot_task = task(shot, animation);
        asset_task = task(asset, shading);
        const auto created = http_post(port, "/data/output-types", R"({"name":"Cache","short_name":"cch"})", token);
        REQUIRE(created.status == 201);
        cache = text(created.json(), "id");
    }

    std::string id_of(const std::string& sql) {
        auto connection = server.pool().acquire();
        return std::string(connection->exec(sql).get(0, 0));
    }

    std::string entity(const std::string& type, const std::string& name, const std::string& parent) {
        const std::string type_id = id_of("SELECT id FROM entity_type WHERE name = '" + type + "'");
        const auto created =
            http_post(port, "/data/entities",
                      R"({"name":")" + name + R"(","project_id":")" + project + R"(","entity_type_id":")" + type_id +
                          R"(")" + (parent.empty() ? "" : R"(,"parent_id":")" + parent + R"(")") + "}",
                      token);
        INFO(created.body);
        REQUIRE(created.status == 201);
        return text(created.json(), "id");
    }

    std::string task(const std::string& entity_id, const std::string& task_type_id) {
        const auto created = http_post(port, "/data/tasks",
                                       R"({"project_id":")" + project + R"(","entity_id":")" + entity_id +
                                           R"(","task_type_id":")" + task_type_id + R"("})",
                                       token);
        INFO(created.body);
        REQUIRE(created.status == 201);
        return text(created.json(), "id");
    }

    HttpResponse post(const std::string& path, const std::string& body, const std::string& as = "") {
        return http_post(port, path, body, as.empty() ? token : as);
    }
};

} // namespace

TEST_CASE("set-file-tree copies a shipped tree into the project", "[api][pg][files]") {
    World world;
    const auto project = http_get(world.port, "/data/projects/" + world.project, world.token).json();
    REQUIRE(project->getObject("file_tree")->getObject("working")->getValue<std::string>("mountpoint") == "/simple");

    const auto unknown = world.post("/actions/projects/" + world.project + "/set-file-tree", R"({"tree_name":"../x"})");
    CHECK(unknown.status == 400);
    CHECK(text(unknown.json(), "message") == "Selected tree is not available");
    CHECK((unknown.json()->has("data") && unknown.json()->isNull("data"))); // a WrongParameterException
    const auto missing = world.post("/actions/projects/" + world.project + "/set-file-tree", "{}");
    CHECK(missing.status == 400);
    CHECK(missing.body.find(R"("field":"tree_name")") != std::string::npos);

    world.server.create_person("artist@example.com", "secret-artist-1", "user");
    const auto artist = world.server.login("artist@example.com", "secret-artist-1");
    CHECK(world.post("/actions/projects/" + world.project + "/set-file-tree", R"({"tree_name":"default"})", artist)
              .status == 403);
}

TEST_CASE("working and output paths render as Zou's examples", "[api][pg][files]") {
    World world;
    SECTION("working file path of a shot task, default body") {
        const auto path = world.post("/data/tasks/" + world.shot_task + "/working-file-path", "{}");
        INFO(path.body);
        REQUIRE(path.status == 200);
        CHECK(text(path.json(), "path") == "/simple/productions/cosmos_landromat/shots/s01/p01/animation/3ds_max");
        CHECK(text(path.json(), "name") == "cosmos_landromat_s01_p01_animation_main_v001");
    }
    SECTION("a given revision, name and separator") {
        const auto path = world.post("/data/tasks/" + world.shot_task + "/working-file-path",
                                     R"({"name":"layout","revision":12,"sep":"\\"})");
        REQUIRE(path.status == 200);
        CHECK(text(path.json(), "path") ==
              "/simple\\productions\\cosmos_landromat\\shots\\s01\\p01\\animation\\3ds_max");
        CHECK(text(path.json(), "name") == "cosmos_landromat_s01_p01_animation_layout_v012");
    }
    SECTION("output file path of an asset") {
        const auto path = world.post("/data/entities/" + world.asset + "/output-file-path",
                                     R"({"output_type_id":")" + world.cache + R"(","task_type_id":")" + world.shading +
                                         R"(","revision":3})");
        INFO(path.body);
        REQUIRE(path.status == 200);
        CHECK(text(path.json(), "folder_path") ==
              "/simple/productions/export/cosmos_landromat/assets/prop/tree/shading/cache");
        CHECK(text(path.json(), "file_name") == "cosmos_landromat_prop_tree_shading_cache_main_v003");
    }
    SECTION("a tree that cannot render the path: Zou's message and the data received") {
        const auto mode = world.post("/data/tasks/" + world.shot_task + "/working-file-path", R"({"mode":"nope"})");
        CHECK(mode.status == 400);
        CHECK(mode.json()->has("received_data"));
        CHECK(mode.json()->getObject("received_data")->getValue<std::string>("mode") == "nope");
        auto connection = world.server.pool().acquire();
        connection->exec("UPDATE project SET file_tree = NULL");
        const auto none = world.post("/data/tasks/" + world.shot_task + "/working-file-path", "{}");
        CHECK(none.status == 400);
        CHECK(text(none.json(), "message") == "No tree can be found for given project.");
    }
    SECTION("bad input") {
        CHECK(world.post("/data/tasks/not-a-uuid/working-file-path", "{}").status == 404);
        CHECK(world
                  .post("/data/tasks/" + world.shot_task + "/working-file-path",
                        R"({"software_id":"6f0c27a1-42c8-4a93-9d1c-0a6c9c0f1e55"})")
                  .status == 404);
        const auto typed = world.post("/data/tasks/" + world.shot_task + "/working-file-path", R"({"revision":"x"})");
        CHECK(typed.status == 400);
        CHECK(text(typed.json(), "message") == "Validation error.");
        const auto required = world.post("/data/entities/" + world.asset + "/output-file-path", "{}");
        CHECK(required.status == 400);
        CHECK(required.body.find("output_type_id") != std::string::npos);
        CHECK(required.body.find("task_type_id") != std::string::npos);
    }
}

TEST_CASE("new working files are numbered per task and name and keep their path", "[api][pg][files]") {
    World world;
    const std::string url = "/data/tasks/" + world.shot_task + "/working-files/new";
    const auto first = world.post(url, R"({"name":"main","comment":"first","description":"ignored"})");
    INFO(first.body);
    REQUIRE(first.status == 201);
    CHECK(first.json()->isNull("description")); // Zou's create_new_working_revision stores none
    CHECK(first.json()->has("description"));
    CHECK(first.json()->getValue<int>("revision") == 1);
    CHECK(text(first.json(), "type") == "WorkingFile");
    CHECK(text(first.json(), "path") == "/simple/productions/cosmos_landromat/shots/s01/p01/animation/blender/"
                                        "cosmos_landromat_s01_p01_animation_main_v001");
    CHECK(world.post(url, R"({"name":"main"})").json()->getValue<int>("revision") == 2);
    CHECK(world.post(url, R"({"name":"other"})").json()->getValue<int>("revision") == 1);
    const auto duplicate = world.post(url, R"({"name":"main","revision":2})");
    CHECK(duplicate.status == 400);
    CHECK(text(duplicate.json(), "error") == "The given working file already exists.");
    CHECK(world.post(url, "{}").status == 400);

    // The caller now works on the task; each creation was announced.
    auto connection = world.server.pool().acquire();
    CHECK(connection->exec("SELECT 1 FROM task_person_link WHERE task_id = $1::uuid", {world.shot_task}).rows() == 1);
    CHECK(connection->exec("SELECT 1 FROM api_event WHERE name = 'working-file:new'").rows() == 3);

    const auto last =
        http_get(world.port, "/data/tasks/" + world.shot_task + "/working-files/last-revisions", world.token).json();
    CHECK(last->getObject("main")->getValue<int>("revision") == 2);
    CHECK(last->getObject("other")->getValue<int>("revision") == 1);
    const auto all = json_array(http_get(world.port, "/data/tasks/" + world.shot_task + "/working-files", world.token));
    REQUIRE(all->size() == 3);
    CHECK(all->getObject(0)->getValue<int>("revision") == 2);
    const auto named =
        json_array(http_get(world.port, "/data/entities/" + world.shot + "/working-files?name=other", world.token));
    CHECK(named->size() == 1);

    const std::string id = text(first.json(), "id");
    const auto commented = http_call(world.port, "PUT", "/actions/working-files/" + id + "/comment", world.token,
                                     R"({"comment":"reviewed"})");
    CHECK(commented.status == 200);
    CHECK(text(commented.json(), "comment") == "reviewed");
    CHECK(http_call(world.port, "PUT", "/actions/working-files/" + id + "/comment", world.token, "{}").status == 400);
    CHECK(http_call(world.port, "PUT", "/actions/working-files/" + id + "/modified", world.token).status == 200);
    const auto file = http_get(world.port, "/data/files/" + id, world.token);
    CHECK(file.status == 200);
    CHECK(text(file.json(), "type") == "WorkingFile");
    CHECK(file.json()->getArray("outputs")->size() == 0); // get_working_file: with relations
    CHECK(http_get(world.port, "/data/files/" + world.shot_task, world.token).status == 404);
}

TEST_CASE("concurrent new working files never share a revision", "[api][pg][files]") {
    World world;
    const std::string url = "/data/tasks/" + world.shot_task + "/working-files/new";
    constexpr int writers = 8;
    std::vector<int> statuses(writers);
    std::vector<std::thread> threads;
    for (int i = 0; i < writers; ++i)
        threads.emplace_back([&, i] { statuses[i] = world.post(url, R"({"name":"main"})").status; });
    for (auto& thread : threads)
        thread.join();
    for (int status : statuses)
        CHECK(status == 201);
    auto connection = world.server.pool().acquire();
    const auto revisions = connection->exec("SELECT revision FROM working_file ORDER BY revision");
    REQUIRE(revisions.rows() == writers);
    for (int row = 0; row < writers; ++row)
        CHECK(std::string(revisions.get(row, 0)) == std::to_string(row + 1));
}

TEST_CASE("working file content goes through the file store", "[api][pg][files]") {
    World world;
    const auto created = world.post("/data/tasks/" + world.shot_task + "/working-files/new", R"({"name":"main"})");
    const std::string id = text(created.json(), "id");
    const auto nothing = http_get(world.port, "/data/working-files/" + id + "/file", world.token);
    CHECK(nothing.status == 404);
    CHECK(text(nothing.json(), "message") == "Working file not found for: " + id);

    std::string bytes(100000, '\0');
    for (size_t i = 0; i < bytes.size(); ++i)
        bytes[i] = static_cast<char>(i * 7 % 251);
    const auto uploaded =
        http_upload(world.port, "/data/working-files/" + id + "/file", world.token, "scene.blend", bytes);
    INFO(uploaded.body);
    CHECK(uploaded.status == 201);
    const auto downloaded = http_get(world.port, "/data/working-files/" + id + "/file", world.token);
    CHECK(downloaded.status == 200);
    CHECK(downloaded.content_type == "application/octet-stream");
    CHECK(downloaded.body == bytes);
    CHECK(http_post(world.port, "/data/working-files/" + id + "/file", "{}", world.token).status == 400);
}

TEST_CASE("output files: revisions, paths, listings", "[api][pg][files]") {
    World world;
    const std::string url = "/data/entities/" + world.asset + "/output-files/new";
    const std::string key = R"("output_type_id":")" + world.cache + R"(","task_type_id":")" + world.shading + R"(")";
    const auto first = world.post(url, "{" + key + R"(,"extension":".abc","representation":"abc"})");
    INFO(first.body);
    REQUIRE(first.status == 201);
    const auto out = first.json();
    CHECK(out->getValue<int>("revision") == 1);
    CHECK(text(out, "folder_path") == "/simple/productions/export/cosmos_landromat/assets/prop/tree/shading/cache");
    CHECK(text(out, "file_name") == "cosmos_landromat_prop_tree_shading_cache_main_v001");
    CHECK(text(out, "path") == text(out, "folder_path") + "/" + text(out, "file_name") + ".abc");
    auto connection = world.server.pool().acquire();
    CHECK(std::string(connection->exec("SELECT s.name FROM output_file f JOIN file_status s ON s.id = f.file_status_id")
                          .get(0, 0)) == "To review");

    CHECK(world.post(url, "{" + key + R"(,"representation":"abc"})").json()->getValue<int>("revision") == 2);
    CHECK(world.post(url, "{" + key + R"(,"representation":"usd"})").json()->getValue<int>("revision") == 3);
    const auto duplicate = world.post(url, "{" + key + R"(,"representation":"abc","revision":2})");
    CHECK(duplicate.status == 400);
    CHECK(text(duplicate.json(), "error") == "The given output file already exists.");
    const auto unknown_type =
        world.post(url, R"({"output_type_id":")" + world.shading + R"(","task_type_id":")" + world.shading + R"("})");
    CHECK(unknown_type.status == 400);
    CHECK(text(unknown_type.json(), "error") == "Cannot find given output type.");

    const auto next = world.post("/data/entities/" + world.asset + "/output-files/next-revision", "{" + key + "}");
    CHECK(next.json()->getValue<int>("next_revision") == 4);
    const auto last =
        json_array(http_get(world.port, "/data/entities/" + world.asset + "/output-files/last-revisions", world.token));
    CHECK(last->size() == 2); // one per representation
    CHECK(json_array(http_get(world.port, "/data/entities/" + world.asset + "/output-files", world.token))->size() ==
          3);
    CHECK(json_array(
              http_get(world.port, "/data/entities/" + world.asset + "/output-files?representation=usd", world.token))
              ->size() == 1);
    const auto types = json_array(http_get(world.port, "/data/entities/" + world.asset + "/output-types", world.token));
    REQUIRE(types->size() == 1);
    CHECK(types->getObject(0)->getValue<std::string>("name") == "Cache");
    CHECK(json_array(http_get(world.port,
                              "/data/entities/" + world.asset + "/output-types/" + world.cache +
                                  "/output-files?representation=abc",
                              world.token))
              ->size() == 2);
    CHECK(json_array(http_get(world.port, "/data/projects/" + world.project + "/output-files", world.token))->size() ==
          3);
    const auto read = http_get(world.port, "/data/files/" + text(out, "id"), world.token);
    CHECK(read.status == 200);
    // OutputFile.serialize() carries its source working file, null here.
    CHECK(read.json()->isNull("source_file"));
    CHECK(json_array(http_get(world.port, "/data/entities/" + world.asset + "/output-files", world.token))
              ->getObject(0)
              ->has("source_file"));
    const std::string working =
        text(world.post("/data/tasks/" + world.asset_task + "/working-files/new", R"({"name":"main"})").json(), "id");
    const auto sourced = world.post(url, "{" + key + R"(,"representation":"obj","working_file_id":")" + working +
                                             R"("})");
    INFO(sourced.body);
    REQUIRE(sourced.status == 201);
    CHECK(sourced.json()->getObject("source_file")->getValue<std::string>("id") == working);
    const auto with_source = http_get(world.port, "/data/files/" + text(sourced.json(), "id"), world.token);
    CHECK(with_source.json()->getObject("source_file")->getValue<std::string>("type") == "WorkingFile");
    CHECK(with_source.json()->getObject("source_file")->getValue<std::string>("id") == working);
}

TEST_CASE("asset instance outputs render the instance templates", "[api][pg][files]") {
    World world;
    const std::string instance = world.id_of("SELECT gen_random_uuid()");
    {
        auto connection = world.server.pool().acquire();
        connection->exec(R"(INSERT INTO asset_instance (id, asset_id, entity_id, name, number, active,
                              created_at, updated_at)
                            VALUES ($1::uuid, $2::uuid, $3::uuid, 'Tree_0001', 1, true, now(), now()))",
                         {instance, world.asset, world.shot});
    }
    const std::string base = "/data/asset-instances/" + instance + "/entities/" + world.shot;
    const std::string key = R"("output_type_id":")" + world.cache + R"(","task_type_id":")" + world.animation + R"(")";
    const auto path = world.post(base + "/output-file-path", "{" + key + R"(,"representation":"abc","revision":3})");
    INFO(path.body);
    REQUIRE(path.status == 200);
    CHECK(text(path.json(), "folder_path") ==
          "/simple/productions/export/cosmos_landromat/shot/s01/p01/animation/cache/prop/tree/instance_0001/abc");
    CHECK(text(path.json(), "file_name") == "cosmos_landromat_s01_p01_animation_cache_main_tree_0001_v003");

    const auto created = world.post(base + "/output-files/new", "{" + key + R"(,"representation":"abc"})");
    INFO(created.body);
    REQUIRE(created.status == 201);
    CHECK(created.json()->getValue<int>("revision") == 1);
    CHECK(text(created.json(), "asset_instance_id") == instance);
    CHECK(world.post(base + "/output-files/new", "{" + key + R"(,"representation":"abc"})")
              .json()
              ->getValue<int>("revision") == 2);
    CHECK(world.post(base + "/output-files/next-revision", "{" + key + "}").json()->getValue<int>("next_revision") ==
          3);
    CHECK(json_array(http_get(world.port, base + "/output-files/last-revisions", world.token))->size() == 1);
    CHECK(json_array(http_get(world.port, base + "/output-types", world.token))->size() == 1);
    CHECK(json_array(http_get(world.port, base + "/output-types/" + world.cache + "/output-files", world.token))
              ->size() == 2);
    CHECK(
        json_array(http_get(world.port, "/data/asset-instances/" + instance + "/output-files", world.token))->size() ==
        2);
    // The entity's own outputs do not include its instances'.
    CHECK(json_array(http_get(world.port, "/data/entities/" + world.asset + "/output-files", world.token))->size() ==
          0);
    const auto no_type =
        world.post(base + "/output-files/new",
                   R"({"output_type_id":")" + world.animation + R"(","task_type_id":")" + world.animation + R"("})");
    CHECK(no_type.status == 400);
    CHECK(text(no_type.json(), "message") == "Cannot find given output type.");

    // A tree without the instance templates: Zou fails (500) after storing the file; Slate
    // stores nothing and says why.
    world.server.query("UPDATE project SET file_tree = file_tree #- '{output,folder_path,instance}' "
                       "#- '{output,folder_path,instance_asset}' WHERE id = $1::uuid RETURNING 1",
                       {world.project});
    const auto no_template = world.post(base + "/output-files/new", "{" + key + R"(,"representation":"abc"})");
    CHECK(no_template.status == 400);
    CHECK_FALSE(text(no_template.json(), "message").empty());
    CHECK(json_array(http_get(world.port, "/data/asset-instances/" + instance + "/output-files", world.token))
              ->size() == 2);
}

TEST_CASE("guess-from-path reads a path back into the project's rows", "[api][pg][files]") {
    World world;
    const auto guessed =
        world.post("/data/entities/guess-from-path",
                   R"({"project_id":")" + world.project +
                       R"(","file_path":"/simple/productions/cosmos_landromat/assets/prop/tree/shading/blender"})");
    INFO(guessed.body);
    REQUIRE(guessed.status == 200);
    const auto matches = json_array(guessed);
    REQUIRE(matches->size() >= 1);
    const auto asset = matches->getObject(0);
    CHECK(text(asset, "Template") == "asset");
    CHECK(text(asset, "Project") == world.project);
    CHECK(text(asset, "Asset") == world.asset);
    CHECK(text(asset, "TaskType") == world.shading);
    CHECK(world
              .post("/data/entities/guess_from_path",
                    R"({"project_id":")" + world.project + R"(","file_path":"/elsewhere/x"})")
              .body == "[]");
    CHECK(world.post("/data/entities/guess-from-path", R"({"project_id":")" + world.project + R"("})").status == 400);
    world.server.create_person("outsider@example.com", "secret-outsider-1", "user");
    const auto outsider = world.server.login("outsider@example.com", "secret-outsider-1");
    CHECK(world
              .post("/data/entities/guess-from-path",
                    R"({"project_id":")" + world.project + R"(","file_path":"/simple"})", outsider)
              .status == 403);
}

TEST_CASE("vendors reach files only through tasks assigned to them", "[api][pg][files]") {
    World world;
    const std::string vendor_id = world.server.create_person("vendor@example.com", "secret-vendor-1", "vendor");
    {
        auto connection = world.server.pool().acquire();
        connection->exec("INSERT INTO project_person_link (project_id, person_id) VALUES ($1::uuid, $2::uuid)",
                         {world.project, vendor_id});
    }
    const auto vendor = world.server.login("vendor@example.com", "secret-vendor-1");
    // Someone outside the production reaches none of its tasks.
    world.server.create_person("stranger@example.com", "secret-stranger-1", "user");
    const auto stranger = world.server.login("stranger@example.com", "secret-stranger-1");
    CHECK(world.post("/data/tasks/" + world.shot_task + "/working-file-path", "{}", stranger).status == 403);
    CHECK(world.post("/data/tasks/" + world.shot_task + "/working-files/new", R"({"name":"x"})", stranger).status ==
          403);
    CHECK(http_get(world.port, "/data/entities/" + world.asset + "/output-files", stranger).status == 403);
    CHECK(world.post("/data/tasks/" + world.shot_task + "/working-file-path", "{}", vendor).status == 403);
    {
        auto connection = world.server.pool().acquire();
        connection->exec("INSERT INTO task_person_link (task_id, person_id) VALUES ($1::uuid, $2::uuid)",
                         {world.shot_task, vendor_id});
    }
    CHECK(world.post("/data/tasks/" + world.shot_task + "/working-file-path", "{}", vendor).status == 200);
}
