// tests/api/test_zou_answers.cpp: the generic CRUD answers carry what Zou's models and
// resources add to the columns (issue 14: each difference found against the reference Zou is
// pinned here): polymorphic entity types, backrefs, scalar relationships, per-resource fields.
#include <catch2/catch.hpp>

#include "support/test_server.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

using namespace slate::test;

namespace {

std::string id_of(const HttpResponse& response) {
    INFO(response.body);
    REQUIRE((response.status == 200 || response.status == 201));
    return response.json()->getValue<std::string>("id");
}

/// The element of a JSON array answer whose id is `id`.
Poco::JSON::Object::Ptr item_with_id(const HttpResponse& response, const std::string& id) {
    INFO(response.body);
    REQUIRE(response.status == 200);
    Poco::JSON::Parser parser;
    const auto items = parser.parse(response.body).extract<Poco::JSON::Array::Ptr>();
    for (std::size_t i = 0; i < items->size(); ++i)
        if (items->getObject(i)->getValue<std::string>("id") == id)
            return items->getObject(i);
    FAIL("no item " << id);
    return {};
}

std::vector<std::string> ids_in(const Poco::JSON::Array::Ptr& array) {
    std::vector<std::string> ids;
    for (std::size_t i = 0; array && i < array->size(); ++i)
        ids.push_back(array->getElement<std::string>(i));
    return ids;
}

} // namespace

TEST_CASE("entities carry Zou's polymorphic type and entities_in", "[api][pg]") {
    TestServer server;
    const std::string token = server.login();
    const int port = server.port();
    const std::string project = server.create_project(token, "Types");
    const std::string shot = server.create_shot(token, project, "SH010");
    const std::string prop_type = server.query("SELECT id FROM entity_type WHERE name = 'Prop'");
    const auto created = http_call(port, "POST", "/data/entities", token,
                                   R"({"name":"Sword","project_id":")" + project + R"(","entity_type_id":")" +
                                       prop_type + R"("})");
    // A create's answer is the plain serialize(): Zou's post_creation does not rename it.
    CHECK(created.json()->getValue<std::string>("type") == "Entity");
    const std::string asset = id_of(created);
    id_of(http_call(port, "POST", "/data/entity-links", token,
                    R"({"entity_in_id":")" + shot + R"(","entity_out_id":")" + asset + R"("})"));

    const auto list = http_call(port, "GET", "/data/entities", token);
    CHECK(item_with_id(list, shot)->getValue<std::string>("type") == "Shot");
    CHECK(item_with_id(list, asset)->getValue<std::string>("type") == "Asset");
    CHECK_FALSE(item_with_id(list, asset)->has("entities_in")); // relations only when asked

    const auto one = http_call(port, "GET", "/data/entities/" + asset, token);
    REQUIRE(one.status == 200);
    CHECK(one.json()->getValue<std::string>("type") == "Asset");
    CHECK(ids_in(one.json()->getArray("entities_in")) == std::vector<std::string>{shot});
    CHECK(ids_in(one.json()->getArray("entities_out")).empty());
    const auto from_shot = http_call(port, "GET", "/data/entities/" + shot, token).json();
    CHECK(from_shot->getValue<std::string>("type") == "Shot");
    CHECK(ids_in(from_shot->getArray("entities_out")) == std::vector<std::string>{asset});
    CHECK(ids_in(from_shot->getArray("entities_in")).empty());

    // EntityResource answers an update with the relations and the polymorphic type.
    const auto updated = http_call(port, "PUT", "/data/entities/" + shot, token, R"({"description":"x"})");
    REQUIRE(updated.status == 200);
    CHECK(updated.json()->getValue<std::string>("type") == "Shot");
    CHECK(ids_in(updated.json()->getArray("entities_out")) == std::vector<std::string>{asset});
    // entities_in is read only: a body naming it changes nothing.
    CHECK(http_call(port, "PUT", "/data/entities/" + asset, token, R"({"entities_in":[]})").status == 200);
    CHECK(ids_in(http_call(port, "GET", "/data/entities/" + asset, token).json()->getArray("entities_in")) ==
          std::vector<std::string>{shot});
}

