// tests/api/test_projects_schedule.cpp: a production's schedule items (made on first read),
// milestones, and the time spent and days off its pages read (answers checked against Zou
// 1.0.67).
#include <catch2/catch.hpp>

#include "api/projects_fixture.h"

using namespace slate::test;

namespace {

struct ScheduledProduction : ProductionFixture {
    std::string e01, e02, sq01, hero, modeling_task;

    std::string entity(const std::string& type, const std::string& name, const std::string& extra = "") {
        const auto created = http_post(port, "/data/entities",
                                       R"({"name":")" + name + R"(","project_id":")" + project +
                                           R"(","entity_type_id":")" + id_of("entity_type", type) + "\"" + extra + "}",
                                       admin);
        REQUIRE(created.status == 201);
        return created.json()->getValue<std::string>("id");
    }
    std::string task(const std::string& entity_id, const std::string& task_type) {
        const auto created =
            http_post(port, "/data/tasks",
                      R"({"project_id":")" + project + R"(","entity_id":")" + entity_id + R"(","task_type_id":")" +
                          id_of("task_type", task_type) + R"(","task_status_id":")" +
                          server.query("SELECT id FROM task_status "
                                       "WHERE short_name = 'todo'") +
                          R"(","name":"main"})",
                      admin);
        REQUIRE(created.status == 201);
        return created.json()->getValue<std::string>("id");
    }
    ScheduledProduction() {
        e02 = entity("Episode", "E02");
        e01 = entity("Episode", "E01");
        sq01 = entity("Sequence", "SQ01", R"(,"parent_id":")" + e01 + "\"");
        entity("Sequence", "SQ02", R"(,"parent_id":")" + e02 + "\"");
        const std::string shot = entity("Shot", "SH01", R"(,"parent_id":")" + sq01 + "\"");
        entity("Edit", "Edit A", R"(,"parent_id":")" + e01 + "\"");
        entity("Edit", "Edit B", R"(,"parent_id":")" + e02 + R"(","canceled":true)");
        hero = entity("Character", "Hero", R"(,"source_id":")" + e01 + "\"");
        entity("Prop", "Cup", R"(,"source_id":")" + e02 + "\"");
        modeling_task = task(hero, "Modeling");
        task(shot, "Animation");
    }
};

std::vector<std::string> field_of(const Poco::JSON::Array::Ptr& rows, const std::string& field) {
    std::vector<std::string> values;
    for (unsigned i = 0; i < rows->size(); ++i)
        values.push_back(rows->getObject(i)->getValue<std::string>(field));
    return values;
}

} // namespace

TEST_CASE("schedule items are made on first read, one per task type and object", "[api][pg][projects]") {
    ScheduledProduction f;
    const std::string items = "/data/projects/" + f.project + "/schedule-items";
    const std::string modeling = f.id_of("task_type", "Modeling");
    const std::string animation = f.id_of("task_type", "Animation");

    const auto task_types = json_array(http_get(f.port, items + "/task-types", f.admin));
    REQUIRE(task_types->size() == 2);
    const auto item = task_types->getObject(0);
    CHECK(item->size() == 7); // present(): no type, no dates of the row
    CHECK(item->isNull("object_id"));
    CHECK(item->getValue<std::string>("project_id") == f.project);
    CHECK(json_array(http_get(f.port, items + "/task-types", f.admin))->size() == 2); // not made twice
    CHECK(f.events("schedule-item:new") == 2);

    CHECK(field_of(json_array(http_get(f.port, items + "/" + modeling + "/asset-types", f.admin)), "name") ==
          std::vector<std::string>{"Character", "Prop"});
    CHECK(field_of(json_array(http_get(f.port, items + "/" + modeling + "/asset-types?episode_id=" + f.e01, f.admin)),
                   "name") == std::vector<std::string>{"Character"});
    CHECK(field_of(json_array(http_get(f.port, items + "/" + modeling + "/episodes", f.admin)), "name") ==
          std::vector<std::string>{"E01", "E02"});
    CHECK(field_of(json_array(http_get(f.port, items + "/" + modeling + "/episodes?episode_id=" + f.e02, f.admin)),
                   "object_id") == std::vector<std::string>{f.e02});
    CHECK(field_of(json_array(http_get(f.port, items + "/" + animation + "/sequences?episode_id=" + f.e01, f.admin)),
                   "object_id") == std::vector<std::string>{f.sq01});
    CHECK(field_of(json_array(http_get(f.port, items + "/" + animation + "/edits", f.admin)), "name") ==
          std::vector<std::string>{"Edit A"}); // canceled edits are not scheduled
    const auto all = json_array(http_get(f.port, items, f.admin));
    CHECK(all->size() == 2 + 2 + 2 + 1 + 1); // task types, asset types, episodes, SQ01 (asked by episode), edit
    CHECK(all->getObject(0)->getValue<std::string>("type") == "ScheduleItem");

    CHECK(message_of(http_get(f.port, items + "/bad/edits", f.admin)) == "Wrong UUID format.");
    CHECK(message_of(http_get(f.port, items + "/" + animation + "/edits?episode_id=bad", f.admin)) ==
          "Wrong UUID format.");
    CHECK(http_get(f.port, items + "/6d0c5ab4-0000-4000-8000-000000000000/edits", f.admin).status == 404);
    f.join("vendor");
    f.join("user");
    CHECK(http_get(f.port, items, f.token("vendor")).status == 403);
    CHECK(http_get(f.port, items + "/" + animation + "/edits", f.token("user")).status == 200);
    CHECK(http_get(f.port, items, f.token("client")).status == 403); // not on the team
}

