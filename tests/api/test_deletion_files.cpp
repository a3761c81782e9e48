// tests/api/test_deletion_files.cpp: deleting a production, an entity, a task, a comment or a
// preview takes the stored files of the rows it deletes (preview pictures in all their variants,
// attachments) once it has committed: with REMOVE_FILES, or whatever it says for a forced
// project or preview deletion (Zou's deletion_service). A refused deletion keeps them.
#include <catch2/catch.hpp>

#include "support/test_media.h"
#include "support/test_server.h"

#include "engine/config.h"
#include "engine/storage/file_store.h"

#include <unistd.h>

#include <filesystem>
#include <functional>

namespace fs = std::filesystem;
using namespace slate::test;
using slate::engine::storage::Bucket;
using slate::engine::storage::make_key;

namespace {

/// A production with a shot and its task, a PNG at hand, and the store to look into.
struct Stored {
    explicit Stored(bool remove_files)
        : server([remove_files](slate::engine::Config& c) { c.remove_files = remove_files; }) {}
    ~Stored() { fs::remove_all(dir); }

    TestServer server;
    int port = server.port();
    std::string token = server.login();
    std::string project = server.create_project(token, "Stored");
    std::string shot = server.create_shot(token, project, "SH010");
    fs::path dir = [] {
        char pattern[] = "/tmp/slate-deletion-XXXXXX";
        return fs::path(mkdtemp(pattern));
    }();
    std::string png = make_png(dir, 320, 180);
    slate::engine::storage::LocalFileStore store{server.config().file_store_root(),
                                                 server.config().fs_bucket_prefix};

    std::string task(const std::string& entity, const std::string& type = "Animation") {
        return server.create_task(token, project, entity, type);
    }
    /// A PNG preview of the task, uploaded through a comment (its variants made by the worker).
    std::string preview(const std::string& task_id) {
        const std::string id = server.uploaded_preview(token, task_id, "frame.png", png);
        REQUIRE(server.query("SELECT status FROM preview_file WHERE id = $1::uuid", {id}) == "ready");
        REQUIRE(picture_count(id) == 4);
        return id;
    }
    std::string comment_of(const std::string& preview_id) {
        return server.query("SELECT comment FROM comment_preview_link WHERE preview_file = $1::uuid UNION "
                            "SELECT id FROM comment WHERE preview_file_id = $1::uuid",
                            {preview_id});
    }
    /// A text file attached to the comment: its attachment id.
    std::string attachment(const std::string& task_id, const std::string& comment_id) {
        const auto added = http_upload(port, "/actions/tasks/" + task_id + "/comments/" + comment_id + "/add-attachment",
                                       token, "notes.txt", "some notes");
        INFO(added.body);
        REQUIRE(added.status == 201);
        const std::string id = server.query("SELECT id FROM attachment_file WHERE comment_id = $1::uuid", {comment_id});
        REQUIRE(attached(id));
        return id;
    }
    /// How many of a PNG preview's stored pictures are on disk (4 when all are).
    int picture_count(const std::string& id) {
        int count = 0;
        for (const char* prefix : {"original", "thumbnails", "thumbnails-square", "previews"})
            count += fs::exists(store.path_of(Bucket::pictures, make_key(prefix, id))) ? 1 : 0;
        return count;
    }
    bool attached(const std::string& id) { return fs::exists(store.path_of(Bucket::files, make_key("attachments", id))); }
    int remove(const std::string& path) { return http_call(port, "DELETE", path, token).status; }
};

} // namespace

