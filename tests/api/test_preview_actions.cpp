// tests/api/test_preview_actions.cpp: previews as Kitsu and gazu drive them: a comment gets a
// preview row, the file is uploaded and served under Zou's names and cache headers; other
// files; main previews, positions, annotations, deletion, the processing list.
#include <catch2/catch.hpp>

#include "support/test_media.h"
#include "support/test_server.h"

#include "engine/db/pool.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <unistd.h>

namespace fs = std::filesystem;
using namespace slate::test;

namespace {

struct Review {
    TestServer server;
    std::string token = server.login();
    int port = server.port();
    std::string project = server.create_project(token, "Big Buck");
    std::string shot = server.create_shot(token, project, "SH010");
    std::string task = server.create_task(token, project, shot, "Animation");
    fs::path dir;

    Review() {
        char pattern[] = "/tmp/slate-review-XXXXXX";
        dir = mkdtemp(pattern);
    }
    ~Review() { fs::remove_all(dir); }

    std::string query(const std::string& sql, slate::engine::db::Params params = {}) {
        auto connection = server.pool().acquire();
        const auto result = connection->exec(sql, params);
        return result.rows() ? std::string(result.get(0, 0)) : std::string();
    }

    std::string comment() {
        const auto posted =
            http_post(port, "/actions/tasks/" + task + "/comment",
                      R"({"task_status_id":")" + query("SELECT id FROM task_status WHERE name = 'Todo'") +
                          R"(","comment":"take a look"})",
                      token);
        REQUIRE(posted.status == 201);
        return posted.json()->getValue<std::string>("id");
    }

    HttpResponse add_preview(const std::string& comment_id, const std::string& body = "{}") {
        return http_post(port, "/actions/tasks/" + task + "/comments/" + comment_id + "/add-preview", body, token);
    }
};

Poco::JSON::Array::Ptr array_of(const HttpResponse& response) {
    INFO(response.body);
    Poco::JSON::Parser parser;
    return parser.parse(response.body).extract<Poco::JSON::Array::Ptr>();
}

} // namespace

TEST_CASE("a comment's preview is uploaded, announced and served", "[api][pg][previews]") {
    Review review;
    review.query("UPDATE project SET is_set_preview_automated = true RETURNING 1");
    const std::string comment = review.comment();
    const auto added = review.add_preview(comment);
    INFO(added.body);
    REQUIRE(added.status == 201);
    const auto preview = added.json();
    CHECK(preview->getValue<std::string>("status") == "processing");
    CHECK(preview->getValue<int>("revision") == 1);
    CHECK(preview->getValue<int>("position") == 1);
    CHECK(preview->getValue<std::string>("name").size() == 13);
    const std::string id = preview->getValue<std::string>("id");
    CHECK(review.query("SELECT count(*) FROM api_event WHERE name = 'preview-file:new'") == "1");

    const auto uploaded = http_upload(review.port, "/pictures/preview-files/" + id, review.token, "sh010_anim.jpg",
                                      make_png(review.dir, 320, 180));
    INFO(uploaded.body);
    REQUIRE(uploaded.status == 201);
    CHECK(uploaded.json()->getValue<std::string>("status") == "ready");
    CHECK(uploaded.json()->getValue<std::string>("original_name") == "sh010_anim");
    CHECK(review.query("SELECT count(*) FROM api_event WHERE name = 'preview-file:add-file'") == "1");
    CHECK(review.query("SELECT last_preview_file_id FROM task") == id);
    CHECK(review.query("SELECT preview_file_id FROM entity WHERE id = $1::uuid", {review.shot}) == id);
    // A second upload on the same row is refused.
    CHECK(http_upload(review.port, "/pictures/preview-files/" + id, review.token, "again.png",
                      make_png(review.dir, 32, 32))
              .status == 400);

    const auto thumbnail = http_get(review.port, "/pictures/thumbnails/preview-files/" + id + ".png", review.token);
    CHECK(thumbnail.status == 200);
    CHECK(png_width(thumbnail.body) == 150);
    CHECK(thumbnail.header("Cache-Control") == "max-age=604800, private");
    CHECK(!thumbnail.header("Expires").empty());
    CHECK(!thumbnail.header("Last-Modified").empty());
    CHECK(thumbnail.header("Content-Disposition") == "inline; filename=\"\"");
    HttpRequest again;
    again.path = "/pictures/thumbnails/preview-files/" + id + ".png";
    again.headers["Authorization"] = "Bearer " + review.token;
    again.headers["If-Modified-Since"] = thumbnail.header("Last-Modified");
    CHECK(send_request(review.port, again).status == 304);
    CHECK(png_width(http_get(review.port, "/pictures/previews/preview-files/" + id + ".png", review.token).body) ==
          1200);
    CHECK(png_width(http_get(review.port, "/pictures/originals/preview-files/" + id + ".png", review.token).body) ==
          320);
    const auto download = http_get(review.port, "/pictures/originals/preview-files/" + id + "/download", review.token);
    CHECK(download.status == 200);
    // A shot without a sequence: "<project>_<shot>_<task type>_v<revision>", slugified.
    CHECK(download.header("Content-Disposition") == "attachment; filename=big_buck_sh010_animation_v1.png");
    CHECK(http_get(review.port, "/movies/originals/preview-files/" + id + ".mp4", review.token).status == 404);

    // Someone outside the production sees none of it.
    review.server.create_person("outsider@example.com", "secret-outsider-1", "user");
    const auto outsider = review.server.login("outsider@example.com", "secret-outsider-1");
    CHECK(http_get(review.port, "/pictures/thumbnails/preview-files/" + id + ".png", outsider).status == 403);
}

