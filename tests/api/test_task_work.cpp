// tests/api/test_task_work.cpp: a task's full page, its assignations and its time spents per
// person and day, with Zou's rules on who may do what and its messages for bad input.
#include <catch2/catch.hpp>

#include "support/test_server.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

using namespace slate::test;

namespace {
const std::string unknown_id = "00000000-0000-0000-0000-000000000000";
}

namespace {

struct Production {
    TestServer server;
    int port = server.port();
    std::string admin = server.login();
    std::string artist_id = server.create_person("artist@example.com", "artist-password", "user");
    std::string artist = server.login("artist@example.com", "artist-password");
    std::string project = server.create_project(admin, "Film");
    std::string shot = server.create_shot(admin, project, "SH010");
    std::string task = server.create_task(admin, project, shot);

    Production() {
        server.query("UPDATE task SET task_status_id = (SELECT id FROM task_status WHERE name = 'Todo') RETURNING 1");
    }
};

} // namespace

TEST_CASE("assigning and unassigning tasks", "[api][pg][tasks]") {
    Production p;
    const std::string assign = "/actions/tasks/" + p.task + "/assign";
    // Artists outside the team may not assign; the body is checked first.
    CHECK(http_call(p.port, "PUT", assign, p.admin, "{}").status == 400);
    CHECK(http_call(p.port, "PUT", assign, p.artist, R"({"person_id":")" + p.artist_id + R"("})").status == 403);
    const auto missing = http_call(p.port, "PUT", assign, p.admin, R"({"person_id":")" + unknown_id + R"("})");
    CHECK(missing.status == 400);
    CHECK(missing.json()->getValue<std::string>("error") == "Assignee doesn't exist in database.");
    CHECK(http_call(p.port, "PUT", "/actions/tasks/" + unknown_id + "/assign", p.admin,
                    R"({"person_id":")" + p.artist_id + R"("})")
              .status == 404);

    const auto assigned = http_call(p.port, "PUT", assign, p.admin, R"({"person_id":")" + p.artist_id + R"("})");
    INFO(assigned.body);
    REQUIRE(assigned.status == 200);
    CHECK(assigned.json()->getArray("assignees")->getElement<std::string>(0) == p.artist_id);
    CHECK(assigned.json()->getValue<std::string>("assigner_id") == p.server.login_user_id());
    // The assignee joins the team and is notified; events tell the others.
    CHECK(p.server.query("SELECT count(*) FROM project_person_link WHERE person_id = $1::uuid", {p.artist_id}) == "1");
    CHECK(p.server.query("SELECT type FROM notification WHERE person_id = $1::uuid", {p.artist_id}) == "assignation");
    CHECK(p.server.query("SELECT count(*) FROM api_event WHERE name IN ('task:assign', 'task:update')") == "2");
    // Twice: still one assignment, still one team link.
    CHECK(http_call(p.port, "PUT", assign, p.admin, R"({"person_id":")" + p.artist_id + R"("})").status == 200);
    CHECK(p.server.query("SELECT count(*) FROM task_person_link") == "1");

    // The task page, now the artist is in the team.
    const auto full = http_get(p.port, "/data/tasks/" + p.task + "/full", p.artist);
    INFO(full.body);
    REQUIRE(full.status == 200);
    const auto page = full.json();
    CHECK(page->getObject("entity")->getValue<std::string>("name") == "SH010");
    CHECK(page->getObject("entity_type")->getValue<std::string>("name") == "Shot");
    CHECK(page->getObject("project")->getValue<std::string>("name") == "Film");
    CHECK(page->getObject("task_status")->getValue<std::string>("short_name") == "todo");
    CHECK(page->getArray("persons")->getObject(0)->getValue<std::string>("id") == p.artist_id);
    CHECK_FALSE(page->getArray("persons")->getObject(0)->has("password"));
    CHECK(page->getObject("assigner")->getValue<std::string>("id") == p.server.login_user_id());
    CHECK_FALSE(page->getValue<bool>("is_subscribed"));
    CHECK_FALSE(page->has("sequence")); // a shot without a sequence

    // Several tasks to one person: unknown ones are skipped.
    const auto many = http_call(p.port, "PUT", "/actions/persons/" + p.artist_id + "/assign", p.admin,
                                R"({"task_ids":[")" + p.task + R"(",")" + "not-a-task" + R"("]})");
    REQUIRE(many.status == 200);
    CHECK(Poco::JSON::Parser().parse(many.body).extract<Poco::JSON::Array::Ptr>()->size() == 1);
    CHECK(
        http_call(p.port, "PUT", "/actions/persons/" + p.artist_id + "/assign", p.admin, R"({"task_ids":[]})").status ==
        400);

    // An artist may leave their own task, not clear others'.
    const std::string clear = R"({"task_ids":[")" + p.task + R"("],"person_id":")" + p.artist_id + R"("})";
    const auto refused =
        http_call(p.port, "PUT", "/actions/tasks/clear-assignation", p.artist, R"({"task_ids":[")" + p.task + R"("]})");
    CHECK(refused.body == "[]");
    const auto cleared = http_call(p.port, "PUT", "/actions/tasks/clear-assignation", p.artist, clear);
    REQUIRE(cleared.status == 200);
    CHECK(cleared.body == "[\"" + p.task + "\"]");
    CHECK(p.server.query("SELECT count(*) FROM task_person_link") == "0");
    CHECK(p.server.query("SELECT count(*) FROM api_event WHERE name = 'task:unassign'") == "1");
}

