// tests/api/test_comments.cpp: comments over HTTP against PostgreSQL: a comment moves its
// task's status with Zou's events, carries files that download under their name, is replied
// to, acknowledged, moved; role rules and bad input.
#include <catch2/catch.hpp>

#include "support/test_server.h"

#include "engine/db/pool.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

using namespace slate::test;

namespace {

struct Production {
    TestServer server;
    std::string token = server.login();
    int port = server.port();
    std::string project = server.create_project(token, "Comments");
    std::string shot = server.create_shot(token, project, "SH010");
    std::string task = server.create_task(token, project, shot, "Animation");

    std::string status(const std::string& name) {
        return query("SELECT id FROM task_status WHERE name = '" + name + "'");
    }

    std::string query(const std::string& sql, slate::engine::db::Params params = {}) {
        auto connection = server.pool().acquire();
        const auto result = connection->exec(sql, params);
        return result.rows() ? std::string(result.get(0, 0)) : std::string();
    }

    HttpResponse comment(const std::string& status_name, const std::string& text, const std::string& as = "") {
        return http_post(port, "/actions/tasks/" + task + "/comment",
                         R"({"task_status_id":")" + status(status_name) + R"(","comment":")" + text + R"("})",
                         as.empty() ? token : as);
    }

    /// A person of that role in the project's team.
    std::string member(const std::string& email, const std::string& role) {
        const std::string id = server.create_person(email, "secret-password-1", role);
        query("INSERT INTO project_person_link (project_id, person_id) VALUES ($1::uuid, $2::uuid) RETURNING 1",
              {project, id});
        return server.login(email, "secret-password-1");
    }
};

HttpResponse multipart_comment(int port, const std::string& token, const std::string& task,
                               const std::string& status_id) {
    HttpRequest request;
    request.method = "POST";
    request.path = "/actions/tasks/" + task + "/comment";
    request.headers["Authorization"] = "Bearer " + token;
    request.headers["Content-Type"] = "multipart/form-data; boundary=b0undary";
    auto field = [](const std::string& name, const std::string& value) {
        return "--b0undary\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
    };
    auto file = [](const std::string& name, const std::string& filename, const std::string& type,
                   const std::string& bytes) {
        return "--b0undary\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename +
               "\"\r\nContent-Type: " + type + "\r\n\r\n" + bytes + "\r\n";
    };
    request.body = field("task_status_id", status_id) + field("comment", "with files") +
                   field("checklist", R"([{"text":"check the fur","checked":false}])") +
                   file("file-0", "notes.txt", "text/plain", "line one\nline two\n") +
                   file("file-1", "ref.png", "image/png", std::string("\x89PNG\r\n\x1a\n", 8) + "fake") +
                   "--b0undary--\r\n";
    return send_request(port, request);
}

} // namespace

TEST_CASE("a comment moves its task to the status, with Zou's answer and events", "[api][pg][comments]") {
    Production prod;
    const auto posted = prod.comment("Waiting For Approval", "ready for review");
    INFO(posted.body);
    REQUIRE(posted.status == 201);
    const auto comment = posted.json();
    CHECK(comment->getValue<std::string>("type") == "Comment");
    CHECK(comment->getValue<std::string>("object_type") == "Task");
    CHECK(comment->getObject("task_status")->getValue<std::string>("name") == "Waiting For Approval");
    CHECK(comment->getObject("person")->getValue<std::string>("email") == admin_email);
    CHECK(!comment->getObject("person")->has("password"));
    CHECK(comment->getArray("attachment_files")->size() == 0);

    CHECK(prod.query("SELECT task_status_id FROM task") == prod.status("Waiting For Approval"));
    CHECK(!prod.query("SELECT end_date FROM task").empty());
    CHECK(!prod.query("SELECT last_comment_date FROM task").empty());
    for (const char* event : {"comment:new", "task:update", "task:status-changed", "task:to-review"})
        CHECK(prod.query("SELECT count(*) FROM api_event WHERE name = $1", {std::string(event)}) == "1");

    // Retakes count, and a project cap stops them.
    prod.query("UPDATE project SET max_retakes = 1 RETURNING 1");
    CHECK(prod.comment("Retake", "again").status == 201);
    CHECK(prod.query("SELECT retake_count FROM task") == "1");
    CHECK(prod.comment("Work In Progress", "on it").status == 201);
    CHECK(!prod.query("SELECT real_start_date FROM task").empty());
    const auto capped = prod.comment("Retake", "once more");
    CHECK(capped.status == 400);
    CHECK(capped.json()->getValue<std::string>("message") == "No more retakes allowed on this task");
    CHECK(prod.query("SELECT count(*) FROM comment") == "3");
}

