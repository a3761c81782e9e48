// tests/api/test_projects_templates.cpp: project templates: the lists a template links, its
// default background and descriptor snapshot, a template made from a production and applied
// to another, and a production created from a template (Zou 1.0.67's project_templates
// blueprint and its tests/blueprints/projects/test_project_templates.py).
#include <catch2/catch.hpp>

#include "api/projects_fixture.h"

using namespace slate::test;

namespace {

std::string new_template(ProductionFixture& f, const std::string& body) {
    const auto created = http_post(f.port, "/data/project-templates", body, f.admin);
    INFO(created.body);
    REQUIRE(created.status == 201);
    return created.json()->getValue<std::string>("id");
}

std::string new_background(ProductionFixture& f, const std::string& name) {
    const auto created =
        http_post(f.port, "/data/preview-background-files", R"({"name":")" + name + R"(","extension":"hdr"})", f.admin);
    REQUIRE(created.status == 201);
    return created.json()->getValue<std::string>("id");
}

std::string new_automation(ProductionFixture& f) {
    const std::string modeling = f.id_of("task_type", "Modeling");
    const std::string wip = f.server.query("SELECT id FROM task_status WHERE short_name = 'wip'");
    const auto created =
        http_post(f.port, "/data/status-automations",
                  R"({"entity_type":"asset","in_task_type_id":")" + modeling + R"(","in_task_status_id":")" + wip +
                      R"(","out_field_type":"status","out_task_type_id":")" + modeling + R"(","out_task_status_id":")" +
                      wip + R"("})",
                  f.admin);
    REQUIRE(created.status == 201);
    return created.json()->getValue<std::string>("id");
}

std::string count(ProductionFixture& f, const std::string& sql, const std::string& id) {
    return f.server.query(sql, {id});
}

} // namespace

