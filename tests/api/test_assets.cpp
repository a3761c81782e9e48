// tests/api/test_assets.cpp: assets and asset types (Zou's assets blueprint): creation, the
// lists, one asset with its tasks, the with-tasks listing in its three forms, soft and forced
// deletion, shared assets seen from another production, with the answers Zou 1.0.67 gives.
#include <catch2/catch.hpp>

#include "api/assets_fixture.h"

#include <sstream>

using namespace slate::test;

TEST_CASE("an asset is created, listed and read as Zou answers", "[api][pg][assets]") {
    AssetsFixture f;
    const auto created =
        http_post(f.port, "/data/projects/" + f.project + "/asset-types/" + f.type_id("Prop") + "/assets/new",
                  R"({"name":"Chair","description":"A chair","data":{"extra":"test"}})", f.admin);
    REQUIRE(created.status == 201);
    const auto asset = created.json();
    const std::string id = asset->getValue<std::string>("id");
    CHECK(asset->getValue<std::string>("type") == "Asset");
    CHECK(asset->getValue<std::string>("description") == "A chair");
    CHECK(asset->getObject("data")->getValue<std::string>("extra") == "test");
    CHECK(asset->getValue<std::string>("created_by") == f.server.login_user_id());
    CHECK(asset->getValue<bool>("is_shared") == false);
    CHECK(f.events("asset:new") == 1);
    f.asset_task(id);

    const auto all = json_array(http_get(f.port, "/data/assets/all?name=chair", f.admin)); // case-insensitive
    REQUIRE(all->size() == 1);
    CHECK(all->getObject(0)->getValue<std::string>("id") == id);
    CHECK(json_array(http_get(f.port, "/data/assets", f.admin))->size() == 1);
    f.server.create_shot(f.admin, f.project, "SH01"); // shots are no assets
    const auto listed = json_array(http_get(f.port, "/data/projects/" + f.project + "/assets", f.admin));
    REQUIRE(listed->size() == 1);
    CHECK(listed->getObject(0)->getValue<std::string>("type") == "Asset");
    CHECK(json_array(http_get(f.port,
                              "/data/projects/" + f.project + "/asset-types/" + f.type_id("Character") + "/assets",
                              f.admin))
              ->size() == 0);
    const auto types = json_array(http_get(f.port, "/data/projects/" + f.project + "/asset-types", f.admin));
    REQUIRE(types->size() == 1);
    CHECK(types->getObject(0)->getValue<std::string>("name") == "Prop");
    CHECK(types->getObject(0)->getValue<std::string>("type") == "AssetType");
    const auto every_type = http_get(f.port, "/data/asset-types", f.admin);
    CHECK(every_type.body.find("\"Character\"") != std::string::npos);
    CHECK(every_type.body.find("\"Shot\"") == std::string::npos);
    CHECK(http_get(f.port, "/data/asset-types/" + f.type_id("Prop"), f.admin).json()->has("task_types"));
    CHECK(http_get(f.port, "/data/asset-types/" + f.type_id("Shot"), f.admin).status == 404);

    // One asset: the with-tasks item merged into the asset with its relations.
    const auto one = http_get(f.port, "/data/assets/" + id, f.admin);
    REQUIRE(one.status == 200);
    const auto full = one.json();
    CHECK(full->getValue<std::string>("project_name") == "Fixture");
    CHECK(full->getValue<std::string>("asset_type_name") == "Prop");
    CHECK(full->getValue<std::string>("asset_type_id") == f.type_id("Prop"));
    CHECK(full->getValue<std::string>("ready_for") == "None"); // Zou's str(None)
    CHECK(full->getValue<std::string>("episode_id").empty());
    CHECK(full->getValue<std::string>("preview_file_id").empty());
    CHECK(full->getArray("entities_out")->size() == 0);
    CHECK(full->getArray("casting_episode_ids")->size() == 0);
    CHECK_FALSE(full->has("source_id"));
    CHECK_FALSE(full->has("nb_frames"));
    REQUIRE(full->getArray("tasks")->size() == 1);
    const auto tasks = json_array(http_get(f.port, "/data/assets/" + id + "/tasks", f.admin));
    REQUIRE(tasks->size() == 1);
    CHECK(tasks->getObject(0)->getValue<std::string>("task_type_name") == "Modeling");
    CHECK(tasks->getObject(0)->getValue<std::string>("entity_name") == "Chair");
    CHECK_FALSE(tasks->getObject(0)->has("assignees"));
    CHECK(json_array(http_get(f.port, "/data/assets/" + id + "/tasks?relations=true", f.admin))
              ->getObject(0)
              ->has("assignees"));
    const auto task_types = json_array(http_get(f.port, "/data/assets/" + id + "/task-types", f.admin));
    REQUIRE(task_types->size() == 1);
    CHECK(task_types->getObject(0)->getValue<std::string>("type") == "TaskType");
}