TEST_CASE("files and attachments carry their related rows, as Zou's scalar relationships", "[api][pg]") {
    TestServer server;
    const std::string token = server.login();
    const int port = server.port();
    const std::string me = server.login_user_id();
    const std::string project = server.create_project(token, "Files");
    const std::string shot = server.create_shot(token, project, "SH010");
    const std::string task = server.create_task(token, project, shot);
    const std::string status =
        id_of(http_call(port, "POST", "/data/file-status", token, R"({"name":"Published","color":"#000000"})"));

    const std::string working = id_of(http_call(port, "POST", "/data/working-files", token,
                                                R"({"name":"main","task_id":")" + task + R"(","entity_id":")" + shot +
                                                    R"(","person_id":")" + me + R"(","revision":1})"));
    const auto output_created = http_call(port, "POST", "/data/output-files", token,
                                          R"({"name":"main","revision":1,"file_status_id":")" + status +
                                              R"(","source_file_id":")" + working + R"(","entity_id":")" + shot +
                                              R"("})");
    const std::string output = id_of(output_created);
    CHECK(output_created.json()->getObject("source_file")->getValue<std::string>("id") == working);
    const std::string orphan = id_of(http_call(
        port, "POST", "/data/output-files", token,
        R"({"name":"other","revision":1,"file_status_id":")" + status + R"(","entity_id":")" + shot + R"("})"));

    const auto one = http_call(port, "GET", "/data/output-files/" + output, token);
    REQUIRE(one.status == 200);
    const auto source = one.json()->getObject("source_file");
    REQUIRE(source);
    CHECK(source->getValue<std::string>("id") == working);
    CHECK(source->getValue<std::string>("type") == "WorkingFile");
    CHECK(source->getValue<std::string>("name") == "main");
    CHECK(one.json()->isNull("source_file") == false);
    CHECK(http_call(port, "GET", "/data/output-files/" + orphan, token).json()->isNull("source_file"));
    const auto list = http_call(port, "GET", "/data/output-files", token);
    CHECK(item_with_id(list, output)->getObject("source_file")->getValue<std::string>("id") == working);
    CHECK(item_with_id(list, orphan)->isNull("source_file"));

    const auto working_one = http_call(port, "GET", "/data/working-files/" + working, token);
    CHECK(ids_in(working_one.json()->getArray("outputs")) == std::vector<std::string>{output});

    const std::string comment =
        id_of(http_call(port, "POST", "/data/comments", token,
                        R"({"object_id":")" + task + R"(","object_type":"Task","person_id":")" + me +
                            R"(","text":"see file","task_status_id":")" +
                            server.query("SELECT id FROM task_status WHERE is_default LIMIT 1") + R"("})"));
    const std::string attachment =
        id_of(http_call(port, "POST", "/data/attachment-files", token,
                        R"({"name":"notes.txt","extension":"txt","size":11,"comment_id":")" + comment + R"("})"));
    const auto attached = http_call(port, "GET", "/data/attachment-files/" + attachment, token).json();
    CHECK(attached->getObject("comment")->getValue<std::string>("id") == comment);
    CHECK(attached->getObject("comment")->getValue<std::string>("type") == "Comment");
    CHECK(attached->getObject("comment")->getValue<std::string>("text") == "see file");
    CHECK(attached->isNull("chat_message"));
    CHECK(item_with_id(http_call(port, "GET", "/data/attachment-files", token), attachment)
              ->getObject("comment")
              ->getValue<std::string>("id") == comment);

    // A comment read by id: its author, and its attachments as {id, name, extension, size}.
    server.query("UPDATE comment SET replies = $2::jsonb WHERE id = $1::uuid RETURNING 1",
                 {comment, R"([{"id":"r1","text":"ok","person_id":")" + me + R"("}])"});
    const auto read = http_call(port, "GET", "/data/comments/" + comment, token);
    REQUIRE(read.status == 200);
    const auto person = read.json()->getObject("person");
    REQUIRE(person);
    CHECK(person->getValue<std::string>("id") == me);
    CHECK(person->getValue<std::string>("role") == "admin");
    CHECK(person->has("full_name"));
    CHECK(person->has("has_avatar"));
    const auto files = read.json()->getArray("attachment_files");
    REQUIRE(files->size() == 1);
    CHECK(files->getObject(0)->getValue<std::string>("id") == attachment);
    CHECK(files->getObject(0)->getValue<std::string>("name") == "notes.txt");
    CHECK(files->getObject(0)->getValue<std::string>("extension") == "txt");
    CHECK(files->getObject(0)->getValue<int>("size") == 11);
    CHECK(read.json()->getArray("replies")->getObject(0)->getObject("person")->getValue<std::string>("id") == me);
    // Without relations Zou writes no attachment list at all.
    CHECK_FALSE(http_call(port, "GET", "/data/comments/" + comment + "?relations=false", token)
                    .json()
                    ->has("attachment_files"));
}

