// tests/api/test_crud_rules.cpp: bad input and role rules of the generic CRUD resource.
#include <catch2/catch.hpp>

#include "support/test_server.h"

#include "engine/db/pool.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <map>

using namespace slate::test;

namespace {

std::string message_of(const HttpResponse& response) {
    return response.json()->getValue<std::string>("message");
}

} // namespace

TEST_CASE("bad ids, bodies and filters get 400s with Zou's messages", "[api][pg]") {
    TestServer server;
    const std::string token = server.login();
    const int port = server.port();

    const auto malformed = http_call(port, "GET", "/data/projects/not-a-uuid", token);
    CHECK(malformed.status == 400);
    CHECK(malformed.body == R"({"error":true,"message":"Malformed ID.","data":null})");
    CHECK(http_call(port, "GET", "/data/projects/00000000-0000-4000-8000-000000000000", token).status == 404);

    const auto empty = http_call(port, "POST", "/data/departments", token, "");
    CHECK(empty.status == 400);
    CHECK(message_of(empty).rfind("Data are empty.", 0) == 0);

    const auto unknown =
        http_call(port, "POST", "/data/departments", token, R"({"name":"Paint","color":"#fff","flavour":"x"})");
    CHECK(unknown.status == 400);
    CHECK(unknown.body == R"({"message":"'flavour' is an invalid keyword argument for Department"})");

    const auto missing = http_call(port, "POST", "/data/departments", token, R"({"name":"Paint"})");
    CHECK(missing.status == 400);
    CHECK(missing.body == R"({"message":"A required field is missing."})");

    const auto wrong_type = http_call(port, "POST", "/data/task-types", token, R"({"name":"X","priority":"high"})");
    CHECK(wrong_type.status == 400);
    CHECK(message_of(wrong_type) == "One of the provided values has an invalid format.");

    const auto bad_fk = http_call(port, "POST", "/data/task-types", token,
                                  R"({"name":"X","department_id":"00000000-0000-4000-8000-000000000000"})");
    CHECK(bad_fk.status == 400);
    CHECK(message_of(bad_fk) == "The change conflicts with records referencing this one.");

    const auto duplicate =
        http_call(port, "POST", "/data/departments", token, R"({"name":"Animation","color":"#000"})");
    CHECK(duplicate.status == 400);
    CHECK(message_of(duplicate) == "A record with the same unique values already exists.");

    const auto bad_choice =
        http_call(port, "POST", "/data/persons", token, R"({"first_name":"A","last_name":"B","role":"emperor"})");
    CHECK(bad_choice.status == 400);
    CHECK(bad_choice.body == R"({"error":true,"message":"Invalid role","data":null})");
    CHECK(message_of(http_call(port, "POST", "/data/persons", token,
                               R"({"first_name":"A","last_name":"B","email":"no-at-sign"})"))
              .rfind("The email address is not valid.", 0) == 0);
    CHECK(message_of(http_call(port, "POST", "/data/persons", token,
                               R"({"first_name":"A","last_name":"B","expiration_date":"2001-01-01"})")) ==
          "Expiration date can't be in the past.");

    CHECK(message_of(http_call(port, "GET", "/data/persons?password=x", token)) ==
          "Filtering on password is not allowed.");
    CHECK(message_of(http_call(port, "GET", "/data/projects?project_status_id=nope", token)) ==
          "Invalid UUID value: nope");
    CHECK(message_of(http_call(port, "GET", "/data/task-status?is_done=maybe", token)) ==
          "Invalid boolean value: maybe");
    CHECK(message_of(http_call(port, "GET", "/data/task-status?page=one", token)) == "page must be an integer.");
    CHECK(message_of(http_call(port, "GET", "/data/task-status?id=[oops", token)) ==
          "Malformed list filter for field id.");
    CHECK(http_call(port, "GET", "/data/task-status?no_such_column=1", token).status == 200);

    const auto bad_date = http_call(
        port, "PUT",
        "/data/projects/" +
            http_call(port, "POST", "/data/projects", token, R"({"name":"P"})").json()->getValue<std::string>("id"),
        token, R"({"start_date":"next monday"})");
    CHECK(bad_date.status == 400);
    CHECK(message_of(bad_date) ==
          "Invalid date format for 'start_date': 'next monday'. Expected an ISO 8601 date or datetime.");
}

TEST_CASE("lists filter by name case-insensitively, by id lists and paginate", "[api][pg]") {
    TestServer server;
    const std::string token = server.login();
    const int port = server.port();
    const auto by_name = http_call(port, "GET", "/data/task-status?name=todo", token);
    REQUIRE(by_name.status == 200);
    Poco::JSON::Parser parser;
    const auto rows = parser.parse(by_name.body).extract<Poco::JSON::Array::Ptr>();
    REQUIRE(rows->size() == 1);
    CHECK(rows->getObject(0)->getValue<std::string>("name") == "Todo");

    const auto page = http_call(port, "GET", "/data/task-status?page=2&limit=4", token).json();
    CHECK(page->getValue<int>("total") == 9);
    CHECK(page->getValue<int>("nb_pages") == 3);
    CHECK(page->getValue<int>("offset") == 4);
    CHECK(page->getArray("data")->size() == 4);
    CHECK(http_call(port, "GET", "/data/task-status?page=9", token).json()->getArray("data")->size() == 0);

    const auto fields = http_call(port, "GET", "/data/departments?fields=name", token);
    const auto first = parser.parse(fields.body).extract<Poco::JSON::Array::Ptr>()->getObject(0);
    CHECK(first->size() == 3); // name, id, type
}

TEST_CASE("relations are written as id lists and read back", "[api][pg]") {
    TestServer server;
    const std::string token = server.login();
    const int port = server.port();
    auto connection = server.pool().acquire();
    const std::string department(connection->exec("SELECT id FROM department LIMIT 1").get(0, 0));
    const auto created =
        http_call(port, "POST", "/data/persons", token,
                  R"({"first_name":"Ann","last_name":"Lee","email":"ann@example.com","departments":[")" + department +
                      R"(","00000000-0000-4000-8000-000000000000"]})");
    REQUIRE(created.status == 201);
    const auto departments = created.json()->getArray("departments");
    REQUIRE(departments->size() == 1);
    CHECK(departments->getElement<std::string>(0) == department);
    const std::string id = created.json()->getValue<std::string>("id");
    const auto filtered = http_call(port, "GET", "/data/persons?departments=" + department, token);
    CHECK(filtered.body.find(id) != std::string::npos);
    // PersonResource.post_update adds the departments to the answer of a PUT.
    const auto renamed = http_call(port, "PUT", "/data/persons/" + id, token, R"({"last_name":"Li"})").json();
    REQUIRE(renamed->getArray("departments"));
    CHECK(renamed->getArray("departments")->getElement<std::string>(0) == department);
}