TEST_CASE("asset routes refuse bad input and other productions' people", "[api][pg][assets]") {
    AssetsFixture f;
    const std::string chair = f.asset("Prop", "Chair");
    const std::string path = "/data/projects/" + f.project + "/asset-types/" + f.type_id("Prop") + "/assets/new";
    const auto empty_name = http_post(f.port, path, R"({"name":""})", f.admin);
    CHECK(empty_name.status == 400);
    CHECK(message_of(empty_name) == "Validation error.");
    CHECK(http_post(f.port, path, R"({"name":"X","episode_id":"nope"})", f.admin).status == 400);
    CHECK(http_post(f.port, path, R"({"name":"X","data":[1]})", f.admin).status == 400);
    CHECK(http_post(f.port, "/data/projects/" + f.project + "/asset-types/" + f.type_id("Shot") + "/assets/new",
                    R"({"name":"X"})", f.admin)
              .status == 404);
    CHECK(http_get(f.port, "/data/assets/not-an-id", f.admin).status == 404);
    const std::string shot = f.server.create_shot(f.admin, f.project, "SH01");
    CHECK(http_get(f.port, "/data/assets/" + shot, f.admin).status == 404);
    // An artist not on the team: 403 on the asset and on the production's lists.
    const std::string artist = f.token("user");
    CHECK(http_get(f.port, "/data/assets/" + chair, artist).status == 403);
    CHECK(http_get(f.port, "/data/projects/" + f.project + "/assets", artist).status == 403);
    CHECK(http_get(f.port, "/data/assets/all?project_id=" + f.project, artist).status == 403);
    CHECK(json_array(http_get(f.port, "/data/assets/all", artist))->size() == 0); // only their productions
    CHECK(http_post(f.port, path, R"({"name":"Table"})", artist).status == 403);
    f.join("user");
    CHECK(http_get(f.port, "/data/assets/" + chair, artist).status == 200);
    CHECK(json_array(http_get(f.port, "/data/assets/all", artist))->size() == 1);
    CHECK(http_post(f.port, path, R"({"name":"Table"})", artist).status == 403); // managers only
}