TEST_CASE("time spents of a task per person and day", "[api][pg][tasks]") {
    Production p;
    const std::string base = "/actions/tasks/" + p.task + "/time-spents/2026-03-05/persons/" + p.artist_id;
    // Only for an assignee.
    CHECK(http_post(p.port, base, R"({"duration": 60})", p.admin).status == 403);
    p.server.query("INSERT INTO task_person_link (task_id, person_id) VALUES ($1::uuid, $2::uuid) RETURNING 1",
                   {p.task, p.artist_id});
    p.server.query("INSERT INTO project_person_link (project_id, person_id) VALUES ($1::uuid, $2::uuid) RETURNING 1",
                   {p.project, p.artist_id});

    // Bad durations and dates write nothing.
    for (const char* body : {R"({"duration": 0})", R"({"duration": -5})", R"({"duration": "lots"})", "{}"}) {
        const auto refused = http_post(p.port, base, body, p.artist);
        CHECK(refused.status == 400);
        CHECK(refused.json()->getValue<std::string>("message") == "Validation error.");
    }
    CHECK(http_post(p.port, "/actions/tasks/" + p.task + "/time-spents/05-03-2026/persons/" + p.artist_id,
                    R"({"duration": 60})", p.artist)
              .json()
              ->getValue<std::string>("message") == "Invalid date format.");
    CHECK(http_post(p.port, "/actions/tasks/" + p.task + "/time-spents/2026-02-30/persons/" + p.artist_id,
                    R"({"duration": 60})", p.artist)
              .status == 400);
    CHECK(p.server.query("SELECT count(*) FROM time_spent") == "0");

    // Set, add, and the task's duration follows.
    const auto set = http_post(p.port, base, R"({"duration": 60})", p.artist);
    INFO(set.body);
    REQUIRE(set.status == 201);
    CHECK(set.json()->getValue<double>("duration") == 60.0);
    CHECK(http_post(p.port, base + "/add", R"({"duration": 30.5})", p.artist).json()->getValue<double>("duration") ==
          90.5);
    CHECK(p.server.query("SELECT duration::text FROM task WHERE id = $1::uuid", {p.task}) == "90.5");
    CHECK(p.server.query("SELECT last_presence::text FROM person WHERE id = $1::uuid", {p.artist_id}) == "2026-03-05");

    const auto listed = http_get(p.port, "/actions/tasks/" + p.task + "/time-spents", p.artist).json();
    CHECK(listed->getValue<double>("total") == 90.5);
    CHECK(listed->getArray(p.artist_id)->size() == 1);
    CHECK(http_get(p.port, "/actions/tasks/" + p.task + "/time-spents/2026-03-06", p.artist).body == R"({"total":0})");
    CHECK(http_get(p.port, "/actions/tasks/" + p.task + "/time-spents/never", p.artist)
              .json()
              ->getValue<std::string>("message") == "Wrong date format.");

    // Removed: answered with a duration of 0; then there is nothing to remove.
    const auto removed = http_call(p.port, "DELETE", base, p.artist);
    REQUIRE(removed.status == 201);
    CHECK(removed.json()->getValue<double>("duration") == 0.0);
    CHECK(p.server.query("SELECT duration::text FROM task WHERE id = $1::uuid", {p.task}) == "0");
    CHECK(http_call(p.port, "DELETE", base, p.artist).status == 404);
    CHECK(p.server.query("SELECT count(*) FROM api_event WHERE name LIKE 'time-spent:%'") == "3");
}