TEST_CASE("a template's lists are read by managers and changed by admins", "[api][pg][projects][templates]") {
    ProductionFixture f;
    const std::string id = new_template(f, R"({"name":"Series Setup","fps":"24"})");
    const std::string base = "/data/project-templates/" + id;
    const std::string modeling = f.id_of("task_type", "Modeling");
    const std::string layout = f.server.query("SELECT id FROM task_type WHERE name = 'Layout'");
    const std::string manager = f.token("manager");
    const std::string artist = f.token("user");

    // Who may: managers read, admins write; artists do neither.
    CHECK(http_get(f.port, base + "/task-types", manager).body == "[]");
    CHECK(http_get(f.port, base + "/task-types", artist).status == 403);
    CHECK(http_post(f.port, base + "/task-types", R"({"task_type_id":")" + modeling + R"("})", manager).status == 403);

    const auto link =
        http_post(f.port, base + "/task-types", R"({"task_type_id":")" + modeling + R"(","priority":3})", f.admin);
    REQUIRE(link.status == 201);
    CHECK(link.json()->getValue<std::string>("type") == "ProjectTemplateTaskTypeLink");
    CHECK(link.json()->getValue<int>("priority") == 3);
    CHECK(link.json()->getValue<std::string>("task_type_id") == modeling);
    // Posting again without a priority keeps it.
    REQUIRE(http_post(f.port, base + "/task-types", R"({"task_type_id":")" + modeling + R"("})", f.admin).status ==
            201);
    REQUIRE(http_post(f.port, base + "/task-types", R"({"task_type_id":")" + layout + R"(","priority":1})", f.admin)
                .status == 201);
    auto types = json_array(http_get(f.port, base + "/task-types", manager));
    REQUIRE(types->size() == 2);
    CHECK(types->getObject(0)->getValue<std::string>("id") == layout); // by priority
    CHECK(types->getObject(1)->getValue<int>("priority") == 3);
    CHECK(types->getObject(1)->getValue<std::string>("type") == "TaskType");

    // Reorder: priorities are the positions in the list.
    const auto reordered = http_post(f.port, "/actions/project-templates/" + id + "/task-types/reorder",
                                     R"({"task_type_ids":[")" + modeling + R"(",")" + layout + R"("]})", f.admin);
    REQUIRE(reordered.status == 200);
    CHECK(json_array(reordered)->getObject(0)->getValue<int>("priority") == 1);
    CHECK(json_array(reordered)->getObject(1)->getValue<int>("priority") == 2);
    CHECK(json_array(http_get(f.port, base + "/task-types", f.admin))->getObject(0)->getValue<std::string>("id") ==
          modeling);
    const auto bad_reorder =
        http_post(f.port, "/actions/project-templates/" + id + "/task-types/reorder", R"({"ids":[]})", f.admin);
    CHECK(bad_reorder.status == 400);
    CHECK(bad_reorder.json()->getValue<bool>("error"));
    CHECK(message_of(bad_reorder) == "Request body must be a JSON object with a 'task_type_ids' list.");

    // Statuses carry their board roles, which a reorder keeps.
    const std::string wip = f.server.query("SELECT id FROM task_status WHERE short_name = 'wip'");
    const std::string todo = f.server.query("SELECT id FROM task_status WHERE short_name = 'todo'");
    const auto status =
        http_post(f.port, base + "/task-statuses",
                  R"({"task_status_id":")" + wip + R"(","priority":1,"roles_for_board":["manager"]})", f.admin);
    REQUIRE(status.status == 201);
    CHECK(status.json()->getArray("roles_for_board")->size() == 1);
    REQUIRE(http_post(f.port, base + "/task-statuses", R"({"task_status_id":")" + todo + R"("})", f.admin).status ==
            201);
    REQUIRE(http_post(f.port, "/actions/project-templates/" + id + "/task-statuses/reorder",
                      R"({"task_status_ids":[")" + todo + R"(",")" + wip + R"("]})", f.admin)
                .status == 200);
    const auto statuses = json_array(http_get(f.port, base + "/task-statuses", manager));
    REQUIRE(statuses->size() == 2);
    CHECK(statuses->getObject(1)->getValue<std::string>("id") == wip);
    CHECK(statuses->getObject(1)->getValue<int>("priority") == 2);
    CHECK(statuses->getObject(1)->getArray("roles_for_board")->getElement<std::string>(0) == "manager");
    CHECK(statuses->getObject(0)->getArray("roles_for_board")->size() == 5);

    // Asset types answer {id, name}; automations are serialized.
    const std::string prop = f.id_of("entity_type", "Prop");
    const auto asset_type = http_post(f.port, base + "/asset-types", R"({"asset_type_id":")" + prop + R"("})", f.admin);
    REQUIRE(asset_type.status == 201);
    CHECK(asset_type.body == R"({"id":")" + prop + R"(","name":"Prop"})");
    CHECK(json_array(http_get(f.port, base + "/asset-types", manager))->size() == 1);
    const std::string automation = new_automation(f);
    REQUIRE(
        http_post(f.port, base + "/status-automations", R"({"status_automation_id":")" + automation + R"("})", f.admin)
            .status == 201);
    CHECK(json_array(http_get(f.port, base + "/status-automations", manager))
              ->getObject(0)
              ->getValue<std::string>("type") == "StatusAutomation");
    CHECK(http_call(f.port, "DELETE", base + "/asset-types/" + prop, f.admin).status == 204);
    CHECK(http_get(f.port, base + "/asset-types", manager).body == "[]");
    CHECK(http_call(f.port, "DELETE", base + "/status-automations/" + automation, f.admin).status == 204);
    CHECK(http_get(f.port, base + "/status-automations", manager).body == "[]");
    CHECK(http_call(f.port, "DELETE", base + "/task-types/" + layout, f.admin).status == 204);
    CHECK(json_array(http_get(f.port, base + "/task-types", manager))->size() == 1);
    CHECK(http_call(f.port, "DELETE", base + "/task-statuses/" + todo, f.admin).status == 204);
    CHECK(json_array(http_get(f.port, base + "/task-statuses", manager))->size() == 1);
    CHECK(http_call(f.port, "DELETE", base + "/task-types/" + layout, manager).status == 403);
    // Every change told the clients.
    CHECK(f.server.query("SELECT count(*) FROM api_event WHERE name = 'project-template:update' "
                         "AND data->>'project_template_id' = $1",
                         {id}) != "0");
}

