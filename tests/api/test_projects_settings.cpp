// tests/api/test_projects_settings.cpp: what a production uses from the studio's lists: task
// types with their priority, task statuses, asset types, status automations, preview
// background files, and the settings batch (answers checked against Zou 1.0.67).
#include <catch2/catch.hpp>

#include "api/projects_fixture.h"

using namespace slate::test;

namespace {

std::set<std::string> ids_of(const Poco::JSON::Array::Ptr& rows) {
    std::set<std::string> ids;
    for (unsigned i = 0; i < rows->size(); ++i)
        ids.insert(rows->isObject(i) ? rows->getObject(i)->getValue<std::string>("id")
                                     : rows->getElement<std::string>(i));
    return ids;
}

} // namespace

TEST_CASE("a production links and unlinks the studio's lists", "[api][pg][projects]") {
    ProductionFixture f;
    const std::string settings = "/data/projects/" + f.project + "/settings";
    const std::string modeling = f.id_of("task_type", "Modeling");
    const std::string wip = f.server.query("SELECT id FROM task_status WHERE short_name = 'wip'");
    const std::string prop = f.id_of("entity_type", "Prop");
    const auto background =
        http_post(f.port, "/data/preview-background-files", R"({"name":"Studio","extension":"hdr"})", f.admin);
    REQUIRE(background.status == 201);
    const std::string background_id = background.json()->getValue<std::string>("id");
    const auto automation =
        http_post(f.port, "/data/status-automations",
                  R"({"entity_type":"asset","in_task_type_id":")" + modeling + R"(","in_task_status_id":")" + wip +
                      R"(","out_field_type":"status",)"
                      R"("out_task_type_id":")" +
                      modeling + R"(","out_task_status_id":")" + wip + R"("})",
                  f.admin);
    REQUIRE(automation.status == 201);
    const std::string automation_id = automation.json()->getValue<std::string>("id");

    const auto linked =
        http_post(f.port, settings + "/task-types", R"({"task_type_id":")" + modeling + R"(","priority":3})", f.admin);
    REQUIRE(linked.status == 201);
    CHECK(linked.json()->getValue<std::string>("id") == f.project);
    CHECK(f.server.query("SELECT priority FROM project_task_type_link WHERE project_id = $1::uuid", {f.project}) ==
          "3");
    // Linking again keeps the link and its priority (Zou only creates missing links).
    REQUIRE(
        http_post(f.port, settings + "/task-types", R"({"task_type_id":")" + modeling + R"(","priority":5})", f.admin)
            .status == 201);
    CHECK(f.server.query("SELECT priority FROM project_task_type_link WHERE project_id = $1::uuid", {f.project}) ==
          "3");
    REQUIRE(http_post(f.port, settings + "/task-status", R"({"task_status_id":")" + wip + R"("})", f.admin).status ==
            201);
    CHECK(f.server.query("SELECT roles_for_board::text FROM project_task_status_link WHERE project_id = $1::uuid",
                         {f.project}) == "{user,admin,supervisor,manager,vendor}");
    REQUIRE(http_post(f.port, settings + "/asset-types", R"({"asset_type_id":")" + prop + R"("})", f.admin).status ==
            201);
    REQUIRE(http_post(f.port, settings + "/status-automations",
                      R"({"status_automation_id":")" + automation_id + R"("})", f.admin)
                .status == 201);
    REQUIRE(http_post(f.port, settings + "/preview-background-files",
                      R"({"preview_background_file_id":")" + background_id + R"("})", f.admin)
                .status == 201);

    const auto task_types = json_array(http_get(f.port, "/data/projects/" + f.project + "/task-types", f.admin));
    REQUIRE(task_types->size() == 1);
    CHECK(task_types->getObject(0)->getValue<std::string>("type") == "TaskType");
    CHECK(ids_of(json_array(http_get(f.port, settings + "/task-status", f.admin))) == std::set<std::string>{wip});
    CHECK(ids_of(json_array(http_get(f.port, settings + "/status-automations", f.admin))) ==
          std::set<std::string>{automation_id});
    CHECK(ids_of(json_array(http_get(f.port, settings + "/preview-background-files", f.admin))) ==
          std::set<std::string>{background_id});
    const auto project = json_array(http_get(f.port, "/data/projects/open", f.admin))->getObject(0);
    CHECK(ids_of(project->getArray("asset_types")) == std::set<std::string>{prop});
    CHECK(project->getObject("task_types_priority")->getValue<int>(modeling) == 3);
    const auto status_link = project->getObject("task_statuses_link")->getObject(wip);
    CHECK(status_link->isNull("priority"));
    CHECK(status_link->getArray("roles_for_board")->size() == 5);

    for (const std::string& path :
         {settings + "/task-types/" + modeling, settings + "/task-status/" + wip, settings + "/asset-types/" + prop,
          settings + "/status-automations/" + automation_id, settings + "/preview-background-files/" + background_id})
        CHECK(http_call(f.port, "DELETE", path, f.admin).status == 204);
    const auto emptied = json_array(http_get(f.port, "/data/projects/open", f.admin))->getObject(0);
    for (const char* list :
         {"task_types", "task_statuses", "asset_types", "status_automations", "preview_background_files"})
        CHECK(emptied->getArray(list)->size() == 0);
    // Five links, one repeated task type call (Zou saves the project on each), five removals.
    CHECK(f.events("project:update") == 11);
}