TEST_CASE("per-resource fields: notification_type, build_jobs, preview comments, shots, departments, status name",
          "[api][pg]") {
    TestServer server;
    const std::string token = server.login();
    const int port = server.port();
    const std::string me = server.login_user_id();
    const std::string project = server.create_project(token, "Fields");
    const std::string shot = server.create_shot(token, project, "SH010");
    const std::string task = server.create_task(token, project, shot);

    const std::string notification =
        id_of(http_call(port, "POST", "/data/notifications", token,
                        R"({"type":"assignation","person_id":")" + me + R"(","author_id":")" + me +
                            R"(","task_id":")" + task + R"("})"));
    const auto note = http_call(port, "GET", "/data/notifications/" + notification, token).json();
    CHECK(note->getValue<std::string>("notification_type") == "assignation");
    CHECK(note->getValue<std::string>("type") == "Notification");
    CHECK(item_with_id(http_call(port, "GET", "/data/notifications", token), notification)
              ->getValue<std::string>("notification_type") == "assignation");

    const std::string playlist = id_of(http_call(port, "POST", "/data/playlists", token,
                                                 R"({"name":"Daily","project_id":")" + project + R"("})"));
    const auto read_playlist = http_call(port, "GET", "/data/playlists/" + playlist, token).json();
    REQUIRE(read_playlist->getArray("build_jobs"));
    CHECK(read_playlist->getArray("build_jobs")->size() == 0);
    const std::string job = server.query(
        "INSERT INTO build_job (id, playlist_id, status, job_type, created_at, updated_at) VALUES "
        "(gen_random_uuid(), $1::uuid, 'running', 'movie', now(), now()) RETURNING id",
        {playlist});
    CHECK(ids_in(http_call(port, "GET", "/data/playlists/" + playlist, token).json()->getArray("build_jobs")) ==
          std::vector<std::string>{job});

    const std::string comment = server.query(
        "INSERT INTO comment (id, object_id, object_type, person_id, text, created_at, updated_at) VALUES "
        "(gen_random_uuid(), $1::uuid, 'Task', $2::uuid, 'with preview', now(), now()) RETURNING id",
        {task, me});
    const std::string preview = id_of(http_call(port, "POST", "/data/preview-files", token,
                                                R"({"name":"p","task_id":")" + task + R"(","revision":1})"));
    server.query("INSERT INTO comment_preview_link (comment, preview_file) VALUES ($1::uuid, $2::uuid) RETURNING 1",
                 {comment, preview});
    CHECK(ids_in(http_call(port, "GET", "/data/preview-files/" + preview, token).json()->getArray("comments")) ==
          std::vector<std::string>{comment});

    const std::string asset =
        id_of(http_call(port, "POST", "/data/entities", token,
                        R"({"name":"Sword","project_id":")" + project + R"(","entity_type_id":")" +
                            server.query("SELECT id FROM entity_type WHERE name = 'Prop'") + R"("})"));
    const std::string instance =
        id_of(http_call(port, "POST", "/data/asset-instances", token, R"({"asset_id":")" + asset + R"("})"));
    server.query("INSERT INTO asset_instance_link (entity_id, asset_instance_id) VALUES ($1::uuid, $2::uuid) "
                 "RETURNING 1",
                 {shot, instance});
    CHECK(ids_in(http_call(port, "GET", "/data/asset-instances/" + instance, token).json()->getArray("shots")) ==
          std::vector<std::string>{shot});

    const std::string department = server.query("SELECT id FROM department LIMIT 1");
    const std::string descriptor =
        id_of(http_call(port, "POST", "/data/metadata-descriptors", token,
                        R"({"name":"Difficulty","field_name":"difficulty","entity_type":"Asset","project_id":")" +
                            project + R"(","departments":[")" + department + R"("]})"));
    // MetadataDescriptorsResource lists with the relations when no parameter is given.
    CHECK(ids_in(item_with_id(http_call(port, "GET", "/data/metadata-descriptors", token), descriptor)
                     ->getArray("departments")) == std::vector<std::string>{department});
    CHECK_FALSE(item_with_id(http_call(port, "GET", "/data/metadata-descriptors?project_id=" + project, token),
                             descriptor)
                    ->has("departments"));

    const auto read_project = http_call(port, "GET", "/data/projects/" + project, token).json();
    CHECK(read_project->getValue<std::string>("project_status_name") ==
          server.query("SELECT s.name FROM project p JOIN project_status s ON s.id = p.project_status_id "
                       "WHERE p.id = $1::uuid",
                       {project}));
    CHECK_FALSE(item_with_id(http_call(port, "GET", "/data/projects", token), project)->has("project_status_name"));
}