TEST_CASE("a template's default background is one of its own", "[api][pg][projects][templates]") {
    ProductionFixture f;
    const std::string id = new_template(f, R"({"name":"Backgrounds"})");
    const std::string base = "/data/project-templates/" + id;
    const std::string background = new_background(f, "Studio");
    const std::string stranger = new_background(f, "Other");
    const auto linked = http_post(f.port, base + "/preview-background-files",
                                  R"({"preview_background_file_id":")" + background + R"("})", f.admin);
    REQUIRE(linked.status == 201);
    CHECK(linked.body == R"({"id":")" + background + R"(","name":"Studio","is_default":false})");

    const std::string path = base + "/default-preview-background-file";
    const auto refused =
        http_call(f.port, "PUT", path, f.admin, R"({"default_preview_background_file_id":")" + stranger + R"("})");
    CHECK(refused.status == 400);
    CHECK(refused.body == R"({"message":"Preview background file is not linked to this template"})");
    const auto set =
        http_call(f.port, "PUT", path, f.admin, R"({"default_preview_background_file_id":")" + background + R"("})");
    REQUIRE(set.status == 200);
    CHECK(set.json()->getValue<std::string>("type") == "ProjectTemplate");
    CHECK(set.json()->getValue<std::string>("default_preview_background_file_id") == background);
    CHECK(http_call(f.port, "PUT", path, f.admin, R"({"default_preview_background_file_id":null})")
              .json()
              ->isNull("default_preview_background_file_id"));
    http_call(f.port, "PUT", path, f.admin, R"({"default_preview_background_file_id":")" + background + R"("})");

    // Unlinking the default clears it.
    CHECK(http_call(f.port, "DELETE", base + "/preview-background-files/" + background, f.admin).status == 204);
    CHECK(http_get(f.port, base + "/preview-background-files", f.admin).body == "[]");
    CHECK(f.server.query("SELECT count(*) FROM project_template WHERE id = $1::uuid "
                         "AND default_preview_background_file_id IS NULL",
                         {id}) == "1");
}

TEST_CASE("bad template requests are refused with Zou's messages", "[api][pg][projects][templates]") {
    ProductionFixture f;
    const std::string id = new_template(f, R"({"name":"Setup"})");
    const std::string base = "/data/project-templates/" + id;
    const std::string unknown = "1a2b3c4d-0000-4000-8000-000000000000";

    const auto missing = http_post(f.port, base + "/task-types", "{}", f.admin);
    CHECK(missing.status == 400);
    CHECK(message_of(missing) == "Validation error.");
    const auto malformed = http_post(f.port, base + "/task-types", R"({"task_type_id":"abc"})", f.admin);
    CHECK(malformed.status == 400);
    CHECK(malformed.body == R"({"message":"task_type_id is required and must be a valid UUID"})");
    const auto absent = http_post(f.port, base + "/asset-types", R"({"asset_type_id":")" + unknown + R"("})", f.admin);
    CHECK(absent.status == 400);
    CHECK(absent.body == R"({"message":"Asset type )" + unknown + R"( does not exist"})");
    const std::string modeling = f.id_of("task_type", "Modeling");
    for (const std::string& template_id : {unknown, std::string("not-a-uuid")}) {
        const auto no_template = http_post(f.port, "/data/project-templates/" + template_id + "/task-types",
                                           R"({"task_type_id":")" + modeling + R"("})", f.admin);
        CHECK(no_template.status == 404);
        CHECK(no_template.body == R"({"message":"Project template not found"})");
        CHECK(http_get(f.port, "/data/project-templates/" + template_id + "/asset-types", f.admin).status == 404);
    }
    const auto descriptors =
        http_call(f.port, "PUT", base + "/metadata-descriptors", f.admin, R"({"metadata_descriptors":[1]})");
    CHECK(descriptors.status == 400);
    CHECK(descriptors.body == R"({"message":"Each metadata descriptor must be an object"})");
    CHECK(http_post(f.port, "/data/project-templates/from-project/" + f.project, R"({"name":""})", f.admin).status ==
          400);
    const auto no_project =
        http_post(f.port, "/data/project-templates/from-project/" + unknown, R"({"name":"X"})", f.admin);
    CHECK(no_project.status == 404);
    CHECK(no_project.body == R"({"message":"Project not found"})");
    CHECK(http_post(f.port, "/data/projects/" + f.project + "/apply-template/" + unknown, "{}", f.admin).body ==
          R"({"message":"Project template not found"})");
    // Nothing was written by the refusals.
    CHECK(f.server.query("SELECT count(*) FROM project_template_task_type_link") == "0");
}

