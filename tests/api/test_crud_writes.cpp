// tests/api/test_crud_writes.cpp: the writes of the generic routes where Zou's per-model
// resources add their own rules: duplicate names, choices, normalised bodies, protected fields,
// overlapping day offs, and who besides the admins may change files, schedules and playlists.
#include <catch2/catch.hpp>

#include "support/test_server.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <map>

using namespace slate::test;

namespace {

std::string message_of(const HttpResponse& response) {
    return response.json()->getValue<std::string>("message");
}

} // namespace

TEST_CASE("Zou's per-model write rules: names, choices, normalised bodies, protected fields", "[api][pg][crud]") {
    TestServer server;
    const std::string token = server.login();
    const int port = server.port();
    auto call = [&](const char* method, const std::string& path, const std::string& body) {
        return http_call(port, method, path, token, body);
    };

    // Names Zou refuses twice: entity types case-insensitively, task types and backgrounds exactly.
    const auto character = call("POST", "/data/entity-types", R"({"name":"character"})");
    CHECK(character.status == 400);
    CHECK(message_of(character) == "Entity type with this name already exists");
    const auto modeling = call("POST", "/data/task-types", R"({"name":"Modeling","for_entity":"Asset"})");
    CHECK(modeling.status == 400);
    CHECK(message_of(modeling) == "A task type with similar name already exists");
    const std::string rigging_fx =
        call("POST", "/data/task-types", R"({"name":"Rigging FX"})").json()->getValue<std::string>("id");
    CHECK(call("PUT", "/data/task-types/" + rigging_fx, R"({"name":"Rigging FX"})").status == 200); // itself
    CHECK(call("PUT", "/data/task-types/" + rigging_fx, R"({"name":"Modeling"})").status == 400);
    REQUIRE(call("POST", "/data/preview-background-files", R"({"name":"Studio grey"})").status == 201);
    CHECK(message_of(call("POST", "/data/preview-background-files", R"({"name":"Studio grey"})")) ==
          "A preview background file with similar name already exists");
    // The entity type's PUT answers its task types.
    const std::string prop = server.query("SELECT id FROM entity_type WHERE name = 'Prop'");
    CHECK(call("PUT", "/data/entity-types/" + prop, R"({"name":"Prop"})").json()->getArray("task_types"));

    // Project templates: their own fields only, a unique name, their own 404; no link lists.
    const auto made = call("POST", "/data/project-templates", R"({"name":"Feature","fps":"24","flavour":"x"})");
    INFO(made.body);
    REQUIRE(made.status == 201);
    CHECK_FALSE(made.json()->has("task_types"));
    CHECK_FALSE(made.json()->has("flavour"));
    CHECK(call("POST", "/data/project-templates", R"({"name":"Feature"})").body ==
          R"({"message":"A project template with this name already exists"})");
    CHECK(call("POST", "/data/project-templates", R"({"fps":"24"})").body == R"({"message":"name is required"})");
    const auto missing = call("PUT", "/data/project-templates/not-a-uuid", R"({"name":"X"})");
    CHECK(missing.status == 404);
    CHECK(missing.body == R"({"message":"Project template not found"})");
    CHECK(call("DELETE", "/data/project-templates/00000000-0000-4000-8000-000000000000", "").status == 404);

    // Projects: a resolution as 1920x1080 or x1080, a known style, a null style is 2d3d.
    const std::string project = server.create_project(token, "Rules");
    const auto resolution = call("PUT", "/data/projects/" + project, R"({"resolution":"big"})");
    CHECK(resolution.status == 400);
    CHECK(message_of(resolution) == "Invalid resolution big. Expected format: '1920x1080' or 'x1080'.");
    CHECK(call("PUT", "/data/projects/" + project, R"({"resolution":"x1080"})").status == 200);
    CHECK(message_of(call("PUT", "/data/projects/" + project, R"({"production_style":"opera"})")) ==
          "Invalid production_style");
    CHECK(call("PUT", "/data/projects/" + project, R"({"production_style":null})")
              .json()
              ->getValue<std::string>("production_style") == "2d3d");

    // Playlists: for_entity among Zou's five; "all" is no episode; a PUT keeps entries with a preview.
    CHECK(message_of(call("POST", "/data/playlists",
                          R"({"name":"P","project_id":")" + project + R"(","for_entity":"prop"})")) ==
          "for_entity must be one of shot, asset, sequence, edit, episode");
    const auto playlist = call("POST", "/data/playlists",
                               R"({"name":"All","project_id":")" + project +
                                   R"(","episode_id":"all","task_type_id":"nope"})");
    INFO(playlist.body);
    REQUIRE(playlist.status == 201);
    CHECK(playlist.json()->isNull("episode_id"));
    CHECK(playlist.json()->isNull("task_type_id"));
    const std::string shot = server.create_shot(token, project, "SH010");
    const auto kept = call("PUT", "/data/playlists/" + playlist.json()->getValue<std::string>("id"),
                           R"({"shots":[{"id":")" + shot + R"(","preview_file_id":"p1","extra":1},{"entity_id":")" +
                               shot + R"("}]})");
    REQUIRE(kept.status == 200);
    const auto shots = kept.json()->getArray("shots");
    REQUIRE(shots->size() == 1);
    CHECK(shots->getObject(0)->getValue<std::string>("entity_id") == shot);
    CHECK_FALSE(shots->getObject(0)->has("extra"));

    // Fields a PUT leaves alone, and an empty PUT that changes nothing but the date.
    const std::string budget =
        call("POST", "/data/budgets", R"({"name":"B","revision":1,"project_id":")" + project + R"("})")
            .json()
            ->getValue<std::string>("id");
    CHECK(call("PUT", "/data/budgets/" + budget, R"({"revision":9})").json()->getValue<int>("revision") == 1);
    CHECK(call("PUT", "/data/budgets/" + budget, "{}").status == 200);
    // EntityResource.put answers its refusals as {"error": true, "message"} alone.
    CHECK(call("PUT", "/data/entities/" + shot, R"({"status":"nope"})").body ==
          R"({"error":true,"message":"Invalid status"})");
    CHECK(call("PUT", "/data/entities/not-a-uuid", R"({"a":1})").body == R"({"error":true,"message":"Malformed ID."})");

    // A task needs its type and its entity (Zou reads both as data[key]).
    CHECK(call("POST", "/data/tasks", R"({"name":"T","project_id":")" + project + R"(","entity_id":")" + shot + R"("})")
              .body == R"({"message":"'task_type_id'"})");
    CHECK(server.query("SELECT count(*)::text FROM task WHERE name = 'T'") == "0");

    // No data at all, or JSON null, is Zou's "Data are empty" on both writes.
    for (const char* nothing : {"", "  null "}) {
        const auto put = call("PUT", "/data/budgets/" + budget, nothing);
        CHECK(put.status == 400);
        CHECK(message_of(put) ==
              "Data are empty. Please verify that you sent JSON data and that you set the right headers.");
        CHECK(call("POST", "/data/budgets", nothing).status == 400);
    }

    // One schedule item per project, task type and object.
    const std::string schedule_body = R"({"project_id":")" + project + R"(","object_id":")" + shot +
                                      R"(","task_type_id":")" +
                                      server.query("SELECT id FROM task_type WHERE name = 'Animation'") + R"("})";
    REQUIRE(call("POST", "/data/schedule-items", schedule_body).status == 201);
    const auto similar = call("POST", "/data/schedule-items", schedule_body);
    CHECK(similar.status == 400);
    CHECK(message_of(similar) == "A similar schedule item already exists");

    // Day offs: none over another of the same person; the hours logged under one go.
    const std::string artist = server.create_person("artist@example.com", "rolepassword", "user");
    const std::string task = server.create_task(token, project, shot, "Animation");
    server.query("INSERT INTO task_person_link (task_id, person_id) VALUES ($1::uuid, $2::uuid) RETURNING 1",
                 {task, artist});
    server.query("INSERT INTO time_spent (id, task_id, person_id, date, duration, created_at, updated_at) VALUES "
                 "(gen_random_uuid(), $1::uuid, $2::uuid, '2026-03-03', 120, now(), now()) RETURNING 1",
                 {task, artist});
    const auto off = call("POST", "/data/day-offs",
                          R"({"person_id":")" + artist + R"(","date":"2026-03-02","end_date":"2026-03-04"})");
    INFO(off.body);
    REQUIRE(off.status == 201);
    CHECK(server.query("SELECT count(*)::text FROM time_spent WHERE person_id = $1::uuid", {artist}) == "0");
    CHECK(call("POST", "/data/day-offs", R"({"person_id":")" + artist + R"(","end_date":"2026-03-04"})").body ==
          R"({"message":"'date'"})");
    const auto overlap = call("POST", "/data/day-offs",
                              R"({"person_id":")" + artist + R"(","date":"2026-03-04","end_date":"2026-03-06"})");
    CHECK(overlap.status == 400);
    CHECK(message_of(overlap) == "Day off already exists for this period");
    CHECK(call("PUT", "/data/day-offs/" + off.json()->getValue<std::string>("id"), R"({"end_date":"2026-03-05"})")
              .status == 200); // itself does not overlap
    // DayOffResource.pre_update queries with a malformed date before anything checks it.
    CHECK(call("PUT", "/data/day-offs/" + off.json()->getValue<std::string>("id"), R"({"end_date":"2026-03-"})")
              .body == R"({"message":"One of the provided values has an invalid format."})");

    // A person's expiration date moves into the past only if it stays what it was.
    CHECK(message_of(call("PUT", "/data/persons/" + artist, R"({"expiration_date":"2001-01-01"})")) ==
          "Expiration date can't be in the past.");
    // On a PUT the base class's date check answers first; on a POST the person's own.
    CHECK(message_of(call("PUT", "/data/persons/" + artist, R"({"expiration_date":"2030-04-"})")) ==
          "Invalid date format for 'expiration_date': '2030-04-'. Expected an ISO 8601 date or datetime.");
    CHECK(message_of(call("PUT", "/data/persons/" + artist, R"({"expiration_date":"2030-04-01T10:00:00"})")) ==
          "Expiration date is not valid.");
    server.query("UPDATE person SET expiration_date = '2001-01-01' WHERE id = $1::uuid RETURNING 1", {artist});
    CHECK(call("PUT", "/data/persons/" + artist, R"({"expiration_date":"2001-01-01"})").status == 200);
}