TEST_CASE("a production's subscriptions and notifications for admins", "[api][pg][tasks]") {
    Production p;
    CHECK(http_post(p.port, "/actions/user/tasks/" + p.task + "/subscribe", "", p.admin).status == 201);
    p.server.query("INSERT INTO task_person_link (task_id, person_id) VALUES ($1::uuid, $2::uuid) RETURNING 1",
                   {p.task, p.artist_id});
    REQUIRE(http_call(p.port, "PUT", "/actions/tasks/" + p.task + "/assign", p.admin,
                      R"({"person_id":")" + p.artist_id + R"("})")
                .status == 200);
    const std::string base = "/data/projects/" + p.project;
    const auto subscriptions = http_get(p.port, base + "/subscriptions", p.admin);
    REQUIRE(subscriptions.status == 200);
    CHECK(Poco::JSON::Parser().parse(subscriptions.body).extract<Poco::JSON::Array::Ptr>()->size() == 1);
    const auto all = http_get(p.port, base + "/notifications", p.admin);
    REQUIRE(all.status == 200);
    CHECK(Poco::JSON::Parser().parse(all.body).extract<Poco::JSON::Array::Ptr>()->size() == 1);
    const auto page = http_get(p.port, base + "/notifications?page=1", p.admin).json();
    CHECK(page->getValue<int>("total") == 1);
    CHECK(page->getValue<int>("nb_pages") == 1);
    CHECK(http_get(p.port, base + "/notifications?page=x", p.admin).json()->getValue<std::string>("message") ==
          "page must be an integer.");
    CHECK(http_get(p.port, base + "/notifications", p.artist).status == 403);
    CHECK(http_get(p.port, "/data/projects/" + unknown_id + "/subscriptions", p.admin).status == 404);
}