TEST_CASE("the with-tasks listing is Zou's, plain, compact or streamed", "[api][pg][assets]") {
    AssetsFixture f;
    const std::string chair = f.asset("Prop", "Chair");
    const std::string hero = f.asset("Character", "Hero");
    const std::string task = f.asset_task(chair);
    f.join("user");
    REQUIRE(http_call(f.port, "PUT", "/actions/tasks/" + task + "/assign", f.admin,
                      R"({"person_id":")" + f.person("user") + "\"}")
                .status == 200);
    const auto plain = http_get(f.port, "/data/assets/with-tasks?project_id=" + f.project, f.admin);
    REQUIRE(plain.status == 200);
    CHECK(plain.content_type.find("application/json") == 0);
    const auto assets = json_array(plain);
    REQUIRE(assets->size() == 2);
    CHECK(assets->getObject(0)->getValue<std::string>("id") == hero); // by type name: Character, Prop
    const auto item = assets->getObject(1);
    CHECK(item->getValue<std::string>("asset_type_name") == "Prop");
    CHECK(item->getValue<std::string>("ready_for") == "None");
    CHECK(item->getValue<std::string>("episode_id").empty());
    CHECK(item->getObject("data")->size() == 0);
    CHECK_FALSE(item->has("type"));
    REQUIRE(item->getArray("tasks")->size() == 1);
    const auto task_item = item->getArray("tasks")->getObject(0);
    CHECK(task_item->getValue<std::string>("id") == task);
    CHECK(task_item->getValue<int>("priority") == 0);
    CHECK(task_item->getValue<std::string>("last_preview_file_id").empty());
    CHECK(task_item->getValue<bool>("is_subscribed") == false);
    REQUIRE(task_item->getArray("assignees")->size() == 1);
    CHECK(task_item->getArray("assignees")->getElement<std::string>(0) == f.person("user"));
    CHECK(assets->getObject(0)->getArray("tasks")->size() == 0);

    const auto compact =
        http_get(f.port, "/data/assets/with-tasks?compact=true&project_id=" + f.project, f.admin).json();
    CHECK(compact->getValue<bool>("compact"));
    CHECK(compact->getArray("asset_fields")->getElement<std::string>(13) == "tasks");
    CHECK(compact->getArray("task_fields")->size() == 19);
    REQUIRE(compact->getArray("rows")->size() == 2);
    CHECK(compact->getArray("rows")->getArray(1)->getElement<std::string>(0) == chair);

    const auto streamed = http_get(f.port, "/data/assets/with-tasks?stream=true&project_id=" + f.project, f.admin);
    CHECK(streamed.content_type.find("application/x-ndjson") == 0);
    std::istringstream lines(streamed.body);
    std::vector<std::string> rows;
    for (std::string line; std::getline(lines, line);)
        rows.push_back(line);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0] == R"({"compact":false})");
    CHECK(rows[2].find("\"id\":\"" + chair + "\"") != std::string::npos);

    // One asset by id; main episode; bad ids; who sees what.
    CHECK(json_array(http_get(f.port, "/data/assets/with-tasks?id=" + chair, f.admin))->size() == 1);
    CHECK(json_array(http_get(f.port, "/data/assets/with-tasks?project_id=" + f.project + "&episode_id=main", f.admin))
              ->size() == 2);
    const auto bad = http_get(f.port, "/data/assets/with-tasks?project_id=nope", f.admin);
    CHECK(bad.status == 400);
    CHECK(message_of(bad) == "Invalid UUID format for project_id: nope");
    CHECK(http_get(f.port, "/data/assets/with-tasks?project_id=" + f.project, f.token("supervisor")).status == 403);
    CHECK(json_array(http_get(f.port, "/data/assets/with-tasks", f.token("supervisor")))->size() == 0);
    f.join("vendor");
    const auto vendor =
        json_array(http_get(f.port, "/data/assets/with-tasks?project_id=" + f.project, f.token("vendor")));
    CHECK(vendor->size() == 0); // nothing assigned to them
    // Assigned a task of the chair: the chair, that task only, and no metadata kept to other
    // departments.
    const std::string second = f.asset_task(chair, "Shading");
    REQUIRE(http_call(f.port, "PUT", "/actions/tasks/" + second + "/assign", f.admin,
                      R"({"person_id":")" + f.person("vendor") + "\"}")
                .status == 200);
    const auto department = http_post(f.port, "/data/departments", R"({"name":"Lighting","color":"#FF0000"})", f.admin);
    REQUIRE(department.status == 201);
    REQUIRE(http_post(f.port, "/data/projects/" + f.project + "/metadata-descriptors",
                      R"({"entity_type":"Asset","name":"Secret","field_name":"secret","data_type":"string",)"
                      R"("departments":[")" +
                          department.json()->getValue<std::string>("id") + "\"]}",
                      f.admin)
                .status == 201);
    REQUIRE(
        http_call(f.port, "PUT", "/data/entities/" + chair, f.admin, R"({"data":{"secret":"x","open":"y"}})").status ==
        200);
    const auto seen =
        json_array(http_get(f.port, "/data/assets/with-tasks?project_id=" + f.project, f.token("vendor")));
    REQUIRE(seen->size() == 1);
    CHECK(seen->getObject(0)->getArray("tasks")->size() == 1);
    CHECK(seen->getObject(0)->getObject("data")->has("open"));
    CHECK_FALSE(seen->getObject(0)->getObject("data")->has("secret"));
    CHECK(json_array(http_get(f.port, "/data/assets/with-tasks?project_id=" + f.project, f.admin))
              ->getObject(1)
              ->getObject("data")
              ->has("secret"));
}