TEST_CASE("other files are stored as sent and served by extension", "[api][pg][previews]") {
    Review review;
    const std::string comment = review.comment();
    const std::string id = review.add_preview(comment).json()->getValue<std::string>("id");
    const std::string pdf = "%PDF-1.4\n% a tiny document\n";
    const auto uploaded = http_upload(review.port, "/pictures/preview-files/" + id, review.token, "notes.PDF", pdf);
    INFO(uploaded.body);
    REQUIRE(uploaded.status == 201);
    CHECK(uploaded.json()->getValue<std::string>("extension") == "pdf");
    CHECK(uploaded.json()->getValue<std::string>("status") == "ready");
    const auto served = http_get(review.port, "/pictures/originals/preview-files/" + id + ".pdf", review.token);
    CHECK(served.status == 200);
    CHECK(served.body == pdf);
    CHECK(served.content_type == "application/pdf");
    CHECK(http_get(review.port, "/pictures/originals/preview-files/" + id + ".exe", review.token).status == 400);
    CHECK(http_get(review.port, "/pictures/originals/preview-files/" + id + "/download", review.token)
              .header("Content-Disposition") == "attachment; filename=big_buck_sh010_animation_v1.pdf");

    const std::string other = review.add_preview(comment).json()->getValue<std::string>("id");
    const auto refused = http_upload(review.port, "/pictures/preview-files/" + other, review.token, "virus.exe", "MZ");
    CHECK(refused.status == 400);
    CHECK(refused.json()->getValue<std::string>("message") == "Wrong file format, extension: exe");
    CHECK(review.query("SELECT count(*) FROM preview_file WHERE id = $1::uuid", {other}) == "0");
}