TEST_CASE("roles decide who may list, read, create and delete", "[api][pg]") {
    TestServer server;
    const std::string admin = server.login();
    const int port = server.port();
    server.create_person("artist@example.com", "artistpassword", "user");
    const std::string artist = server.login("artist@example.com", "artistpassword");

    CHECK(http_call(port, "POST", "/data/projects", artist, R"({"name":"Mine"})").status == 403);
    CHECK(http_call(port, "GET", "/data/events", artist).status == 403);
    CHECK(http_call(port, "GET", "/data/task-types", artist).status == 200);

    // Artists see persons in the minimal shape: no e-mail, no phone.
    const auto persons = http_call(port, "GET", "/data/persons", artist);
    REQUIRE(persons.status == 200);
    CHECK(persons.body.find("@example.com") == std::string::npos);
    CHECK(persons.body.find("\"full_name\"") != std::string::npos);
    CHECK(message_of(http_call(port, "GET", "/data/persons?phone=0102", artist)) ==
          "Filtering on phone is not allowed.");
    // The e-mail lookup stays open to everyone (gazu.person.get_person_by_email).
    CHECK(http_call(port, "GET", "/data/persons?email=admin@example.com", artist).body.find("\"Super\"") !=
          std::string::npos);

    // Projects: only the open ones whose team holds the artist.
    const std::string visible =
        http_call(port, "POST", "/data/projects", admin, R"({"name":"Visible"})").json()->getValue<std::string>("id");
    const std::string hidden =
        http_call(port, "POST", "/data/projects", admin, R"({"name":"Hidden"})").json()->getValue<std::string>("id");
    {
        auto connection = server.pool().acquire();
        connection->exec("INSERT INTO project_person_link (project_id, person_id) "
                         "SELECT $1::uuid, id FROM person WHERE email = 'artist@example.com'",
                         {visible});
    }
    const auto projects = http_call(port, "GET", "/data/projects", artist);
    CHECK(projects.body.find(visible) != std::string::npos);
    CHECK(projects.body.find(hidden) == std::string::npos);
    CHECK(http_call(port, "GET", "/data/projects/" + visible, artist).status == 200);
    CHECK(http_call(port, "GET", "/data/projects/" + hidden, artist).status == 403);

    // An open project cannot be deleted; nobody deletes themself.
    const auto open_delete = http_call(port, "DELETE", "/data/projects/" + visible, admin);
    CHECK(open_delete.status == 400);
    CHECK(message_of(open_delete) == "Only closed projects can be deleted");
    const std::string admin_id = server.login_user_id();
    CHECK(http_call(port, "DELETE", "/data/persons/" + admin_id, admin).status == 403);
}