TEST_CASE("custom actions and status automations are listed to all but vendors, hardware items to admins",
          "[api][pg]") {
    TestServer server;
    const int port = server.port();
    server.create_person("artist@example.com", "artistpassword", "user");
    server.create_person("vendor@example.com", "vendorpassword", "vendor");
    const std::string artist = server.login("artist@example.com", "artistpassword");
    const std::string vendor = server.login("vendor@example.com", "vendorpassword");
    for (const char* collection : {"/data/custom-actions", "/data/status-automations"}) {
        const auto listed = http_call(port, "GET", collection, artist);
        CHECK(listed.status == 200);
        CHECK(listed.body == "[]");
        CHECK(http_call(port, "GET", collection, vendor).status == 403);
    }
    CHECK(http_call(port, "GET", "/data/hardware-items", artist).status == 403);
    CHECK(http_call(port, "GET", "/data/hardware-items", server.login()).status == 200);
}

TEST_CASE("writes record what Zou's resources record: creators, editors, merged data", "[api][pg]") {
    TestServer server;
    const std::string token = server.login();
    const int port = server.port();
    const std::string me = server.login_user_id();
    const std::string project = server.create_project(token, "Writes");
    const std::string shot_type = server.query("SELECT id FROM entity_type WHERE name = 'Shot'");

    // created_by is the caller, whatever the body says.
    const auto shot = http_call(port, "POST", "/data/entities", token,
                                R"({"name":"SH010","project_id":")" + project + R"(","entity_type_id":")" + shot_type +
                                    R"(","created_by":null})");
    CHECK(shot.json()->getValue<std::string>("created_by") == me);
    const std::string shot_id = id_of(shot);
    CHECK(server.query("SELECT created_by FROM entity WHERE id = $1::uuid", {shot_id}) == me);
    const auto playlist =
        http_call(port, "POST", "/data/playlists", token, R"({"name":"Daily","project_id":")" + project + R"("})");
    CHECK(playlist.json()->getValue<std::string>("created_by") == me);
    CHECK(server.query("SELECT created_by FROM playlist WHERE id = $1::uuid", {id_of(playlist)}) == me);

    // An entity's data: {} when none is sent, merged into the stored one otherwise.
    const auto first = http_call(port, "PUT", "/data/entities/" + shot_id, token, R"({"description":"a"})");
    REQUIRE(first.status == 200);
    CHECK(first.json()->getObject("data")->size() == 0);
    CHECK(server.query("SELECT data::text FROM entity WHERE id = $1::uuid", {shot_id}) == "{}");
    http_call(port, "PUT", "/data/entities/" + shot_id, token, R"({"data":{"frame_in":1}})");
    const auto merged = http_call(port, "PUT", "/data/entities/" + shot_id, token, R"({"data":{"frame_out":9}})");
    CHECK(merged.json()->getObject("data")->getValue<int>("frame_in") == 1);
    CHECK(merged.json()->getObject("data")->getValue<int>("frame_out") == 9);
    // created_by cannot be changed through an update (EntityResource.protected_fields).
    http_call(port, "PUT", "/data/entities/" + shot_id, token,
              R"({"created_by":")" + server.create_person("other@example.com", "otherpassword", "user") + R"("})");
    CHECK(server.query("SELECT created_by FROM entity WHERE id = $1::uuid", {shot_id}) == me);

    // A task's non-empty data is merged too.
    const std::string task = server.create_task(token, project, shot_id);
    http_call(port, "PUT", "/data/tasks/" + task, token, R"({"data":{"a":1}})");
    const auto task_merged = http_call(port, "PUT", "/data/tasks/" + task, token, R"({"data":{"b":2}})");
    CHECK(task_merged.json()->getObject("data")->getValue<int>("a") == 1);
    CHECK(task_merged.json()->getObject("data")->getValue<int>("b") == 2);

    // An edited comment records its editor.
    const std::string comment = server.query(
        "INSERT INTO comment (id, object_id, object_type, person_id, text, created_at, updated_at) VALUES "
        "(gen_random_uuid(), $1::uuid, 'Task', $2::uuid, 'first', now(), now()) RETURNING id",
        {task, me});
    const auto edited = http_call(port, "PUT", "/data/comments/" + comment, token, R"({"text":"second"})");
    REQUIRE(edited.status == 200);
    CHECK(edited.json()->getValue<std::string>("editor_id") == me);
    CHECK(server.query("SELECT editor_id FROM comment WHERE id = $1::uuid", {comment}) == me);
}