TEST_CASE("milestones and the time spent on a production", "[api][pg][projects]") {
    ScheduledProduction f;
    const std::string modeling = f.id_of("task_type", "Modeling");
    REQUIRE(http_post(f.port, "/data/milestones",
                      R"({"project_id":")" + f.project + R"(","name":"Delivery","date":"2024-06-12","task_type_id":")" +
                          modeling + R"("})",
                      f.admin)
                .status == 201);
    const auto milestones = json_array(http_get(f.port, "/data/projects/" + f.project + "/milestones", f.admin));
    REQUIRE(milestones->size() == 1);
    CHECK(milestones->getObject(0)->size() == 5);
    CHECK(milestones->getObject(0)->getValue<std::string>("date") == "2024-06-12");

    const std::string artist = f.person("user");
    f.join("user");
    REQUIRE(
        http_call(f.port, "PUT", "/data/tasks/" + f.modeling_task, f.admin, R"({"assignees":[")" + artist + R"("]})")
            .status == 200);
    for (const std::string body : {R"("date":"2024-06-12","duration":120)", R"("date":"2024-07-01","duration":60.5)"})
        REQUIRE(http_post(f.port, "/data/time-spents",
                          R"({"task_id":")" + f.modeling_task + R"(","person_id":")" + artist + "\"," + body + "}",
                          f.admin)
                    .status == 201);
    const auto spent = json_array(http_get(f.port, "/data/projects/" + f.project + "/time-spents", f.admin));
    REQUIRE(spent->size() == 2);
    CHECK(spent->getObject(0)->getValue<std::string>("type") == "TimeSpent");

    const std::string by_type = "/data/projects/" + f.project + "/task-types/" + modeling + "/time-spents";
    const auto grouped = http_get(f.port, by_type, f.admin).json();
    REQUIRE(grouped->getArray(artist)->size() == 2);
    CHECK(grouped->getArray(artist)->getObject(0)->getValue<std::string>("date") == "2024-07-01"); // newest first
    CHECK(http_get(f.port, by_type + "?start_date=2024-06-30", f.admin).json()->getArray(artist)->size() == 1);
    CHECK(http_get(f.port, by_type + "?start_date=2024-08-01", f.admin).body == "{}");
    const auto bad_date = http_get(f.port, by_type + "?start_date=nope&end_date=2024-01-01", f.admin);
    CHECK(bad_date.status == 400);
    CHECK(bad_date.body == R"({"error":true,"message":"Wrong date format for nope and/or 2024-01-01","data":null})");
    CHECK(http_get(f.port, by_type, f.token("user")).status == 403); // managers only

    // Per department (of the task type), person and month, in the caller's time zone.
    REQUIRE(http_call(f.port, "PUT", "/data/task-types/" + modeling, f.admin,
                      R"({"department_id":")" + f.id_of("department", "Modeling") + R"("})")
                .status == 200);
    const std::string months = "/data/projects/" + f.project + "/budgets/time-spents";
    const auto department = http_get(f.port, months, f.admin).json()->getObject(f.id_of("department", "Modeling"));
    REQUIRE(department);
    CHECK(department->getValue<double>("total") == 180.5);
    CHECK(department->getObject(artist)->getValue<double>("2024-06") == 120.0);
    CHECK(department->getObject(artist)->getValue<double>("2024-07") == 60.5);
    f.server.query("UPDATE person SET timezone = 'America/New_York' WHERE email = 'admin@example.com' RETURNING 1");
    const auto west = http_get(f.port, months, f.admin).json()->getObject(f.id_of("department", "Modeling"));
    CHECK(west->getObject(artist)->getValue<double>("2024-06") == 180.5); // 1 July at 0:00 UTC is 30 June there
    CHECK(http_get(f.port, months, f.token("manager")).status == 403);
    CHECK(message_of(http_get(f.port, "/data/projects/bad/budgets/time-spents", f.admin)) == "Wrong UUID format.");
}

TEST_CASE("a production's days off show their descriptions to managers and owners", "[api][pg][projects]") {
    ProductionFixture f;
    f.join("user");
    f.join("manager", "manager");
    f.join("client");
    const std::string artist = f.person("user"), manager = f.person("manager");
    REQUIRE(http_post(f.port, "/data/day-offs",
                      R"({"person_id":")" + artist +
                          R"(","date":"2024-06-10","end_date":"2024-06-12","description":"Holidays"})",
                      f.admin)
                .status == 201);
    REQUIRE(http_post(f.port, "/data/day-offs",
                      R"({"person_id":")" + manager +
                          R"(","date":"2024-06-20","end_date":"2024-06-21","description":"Rest"})",
                      f.admin)
                .status == 201);
    const std::string path = "/data/projects/" + f.project + "/day-offs";
    const auto all = http_get(f.port, path, f.admin).json();
    CHECK(all->getArray(artist)->getObject(0)->getValue<std::string>("description") == "Holidays");
    CHECK(all->getArray(manager)->getObject(0)->getValue<std::string>("type") == "DayOff");
    CHECK(http_get(f.port, path + "?start_date=2024-06-15", f.admin).json()->size() == 1);
    const auto seen_by_artist = http_get(f.port, path, f.token("user")).json();
    CHECK(seen_by_artist->getArray(artist)->getObject(0)->has("description"));
    CHECK_FALSE(seen_by_artist->getArray(manager)->getObject(0)->has("description"));
    CHECK(http_get(f.port, path, f.token("manager")).json()->getArray(artist)->getObject(0)->has("description"));
    CHECK(http_get(f.port, path, f.token("client")).status == 403);
    CHECK(message_of(http_get(f.port, path + "?start_date=x", f.admin)) == "Wrong date format for x and/or None");
}
