// tests/api/test_task_creation.cpp: the tasks of a production made and removed in bulk
// (create-tasks for shots, assets and an entity type; delete-tasks), to-review and the removal
// of a task's comment, with the rights Zou asks for each.
#include <catch2/catch.hpp>

#include "support/test_server.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

using namespace slate::test;

namespace {

const std::string unknown_id = "00000000-0000-0000-0000-000000000000";

Poco::JSON::Array::Ptr array_of(const HttpResponse& response, int status = 200) {
    INFO(response.body);
    REQUIRE(response.status == status);
    return Poco::JSON::Parser().parse(response.body).extract<Poco::JSON::Array::Ptr>();
}

struct Production {
    TestServer server;
    int port = server.port();
    std::string admin = server.login();
    std::string project = server.create_project(admin, "Bulk");
    std::string shot1 = server.create_shot(admin, project, "SH010");
    std::string shot2 = server.create_shot(admin, project, "SH020");
    std::string animation = server.query("SELECT id FROM task_type WHERE name = 'Animation' AND for_entity = 'Shot'");
    std::string actions = "/actions/projects/" + project + "/task-types/" + animation;

    std::string artist_login() {
        const std::string id = server.create_person("artist@example.com", "artist-password", "user");
        server.query("INSERT INTO project_person_link (project_id, person_id) VALUES ($1::uuid, $2::uuid) RETURNING 1",
                     {project, id});
        return server.login("artist@example.com", "artist-password");
    }
};

} // namespace

TEST_CASE("create-tasks makes one task per shot of a type, once", "[api][pg][tasks]") {
    Production p;
    const auto created = array_of(http_post(p.port, p.actions + "/shots/create-tasks", "", p.admin), 201);
    REQUIRE(created->size() == 2);
    const auto task = created->getObject(0);
    CHECK(task->getValue<std::string>("name") == "main");
    CHECK(task->getValue<std::string>("type") == "Task");
    CHECK(task->getValue<std::string>("task_type_id") == p.animation);
    CHECK(task->getValue<std::string>("task_type_name") == "Animation");
    CHECK(task->getValue<std::string>("task_status_name") == "Todo");
    CHECK(task->getValue<std::string>("task_status_short_name") == "todo");
    CHECK(task->getArray("assignees")->size() == 0);
    CHECK(task->getValue<int>("retake_count") == 0);
    CHECK(task->getValue<std::string>("assigner_id") == p.server.login_user_id());
    CHECK(p.server.query("SELECT count(*) FROM api_event WHERE name = 'task:new'") == "2");
    // Again: every shot has its task already.
    CHECK(array_of(http_post(p.port, p.actions + "/shots/create-tasks", "", p.admin), 201)->size() == 0);

    // A chosen list: the new shot only; an unknown id is a 404; a bad body a 400.
    const std::string shot3 = p.server.create_shot(p.admin, p.project, "SH030");
    CHECK(array_of(http_post(p.port, p.actions + "/shots/create-tasks", "[\"" + shot3 + "\"]", p.admin), 201)->size() ==
          1);
    CHECK(http_post(p.port, p.actions + "/shots/create-tasks", "[\"" + unknown_id + "\"]", p.admin).status == 404);
    const auto bad = http_post(p.port, p.actions + "/shots/create-tasks", "[\"nope\"]", p.admin);
    CHECK(bad.status == 400);
    CHECK(bad.json()->getValue<std::string>("message") == "Request body must only contain valid UUIDs.");
    CHECK(http_post(p.port, p.actions + "/shots/create-tasks", "\"x\"", p.admin).status == 400);
    CHECK(http_post(p.port, "/actions/projects/" + p.project + "/task-types/" + unknown_id + "/shots/create-tasks", "",
                    p.admin)
              .status == 404);
    // By entity type name, and assets: none here.
    CHECK(array_of(http_post(p.port, p.actions + "/create-tasks/shot", "", p.admin), 201)->size() == 0);
    CHECK(http_post(p.port, p.actions + "/create-tasks/nothing", "", p.admin).status == 404);
    CHECK(array_of(http_post(p.port, p.actions + "/assets/create-tasks", "", p.admin), 201)->size() == 0);
    // Only managers of the production.
    CHECK(http_post(p.port, p.actions + "/shots/create-tasks", "", p.artist_login()).status == 403);
}

TEST_CASE("create-tasks for every shot narrows to the episode the query string names", "[api][pg][tasks]") {
    Production p;
    const auto entity_of = [&](const std::string& type, const std::string& name, const std::string& parent) {
        return p.server.query(
            "INSERT INTO entity (id, name, project_id, entity_type_id, parent_id, status, created_at, "
            "updated_at) SELECT gen_random_uuid(), $1, $2::uuid, id, NULLIF($3, '')::uuid, 'running', now(), now() "
            "FROM "
            "entity_type WHERE name = $4 RETURNING id",
            {name, p.project, parent, type});
    };
    const std::string episode = entity_of("Episode", "E01", "");
    const std::string other_episode = entity_of("Episode", "E02", "");
    p.server.query("UPDATE entity SET parent_id = $1::uuid WHERE id = $2::uuid RETURNING 1",
                   {entity_of("Sequence", "SQ01", episode), p.shot1});
    p.server.query("UPDATE entity SET parent_id = $1::uuid WHERE id = $2::uuid RETURNING 1",
                   {entity_of("Sequence", "SQ02", other_episode), p.shot2});
    const auto created =
        array_of(http_post(p.port, p.actions + "/shots/create-tasks?episode_id=" + episode, "", p.admin), 201);
    REQUIRE(created->size() == 1);
    CHECK(created->getObject(0)->getValue<std::string>("entity_id") == p.shot1);
}