TEST_CASE("the settings batch links what exists and can replace the task types", "[api][pg][projects]") {
    ProductionFixture f;
    const std::string batch = "/data/projects/" + f.project + "/settings/batch";
    const std::string modeling = f.id_of("task_type", "Modeling");
    const std::string animation = f.id_of("task_type", "Animation");
    const std::string wip = f.server.query("SELECT id FROM task_status WHERE short_name = 'wip'");
    const std::string character = f.id_of("entity_type", "Character");
    const std::string unknown = "6d0c5ab4-0000-4000-8000-000000000000";
    const auto answer =
        http_post(f.port, batch,
                  R"({"task_types":[{"task_type_id":")" + modeling + R"(","priority":1},{"task_type_id":")" +
                      animation + R"(","priority":2},{"task_type_id":")" + unknown +
                      R"("},{"task_type_id":"bad"}],)"
                      R"("task_status_ids":[")" +
                      wip + R"(",")" + wip + R"(",")" + unknown +
                      R"("],)"
                      R"("asset_type_ids":[")" +
                      character + R"(","bad"]})",
                  f.admin);
    REQUIRE(answer.status == 200);
    CHECK(answer.json()->getValue<std::string>("id") == f.project);
    auto project = [&] { return json_array(http_get(f.port, "/data/projects/open", f.admin))->getObject(0); };
    CHECK(ids_of(project()->getArray("task_types")) == std::set<std::string>{modeling, animation});
    CHECK(ids_of(project()->getArray("task_statuses")) == std::set<std::string>{wip});
    CHECK(ids_of(project()->getArray("asset_types")) == std::set<std::string>{character});
    CHECK(project()->getObject("task_types_priority")->getValue<int>(animation) == 2);

    REQUIRE(
        http_post(f.port, batch,
                  R"({"task_types":[{"task_type_id":")" + animation + R"(","priority":7}],"replace_task_types":true})",
                  f.admin)
            .status == 200);
    CHECK(ids_of(project()->getArray("task_types")) == std::set<std::string>{animation});
    CHECK(project()->getObject("task_types_priority")->getValue<int>(animation) == 7);
    CHECK(f.events("project:update") == 2);

    const auto invalid =
        http_post(f.port, batch, R"({"task_types":[{"priority":1},"x"],"task_status_ids":"x"})", f.admin);
    CHECK(invalid.status == 400);
    CHECK(
        invalid.body ==
        R"({"error":true,"message":"Validation error.","data":{"errors":[)"
        R"({"field":"task_types.0.task_type_id","message":"Field required"},)"
        R"({"field":"task_types.1","message":"Input should be a valid dictionary or instance of ProjectTaskTypeSchema"},)"
        R"({"field":"task_status_ids","message":"Input should be a valid list"}]}})");
    f.join("user");
    CHECK(http_post(f.port, batch, R"({"task_types":[{"task_type_id":")" + modeling + R"("}]})", f.token("user"))
              .status == 403);
    CHECK(ids_of(project()->getArray("task_types")) == std::set<std::string>{animation});
}

TEST_CASE("settings refuse unknown rows, bad ids and non-managers", "[api][pg][projects]") {
    ProductionFixture f;
    const std::string settings = "/data/projects/" + f.project + "/settings";
    const std::string unknown = "6d0c5ab4-0000-4000-8000-000000000000";
    const auto no_type =
        http_post(f.port, settings + "/asset-types", R"({"asset_type_id":")" + unknown + R"("})", f.admin);
    CHECK(no_type.status == 400);
    CHECK(no_type.body == R"({"error":true,"message":"EntityType with id )" + unknown + R"( not found","data":null})");
    CHECK(message_of(http_post(f.port, settings + "/task-status", R"({"task_status_id":"x"})", f.admin)) ==
          "TaskStatus with id x not found");
    CHECK(message_of(http_post(f.port, settings + "/task-types", R"({"task_type_id":"bad"})", f.admin)) ==
          "task_type_id is required and must be a valid UUID");
    CHECK(message_of(http_post(f.port, settings + "/task-types", R"({"task_type_id":")" + unknown + R"("})",
                               f.admin)) == "TaskType with id " + unknown + " not found");
    const auto priority =
        http_post(f.port, settings + "/task-types", R"({"task_type_id":")" + unknown + R"(","priority":"x"})", f.admin);
    CHECK(priority.json()->getObject("data")->getArray("errors")->getObject(0)->getValue<std::string>("message") ==
          "Input should be a valid integer, unable to parse string as an integer");
    CHECK(http_post(f.port, settings + "/asset-types", "{}", f.admin).status == 400);
    CHECK(message_of(http_call(f.port, "DELETE", settings + "/task-types/bad", f.admin)) == "Wrong UUID format.");
    CHECK(http_get(f.port, "/data/projects/" + unknown + "/settings/task-status", f.admin).status == 404);

    f.join("user");
    f.join("manager");
    const std::string artist = f.token("user");
    const std::string wip = f.server.query("SELECT id FROM task_status WHERE short_name = 'wip'");
    CHECK(http_get(f.port, settings + "/task-status", artist).status == 200);
    CHECK(http_get(f.port, settings + "/status-automations", artist).status == 403); // managers only
    CHECK(http_get(f.port, settings + "/status-automations", f.token("manager")).status == 200);
    CHECK(http_post(f.port, settings + "/task-status", R"({"task_status_id":")" + wip + R"("})", artist).status == 403);
    CHECK(http_post(f.port, settings + "/task-status", R"({"task_status_id":")" + wip + R"("})", f.token("manager"))
              .status == 201);
    CHECK(http_call(f.port, "DELETE", settings + "/task-status/" + wip, artist).status == 403);
    CHECK(f.server.query("SELECT count(*) FROM project_task_status_link WHERE project_id = $1::uuid", {f.project}) ==
          "1");
}