TEST_CASE("a task's type must fit its entity, and a task exists once", "[api][pg]") {
    TestServer server;
    const std::string token = server.login();
    const int port = server.port();
    auto connection = server.pool().acquire();
    const std::string project =
        http_call(port, "POST", "/data/projects", token, R"({"name":"T"})").json()->getValue<std::string>("id");
    const std::string shot_type(connection->exec("SELECT id FROM entity_type WHERE name = 'Shot'").get(0, 0));
    const std::string shot =
        http_call(port, "POST", "/data/entities", token,
                  R"({"name":"SH010","project_id":")" + project + R"(","entity_type_id":")" + shot_type + R"("})")
            .json()
            ->getValue<std::string>("id");
    const std::string modeling(connection->exec("SELECT id FROM task_type WHERE name = 'Modeling'").get(0, 0));
    const std::string animation(
        connection->exec("SELECT id FROM task_type WHERE name = 'Animation' AND for_entity = 'Shot'").get(0, 0));
    const auto wrong = http_call(port, "POST", "/data/tasks", token,
                                 R"({"project_id":")" + project + R"(","entity_id":")" + shot +
                                     R"(","task_type_id":")" + modeling + R"("})");
    CHECK(wrong.status == 400);
    CHECK(message_of(wrong) == "Task type of the task does not match entity type.");
    const std::string body =
        R"({"project_id":")" + project + R"(","entity_id":")" + shot + R"(","task_type_id":")" + animation + R"("})";
    const auto created = http_call(port, "POST", "/data/tasks", token, body);
    REQUIRE(created.status == 201);
    CHECK(created.json()->getValue<std::string>("name") == "main");
    const auto twice = http_call(port, "POST", "/data/tasks", token, body);
    CHECK(twice.status == 400);
    CHECK(twice.body == R"({"message":"Task already exists."})");
}