TEST_CASE("comment files are stored, listed, downloaded by name and deleted", "[api][pg][comments]") {
    Production prod;
    const auto posted = multipart_comment(prod.port, prod.token, prod.task, prod.status("Todo"));
    INFO(posted.body);
    REQUIRE(posted.status == 201);
    const auto files = posted.json()->getArray("attachment_files");
    REQUIRE(files->size() == 2);
    const auto notes = files->getObject(0);
    CHECK(notes->getValue<std::string>("name") == "notes.txt");
    CHECK(notes->getValue<std::string>("extension") == "txt");
    CHECK(notes->getValue<int>("size") == 18);
    CHECK(posted.json()->getArray("checklist")->getObject(0)->getValue<std::string>("text") == "check the fur");

    const std::string notes_id = notes->getValue<std::string>("id");
    const auto download = http_get(prod.port, "/data/attachment-files/" + notes_id + "/file/notes.txt", prod.token);
    CHECK(download.status == 200);
    CHECK(download.body == "line one\nline two\n");
    CHECK(download.content_type.find("text/plain") == 0);
    CHECK(download.header("Content-Disposition") == "attachment; filename=notes.txt");
    const std::string png_id = files->getObject(1)->getValue<std::string>("id");
    CHECK(
        http_get(prod.port, "/data/attachment-files/" + png_id + "/file/x", prod.token).header("Content-Disposition") ==
        "inline; filename=ref.png");
    // Comment attachments get no thumbnail (only chat pictures do).
    CHECK(http_get(prod.port, "/pictures/thumbnails/attachment-files/" + png_id + ".png", prod.token).status == 404);

    Poco::JSON::Parser parser;
    const auto listed =
        parser.parse(http_get(prod.port, "/data/tasks/" + prod.task + "/attachment-files", prod.token).body)
            .extract<Poco::JSON::Array::Ptr>();
    CHECK(listed->size() == 2);
    // AttachmentFile.serialize(): the comment row itself, and no chat message.
    CHECK(listed->getObject(0)->getObject("comment")->getValue<std::string>("type") == "Comment");
    CHECK(listed->getObject(0)->isNull("chat_message"));
    CHECK(parser.parse(http_get(prod.port, "/data/projects/" + prod.project + "/attachment-files", prod.token).body)
              .extract<Poco::JSON::Array::Ptr>()
              ->size() == 2);

    const std::string comment_id = posted.json()->getValue<std::string>("id");
    const auto added =
        http_upload(prod.port, "/actions/tasks/" + prod.task + "/comments/" + comment_id + "/add-attachment",
                    prod.token, "more.pdf", "%PDF-1.4");
    CHECK(added.status == 201);
    CHECK(parser.parse(added.body).extract<Poco::JSON::Array::Ptr>()->size() == 3);

    const auto removed =
        http_call(prod.port, "DELETE",
                  "/data/tasks/" + prod.task + "/comments/" + comment_id + "/attachments/" + notes_id, prod.token);
    CHECK(removed.status == 204);
    CHECK(http_get(prod.port, "/data/attachment-files/" + notes_id + "/file/notes.txt", prod.token).status == 404);
    CHECK(http_call(prod.port, "DELETE",
                    "/data/tasks/" + prod.shot + "/comments/" + comment_id + "/attachments/" + png_id, prod.token)
              .status == 403);
}

TEST_CASE("replies, acknowledgements, mentions and moving a comment", "[api][pg][comments]") {
    Production prod;
    const std::string artist = prod.member("artist@example.com", "user");
    const std::string artist_id = prod.query("SELECT id FROM person WHERE email = 'artist@example.com'");
    const auto posted = prod.comment("Todo", "@Test user have a look");
    REQUIRE(posted.status == 201);
    const auto comment = posted.json();
    const std::string comment_id = comment->getValue<std::string>("id");
    REQUIRE(comment->getArray("mentions")->size() == 1);
    CHECK(comment->getArray("mentions")->getElement<std::string>(0) == artist_id);
    const std::string base = "/data/tasks/" + prod.task + "/comments/" + comment_id;

    // Named in the conversation, the artist may answer without being assigned.
    const auto reply = http_post(prod.port, base + "/reply", R"({"text":"looking"})", artist);
    INFO(reply.body);
    REQUIRE(reply.status == 200);
    const std::string reply_id = reply.json()->getValue<std::string>("id");
    CHECK(reply.json()->getValue<std::string>("person_id") == artist_id);
    // build_short_person, and no attachment_files without files.
    const auto author = reply.json()->getObject("person");
    CHECK(author->getValue<std::string>("role") == "user");
    CHECK(author->size() == 6);
    CHECK_FALSE(author->has("active"));
    CHECK_FALSE(reply.json()->has("attachment_files"));
    CHECK(prod.query("SELECT jsonb_array_length(replies) FROM comment") == "1");
    CHECK(http_call(prod.port, "DELETE", base + "/reply/" + reply_id, prod.token).status == 200);
    CHECK(prod.query("SELECT jsonb_array_length(replies) FROM comment") == "0");
    CHECK(http_call(prod.port, "DELETE", base + "/reply/" + reply_id, prod.token).status == 404);

    const auto acked = http_post(prod.port, base + "/ack", "", prod.token);
    CHECK(acked.status == 200);
    CHECK(acked.json()->getArray("acknowledgements")->size() == 1);
    CHECK(http_post(prod.port, base + "/ack", "", prod.token).json()->getArray("acknowledgements")->size() == 0);

    const std::string layout = prod.server.create_task(prod.token, prod.project, prod.shot, "Layout");
    const auto moved = http_post(prod.port, "/actions/tasks/" + prod.task + "/comments/" + comment_id + "/move",
                                 R"({"target_task_id":")" + layout + R"("})", prod.token);
    INFO(moved.body);
    CHECK(moved.status == 200);
    CHECK(prod.query("SELECT object_id FROM comment") == layout);
    CHECK(prod.query("SELECT last_comment_date IS NULL FROM task WHERE id = $1::uuid", {prod.task}) == "t");
    CHECK(prod.query("SELECT last_comment_date IS NOT NULL FROM task WHERE id = $1::uuid", {layout}) == "t");
    const auto wrong = http_post(prod.port, "/actions/tasks/" + prod.task + "/comments/" + comment_id + "/move",
                                 R"({"target_task_id":")" + layout + R"("})", prod.token);
    CHECK(wrong.status == 400);
    CHECK(wrong.json()->getValue<std::string>("message") == "Comment does not belong to the given task.");
    CHECK((wrong.json()->has("data") && wrong.json()->isNull("data"))); // a WrongParameterException
}