TEST_CASE("a budget entry with a decimal salary is created, a time spent goes only as Zou allows", "[api][pg]") {
    TestServer server;
    const std::string token = server.login();
    const int port = server.port();
    const std::string me = server.login_user_id();
    const std::string project = server.create_project(token, "Budget");
    const std::string department = server.query("SELECT id FROM department LIMIT 1");
    const std::string budget = id_of(
        http_call(port, "POST", "/data/budgets", token, R"({"name":"Main","project_id":")" + project + R"("})"));
    const auto entry = http_call(port, "POST", "/data/budget-entries", token,
                                 R"({"budget_id":")" + budget + R"(","department_id":")" + department +
                                     R"(","person_id":")" + me +
                                     R"(","start_date":"2026-01-01","months_duration":3,"daily_salary":300.5,)"
                                     R"("position":"lead","seniority":"senior"})");
    INFO(entry.body);
    REQUIRE(entry.status == 201);
    CHECK(entry.json()->getValue<double>("daily_salary") == Approx(300.5));
    CHECK(entry.json()->getValue<std::string>("position") == "lead");
    CHECK(http_call(port, "POST", "/data/budget-entries", token,
                    R"({"budget_id":")" + budget + R"(","department_id":")" + department +
                        R"(","start_date":"2026-01-01","months_duration":3,"daily_salary":1,"position":"boss"})")
              .status == 400);

    const std::string shot = server.create_shot(token, project, "SH010");
    const std::string task = server.create_task(token, project, shot);
    const std::string spent = id_of(http_call(port, "POST", "/data/time-spents", token,
                                              R"({"task_id":")" + task + R"(","person_id":")" + me +
                                                  R"(","duration":60,"date":"2026-01-02"})"));
    // Not assigned to the task: even an admin is refused (check_time_spent_access).
    CHECK(http_call(port, "DELETE", "/data/time-spents/" + spent, token).status == 403);
    server.query("INSERT INTO task_person_link (task_id, person_id) VALUES ($1::uuid, $2::uuid) RETURNING 1",
                 {task, me});
    // Assigned: another artist may not delete it, the person who spent it may.
    server.create_person("artist@example.com", "artistpassword", "user");
    const std::string artist = server.login("artist@example.com", "artistpassword");
    CHECK(http_call(port, "DELETE", "/data/time-spents/" + spent, artist).status == 403);
    CHECK(http_call(port, "DELETE", "/data/time-spents/" + spent, token).status == 204);
}