TEST_CASE("who besides admins writes files, schedule items, playlists and schedule links", "[api][pg][crud]") {
    TestServer server;
    const std::string token = server.login();
    const int port = server.port();
    const std::string project = server.create_project(token, "Writers");
    const std::string shot = server.create_shot(token, project, "SH010");
    const std::string task = server.create_task(token, project, shot, "Animation");
    std::map<std::string, std::string> ids, tokens;
    for (const char* role : {"manager", "supervisor", "user"}) {
        const std::string email = std::string(role) + "@example.com";
        ids[role] = server.create_person(email, "rolepassword", role);
        REQUIRE(http_call(port, "POST", "/data/projects/" + project + "/team", token,
                          R"({"person_id":")" + ids[role] + R"("})")
                    .status == 201);
        tokens[role] = server.login(email, "rolepassword");
    }
    server.query("INSERT INTO task_person_link (task_id, person_id) VALUES ($1::uuid, $2::uuid) RETURNING 1",
                 {task, ids["user"]});
    const std::string status = server.query("INSERT INTO file_status (id, name, color, created_at, updated_at) "
                                            "VALUES (gen_random_uuid(), 'Published', '#000000', now(), now()) "
                                            "RETURNING id");
    const std::string working = server.query(
        "INSERT INTO working_file (id, name, revision, task_id, entity_id, created_at, updated_at) VALUES "
        "(gen_random_uuid(), 'main', 1, $1::uuid, $2::uuid, now(), now()) RETURNING id",
        {task, shot});
    const std::string output = server.query(
        "INSERT INTO output_file (id, name, revision, canceled, file_status_id, entity_id, created_at, updated_at) "
        "VALUES (gen_random_uuid(), 'main', 1, false, $1::uuid, $2::uuid, now(), now()) RETURNING id",
        {status, shot});
    const std::string task_type = server.query("SELECT task_type_id FROM task WHERE id = $1::uuid", {task});
    const std::string item = server.query(
        "INSERT INTO schedule_item (id, project_id, task_type_id, object_id, created_at, updated_at) VALUES "
        "(gen_random_uuid(), $1::uuid, $2::uuid, $1::uuid, now(), now()) RETURNING id",
        {project, task_type});
    auto put = [&](const std::string& path, const std::string& role, const std::string& body) {
        return http_call(port, "PUT", path, tokens[role], body).status;
    };

    // The assigned artist changes the files of their work, the production's manager the output
    // files; a supervisor of no department the schedule and the working files, of another
    // department neither.
    CHECK(put("/data/working-files/" + working, "user", R"({"comment":"v1 notes"})") == 200);
    CHECK(put("/data/output-files/" + output, "user", R"({"comment":"published"})") == 200);
    CHECK(put("/data/output-files/" + output, "manager", R"({"comment":"checked"})") == 200);
    CHECK(put("/data/output-files/" + output, "supervisor", R"({"comment":"x"})") == 403);
    CHECK(put("/data/schedule-items/" + item, "supervisor", R"({"man_days":3})") == 200);
    CHECK(put("/data/schedule-items/" + item, "user", R"({"man_days":4})") == 403);
    CHECK(put("/data/working-files/" + working, "supervisor", R"({"comment":"seen"})") == 200);
    server.query("INSERT INTO department_link (person_id, department_id) SELECT $1::uuid, d.id FROM department d "
                 "WHERE d.id IS DISTINCT FROM (SELECT department_id FROM task_type WHERE id = $2::uuid) "
                 "LIMIT 1 RETURNING 1",
                 {ids["supervisor"], task_type});
    CHECK(put("/data/working-files/" + working, "supervisor", R"({"comment":"x"})") == 403);
    CHECK(put("/data/schedule-items/" + item, "supervisor", R"({"man_days":5})") == 403);

    // Playlists: supervisors make them and change their own; managers change any.
    const auto made = http_call(port, "POST", "/data/playlists", tokens["supervisor"],
                                R"({"name":"Review","project_id":")" + project + R"("})");
    INFO(made.body);
    REQUIRE(made.status == 201);
    const std::string playlist = made.json()->getValue<std::string>("id");
    CHECK(put("/data/playlists/" + playlist, "supervisor", R"({"name":"Review 2"})") == 200);
    const std::string managers = http_call(port, "POST", "/data/playlists", tokens["manager"],
                                           R"({"name":"Dailies","project_id":")" + project + R"("})")
                                     .json()
                                     ->getValue<std::string>("id");
    CHECK(put("/data/playlists/" + managers, "supervisor", R"({"name":"Mine now"})") == 403);
    CHECK(put("/data/playlists/" + playlist, "manager", R"({"name":"Review 3"})") == 200);
    CHECK(http_call(port, "DELETE", "/data/playlists/" + managers, tokens["supervisor"]).status == 403);
    CHECK(http_call(port, "POST", "/data/playlists", tokens["user"],
                    R"({"name":"No","project_id":")" + project + R"("})")
              .status == 403);

    // Assignees set through PUT /data/tasks: task:assign and an assignation notification per new
    // assignee (not the caller), task:unassign per one gone.
    const auto reassigned = http_call(port, "PUT", "/data/tasks/" + task, tokens["manager"],
                                      R"({"assignees":[")" + ids["supervisor"] + R"(",")" + ids["manager"] + R"("]})");
    INFO(reassigned.body);
    REQUIRE(reassigned.status == 200);
    CHECK(server.query("SELECT count(*)::text FROM notification WHERE type = 'assignation' AND task_id = $1::uuid "
                       "AND person_id = $2::uuid",
                       {task, ids["supervisor"]}) == "1");
    CHECK(server.query("SELECT count(*)::text FROM notification WHERE person_id = $1::uuid", {ids["manager"]}) == "0");
    CHECK(server.query("SELECT string_agg(name || ':' || (data->>'person_id'), ',' ORDER BY name, data->>'person_id') "
                       "FROM api_event WHERE name IN ('task:assign', 'task:unassign') AND data->>'task_id' = $1",
                       {task}) == "task:assign:" + std::min(ids["manager"], ids["supervisor"]) + ",task:assign:" +
                                      std::max(ids["manager"], ids["supervisor"]) + ",task:unassign:" + ids["user"]);

    // A schedule version's task links: the production's managers, a task of the same production.
    const std::string version = server.query(
        "INSERT INTO production_schedule_version (id, name, project_id, created_at, updated_at) VALUES "
        "(gen_random_uuid(), 'v1', $1::uuid, now(), now()) RETURNING id",
        {project});
    const std::string link_body = R"({"production_schedule_version_id":")" + version + R"(","task_id":")" + task +
                                  R"("})";
    CHECK(http_call(port, "POST", "/data/production-schedule-version-task-links", tokens["supervisor"], link_body)
              .status == 403);
    CHECK(http_call(port, "POST", "/data/production-schedule-version-task-links", tokens["manager"], link_body)
              .status == 201);
    const std::string elsewhere = server.create_project(token, "Elsewhere");
    const std::string other_task =
        server.create_task(token, elsewhere, server.create_shot(token, elsewhere, "SH900"), "Animation");
    CHECK(http_call(port, "POST", "/data/production-schedule-version-task-links", token,
                    R"({"production_schedule_version_id":")" + version + R"("})")
              .body == R"({"message":"'task_id'"})");
    const auto crossed = http_call(port, "POST", "/data/production-schedule-version-task-links", token,
                                   R"({"production_schedule_version_id":")" + version + R"(","task_id":")" +
                                       other_task + R"("})");
    CHECK(crossed.status == 400);
    CHECK(message_of(crossed) == "The task and the production schedule version must be in the same project.");
}
