// tests/api/test_projects_schedule_versions.cpp: production schedule versions' task links,
// filled from the production or another version, and applied back to the tasks (answers
// checked against Zou 1.0.67).
#include <catch2/catch.hpp>

#include "api/projects_fixture.h"

using namespace slate::test;

namespace {

std::string version(ProductionFixture& f, const std::string& name, const std::string& project) {
    const auto created = http_post(f.port, "/data/production-schedule-versions",
                                   R"({"name":")" + name + R"(","project_id":")" + project + R"("})", f.admin);
    INFO(created.body);
    REQUIRE(created.status == 201);
    return created.json()->getValue<std::string>("id");
}

} // namespace

TEST_CASE("a schedule version copies the production's tasks, then another version, and applies them",
          "[api][pg][projects]") {
    ProductionFixture f;
    const std::string shot = f.server.create_shot(f.admin, f.project, "SH01");
    const std::string task = f.server.create_task(f.admin, f.project, shot);
    const std::string artist = f.person("user");
    f.join("user");
    REQUIRE(http_call(f.port, "PUT", "/data/tasks/" + task, f.admin,
                      R"({"assignees":[")" + artist + R"("],"start_date":"2024-03-01","estimation":3})")
                .status == 200);
    const std::string first = version(f, "V1", f.project);
    const std::string actions = "/actions/production-schedule-versions/";

    const auto copied = http_post(f.port, actions + first + "/set-task-links-from-production", "", f.admin);
    REQUIRE(copied.status == 200);
    CHECK(copied.body == R"({"success":true,"task_link_count":1})");
    const std::string links = "/data/production-schedule-versions/" + first + "/task-links";
    const auto link = json_array(http_get(f.port, links + "?relations=true", f.admin))->getObject(0);
    CHECK(link->getValue<std::string>("type") == "ProductionScheduleVersionTaskLink");
    CHECK(link->getValue<std::string>("start_date") == "2024-03-01T00:00:00");
    CHECK(link->getValue<double>("estimation") == 3.0);
    CHECK(link->getArray("assignees")->getElement<std::string>(0) == artist);
    CHECK_FALSE(json_array(http_get(f.port, links, f.admin))->getObject(0)->has("assignees"));
    CHECK(json_array(http_get(f.port, links + "?task_type_id=" + f.id_of("task_type", "Modeling"), f.admin))->size() ==
          0);

    // A second version takes the first one's links, then is applied to the tasks.
    f.server.query("UPDATE production_schedule_version_task_link SET due_date = '2024-04-01' RETURNING 1");
    const std::string second = version(f, "V2", f.project);
    const auto from_version = http_post(f.port, actions + second + "/set-task-links-from-production-schedule-version",
                                        R"({"production_schedule_version_id":")" + first + R"("})", f.admin);
    REQUIRE(from_version.status == 200);
    CHECK(from_version.body == R"({"success":true,"task_link_count":1})");
    CHECK(f.server.query("SELECT production_schedule_from::text FROM production_schedule_version WHERE id = $1::uuid",
                         {second}) == first);
    const auto applied = http_post(f.port, actions + second + "/apply-to-production", "", f.admin);
    REQUIRE(applied.status == 200);
    CHECK(applied.body == R"({"success":true,"task_count":1})");
    CHECK(f.server.query("SELECT due_date::date::text FROM task WHERE id = $1::uuid", {task}) == "2024-04-01");
    CHECK(f.server.query("SELECT locked::text FROM production_schedule_version WHERE id = $1::uuid", {second}) ==
          "true");
    CHECK(f.server.query("SELECT from_schedule_version_id::text FROM project WHERE id = $1::uuid", {f.project}) ==
          second);
    CHECK(f.events("task:update") >= 1);
    CHECK(f.events("production_schedule_version:update") == 2);
}

TEST_CASE("schedule versions refuse themselves, other productions and the wrong roles", "[api][pg][projects]") {
    ProductionFixture f;
    const std::string first = version(f, "V1", f.project);
    const std::string actions = "/actions/production-schedule-versions/";
    const std::string onto = actions + first + "/set-task-links-from-production-schedule-version";
    CHECK(message_of(http_post(f.port, onto, R"({"production_schedule_version_id":")" + first + R"("})", f.admin)) ==
          "A production schedule version cannot be copied onto itself.");
    const std::string other = version(f, "V1", f.server.create_project(f.admin, "Other"));
    const auto foreign = http_post(f.port, onto, R"({"production_schedule_version_id":")" + other + R"("})", f.admin);
    CHECK(foreign.status == 400);
    CHECK(foreign.body ==
          R"({"error":true,"message":"Production schedule versions must belong to the same project.","data":null})");
    CHECK(http_post(f.port, onto, "{}", f.admin).status == 400);
    CHECK(
        http_post(f.port, onto, R"({"production_schedule_version_id":"6d0c5ab4-0000-4000-8000-000000000000"})", f.admin)
            .status == 404);
    CHECK(
        http_get(f.port, "/data/production-schedule-versions/6d0c5ab4-0000-4000-8000-000000000000/task-links", f.admin)
            .status == 404);
    CHECK(http_post(f.port, actions + "nope/apply-to-production", "", f.admin).status == 404);

    f.join("user");
    f.join("client");
    const std::string links = "/data/production-schedule-versions/" + first + "/task-links";
    CHECK(http_get(f.port, links, f.token("user")).status == 200);
    CHECK(http_get(f.port, links, f.token("client")).status == 403);
    CHECK(http_get(f.port, links, f.token("vendor")).status == 403);
    CHECK(http_post(f.port, actions + first + "/apply-to-production", "", f.token("user")).status == 403);
    CHECK(message_of(http_get(f.port, links + "?task_type_id=bad", f.admin)) == "Wrong UUID format.");
}