TEST_CASE("a template made from a production is applied to another", "[api][pg][projects][templates]") {
    ProductionFixture f;
    const std::string settings = "/data/projects/" + f.project + "/settings";
    const std::string modeling = f.id_of("task_type", "Modeling");
    const std::string wip = f.server.query("SELECT id FROM task_status WHERE short_name = 'wip'");
    const std::string prop = f.id_of("entity_type", "Prop");
    const std::string automation = new_automation(f);
    const std::string background = new_background(f, "Studio");
    const std::string department = f.server.query("SELECT id FROM department ORDER BY name LIMIT 1");
    REQUIRE(
        http_post(f.port, settings + "/task-types", R"({"task_type_id":")" + modeling + R"(","priority":4})", f.admin)
            .status == 201);
    REQUIRE(http_post(f.port, settings + "/task-status", R"({"task_status_id":")" + wip + R"("})", f.admin).status ==
            201);
    REQUIRE(http_post(f.port, settings + "/asset-types", R"({"asset_type_id":")" + prop + R"("})", f.admin).status ==
            201);
    REQUIRE(http_post(f.port, settings + "/status-automations", R"({"status_automation_id":")" + automation + R"("})",
                      f.admin)
                .status == 201);
    REQUIRE(http_post(f.port, settings + "/preview-background-files",
                      R"({"preview_background_file_id":")" + background + R"("})", f.admin)
                .status == 201);
    REQUIRE(http_call(f.port, "PUT", "/data/projects/" + f.project, f.admin,
                      R"({"fps":"24","max_retakes":3,"default_preview_background_file_id":")" + background + R"("})")
                .status == 200);
    REQUIRE(http_post(f.port, "/data/projects/" + f.project + "/metadata-descriptors",
                      R"({"name":"Difficulty","entity_type":"Asset","data_type":"list","choices":["easy","hard"],)"
                      R"("departments":[")" +
                          department + R"("]})",
                      f.admin)
                .status == 201);

    const std::string from_project = "/data/project-templates/from-project/" + f.project;
    CHECK(http_post(f.port, from_project, R"({"name":"Snapshot"})", f.token("manager")).status == 403);
    const auto made = http_post(f.port, from_project, R"({"name":"Snapshot","description":"of Fixture"})", f.admin);
    REQUIRE(made.status == 201);
    const auto snapshot = made.json();
    CHECK(snapshot->getValue<std::string>("type") == "ProjectTemplate");
    CHECK(snapshot->getValue<std::string>("fps") == "24");
    CHECK(snapshot->getValue<int>("max_retakes") == 3);
    CHECK(snapshot->getValue<std::string>("default_preview_background_file_id") == background);
    const auto descriptor = snapshot->getArray("metadata_descriptors")->getObject(0);
    CHECK(descriptor->getValue<std::string>("field_name") == "difficulty");
    CHECK(descriptor->getArray("departments")->getElement<std::string>(0) == department);
    const std::string tpl = snapshot->getValue<std::string>("id");
    const std::string base = "/data/project-templates/" + tpl;
    CHECK(json_array(http_get(f.port, base + "/task-types", f.admin))->getObject(0)->getValue<int>("priority") == 4);
    CHECK(json_array(http_get(f.port, base + "/task-statuses", f.admin))->size() == 1);
    CHECK(json_array(http_get(f.port, base + "/asset-types", f.admin))->size() == 1);
    CHECK(json_array(http_get(f.port, base + "/status-automations", f.admin))->size() == 1);
    CHECK(json_array(http_get(f.port, base + "/preview-background-files", f.admin))->size() == 1);
    const auto again = http_post(f.port, from_project, R"({"name":"Snapshot"})", f.admin);
    CHECK(again.status == 400);
    CHECK(again.body == R"({"message":"A project template with this name already exists"})");

    // Applied to another production: its settings and everything it links.
    const std::string target = f.server.create_project(f.admin, "Target");
    const std::string apply = "/data/projects/" + target + "/apply-template/" + tpl;
    CHECK(http_post(f.port, apply, "{}", f.token("manager")).status == 403);
    const auto applied = http_post(f.port, apply, "{}", f.admin);
    REQUIRE(applied.status == 200);
    CHECK(applied.json()->getValue<std::string>("id") == target);
    CHECK(applied.json()->getValue<std::string>("fps") == "24");
    CHECK(applied.json()->getValue<std::string>("default_preview_background_file_id") == background);
    for (int round = 0; round < 2; ++round) { // applying twice adds nothing
        CHECK(count(f,
                    "SELECT string_agg(task_type_id::text || ':' || priority, ',') FROM project_task_type_link "
                    "WHERE project_id = $1::uuid",
                    target) == modeling + ":4");
        CHECK(count(f, "SELECT count(*) FROM project_task_status_link WHERE project_id = $1::uuid", target) == "1");
        CHECK(count(f, "SELECT count(*) FROM project_asset_type_link WHERE project_id = $1::uuid", target) == "1");
        CHECK(count(f, "SELECT count(*) FROM project_status_automation_link WHERE project_id = $1::uuid", target) ==
              "1");
        CHECK(count(f, "SELECT count(*) FROM project_preview_background_file_link WHERE project_id = $1::uuid",
                    target) == "1");
        CHECK(count(f,
                    "SELECT string_agg(field_name || ':' || entity_type || ':' || (choices->>1), ',') "
                    "FROM metadata_descriptor WHERE project_id = $1::uuid",
                    target) == "difficulty:Asset:hard");
        CHECK(count(f,
                    "SELECT count(*) FROM department_metadata_descriptor_link l JOIN metadata_descriptor d "
                    "ON d.id = l.metadata_descriptor_id WHERE d.project_id = $1::uuid",
                    target) == "1");
        REQUIRE(http_post(f.port, apply, "{}", f.admin).status == 200);
    }
}