TEST_CASE("a task's comments as each role reads them", "[api][pg][tasks]") {
    Production p;
    const std::string client_id = p.server.create_person("client@example.com", "client-password", "client");
    const std::string client = p.server.login("client@example.com", "client-password");
    for (const auto& member : {p.artist_id, client_id})
        p.server.query("INSERT INTO project_person_link (project_id, person_id) VALUES ($1::uuid, $2::uuid) "
                       "RETURNING 1",
                       {p.project, member});
    const std::string todo = p.server.query("SELECT id FROM task_status WHERE name = 'Todo'");
    const std::string url = "/actions/tasks/" + p.task + "/comment";
    REQUIRE(
        http_post(p.port, url, R"({"task_status_id":")" + todo + R"(","comment":"From the studio"})", p.admin).status ==
        201);
    REQUIRE(
        http_post(p.port, url, R"({"task_status_id":")" + todo + R"(","comment":"From the client"})", client).status ==
        201);
    const std::string comments = "/data/tasks/" + p.task + "/comments";

    const auto all = http_get(p.port, comments, p.admin);
    INFO(all.body);
    REQUIRE(all.status == 200);
    const auto listed = Poco::JSON::Parser().parse(all.body).extract<Poco::JSON::Array::Ptr>();
    REQUIRE(listed->size() == 2);
    const auto newest = listed->getObject(0);
    CHECK(newest->getValue<std::string>("text") == "From the client"); // newest first
    CHECK(newest->getObject("person")->getValue<std::string>("role") == "client");
    CHECK(newest->getObject("task_status")->getValue<std::string>("short_name") == "todo");
    CHECK(newest->getArray("previews")->size() == 0);
    CHECK(newest->getValue<std::string>("type") == "Comment");

    // Artists never read clients' comments; clients read clients' and what is published to them.
    const auto artist_view =
        Poco::JSON::Parser().parse(http_get(p.port, comments, p.artist).body).extract<Poco::JSON::Array::Ptr>();
    REQUIRE(artist_view->size() == 1);
    CHECK(artist_view->getObject(0)->getValue<std::string>("text") == "From the studio");
    const auto client_view =
        Poco::JSON::Parser().parse(http_get(p.port, comments, client).body).extract<Poco::JSON::Array::Ptr>();
    REQUIRE(client_view->size() == 1);
    CHECK(client_view->getObject(0)->getValue<std::string>("text") == "From the client");

    // One comment: an artist may not read a client's.
    const std::string client_comment = newest->getValue<std::string>("id");
    const auto single = http_get(p.port, comments + "/" + client_comment, p.admin);
    REQUIRE(single.status == 200);
    CHECK(single.json()->getValue<std::string>("type") == "Comment");
    CHECK(http_get(p.port, comments + "/" + client_comment, p.artist).status == 403);
    CHECK(http_get(p.port, comments + "/" + artist_view->getObject(0)->getValue<std::string>("id"), p.artist).status ==
          200);
    const std::string other_task =
        p.server.create_task(p.admin, p.project, p.server.create_shot(p.admin, p.project, "SH020"));
    CHECK(http_get(p.port, "/data/tasks/" + other_task + "/comments/" + client_comment, p.admin).status == 404);

    // Outside the team: refused.
    p.server.create_person("stranger@example.com", "stranger-password", "user");
    CHECK(http_get(p.port, comments, p.server.login("stranger@example.com", "stranger-password")).status == 403);
    CHECK(http_get(p.port, "/data/tasks/" + unknown_id + "/comments", p.admin).status == 404);
}

TEST_CASE("a production's tasks comments and previews as lists and pages", "[api][pg][tasks]") {
    Production p;
    const std::string base = "/data/projects/" + p.project;
    const auto tasks = http_get(p.port, base + "/tasks", p.admin);
    INFO(tasks.body);
    REQUIRE(tasks.status == 200);
    const auto listed = Poco::JSON::Parser().parse(tasks.body).extract<Poco::JSON::Array::Ptr>();
    REQUIRE(listed->size() == 1);
    CHECK(listed->getObject(0)->has("assignees"));
    const auto page = http_get(p.port, base + "/tasks?page=1", p.admin).json();
    CHECK(page->getValue<int>("total") == 1);
    CHECK(page->getValue<int>("limit") == 100);
    CHECK(http_get(p.port, base + "/tasks?page=2", p.admin).json()->getArray("data")->size() == 0);
    CHECK(http_get(p.port, base + "/tasks?task_type_id=nope", p.admin).status == 400);
    CHECK(http_get(p.port, base + "/tasks", p.artist).status == 403); // not in the team

    const std::string todo = p.server.query("SELECT id FROM task_status WHERE name = 'Todo'");
    REQUIRE(http_post(p.port, "/actions/tasks/" + p.task + "/comment",
                      R"({"task_status_id":")" + todo + R"(","comment":"Hello"})", p.admin)
                .status == 201);
    REQUIRE(http_post(p.port, "/actions/tasks/" + p.task + "/comment",
                      R"({"task_status_id":")" + todo + R"(","comment":"Second"})", p.admin)
                .status == 201);
    // The whole list in Zou's order too: last changed first.
    const std::string first_comment =
        p.server.query("SELECT id FROM comment WHERE text = 'Hello' AND object_id = $1::uuid", {p.task});
    p.server.query("UPDATE comment SET updated_at = now() + interval '1 hour' WHERE id = $1::uuid RETURNING 1",
                   {first_comment});
    const auto whole = Poco::JSON::Parser().parse(http_get(p.port, base + "/comments", p.admin).body)
                           .extract<Poco::JSON::Array::Ptr>();
    REQUIRE(whole->size() == 2);
    CHECK(whole->getObject(0)->getValue<std::string>("id") == first_comment);
    const auto comments = http_get(p.port, base + "/comments?page=1&limit=1", p.admin).json();
    CHECK(comments->getValue<int>("total") == 2);
    CHECK(comments->getArray("data")->getObject(0)->getValue<std::string>("id") == first_comment);
    CHECK(comments->getValue<int>("limit") == 1);
    CHECK(comments->getArray("data")->getObject(0)->has("mentions"));
    const std::string client_id = p.server.create_person("client@example.com", "client-password", "client");
    p.server.query("INSERT INTO project_person_link (project_id, person_id) VALUES ($1::uuid, $2::uuid) RETURNING 1",
                   {p.project, client_id});
    CHECK(http_get(p.port, base + "/comments", p.server.login("client@example.com", "client-password")).status == 403);

    CHECK(http_get(p.port, base + "/preview-files", p.admin).body == "[]");
    CHECK(http_get(p.port, base + "/preview-files", p.artist).status == 403);
    CHECK(http_get(p.port, "/data/tasks/" + p.task + "/previews", p.admin).body == "[]");
    const std::string type = p.server.query("SELECT task_type_id FROM task WHERE id = $1::uuid", {p.task});
    const auto of_entity = http_get(p.port, "/data/entities/" + p.shot + "/task-types/" + type + "/tasks", p.admin);
    REQUIRE(of_entity.status == 200);
    CHECK(Poco::JSON::Parser().parse(of_entity.body).extract<Poco::JSON::Array::Ptr>()->size() == 1);
}