TEST_CASE("force deletes what depends on a task or a closed project, plain deletes refuse", "[api][pg]") {
    TestServer server;
    const std::string token = server.login();
    const int port = server.port();
    auto connection = server.pool().acquire();
    const std::string project =
        http_call(port, "POST", "/data/projects", token, R"({"name":"Gone"})").json()->getValue<std::string>("id");
    const std::string shot_type(connection->exec("SELECT id FROM entity_type WHERE name = 'Shot'").get(0, 0));
    const std::string shot =
        http_call(port, "POST", "/data/entities", token,
                  R"({"name":"SH010","project_id":")" + project + R"(","entity_type_id":")" + shot_type + R"("})")
            .json()
            ->getValue<std::string>("id");
    const std::string animation(
        connection->exec("SELECT id FROM task_type WHERE name = 'Animation' AND for_entity = 'Shot'").get(0, 0));
    const std::string admin_id = server.login_user_id();
    const std::string task =
        http_call(port, "POST", "/data/tasks", token,
                  R"({"project_id":")" + project + R"(","entity_id":")" + shot + R"(","task_type_id":")" + animation +
                      R"(","assignees":[")" + admin_id + R"("]})")
            .json()
            ->getValue<std::string>("id");
    const std::string status(connection->exec("SELECT id FROM task_status LIMIT 1").get(0, 0));
    connection->exec(R"(INSERT INTO comment (id, object_id, object_type, person_id, task_status_id, text)
                        VALUES (gen_random_uuid(), $1::uuid, 'Task', $2::uuid, $3::uuid, 'nice'))",
                     {task, admin_id, status});
    connection->exec(R"(INSERT INTO time_spent (id, task_id, person_id, date, duration)
                        VALUES (gen_random_uuid(), $1::uuid, $2::uuid, '2024-01-15', 60))",
                     {task, admin_id});

    // The shot has a task: a plain delete is refused with Zou's message, nothing lost.
    const auto refused = http_call(port, "DELETE", "/data/entities/" + shot, token);
    CHECK(refused.status == 400);
    CHECK(refused.body == R"({"message":"The change conflicts with records referencing this one."})");

    CHECK(http_call(port, "DELETE", "/data/tasks/" + task + "?force=true", token).status == 204);
    CHECK(connection->exec("SELECT 1 FROM task WHERE id = $1::uuid", {task}).rows() == 0);
    CHECK(connection->exec("SELECT 1 FROM comment WHERE object_id = $1::uuid", {task}).rows() == 0);
    CHECK(connection->exec("SELECT 1 FROM time_spent WHERE task_id = $1::uuid", {task}).rows() == 0);
    CHECK(connection->exec("SELECT 1 FROM entity WHERE id = $1::uuid", {shot}).rows() == 1);

    const std::string closed(connection->exec("SELECT id FROM project_status WHERE name = 'Closed'").get(0, 0));
    http_call(port, "PUT", "/data/projects/" + project, token, R"({"project_status_id":")" + closed + R"("})");
    CHECK(http_call(port, "DELETE", "/data/projects/" + project + "?force=true", token).status == 204);
    CHECK(connection->exec("SELECT 1 FROM entity WHERE id = $1::uuid", {shot}).rows() == 0);
    CHECK(connection->exec("SELECT 1 FROM person WHERE id = $1::uuid", {admin_id}).rows() == 1);
}

TEST_CASE("a vendor lists only the tasks assigned to them", "[api][pg]") {
    TestServer server;
    const std::string token = server.login();
    const int port = server.port();
    auto connection = server.pool().acquire();
    const std::string vendor_id = server.create_person("vendor@example.com", "vendorpassword", "vendor");
    const std::string project = http_call(port, "POST", "/data/projects", token, R"({"name":"Outsourced"})")
                                    .json()
                                    ->getValue<std::string>("id");
    connection->exec("INSERT INTO project_person_link (project_id, person_id) VALUES ($1::uuid, $2::uuid)",
                     {project, vendor_id});
    const std::string shot_type(connection->exec("SELECT id FROM entity_type WHERE name = 'Shot'").get(0, 0));
    std::vector<std::string> tasks;
    for (const char* name : {"SH010", "SH020"}) {
        const std::string shot = http_call(port, "POST", "/data/entities", token,
                                           R"({"name":")" + std::string(name) + R"(","project_id":")" + project +
                                               R"(","entity_type_id":")" + shot_type + R"("})")
                                     .json()
                                     ->getValue<std::string>("id");
        const std::string type(
            connection->exec("SELECT id FROM task_type WHERE name = 'Animation' AND for_entity = 'Shot'").get(0, 0));
        tasks.push_back(http_call(port, "POST", "/data/tasks", token,
                                  R"({"project_id":")" + project + R"(","entity_id":")" + shot +
                                      R"(","task_type_id":")" + type + R"("})")
                            .json()
                            ->getValue<std::string>("id"));
    }
    connection->exec("INSERT INTO task_person_link (task_id, person_id) VALUES ($1::uuid, $2::uuid)",
                     {tasks[0], vendor_id});
    const std::string vendor = server.login("vendor@example.com", "vendorpassword");
    const auto listed = http_call(port, "GET", "/data/tasks", vendor);
    REQUIRE(listed.status == 200);
    CHECK(listed.body.find(tasks[0]) != std::string::npos);
    CHECK(listed.body.find(tasks[1]) == std::string::npos);

    // Entities: Zou joins the assigned task on the production, so a vendor with work in a
    // production lists all of its entities, and none of a production where nothing is theirs.
    const std::string other = http_call(port, "POST", "/data/projects", token, R"({"name":"Elsewhere"})")
                                  .json()
                                  ->getValue<std::string>("id");
    connection->exec("INSERT INTO project_person_link (project_id, person_id) VALUES ($1::uuid, $2::uuid)",
                     {other, vendor_id});
    const std::string unassigned_shot =
        http_call(port, "POST", "/data/entities", token,
                  R"({"name":"SH900","project_id":")" + other + R"(","entity_type_id":")" + shot_type + R"("})")
            .json()
            ->getValue<std::string>("id");
    const auto entities = http_call(port, "GET", "/data/entities", vendor);
    REQUIRE(entities.status == 200);
    CHECK(entities.json_array()->size() == 2);
    CHECK(entities.body.find("SH020") != std::string::npos);
    CHECK(entities.body.find(unassigned_shot) == std::string::npos);
    CHECK(http_call(port, "GET", "/data/tasks/" + tasks[1], vendor).status == 403);
}