TEST_CASE("revisions, positions, main previews, annotations and deletion", "[api][pg][previews]") {
    Review review;
    const std::string comment = review.comment();
    const std::string first = review.add_preview(comment).json()->getValue<std::string>("id");
    const auto second = review.add_preview(comment);
    CHECK(second.json()->getValue<int>("revision") == 1);
    CHECK(second.json()->getValue<int>("position") == 2);
    const auto third =
        http_post(review.port, "/actions/tasks/" + review.task + "/comments/" + comment + "/preview-files/" + first,
                  "{}", review.token);
    REQUIRE(third.status == 201);
    CHECK(third.json()->getValue<int>("position") == 3);
    const std::string third_id = third.json()->getValue<std::string>("id");
    const auto taken = review.add_preview(review.comment(), R"({"revision":1})");
    CHECK(taken.status == 400);
    CHECK(review.add_preview(review.comment(), R"({"revision":-1})").status == 400);

    const auto moved = http_call(review.port, "PUT", "/actions/preview-files/" + third_id + "/update-position",
                                 review.token, R"({"position":1})");
    REQUIRE(moved.status == 200);
    const auto order = array_of(moved);
    REQUIRE(order->size() == 3);
    CHECK(order->getObject(0)->getValue<std::string>("id") == third_id);
    CHECK(order->getObject(1)->getValue<std::string>("id") == first);

    const auto main =
        http_call(review.port, "PUT", "/actions/preview-files/" + first + "/set-main-preview", review.token);
    INFO(main.body);
    CHECK(main.status == 200);
    CHECK(main.json()->getValue<std::string>("preview_file_id") == first);
    CHECK(review.query("SELECT count(*) FROM api_event WHERE name = 'shot:update'") != "0");
    review.query("UPDATE preview_file SET extension = 'png' WHERE id = $1::uuid RETURNING 1", {first});
    CHECK(http_call(review.port, "PUT", "/actions/preview-files/" + first + "/set-main-preview", review.token,
                    R"({"frame_number":3})")
              .status == 400); // not a movie
    CHECK(http_call(review.port, "PUT", "/actions/tasks/" + review.task + "/set-main-preview", review.token).status ==
          200);
    const auto many = http_call(review.port, "PUT", "/actions/tasks/set-main-preview", review.token,
                                R"({"task_ids":[")" + review.task + R"("]})");
    CHECK(array_of(many)->size() == 1);

    const std::string base = "/actions/preview-files/" + first + "/update-annotations";
    const auto drawn =
        http_call(review.port, "PUT", base, review.token,
                  R"({"additions":[{"time":1.5,"drawing":{"objects":[{"type":"path"},{"id":"a","type":"rect"}]}}]})");
    INFO(drawn.body);
    REQUIRE(drawn.status == 200);
    const auto annotations = drawn.json()->getArray("annotations");
    REQUIRE(annotations->size() == 1);
    const auto objects = annotations->getObject(0)->getObject("drawing")->getArray("objects");
    REQUIRE(objects->size() == 2);
    CHECK(!objects->getObject(0)->getValue<std::string>("id").empty());
    const auto updated =
        http_call(review.port, "PUT", base, review.token,
                  R"({"updates":[{"time":1.5,"drawing":{"objects":[{"id":"a","type":"circle"},{"id":"zz"}]}}],)"
                  R"("deletions":[{"time":1.5,"objects":[")" +
                      objects->getObject(0)->getValue<std::string>("id") + R"("]}]})");
    const auto left = updated.json()->getArray("annotations")->getObject(0)->getObject("drawing")->getArray("objects");
    REQUIRE(left->size() == 1);
    CHECK(left->getObject(0)->getValue<std::string>("type") == "circle");
    const auto cleared =
        http_call(review.port, "PUT", base, review.token, R"({"deletions":[{"time":1.5,"objects":["a"]}]})");
    CHECK(cleared.json()->getArray("annotations")->size() == 0);
    const auto not_a_list = http_call(review.port, "PUT", base, review.token, R"({"additions":5})");
    CHECK(not_a_list.status == 400);
    CHECK(not_a_list.json()->getValue<std::string>("message") == "Validation error.");
    CHECK(review.query("SELECT count(*) FROM api_event WHERE name = 'preview-file:annotation-update'") == "3");

    const auto running = http_get(review.port, "/data/playlists/preview-files/running", review.token);
    CHECK(array_of(running)->size() == 3);
    CHECK(
        http_get(review.port, "/data/playlists/preview-files/running?cursor_preview_file_id=x", review.token).status ==
        400);

    const auto removed =
        http_call(review.port, "DELETE",
                  "/actions/tasks/" + review.task + "/comments/" + comment + "/preview-files/" + first + "?force=true",
                  review.token);
    CHECK(removed.status == 204);
    CHECK(review.query("SELECT count(*) FROM preview_file WHERE id = $1::uuid", {first}) == "0");
    CHECK(review.query("SELECT preview_file_id IS NULL FROM entity WHERE id = $1::uuid", {review.shot}) == "t");
}