TEST_CASE("the open productions' task figures", "[api][pg][tasks]") {
    Production p;
    p.server.query("UPDATE task SET duration = 30, estimation = 60 RETURNING 1");
    const auto stats = http_get(p.port, "/data/tasks/open-tasks/stats", p.admin);
    INFO(stats.body);
    REQUIRE(stats.status == 200);
    const auto project = stats.json()->getObject(p.project);
    REQUIRE(project);
    CHECK(project->getValue<int>("amount") == 1);
    CHECK(project->getValue<int>("amount_done") == 0);
    CHECK(project->getValue<double>("total_estimation") == 60.0);
    CHECK(project->getArray("task_types")->getObject(0)->getValue<std::string>("task_type_id") ==
          p.server.query("SELECT task_type_id FROM task"));
    CHECK(http_get(p.port, "/data/tasks/open-tasks/stats", p.artist).body == "{}"); // not in the team
}

TEST_CASE("the open productions' tasks with their figures", "[api][pg][tasks]") {
    Production p;
    p.server.query("UPDATE task SET duration = 30, estimation = 60 RETURNING 1");
    const auto open = http_get(p.port, "/data/tasks/open-tasks", p.admin);
    INFO(open.body);
    REQUIRE(open.status == 200);
    const auto body = open.json();
    REQUIRE(body->getArray("data")->size() == 1);
    const auto task = body->getArray("data")->getObject(0);
    CHECK(task->getValue<std::string>("status_short_name") == "todo");
    CHECK(task->getValue<std::string>("type_name") == "Animation");
    CHECK(task->getValue<std::string>("entity_name") == "SH010");
    CHECK_FALSE(task->has("last_comment"));
    CHECK(body->getObject("stats")->getValue<int>("total") == 1);
    CHECK(body->getObject("stats")->getValue<double>("total_estimation") == 60.0);
    CHECK(body->getValue<int>("limit") == 100);
    CHECK_FALSE(body->getValue<bool>("is_more"));
    CHECK(body->getValue<int>("page") == 1);
    // Filters: nobody assigned, somebody assigned, another production refused.
    CHECK(http_get(p.port, "/data/tasks/open-tasks?person_id=unassigned", p.admin).json()->getArray("data")->size() ==
          1);
    CHECK(
        http_get(p.port, "/data/tasks/open-tasks?person_id=" + p.artist_id, p.admin).json()->getArray("data")->size() ==
        0);
    CHECK(http_get(p.port, "/data/tasks/open-tasks?project_id=" + p.project, p.artist).status == 403);
    CHECK(http_get(p.port, "/data/tasks/open-tasks", p.artist).json()->getArray("data")->size() == 0);
    CHECK(http_get(p.port, "/data/tasks/open-tasks?task_type_id=nope", p.admin).status == 400);
    CHECK(http_get(p.port, "/data/tasks/open-tasks?start_date=someday", p.admin).status == 400);
}