TEST_CASE("a body over MAX_CONTENT_LENGTH is refused whole with 413", "[api][pg]") {
    TestServer server;
    server.config().max_content_length = 1024;
    const std::string token = server.login();
    const std::string huge = R"({"name":")" + std::string(4096, 'x') + R"(","color":"#000"})";
    const auto response = http_call(server.port(), "POST", "/data/departments", token, huge);
    CHECK(response.status == 413);
    CHECK(response.json()->getValue<bool>("error"));
    auto connection = server.pool().acquire();
    CHECK(connection->exec("SELECT 1 FROM department WHERE length(name) > 1000").rows() == 0);
}

TEST_CASE("Zou's creation rules: user limit, entity status, a TV show's first episode", "[api][pg]") {
    TestServer server;
    server.config().user_limit = 2; // the admin and one more
    const std::string token = server.login();
    const int port = server.port();
    CHECK(http_call(port, "POST", "/data/persons", token, R"({"first_name":"A","last_name":"B"})").status == 201);
    const auto over = http_call(port, "POST", "/data/persons", token, R"({"first_name":"C","last_name":"D"})");
    CHECK(over.status == 400);
    CHECK(over.body == R"({"error":true,"message":"User limit reached.","data":{"limit":2}})");
    CHECK(http_call(port, "POST", "/data/persons", token, R"({"first_name":"Bot","last_name":"","is_bot":true})")
              .status == 201);

    const auto show = http_call(port, "POST", "/data/projects", token, R"({"name":"Show","production_type":"tvshow"})");
    REQUIRE(show.status == 201);
    const std::string episode = show.json()->getValue<std::string>("first_episode_id");
    const auto read = http_call(port, "GET", "/data/entities/" + episode, token);
    CHECK(read.json()->getValue<std::string>("name") == "E01");

    auto connection = server.pool().acquire();
    const std::string shot_type(connection->exec("SELECT id FROM entity_type WHERE name = 'Shot'").get(0, 0));
    const auto bad_status =
        http_call(port, "POST", "/data/entities", token,
                  R"({"name":"SH1","status":"sleeping","project_id":")" + show.json()->getValue<std::string>("id") +
                      R"(","entity_type_id":")" + shot_type + R"("})");
    CHECK(bad_status.body == R"({"error":true,"message":"Invalid status","data":null})");
}

TEST_CASE("a supervisor may reschedule the tasks of their department only", "[api][pg]") {
    TestServer server;
    const std::string admin = server.login();
    const int port = server.port();
    auto connection = server.pool().acquire();
    const std::string project = server.create_project(admin, "Sup");
    const std::string supervisor = server.create_person("sup@example.com", "sup-password", "supervisor");
    connection->exec("INSERT INTO project_person_link (project_id, person_id) VALUES ($1::uuid, $2::uuid)",
                     {project, supervisor});
    const std::string task = server.create_task(admin, project, server.create_shot(admin, project, "SH1"));
    const auto type =
        connection->exec("SELECT id, department_id FROM task_type WHERE name = 'Animation' AND for_entity = 'Shot'");
    const std::string token = server.login("sup@example.com", "sup-password");
    CHECK(http_call(port, "PUT", "/data/tasks/" + task, token, R"({"priority":2})").status == 200);
    CHECK(http_call(port, "PUT", "/data/tasks/" + task, token, R"({"name":"renamed"})").status == 403);
    // In another department than the task type's: refused.
    const std::string other(
        connection->exec("SELECT id FROM department WHERE id <> $1::uuid LIMIT 1", {std::string(type.get(0, 1))})
            .get(0, 0));
    connection->exec("INSERT INTO department_link (person_id, department_id) VALUES ($1::uuid, $2::uuid)",
                     {supervisor, other});
    CHECK(http_call(port, "PUT", "/data/tasks/" + task, token, R"({"priority":3})").status == 403);
}