TEST_CASE("a production created from a template takes what it does not set", "[api][pg][projects][templates]") {
    ProductionFixture f;
    const std::string tpl = new_template(f, R"({"name":"Template","fps":"30","ratio":"2.39:1","max_retakes":5})");
    const std::string modeling = f.id_of("task_type", "Modeling");
    REQUIRE(http_post(f.port, "/data/project-templates/" + tpl + "/task-types",
                      R"({"task_type_id":")" + modeling + R"("})", f.admin)
                .status == 201);
    REQUIRE(http_call(f.port, "PUT", "/data/project-templates/" + tpl + "/metadata-descriptors", f.admin,
                      R"([{"name":"Difficulty","entity_type":"Asset","data_type":"list","choices":["easy"]},)"
                      R"({"name":"Lost","entity_type":"Task"}])")
                .status == 200);

    const auto created =
        http_post(f.port, "/data/projects",
                  R"({"name":"From Template","project_template_id":")" + tpl + R"(","fps":"60"})", f.admin);
    REQUIRE(created.status == 201);
    const auto project = created.json();
    CHECK(project->getValue<std::string>("fps") == "60");       // the caller's choice wins
    CHECK(project->getValue<std::string>("ratio") == "2.39:1"); // the template fills the rest
    CHECK(project->getValue<int>("max_retakes") == 5);
    CHECK(project->getArray("task_types")->getElement<std::string>(0) == modeling);
    const std::string id = project->getValue<std::string>("id");
    // A Task descriptor without task type is skipped, as Zou does.
    CHECK(count(f, "SELECT string_agg(name, ',') FROM metadata_descriptor WHERE project_id = $1::uuid", id) ==
          "Difficulty");

    const std::string unknown = "1a2b3c4d-0000-4000-8000-000000000000";
    const auto refused = http_post(f.port, "/data/projects",
                                   R"({"name":"Nowhere","project_template_id":")" + unknown + R"("})", f.admin);
    CHECK(refused.status == 404);
    CHECK(f.server.query("SELECT count(*) FROM project WHERE name = 'Nowhere'") == "0");
}

TEST_CASE("a new production copies the open productions' Project descriptors", "[api][pg][projects][templates]") {
    ProductionFixture f;
    REQUIRE(http_post(f.port, "/data/projects/" + f.project + "/metadata-descriptors",
                      R"({"name":"Budget Code","entity_type":"Project","data_type":"string"})", f.admin)
                .status == 201);
    REQUIRE(http_post(f.port, "/data/projects/" + f.project + "/metadata-descriptors",
                      R"({"name":"Difficulty","entity_type":"Asset"})", f.admin)
                .status == 201);
    const std::string created = f.server.create_project(f.admin, "Next");
    CHECK(count(f,
                "SELECT string_agg(field_name || ':' || entity_type, ',') FROM metadata_descriptor "
                "WHERE project_id = $1::uuid",
                created) == "budget_code:Project");
    CHECK(f.server.query("SELECT count(*) FROM api_event WHERE name = 'metadata-descriptor:new' "
                         "AND project_id = $1::uuid",
                         {created}) == "1");
}