TEST_CASE("the persons' task dates for schedules", "[api][pg][tasks]") {
    Production p;
    p.server.query("UPDATE task SET start_date = '2026-03-02', due_date = '2026-03-20' RETURNING 1");
    p.server.query("INSERT INTO task_person_link (task_id, person_id) VALUES ($1::uuid, $2::uuid) RETURNING 1",
                   {p.task, p.artist_id});
    const auto dates = http_get(p.port, "/data/persons/task-dates", p.admin);
    INFO(dates.body);
    REQUIRE(dates.status == 200);
    const auto list = Poco::JSON::Parser().parse(dates.body).extract<Poco::JSON::Array::Ptr>();
    REQUIRE(list->size() == 1);
    CHECK(list->getObject(0)->getValue<std::string>("min_date") == "2026-03-02 00:00:00");
    CHECK(list->getObject(0)->getValue<std::string>("max_date") == "2026-03-20 00:00:00");
    CHECK(http_get(p.port, "/data/persons/task-dates", p.artist).status == 403);
    CHECK(http_get(p.port, "/data/persons/task-dates?project_id=nope", p.admin)
              .json()
              ->getValue<std::string>("message") == "Invalid project_id.");
    // A supervisor outside the production sees it only as busy periods.
    p.server.create_person("supervisor@example.com", "supervisor-password", "supervisor");
    const std::string supervisor = p.server.login("supervisor@example.com", "supervisor-password");
    const auto busy = Poco::JSON::Parser()
                          .parse(http_get(p.port, "/data/persons/task-dates", supervisor).body)
                          .extract<Poco::JSON::Array::Ptr>();
    REQUIRE(busy->size() == 1);
    CHECK(busy->getObject(0)->isNull("min_date"));
    CHECK(busy->getObject(0)->getArray("busy_periods")->getObject(0)->getValue<std::string>("start_date") ==
          "2026-03-02 00:00:00");
    CHECK(http_get(p.port, "/data/persons/task-dates?project_id=" + p.project, supervisor).status == 403);
}

TEST_CASE("setting the priority of tasks", "[api][pg][tasks]") {
    Production p;
    const std::string body = R"({"task_ids":[")" + p.task + R"(","not-a-task"],"priority":2})";
    const auto set = http_call(p.port, "PUT", "/actions/tasks/set-priority", p.admin, body);
    INFO(set.body);
    REQUIRE(set.status == 200);
    const auto tasks = Poco::JSON::Parser().parse(set.body).extract<Poco::JSON::Array::Ptr>();
    REQUIRE(tasks->size() == 1);
    CHECK(tasks->getObject(0)->getValue<int>("priority") == 2);
    CHECK(p.server.query("SELECT count(*) FROM api_event WHERE name = 'task:update'") == "1");
    // An artist's change is skipped; bad priorities are refused.
    CHECK(http_call(p.port, "PUT", "/actions/tasks/set-priority", p.artist, body).body == "[]");
    CHECK(http_call(p.port, "PUT", "/actions/tasks/set-priority", p.admin,
                    R"({"task_ids":[")" + p.task + R"("],"priority":-1})")
              .status == 400);
    CHECK(http_call(p.port, "PUT", "/actions/tasks/set-priority", p.admin, R"({"task_ids":[")" + p.task + R"("]})")
              .status == 400);
    CHECK(p.server.query("SELECT priority::text FROM task") == "2");
}