TEST_CASE("reads by id Zou refuses to some roles of the production, and a one-part name", "[api][pg]") {
    TestServer server;
    const std::string token = server.login();
    const int port = server.port();
    const std::string project = server.create_project(token, "Refusals");
    const std::string shot = server.create_shot(token, project, "SH010");
    const std::string task = server.create_task(token, project, shot, "Animation");
    std::map<std::string, std::string> tokens;
    for (const char* role : {"vendor", "supervisor", "client", "manager"}) {
        const std::string email = std::string(role) + "@example.com";
        const std::string person = server.create_person(email, "rolepassword", role);
        REQUIRE(http_call(port, "POST", "/data/projects/" + project + "/team", token,
                          R"({"person_id":")" + person + R"("})")
                    .status == 201);
        tokens[role] = server.login(email, "rolepassword");
    }
    const std::string playlist =
        http_call(port, "POST", "/data/playlists", token, R"({"name":"Dailies","project_id":")" + project + R"("})")
            .json()
            ->getValue<std::string>("id");
    CHECK(http_call(port, "GET", "/data/playlists/" + playlist, tokens["vendor"]).status == 403);
    CHECK(http_call(port, "GET", "/data/playlists/" + playlist, tokens["manager"]).status == 200);

    auto connection = server.pool().acquire();
    const std::string version(
        connection
            ->exec("INSERT INTO production_schedule_version (id, name, project_id, created_at, updated_at) "
                   "VALUES (gen_random_uuid(), 'v1', $1::uuid, now(), now()) RETURNING id",
                   {project})
            .get(0, 0));
    const std::string link(connection
                               ->exec("INSERT INTO production_schedule_version_task_link (id, "
                                      "production_schedule_version_id, task_id, created_at, updated_at) VALUES "
                                      "(gen_random_uuid(), $1::uuid, $2::uuid, now(), now()) RETURNING id",
                                      {version, task})
                               .get(0, 0));
    const std::string path = "/data/production-schedule-version-task-links/" + link;
    CHECK(http_call(port, "GET", path, tokens["supervisor"]).status == 200);
    CHECK(http_call(port, "GET", path, tokens["client"]).status == 403);
    CHECK(http_call(port, "GET", path, tokens["vendor"]).status == 403);
    CHECK(http_call(port, "GET", "/data/production-schedule-version-task-links", tokens["supervisor"]).status == 403);

    // Person.full_name: "Solo", not "Solo " (guests are made with a first name only).
    const auto solo = http_call(port, "POST", "/data/persons", token, R"({"first_name":"Solo","last_name":""})");
    REQUIRE(solo.status == 201);
    CHECK(solo.json()->getValue<std::string>("full_name") == "Solo");
    const auto listed = http_call(port, "GET", "/data/persons", token);
    CHECK(listed.body.find(R"("full_name":"Solo")") != std::string::npos);
    CHECK(listed.body.find(R"("full_name":"Solo ")") == std::string::npos);
}

TEST_CASE("the whole list of events stops at 1,000 rows, a page does not", "[api][pg]") {
    TestServer server;
    const std::string token = server.login();
    server.query("INSERT INTO api_event (id, name, data, created_at, updated_at) SELECT gen_random_uuid(), "
                 "'asset:new', '{}'::jsonb, now(), now() FROM generate_series(1, 1005) RETURNING 1");
    const auto whole = http_call(server.port(), "GET", "/data/events", token);
    REQUIRE(whole.status == 200);
    CHECK(whole.json_array()->size() == 1000);
    const auto page = http_call(server.port(), "GET", "/data/events?page=1&limit=10", token);
    CHECK(page.json()->getValue<int>("total") >= 1005);
}