TEST_CASE("delete-tasks removes the production's tasks with what hangs from them", "[api][pg][tasks]") {
    Production p;
    const auto created = array_of(http_post(p.port, p.actions + "/shots/create-tasks", "", p.admin), 201);
    const std::string first = created->getObject(0)->getValue<std::string>("id");
    const std::string second = created->getObject(1)->getValue<std::string>("id");
    const std::string todo = p.server.query("SELECT id FROM task_status WHERE name = 'Todo'");
    REQUIRE(
        http_post(p.port, "/actions/tasks/" + first + "/comment", R"({"task_status_id":")" + todo + R"("})", p.admin)
            .status == 201);
    const auto removed =
        array_of(http_post(p.port, "/actions/projects/" + p.project + "/delete-tasks", "[\"" + first + "\"]", p.admin));
    CHECK(removed->getElement<std::string>(0) == first);
    CHECK(p.server.query("SELECT count(*) FROM task WHERE id = $1::uuid", {first}) == "0");
    CHECK(p.server.query("SELECT count(*) FROM comment WHERE object_id = $1::uuid", {first}) == "0");
    CHECK(p.server.query("SELECT data->>'task_id' FROM api_event WHERE name = 'task:delete'") == first);
    CHECK(http_post(p.port, "/actions/projects/" + p.project + "/delete-tasks", "{}", p.admin).status == 400);
    // Every task of the type: admins only.
    CHECK(http_call(p.port, "DELETE", p.actions + "/delete-tasks", p.artist_login()).status == 403);
    CHECK(http_call(p.port, "DELETE", p.actions + "/delete-tasks", p.admin).status == 204);
    CHECK(p.server.query("SELECT count(*) FROM task WHERE id = $1::uuid", {second}) == "0");
    CHECK(http_call(p.port, "DELETE",
                    "/actions/projects/" + unknown_id + "/task-types/" + p.animation + "/delete-tasks", p.admin)
              .status == 404);
}

TEST_CASE("to-review moves the task and tells who and what", "[api][pg][tasks]") {
    Production p;
    const std::string task = p.server.create_task(p.admin, p.project, p.shot1);
    const auto answer =
        http_call(p.port, "PUT", "/actions/tasks/" + task + "/to-review", p.admin, R"({"comment":"have a look"})");
    INFO(answer.body);
    REQUIRE(answer.status == 200);
    const auto body = answer.json();
    CHECK(body->getValue<std::string>("id") == task);
    CHECK(body->getValue<std::string>("comment") == "have a look");
    CHECK(body->getObject("person")->getValue<std::string>("id") == p.server.login_user_id());
    CHECK(body->getObject("entity")->getValue<std::string>("id") == p.shot1);
    CHECK(body->getObject("project")->getValue<std::string>("name") == "Bulk");
    CHECK(body->getObject("preview_path")->has("folder_path"));
    CHECK(p.server.query("SELECT s.name FROM task t JOIN task_status s ON s.id = t.task_status_id "
                         "WHERE t.id = $1::uuid",
                         {task}) == "To review");
    CHECK(p.server.query("SELECT count(*) FROM api_event WHERE name = 'task:to-review'") == "1");
    const auto unknown = http_call(p.port, "PUT", "/actions/tasks/" + task + "/to-review", p.admin,
                                   R"({"person_id":")" + unknown_id + R"("})");
    CHECK(unknown.status == 400);
    CHECK(unknown.json()->getValue<std::string>("message") == "Cannot find given person.");
    CHECK(http_call(p.port, "PUT", "/actions/tasks/" + task + "/to-review", p.admin, R"({"revision":-1})").status ==
          400);
}

TEST_CASE("a task's comment is removed by its author or a manager, and the status follows", "[api][pg][tasks]") {
    Production p;
    const std::string task = p.server.create_task(p.admin, p.project, p.shot1);
    const std::string todo = p.server.query("SELECT id FROM task_status WHERE name = 'Todo'");
    const std::string wip = p.server.query("SELECT id FROM task_status WHERE short_name = 'wip'");
    const auto first =
        http_post(p.port, "/actions/tasks/" + task + "/comment", R"({"task_status_id":")" + todo + R"("})", p.admin);
    REQUIRE(first.status == 201);
    const auto second =
        http_post(p.port, "/actions/tasks/" + task + "/comment", R"({"task_status_id":")" + wip + R"("})", p.admin);
    REQUIRE(second.status == 201);
    const std::string second_id = second.json()->getValue<std::string>("id");
    CHECK(p.server.query("SELECT task_status_id FROM task WHERE id = $1::uuid", {task}) == wip);
    const std::string path = "/data/tasks/" + task + "/comments/" + second_id;
    CHECK(http_call(p.port, "DELETE", path, p.artist_login()).status == 403); // not theirs
    CHECK(http_call(p.port, "DELETE", path, p.admin).status == 204);
    CHECK(p.server.query("SELECT count(*) FROM comment WHERE id = $1::uuid", {second_id}) == "0");
    CHECK(p.server.query("SELECT task_status_id FROM task WHERE id = $1::uuid", {task}) == todo);
    CHECK(p.server.query("SELECT count(*) FROM api_event WHERE name = 'task:status-changed' AND "
                         "data->>'new_task_status_id' = $1 AND data->>'previous_task_status_id' = $2",
                         {todo, wip}) == "1");
    CHECK(http_call(p.port, "DELETE", path, p.admin).status == 404);
}