TEST_CASE("file and playlist lists are refused to vendors, narrowed to the caller's productions", "[api][pg]") {
    TestServer server;
    const std::string token = server.login();
    const int port = server.port();
    const std::string artist_id = server.create_person("artist@example.com", "artistpassword", "user");
    server.create_person("vendor@example.com", "vendorpassword", "vendor");
    const std::string artist = server.login("artist@example.com", "artistpassword");
    const std::string vendor = server.login("vendor@example.com", "vendorpassword");
    const std::string mine = server.create_project(token, "Theirs");
    const std::string other = server.create_project(token, "Elsewhere");
    server.query("INSERT INTO project_person_link (project_id, person_id) VALUES ($1::uuid, $2::uuid) RETURNING 1",
                 {mine, artist_id});
    const std::string status =
        id_of(http_call(port, "POST", "/data/file-status", token, R"({"name":"Published","color":"#000000"})"));
    auto output_in = [&](const std::string& project) {
        const std::string shot = server.create_shot(token, project, "SH010");
        return id_of(http_call(port, "POST", "/data/output-files", token,
                               R"({"name":"main","revision":1,"file_status_id":")" + status +
                                   R"(","entity_id":")" + shot + R"("})"));
    };
    const std::string visible = output_in(mine);
    const std::string hidden = output_in(other);

    const auto listed = http_call(port, "GET", "/data/output-files", artist);
    CHECK(listed.status == 200);
    CHECK(listed.body.find(visible) != std::string::npos);
    CHECK(listed.body.find(hidden) == std::string::npos);
    // By id: the entity's production decides.
    CHECK(http_call(port, "GET", "/data/output-files/" + visible, artist).status == 200);
    CHECK(http_call(port, "GET", "/data/output-files/" + hidden, artist).status == 403);
    for (const char* collection : {"/data/output-files", "/data/working-files", "/data/playlists"})
        CHECK(http_call(port, "GET", collection, vendor).status == 403);
    CHECK(http_call(port, "GET", "/data/working-files", artist).status == 200);
}

TEST_CASE("a comment is read by id by whoever may see it, as check_comment_access decides", "[api][pg]") {
    TestServer server;
    const std::string token = server.login();
    const int port = server.port();
    const std::string me = server.login_user_id();
    const std::string project = server.create_project(token, "Comments");
    const std::string shot = server.create_shot(token, project, "SH010");
    const std::string task = server.create_task(token, project, shot);
    const std::string artist_id = server.create_person("artist@example.com", "artistpassword", "user");
    const std::string client_id = server.create_person("client@example.com", "clientpassword", "client");
    server.create_person("outsider@example.com", "outsiderpassword", "user");
    for (const auto& person : {artist_id, client_id})
        server.query("INSERT INTO project_person_link (project_id, person_id) VALUES ($1::uuid, $2::uuid) RETURNING 1",
                     {project, person});
    const std::string status = server.query("SELECT id FROM task_status WHERE is_default LIMIT 1");
    auto comment_by = [&](const std::string& person, bool for_client) {
        return id_of(http_call(port, "POST", "/data/comments", token,
                               R"({"object_id":")" + task + R"(","object_type":"Task","person_id":")" + person +
                                   R"(","text":"note","for_client":)" + (for_client ? "true" : "false") +
                                   R"(,"task_status_id":")" + status + R"("})"));
    };
    const std::string internal = comment_by(me, false);
    const std::string shown_to_client = comment_by(me, true);
    const std::string from_client = comment_by(client_id, false);
    const std::string artist = server.login("artist@example.com", "artistpassword");
    const std::string client = server.login("client@example.com", "clientpassword");
    const std::string outsider = server.login("outsider@example.com", "outsiderpassword");
    auto status_of_read = [&](const std::string& comment, const std::string& reader) {
        return http_call(port, "GET", "/data/comments/" + comment, reader).status;
    };
    CHECK(status_of_read(internal, artist) == 200);
    CHECK(status_of_read(from_client, artist) == 403); // artists never read what clients wrote
    CHECK(status_of_read(internal, outsider) == 403);  // not on the production
    CHECK(status_of_read(internal, client) == 403);
    CHECK(status_of_read(shown_to_client, client) == 200);
    CHECK(status_of_read(from_client, client) == 200);
    CHECK(status_of_read("00000000-0000-0000-0000-000000000000", artist) == 404);
    CHECK(http_call(port, "GET", "/data/comments", artist).status == 403); // the list stays admin-only
}