TEST_CASE("batch-comment posts comments with their files and previews", "[api][pg][previews]") {
    Review review;
    const std::string todo = review.query("SELECT id FROM task_status WHERE name = 'Todo'");
    const std::string wip = review.query("SELECT id FROM task_status WHERE name = 'Work In Progress'");
    HttpRequest request;
    request.method = "POST";
    request.path = "/actions/tasks/" + review.task + "/batch-comment";
    request.headers["Authorization"] = "Bearer " + review.token;
    request.headers["Content-Type"] = "multipart/form-data; boundary=XbatchX";
    auto part = [](const std::string& name, const std::string& filename, const std::string& bytes) {
        std::string header = "--XbatchX\r\nContent-Disposition: form-data; name=\"" + name + "\"";
        if (!filename.empty())
            header += "; filename=\"" + filename + "\"\r\nContent-Type: application/octet-stream";
        return header + "\r\n\r\n" + bytes + "\r\n";
    };
    request.body = part("comments", "",
                        R"([{"task_status_id":")" + todo + R"(","text":"first"},{"task_status_id":")" + wip +
                            R"(","text":"second","links":["https://example.com"]}])") +
                   part("preview_file-0", "frame.png", make_png(review.dir, 64, 48)) +
                   part("attachment_file-0", "notes.txt", "remember") + part("preview_file-1", "virus.exe", "MZ") +
                   "--XbatchX--\r\n";
    const auto posted = send_request(review.port, request);
    INFO(posted.body);
    REQUIRE(posted.status == 201);
    const auto comments = array_of(posted);
    REQUIRE(comments->size() == 2);
    const auto first = comments->getObject(0);
    CHECK(first->getValue<std::string>("text") == "first");
    REQUIRE(first->getArray("preview_files")->size() == 1);
    CHECK(first->getArray("preview_files")->getObject(0)->getValue<std::string>("status") == "ready");
    CHECK(first->getArray("attachment_files")->size() == 1);
    CHECK(comments->getObject(1)->getArray("preview_files")->size() == 0); // the .exe is dropped
    CHECK(review.query("SELECT task_status_id FROM task") == wip);
    CHECK(review.query("SELECT count(*) FROM preview_file") == "1");
}

TEST_CASE("deleting a task's last preview hands its place to the newest one left", "[api][pg][previews]") {
    Review review;
    const std::string older = review.add_preview(review.comment()).json()->getValue<std::string>("id");
    const std::string comment = review.comment();
    const std::string newer = review.add_preview(comment).json()->getValue<std::string>("id");
    // What the upload of its file records (update_preview_file_info).
    review.query("UPDATE task SET last_preview_file_id = $2::uuid WHERE id = $1::uuid RETURNING 1",
                 {review.task, newer});

    const auto removed = http_call(review.port, "DELETE",
                                   "/actions/tasks/" + review.task + "/comments/" + comment + "/preview-files/" +
                                       newer + "?force=true",
                                   review.token);
    CHECK(removed.status == 204);
    CHECK(review.query("SELECT last_preview_file_id FROM task WHERE id = $1::uuid", {review.task}) == older);

    const auto last = http_call(review.port, "DELETE", "/data/preview-files/" + older, review.token);
    CHECK(last.status == 204);
    CHECK(review.query("SELECT last_preview_file_id IS NULL FROM task WHERE id = $1::uuid", {review.task}) == "t");
}