TEST_CASE("an asset with tasks is canceled first, deleted with force", "[api][pg][assets]") {
    AssetsFixture f;
    const std::string chair = f.asset("Prop", "Chair");
    const std::string table = f.asset("Prop", "Table");
    const std::string task = f.asset_task(chair);
    f.join("user");
    CHECK(http_call(f.port, "DELETE", "/data/assets/" + chair, f.token("user")).status == 403);
    REQUIRE(http_call(f.port, "DELETE", "/data/assets/" + chair, f.admin).status == 204);
    CHECK(f.server.query("SELECT canceled FROM entity WHERE id = $1", {chair}) == "t");
    CHECK(f.events("asset:update") == 1);
    CHECK(f.events("asset:delete") == 0);
    REQUIRE(http_call(f.port, "DELETE", "/data/assets/" + chair + "?force=true", f.admin).status == 204);
    CHECK(f.server.query("SELECT count(*) FROM entity WHERE id = $1", {chair}) == "0");
    CHECK(f.server.query("SELECT count(*) FROM task WHERE id = $1", {task}) == "0");
    CHECK(f.events("asset:delete") == 1);
    CHECK(http_get(f.port, "/data/assets/" + chair, f.admin).status == 404);
    // Without tasks it goes at once; its children stay, without parent.
    const std::string child = f.entity("Prop", "Leg", table);
    REQUIRE(http_call(f.port, "DELETE", "/data/assets/" + table, f.admin).status == 204);
    CHECK(f.server.query("SELECT count(*) FROM entity WHERE id = $1", {table}) == "0");
    CHECK(f.server.query("SELECT parent_id IS NULL FROM entity WHERE id = $1", {child}) == "t");
    CHECK(http_call(f.port, "DELETE", "/data/assets/" + table, f.admin).status == 404);
}

TEST_CASE("shared assets are used from another production", "[api][pg][assets]") {
    AssetsFixture f;
    const std::string tree = f.asset("Environment", "Tree");
    const std::string other = f.server.create_project(f.admin, "Other");
    const auto shared = http_post(f.port, "/actions/projects/" + f.project + "/assets/share", "{}", f.admin);
    REQUIRE(shared.status == 200);
    const auto changed = json_array(shared);
    REQUIRE(changed->size() == 1);
    CHECK(changed->getObject(0)->getValue<bool>("is_shared"));
    // A shot of the other production casts it.
    const std::string sequence = f.entity("Sequence", "SQ01", "", other);
    const std::string shot = f.entity("Shot", "SH01", sequence, other);
    REQUIRE(http_call(f.port, "PUT", "/data/projects/" + other + "/entities/" + shot + "/casting", f.admin,
                      R"([{"asset_id":")" + tree + R"(","nb_occurences":2}])")
                .status == 200);
    const auto used = json_array(http_get(f.port, "/data/projects/" + other + "/assets/shared-used", f.admin));
    REQUIRE(used->size() == 1);
    CHECK(used->getObject(0)->getValue<std::string>("id") == tree);
    CHECK(json_array(http_get(f.port, "/data/projects/" + f.project + "/assets/shared-used", f.admin))->size() == 0);
    // Unshared by ids, then by type: nothing left to use.
    REQUIRE(http_post(f.port, "/actions/assets/share", R"({"is_shared":false,"asset_ids":[")" + tree + "\"]}", f.admin)
                .status == 200);
    CHECK(json_array(http_get(f.port, "/data/projects/" + other + "/assets/shared-used", f.admin))->size() == 0);
    REQUIRE(http_post(f.port,
                      "/actions/projects/" + f.project + "/asset-types/" + f.type_id("Environment") + "/assets/share",
                      R"({"is_shared":true})", f.admin)
                .status == 200);
    CHECK(f.server.query("SELECT is_shared FROM entity WHERE id = $1", {tree}) == "t");
    CHECK(http_post(f.port, "/actions/assets/share", R"({"asset_ids":["nope"]})", f.admin).status == 400);
    f.join("user");
    CHECK(http_post(f.port, "/actions/projects/" + f.project + "/assets/share", "{}", f.token("user")).status == 403);
}