TEST_CASE("with REMOVE_FILES, a deletion takes the stored files of what it deletes", "[api][pg][deletion]") {
    Stored s(true);

    // A shot: canceled without force (its files kept), deleted for good with it.
    const std::string shot_task = s.task(s.shot);
    const std::string shot_preview = s.preview(shot_task);
    const std::string shot_attachment = s.attachment(shot_task, s.comment_of(shot_preview));
    CHECK(s.remove("/data/shots/" + s.shot) == 204);
    CHECK(s.server.query("SELECT canceled FROM entity WHERE id = $1::uuid", {s.shot}) == "t");
    CHECK(s.picture_count(shot_preview) == 4);
    CHECK(s.attached(shot_attachment));
    CHECK(s.remove("/data/shots/" + s.shot + "?force=true") == 204);
    CHECK(s.picture_count(shot_preview) == 0);
    CHECK_FALSE(s.attached(shot_attachment));

    // An asset, forced.
    const auto asset = http_post(s.port,
                                 "/data/projects/" + s.project + "/asset-types/" +
                                     s.server.query("SELECT id FROM entity_type WHERE name = 'Prop'") + "/assets/new",
                                 R"({"name":"Chair"})", s.token);
    REQUIRE(asset.status == 201);
    const std::string chair = asset.json()->getValue<std::string>("id");
    const auto modeling = http_post(s.port, "/data/tasks",
                                    R"({"project_id":")" + s.project + R"(","entity_id":")" + chair +
                                        R"(","task_type_id":")" +
                                        s.server.query("SELECT id FROM task_type WHERE name = 'Modeling'") + R"("})",
                                    s.token);
    REQUIRE(modeling.status == 201);
    const std::string chair_preview = s.preview(modeling.json()->getValue<std::string>("id"));
    CHECK(s.remove("/data/assets/" + chair + "?force=true") == 204);
    CHECK(s.picture_count(chair_preview) == 0);

    // A task: refused to someone who does not manage the production, then forced.
    const std::string other = s.server.create_shot(s.token, s.project, "SH020");
    const std::string task = s.task(other);
    const std::string task_preview = s.preview(task);
    s.server.create_person("artist@example.com", "artist-password", "user");
    const std::string artist = s.server.login("artist@example.com", "artist-password");
    CHECK(http_call(s.port, "DELETE", "/data/tasks/" + task + "?force=true", artist).status == 403);
    CHECK(s.picture_count(task_preview) == 4);
    CHECK(s.remove("/data/tasks/" + task + "?force=true") == 204);
    CHECK(s.picture_count(task_preview) == 0);

    // A comment with its preview and attachment; the other comment's files stay.
    const std::string kept_task = s.task(other, "Layout");
    const std::string kept = s.preview(kept_task);
    const std::string dropped = s.preview(kept_task);
    const std::string comment = s.comment_of(dropped);
    const std::string attachment = s.attachment(kept_task, comment);
    CHECK(s.remove("/data/tasks/" + kept_task + "/comments/" + comment) == 204);
    CHECK(s.picture_count(dropped) == 0);
    CHECK_FALSE(s.attached(attachment));
    CHECK(s.picture_count(kept) == 4);

    // A preview through the generic route; the batch deletion of a production's tasks.
    CHECK(s.remove("/data/preview-files/" + kept) == 204);
    CHECK(s.picture_count(kept) == 0);
    const std::string batch_preview = s.preview(kept_task);
    const auto batch = http_post(s.port, "/actions/projects/" + s.project + "/delete-tasks", "[\"" + kept_task + "\"]",
                                 s.token);
    INFO(batch.body);
    CHECK(batch.status == 200);
    CHECK(s.picture_count(batch_preview) == 0);
}

TEST_CASE("without REMOVE_FILES, only a forced production or preview deletion takes preview files",
          "[api][pg][deletion]") {
    Stored s(false);
    const std::string task = s.task(s.shot);
    const std::string first = s.preview(task);
    const std::string attachment = s.attachment(task, s.comment_of(first));
    const std::string second = s.preview(s.task(s.shot, "Layout"));
    const std::string third = s.preview(task);

    // Zou keeps the files of a forced task deletion when REMOVE_FILES is off.
    const std::string layout = s.server.query("SELECT task_id FROM preview_file WHERE id = $1::uuid", {second});
    CHECK(s.remove("/data/tasks/" + layout + "?force=true") == 204);
    CHECK(s.server.query("SELECT count(*) FROM preview_file WHERE id = $1::uuid", {second}) == "0");
    CHECK(s.picture_count(second) == 4);

    // A preview deleted with force goes with its files; without, the files stay.
    const std::string comment = s.comment_of(third);
    CHECK(s.remove("/actions/tasks/" + task + "/comments/" + comment + "/preview-files/" + third + "?force=true") ==
          204);
    CHECK(s.picture_count(third) == 0);

    // An open production is not deleted: its files stay. Closed, its forced deletion takes the
    // previews' files (attachments stay without REMOVE_FILES).
    const std::string path = "/data/projects/" + s.project + "?force=true";
    CHECK(s.remove(path) == 400);
    CHECK(s.picture_count(first) == 4);
    REQUIRE(http_call(s.port, "PUT", "/data/projects/" + s.project, s.token,
                      R"({"project_status_id":")" + s.server.query("SELECT id FROM project_status WHERE name = 'Closed'") +
                          "\"}")
                .status == 200);
    CHECK(s.remove(path) == 204);
    CHECK(s.server.query("SELECT count(*) FROM project WHERE id = $1::uuid", {s.project}) == "0");
    CHECK(s.picture_count(first) == 0);
    CHECK(s.attached(attachment));
}