TEST_CASE("who may comment, with which status", "[api][pg][comments]") {
    Production prod;
    const std::string artist = prod.member("artist@example.com", "user");
    CHECK(prod.comment("Work In Progress", "not mine", artist).status == 403);
    prod.query("INSERT INTO task_person_link (task_id, person_id) SELECT $1::uuid, id FROM person "
               "WHERE email = 'artist@example.com' RETURNING 1",
               {prod.task});
    prod.query("UPDATE task_status SET is_artist_allowed = false WHERE name = 'Done' RETURNING 1");
    CHECK(prod.comment("Done", "finished?", artist).status == 403);
    // An artist's comment is theirs, whatever author they name.
    const auto own =
        http_post(prod.port, "/actions/tasks/" + prod.task + "/comment",
                  R"({"task_status_id":")" + prod.status("Work In Progress") + R"(","comment":"mine","person_id":")" +
                      prod.query("SELECT id FROM person WHERE role = 'admin'") + R"(","for_client":true})",
                  artist);
    REQUIRE(own.status == 201);
    CHECK(own.json()->getObject("person")->getValue<std::string>("email") == "artist@example.com");
    CHECK(own.json()->getValue<bool>("for_client") == false);

    // Managers comment many tasks at once.
    const auto many = http_post(prod.port, "/actions/projects/" + prod.project + "/tasks/comment-many",
                                R"([{"object_id":")" + prod.task + R"(","task_status_id":")" + prod.status("Todo") +
                                    R"(","comment":"batch"},{"object_id":"nope"}])",
                                prod.token);
    CHECK(many.status == 201);
    Poco::JSON::Parser parser;
    const auto batch = parser.parse(many.body).extract<Poco::JSON::Array::Ptr>();
    REQUIRE(batch->size() == 1);
    // The author is read as get_person reads a named person: with its departments.
    CHECK(batch->getObject(0)->getObject("person")->getArray("departments"));
    // The current user, unnamed, without.
    CHECK_FALSE(prod.comment("Todo", "single").json()->getObject("person")->has("departments"));
}

TEST_CASE("bad comment input answers 4xx and writes nothing", "[api][pg][comments]") {
    Production prod;
    const auto missing =
        http_post(prod.port, "/actions/tasks/" + prod.task + "/comment", R"({"comment":"x"})", prod.token);
    CHECK(missing.status == 400);
    CHECK(missing.json()->getValue<std::string>("message") == "Validation error.");
    CHECK(http_post(prod.port, "/actions/tasks/" + prod.task + "/comment",
                    R"({"task_status_id":"6f0c27a1-42c8-4a93-9d1c-0a6c9c0f1e55"})", prod.token)
              .status == 404);
    CHECK(http_post(prod.port, "/actions/tasks/not-a-task/comment",
                    R"({"task_status_id":")" + prod.status("Todo") + R"("})", prod.token)
              .status == 404);
    CHECK(http_post(prod.port, "/actions/tasks/" + prod.task + "/comment",
                    R"({"task_status_id":")" + prod.status("Todo") + R"(","checklist":"{not json"})", prod.token)
              .status == 400);
    CHECK(http_post(prod.port, "/actions/projects/" + prod.project + "/tasks/comment-many", "{}", prod.token).status ==
          400);
    CHECK(prod.query("SELECT count(*) FROM comment") == "0");
}
