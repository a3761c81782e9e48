// tests/api/test_playlists.cpp: playlists as the review room reads them: lists per project and
// episode, a playlist with its entities' preview revisions, entities added once per preview,
// build jobs, and who may do what.
#include <catch2/catch.hpp>

#include "support/test_media.h"
#include "support/test_server.h"

#include "engine/db/pool.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Zip/ZipArchive.h>

#include <unistd.h>

#include <filesystem>
#include <iterator>
#include <sstream>

using namespace slate::test;

namespace {

struct Review {
    TestServer server;
    std::string token = server.login();
    int port = server.port();
    std::string project = server.create_project(token, "Dailies");
    std::string shot = server.create_shot(token, project, "SH100");
    std::string task = server.create_task(token, project, shot, "Animation");

    std::string query(const std::string& sql, slate::engine::db::Params params = {}) {
        auto connection = server.pool().acquire();
        const auto result = connection->exec(sql, params);
        return result.rows() ? std::string(result.get(0, 0)) : std::string();
    }

    std::string playlist(const std::string& name, bool for_client = false) {
        const auto created = http_post(port, "/data/playlists",
                                       R"({"name":")" + name + R"(","project_id":")" + project + R"(","for_client":)" +
                                           (for_client ? "true" : "false") + "}",
                                       token);
        INFO(created.body);
        REQUIRE(created.status == 201);
        return created.json()->getValue<std::string>("id");
    }

    /// A preview of the task with a real PNG uploaded through the API.
    std::string uploaded_preview(const std::filesystem::path& dir) {
        const auto comment = http_post(
            port, "/actions/tasks/" + task + "/comment",
            R"({"task_status_id":")" + query("SELECT id FROM task_status WHERE name = 'Todo'") + R"("})", token);
        const std::string comment_id = comment.json()->getValue<std::string>("id");
        const std::string id =
            http_post(port, "/actions/tasks/" + task + "/comments/" + comment_id + "/add-preview", "{}", token)
                .json()
                ->getValue<std::string>("id");
        REQUIRE(http_upload(port, "/pictures/preview-files/" + id, token, "frame.png", make_png(dir, 64, 32)).status ==
                201);
        return id;
    }

    /// A preview row of the task at that revision (no file needed to be listed).
    std::string preview(int revision, int position = 1) {
        return query(R"(INSERT INTO preview_file (id, name, revision, position, task_id, extension, status,
                            validation_status, created_at, updated_at)
                        VALUES (gen_random_uuid(), substr(md5(random()::text), 1, 13), $2::int, $3::int, $1::uuid, 'mp4',
                                'ready', 'neutral', clock_timestamp(), clock_timestamp()) RETURNING id)",
                     {task, std::to_string(revision), std::to_string(position)});
    }
};

Poco::JSON::Array::Ptr array_of(const HttpResponse& response) {
    INFO(response.body);
    Poco::JSON::Parser parser;
    return parser.parse(response.body).extract<Poco::JSON::Array::Ptr>();
}

} // namespace

TEST_CASE("a playlist lists its entities with every preview revision", "[api][pg][playlists]") {
    Review review;
    const std::string first = review.preview(1);
    const std::string second = review.preview(2);
    const std::string extra = review.preview(2, 2);
    const std::string playlist = review.playlist("Monday");

    const auto added = http_post(review.port, "/actions/playlists/" + playlist + "/add-entity",
                                 R"({"entity_id":")" + review.shot + R"("})", review.token);
    INFO(added.body);
    REQUIRE(added.status == 200);
    auto shots = added.json()->getArray("shots");
    REQUIRE(shots->size() == 1);
    // The latest: the highest revision, the newest of it (Zou breaks ties by creation).
    CHECK(shots->getObject(0)->getValue<std::string>("preview_file_id") == extra);
    // The same couple is not added twice; another preview of the entity is.
    http_post(review.port, "/actions/playlists/" + playlist + "/add-entity",
              R"({"entity_id":")" + review.shot + R"("})", review.token);
    const auto both = http_post(
        review.port, "/actions/playlists/" + playlist + "/add-entities",
        R"({"entities":[{"entity_id":")" + review.shot + R"(","preview_file_id":")" + first + R"("}]})", review.token);
    CHECK(both.json()->getArray("shots")->size() == 2);
    CHECK(http_post(review.port, "/actions/playlists/" + playlist + "/add-entities", R"({"entities":[]})",
                    review.token)
              .status == 400); // at least one entity
    CHECK(review.query("SELECT count(*) FROM api_event WHERE name = 'playlist:add_entity'") == "2");

    const auto read =
        http_get(review.port, "/data/projects/" + review.project + "/playlists/" + playlist, review.token);
    INFO(read.body);
    REQUIRE(read.status == 200);
    const auto entry = read.json()->getArray("shots")->getObject(0);
    CHECK(entry->getValue<std::string>("id") == review.shot);
    CHECK(entry->getValue<int>("preview_file_revision") == 2);
    CHECK(entry->getValue<std::string>("preview_file_extension") == "mp4");
    const auto by_type = entry->getObject("preview_files");
    const std::string animation = review.query("SELECT task_type_id FROM task");
    const auto revisions = by_type->getArray(animation);
    REQUIRE(revisions->size() == 2); // revision 2 (with its second preview), then revision 1
    CHECK(revisions->getObject(0)->getValue<std::string>("id") == second);
    CHECK(revisions->getObject(0)->getArray("previews")->getObject(0)->getValue<std::string>("id") == extra);
    CHECK(revisions->getObject(1)->getValue<std::string>("id") == first);
    CHECK(read.json()->getArray("build_jobs")->size() == 0);
    // A playlist's entries write str() of Zou's status choice: its label.
    review.query("UPDATE preview_file SET status = 'ready', annotations = NULL RETURNING 1");
    const auto labelled = http_get(review.port, "/data/projects/" + review.project + "/playlists/" + playlist,
                                   review.token)
                              .json()
                              ->getArray("shots")
                              ->getObject(0);
    CHECK(labelled->getValue<std::string>("preview_file_status") == "Ready");
    CHECK(labelled->getObject("preview_files")->getArray(animation)->getObject(0)->getValue<std::string>("status") ==
          "Ready");

    // The entity's previews write the status's code, and a null annotation list as null.
    const auto previews =
        http_get(review.port, "/data/playlists/entities/" + review.shot + "/preview-files", review.token);
    CHECK(previews.json()->getArray(animation)->size() == 2);
    CHECK(previews.json()->getArray(animation)->getObject(0)->getValue<std::string>("status") == "ready");
    CHECK(previews.json()->getArray(animation)->getObject(0)->isNull("annotations"));

    // Every playlist of the project with its relations (get_paginated_results).
    const auto all = http_get(review.port, "/data/projects/" + review.project + "/playlists/all", review.token);
    INFO(all.body);
    REQUIRE(all.status == 200);
    Poco::JSON::Parser parser;
    const auto listed = parser.parse(all.body).extract<Poco::JSON::Array::Ptr>();
    REQUIRE(listed->size() == 1);
    REQUIRE(listed->getObject(0)->getArray("build_jobs"));
    CHECK(listed->getObject(0)->getArray("build_jobs")->size() == 0);
}

TEST_CASE("playlist lists: pages, episodes, clients and vendors", "[api][pg][playlists]") {
    Review review;
    const std::string internal = review.playlist("Internal");
    const std::string shown = review.playlist("For the client", true);
    const auto list = array_of(http_get(review.port, "/data/projects/" + review.project + "/playlists", review.token));
    REQUIRE(list->size() == 2);
    const auto row = list->getObject(0);
    CHECK(row->getValue<std::string>("type") == "Playlist");
    CHECK(row->getValue<std::string>("for_entity") == "shot");
    CHECK(!row->has("shots"));
    CHECK(array_of(http_get(review.port, "/data/projects/" + review.project + "/episodes/main/playlists", review.token))
              ->size() == 2);
    CHECK(array_of(http_get(review.port, "/data/projects/" + review.project + "/episodes/all/playlists", review.token))
              ->size() == 0);
    CHECK(http_get(review.port, "/data/projects/" + review.project + "/episodes/" + review.shot + "/playlists",
                   review.token)
              .status == 404);
    CHECK(array_of(http_get(review.port, "/data/projects/" + review.project + "/playlists?page=2", review.token))
              ->size() == 0);

    const std::string client_id = review.server.create_person("client@example.com", "client-password-1", "client");
    const std::string vendor_id = review.server.create_person("vendor@example.com", "vendor-password-1", "vendor");
    for (const auto& id : {client_id, vendor_id})
        review.query("INSERT INTO project_person_link (project_id, person_id) VALUES ($1::uuid, $2::uuid) RETURNING 1",
                     {review.project, id});
    const auto client = review.server.login("client@example.com", "client-password-1");
    const auto seen = array_of(http_get(review.port, "/data/projects/" + review.project + "/playlists", client));
    REQUIRE(seen->size() == 1);
    CHECK(seen->getObject(0)->getValue<std::string>("id") == shown);
    const auto vendor = review.server.login("vendor@example.com", "vendor-password-1");
    CHECK(http_get(review.port, "/data/projects/" + review.project + "/playlists", vendor).status == 403);
    CHECK(http_post(review.port, "/actions/playlists/" + internal + "/add-entity",
                    R"({"entity_id":")" + review.shot + R"("})", client)
              .status == 403);
    CHECK(http_post(review.port, "/actions/playlists/" + internal + "/add-entity", "{}", review.token).status == 400);
}

TEST_CASE("build jobs are read and deleted per playlist", "[api][pg][playlists]") {
    Review review;
    const std::string playlist = review.playlist("Builds");
    const std::string other = review.playlist("Other");
    const std::string job =
        review.query("INSERT INTO build_job (id, status, job_type, playlist_id, created_at, updated_at) "
                     "VALUES (gen_random_uuid(), 'succeeded', 'movie', $1::uuid, now(), now()) RETURNING id",
                     {playlist});
    const auto read = http_get(review.port, "/data/playlists/" + playlist + "/jobs/" + job, review.token);
    INFO(read.body);
    CHECK(read.status == 200);
    CHECK(read.json()->getValue<std::string>("status") == "succeeded");
    CHECK(http_get(review.port, "/data/playlists/" + other + "/jobs/" + job, review.token).status == 404);
    CHECK(array_of(http_get(review.port, "/data/projects/" + review.project + "/build-jobs", review.token))->size() ==
          1);
    CHECK(http_get(review.port, "/data/projects/" + review.project + "/playlists/" + playlist, review.token)
              .json()
              ->getArray("build_jobs")
              ->size() == 1);
    CHECK(http_call(review.port, "DELETE", "/data/playlists/" + playlist + "/jobs/" + job, review.token).status == 204);
    CHECK(review.query("SELECT count(*) FROM build_job") == "0");
    CHECK(review.query("SELECT count(*) FROM api_event WHERE name = 'build-job:delete'") == "1");
}

TEST_CASE("a playlist downloads as a zip of its previews under their names", "[api][pg][playlists]") {
    Review review;
    char pattern[] = "/tmp/slate-zip-XXXXXX";
    const std::filesystem::path dir = mkdtemp(pattern);
    const std::string preview = review.uploaded_preview(dir);
    const std::string playlist = review.playlist("Zip me");
    http_post(review.port, "/actions/playlists/" + playlist + "/add-entity",
              R"({"entity_id":")" + review.shot + R"("})", review.token);

    const auto zip = http_get(review.port, "/data/playlists/" + playlist + "/download/zip", review.token);
    REQUIRE(zip.status == 200);
    CHECK(zip.content_type == "application/zip");
    CHECK(zip.header("Content-Disposition") == "attachment; filename=dailies_zip_me.zip");
    std::istringstream in(zip.body);
    Poco::Zip::ZipArchive archive(in);
    REQUIRE(std::distance(archive.headerBegin(), archive.headerEnd()) == 1);
    const auto& header = archive.headerBegin()->second;
    CHECK(header.getFileName() == "dailies_sh100_animation_v1.png");
    CHECK(header.getCompressionMethod() == Poco::Zip::ZipCommon::CM_STORE);
    const std::string original =
        http_get(review.port, "/pictures/originals/preview-files/" + preview + ".png", review.token).body;
    CHECK(header.getUncompressedSize() == original.size());
    std::filesystem::remove_all(dir);
}

TEST_CASE("share links are made, listed without their password, revoked and mailed", "[api][pg][playlists]") {
    Review review;
    const std::string playlist = review.playlist("Shared");
    const std::string base = "/data/playlists/" + playlist + "/share";
    const auto made = http_post(
        review.port, base, R"({"expiration_date":"2031-05-10","password":"s3cret","can_comment":false})", review.token);
    INFO(made.body);
    REQUIRE(made.status == 201);
    const auto link = made.json();
    CHECK(link->getValue<bool>("has_password"));
    CHECK(!link->has("password"));
    CHECK(!link->getValue<bool>("can_comment"));
    CHECK(link->getValue<std::string>("expiration_date") == "2031-05-10T23:59:59");
    const std::string token = link->getValue<std::string>("token");
    CHECK(review.query("SELECT password LIKE '$2%' FROM playlist_share_link") == "t"); // bcrypt, never the text
    CHECK(http_post(review.port, base, R"({"expiration_date":"next tuesday"})", review.token).status == 400);

    const auto listed = array_of(http_get(review.port, base, review.token));
    REQUIRE(listed->size() == 1);
    CHECK(!listed->getObject(0)->has("password"));

    const std::string person = review.server.create_person("reviewer@example.com", "reviewer-password-1", "user");
    const auto sent = http_post(review.port, base + "/" + token + "/invite",
                                R"({"emails":["Reviewer@example.com","guest@studio.test"],"person_ids":[")" + person +
                                    R"("],"message":"Please look <now>"})",
                                review.token);
    INFO(sent.body);
    REQUIRE(sent.status == 200);
    CHECK(sent.json()->getArray("sent")->size() == 2);
    REQUIRE(review.server.mail().wait_for(2));
    CHECK(http_post(review.port, base + "/" + token + "/invite", R"({"emails":["not an address"]})", review.token)
              .status == 400);

    const auto artist = review.server.login("reviewer@example.com", "reviewer-password-1");
    CHECK(http_get(review.port, base, artist).status == 403);
    const auto revoked = http_call(review.port, "DELETE", base + "/" + token, review.token);
    CHECK(revoked.status == 200);
    CHECK(!revoked.json()->getValue<bool>("is_active"));
    CHECK(array_of(http_get(review.port, base, review.token))->size() == 0);
    CHECK(http_call(review.port, "DELETE", "/data/playlists/" + review.playlist("Other") + "/share/" + token,
                    review.token)
              .status == 404);
}

TEST_CASE("a share link shows its playlist and the previews it reaches, nothing else", "[api][pg][playlists]") {
    Review review;
    char pattern[] = "/tmp/slate-shared-XXXXXX";
    const std::filesystem::path dir = mkdtemp(pattern);
    const std::string shown = review.uploaded_preview(dir);
    const std::string hidden = review.uploaded_preview(dir); // revision 2: not positioned
    const std::string playlist = review.playlist("Shared review");
    http_post(review.port, "/actions/playlists/" + playlist + "/add-entities",
              R"({"entities":[{"entity_id":")" + review.shot + R"(","preview_file_id":")" + shown + R"("}]})",
              review.token);
    const std::string token =
        http_post(review.port, "/data/playlists/" + playlist + "/share", R"({"password":"open sesame"})", review.token)
            .json()
            ->getValue<std::string>("token");
    const std::string base = "/shared/playlists/" + token;

    CHECK(http_get(review.port, base).status == 404); // the password is asked
    CHECK(http_get(review.port, base + "?password=wrong").status == 404);
    const auto seen = http_get(review.port, base + "?password=open%20sesame");
    INFO(seen.body);
    REQUIRE(seen.status == 200);
    CHECK(seen.json()->getValue<std::string>("project_name") == "Dailies");
    const auto entry = seen.json()->getArray("shots")->getObject(0);
    CHECK(entry->getValue<std::string>("name") == "SH100");
    CHECK(entry->getValue<std::string>("preview_file_task_type_name") == "Animation");

    // Files need no account, only the token (and its password), and only for what it reaches.
    const std::string key = "?password=open%20sesame";
    CHECK(http_get(review.port, base + "/pictures/thumbnails/preview-files/" + shown + ".png").status == 404);
    CHECK(png_width(http_get(review.port, base + "/pictures/thumbnails/preview-files/" + shown + ".png" + key).body) ==
          150);
    CHECK(http_get(review.port, base + "/pictures/originals/preview-files/" + shown + ".png" + key).status == 200);
    CHECK(http_get(review.port, base + "/preview-files/" + shown + key).json()->getValue<std::string>("id") == shown);
    CHECK(http_get(review.port, base + "/preview-files/" + shown + "/download" + key).header("Content-Disposition") ==
          "attachment; filename=dailies_sh100_animation_v1.png");
    CHECK(http_get(review.port, base + "/pictures/thumbnails/preview-files/" + hidden + ".png" + key).status == 403);
    CHECK(http_get(review.port, "/shared/playlists/not-a-token/preview-files/" + shown).status == 404);

    review.query("UPDATE playlist_share_link SET expiration_date = now() - interval '1 day' RETURNING 1");
    CHECK(http_get(review.port, base + "/preview-files/" + shown + key).status == 404);
    std::filesystem::remove_all(dir);
}

TEST_CASE("guests of a share link get the context, comment with client statuses, read back", "[api][pg][playlists]") {
    Review review;
    char pattern[] = "/tmp/slate-guest-XXXXXX";
    const std::filesystem::path dir = mkdtemp(pattern);
    const std::string preview = review.uploaded_preview(dir);
    const std::string playlist = review.playlist("Client review", true);
    http_post(review.port, "/actions/playlists/" + playlist + "/add-entity",
              R"({"entity_id":")" + review.shot + R"("})", review.token);
    const std::string token = http_post(review.port, "/data/playlists/" + playlist + "/share", "{}", review.token)
                                  .json()
                                  ->getValue<std::string>("token");
    const std::string base = "/shared/playlists/" + token;

    const auto guest = http_post(review.port, base + "/guest", R"({"first_name":" Ana ","last_name":"Reviewer"})");
    INFO(guest.body);
    REQUIRE(guest.status == 201);
    const std::string guest_id = guest.json()->getValue<std::string>("id");
    CHECK(review.query("SELECT is_guest::text || role FROM person WHERE id = $1::uuid", {guest_id}) == "trueclient");
    // What Zou's Person.create is not given stays null.
    CHECK((guest.json()->has("phone") && guest.json()->isNull("phone")));
    CHECK((guest.json()->has("desktop_login") && guest.json()->isNull("desktop_login")));
    // The same name through the same link is the same guest (answered 201, as Zou's resource does).
    const auto again = http_post(review.port, base + "/guest", R"({"first_name":"Ana","last_name":"Reviewer"})");
    CHECK(again.status == 201);
    CHECK(again.json()->getValue<std::string>("id") == guest_id);
    // A guest asked by id comes with its relations; a malformed id is refused.
    const auto known = http_post(review.port, base + "/guest", R"({"guest_id":")" + guest_id + R"("})");
    CHECK(known.status == 200);
    CHECK(known.json()->getArray("departments"));
    const auto malformed = http_post(review.port, base + "/guest", R"({"guest_id":"nope"})");
    CHECK(malformed.status == 400);
    CHECK(malformed.json()->getValue<std::string>("message") == "Validation error.");

    const auto context = http_get(review.port, base + "/context");
    INFO(context.body);
    REQUIRE(context.status == 200);
    CHECK(context.json()->getObject("project")->getValue<std::string>("name") == "Dailies");
    CHECK(context.json()->getArray("entities")->size() == 1);

    const std::string todo = review.query("SELECT id FROM task_status WHERE name = 'Todo'");
    const auto posted = http_post(review.port, base + "/comments",
                                  R"({"guest_id":")" + guest_id + R"(","task_id":")" + review.task +
                                      R"(","task_status_id":")" + todo + R"(","text":"Love it"})");
    INFO(posted.body);
    CHECK(posted.status == 201);
    review.query("UPDATE task_status SET is_client_allowed = false WHERE id = $1::uuid RETURNING 1", {todo});
    CHECK(http_post(review.port, base + "/comments",
                    R"({"guest_id":")" + guest_id + R"(","task_id":")" + review.task + R"(","task_status_id":")" +
                        todo + R"("})")
              .status == 400);
    CHECK(http_post(review.port, base + "/comments",
                    R"({"guest_id":")" + review.server.login_user_id() + R"(","task_id":")" + review.task +
                        R"(","task_status_id":")" + todo + R"("})")
              .status == 403);

    const auto comments = array_of(http_get(review.port, base + "/comments"));
    REQUIRE(comments->size() == 1); // the guest's; the studio's own comment is not for clients
    CHECK(comments->getObject(0)->getValue<std::string>("text") == "Love it");
    CHECK(comments->getObject(0)->getObject("person")->getValue<bool>("is_guest"));
    // As Zou's shared comments query leaves them: status and author, no previews, attachments
    // nor mentions.
    CHECK(comments->getObject(0)->getObject("task_status")->getValue<std::string>("id") == todo);
    for (const char* absent : {"mentions", "department_mentions", "acknowledgements", "attachment_files", "previews"})
        CHECK_FALSE(comments->getObject(0)->has(absent));

    // The guest is a client off the team: a client of the production reads their comment, an
    // artist does not (Zou's get_project_role falls back to the person's own role).
    const std::string guest_comment = posted.json()->getValue<std::string>("id");
    for (const auto& [email, role] : {std::pair{"artist@example.com", "user"}, {"client@example.com", "client"}}) {
        const std::string person = review.server.create_person(email, "rolepassword", role);
        REQUIRE(http_post(review.port, "/data/projects/" + review.project + "/team",
                          R"({"person_id":")" + person + R"("})", review.token)
                    .status == 201);
    }
    CHECK(http_get(review.port, "/data/comments/" + guest_comment,
                   review.server.login("artist@example.com", "rolepassword"))
              .status == 403);
    CHECK(http_get(review.port, "/data/comments/" + guest_comment,
                   review.server.login("client@example.com", "rolepassword"))
              .status == 200);

    // The guest edits, attaches, draws and removes; no one else may touch the comment.
    const std::string comment_id = posted.json()->getValue<std::string>("id");
    const auto edited = http_call(review.port, "PUT", base + "/comments/" + comment_id, "",
                                  R"({"guest_id":")" + guest_id + R"(","text":"Love it, truly"})");
    INFO(edited.body);
    CHECK(edited.status == 200);
    CHECK(edited.json()->getValue<std::string>("text") == "Love it, truly");
    CHECK_FALSE(edited.json()->has("person")); // _serialize_enriched_comment: the comment with relations
    CHECK(edited.json()->getArray("attachment_files"));
    CHECK(http_call(review.port, "PUT", base + "/comments/" + comment_id, "",
                    R"({"guest_id":")" + review.server.login_user_id() + R"(","text":"x"})")
              .status == 403);
    const auto attached =
        http_upload(review.port, base + "/comments/" + comment_id + "/attachments?guest_id=" + guest_id, "", "note.txt",
                    "see frame 12");
    INFO(attached.body);
    REQUIRE(attached.status == 201);
    const std::string attachment =
        attached.json()->getArray("attachment_files")->getObject(0)->getValue<std::string>("id");
    CHECK(http_get(review.port, base + "/attachment-files/" + attachment + "/file/note.txt").body == "see frame 12");
    CHECK(http_call(review.port, "DELETE", base + "/comments/" + comment_id + "/attachments/" + attachment, "",
                    R"({"guest_id":")" + guest_id + R"("})")
              .status == 204);
    const auto drawn = http_call(review.port, "PUT", base + "/annotations", "",
                                 R"({"guest_id":")" + guest_id + R"(","preview_file_id":")" + preview +
                                     R"(","additions":[{"time":0,"drawing":{"objects":[{"type":"path"}]}}]})");
    INFO(drawn.body);
    CHECK(drawn.status == 200);
    CHECK(drawn.json()->getArray("annotations")->size() == 1);
    // The shared player gets the annotations inline (the web app's playlist page does not).
    const auto shared_entry = http_get(review.port, base).json()->getArray("shots")->getObject(0);
    CHECK(shared_entry->getArray("preview_file_annotations")->size() == 1);
    const auto own_entry = http_get(review.port, "/data/projects/" + review.project + "/playlists/" + playlist,
                                    review.token)
                               .json()
                               ->getArray("shots")
                               ->getObject(0);
    CHECK_FALSE(own_entry->has("preview_file_annotations"));
    CHECK(
        http_call(review.port, "DELETE", base + "/comments/" + comment_id, "", R"({"guest_id":")" + guest_id + R"("})")
            .status == 204);
    CHECK(array_of(http_get(review.port, base + "/comments"))->size() == 0);
    std::filesystem::remove_all(dir);
}

TEST_CASE("a temporary playlist is built from tasks without being stored", "[api][pg][playlists]") {
    Review review;
    const std::string first = review.preview(1);
    const std::string latest = review.preview(2);
    const std::string other_shot = review.server.create_shot(review.token, review.project, "SH050");
    const std::string other_task = review.server.create_task(review.token, review.project, other_shot, "Animation");
    const auto made = http_post(review.port, "/data/projects/" + review.project + "/playlists/temp",
                                R"({"task_ids":[")" + review.task + R"(",")" + other_task + R"("]})", review.token);
    INFO(made.body);
    REQUIRE(made.status == 200);
    const auto entries = array_of(made);
    REQUIRE(entries->size() == 2);
    const auto entry = entries->getObject(0);
    CHECK(entry->getValue<std::string>("id") == review.shot);
    CHECK(entry->getValue<std::string>("preview_file_id") == latest);
    CHECK(entry->getValue<int>("preview_file_revision") == 2);
    CHECK(entry->getValue<std::string>("preview_file_task_id") == review.task);
    CHECK(!entries->getObject(1)->has("preview_file_id")); // no preview yet
    CHECK(review.query("SELECT count(*) FROM playlist") == "0");
    CHECK(http_post(review.port, "/data/projects/" + review.project + "/playlists/temp", "{}", review.token).status ==
          400);
    CHECK(http_post(review.port, "/data/projects/" + review.project + "/playlists/temp",
                    R"({"task_ids":["6f0c27a1-42c8-4a93-9d1c-0a6c9c0f1e55"]})", review.token)
              .status == 404);
    (void)first;
}

TEST_CASE("notify-clients tells the project's clients a playlist is ready", "[api][pg][playlists]") {
    Review review;
    const std::string playlist = review.playlist("Ready", true);
    const std::string client = review.server.create_person("client@example.com", "client-password-1", "client");
    const std::string artist = review.server.create_person("artist@example.com", "artist-password-1", "user");
    for (const auto& id : {client, artist})
        review.query("INSERT INTO project_person_link (project_id, person_id) VALUES ($1::uuid, $2::uuid) RETURNING 1",
                     {review.project, id});
    review.query("UPDATE person SET notifications_enabled = true WHERE id = $1::uuid RETURNING 1", {client});
    const auto notified = http_post(review.port, "/data/playlists/" + playlist + "/notify-clients", "", review.token);
    INFO(notified.body);
    REQUIRE(notified.status == 200);
    CHECK(notified.body == R"({"status":"success"})");
    CHECK(review.query("SELECT string_agg(person_id::text, ',') FROM notification WHERE type = 'playlist-ready'") ==
          client);
    REQUIRE(review.server.mail().wait_for(1));
    CHECK(review.server.mail().messages().at(0).find("client@example.com") != std::string::npos);
    CHECK(http_post(review.port, "/data/playlists/" + playlist + "/notify-clients", R"({"studio_id":"nope"})",
                    review.token)
              .status == 400);
    const auto artist_token = review.server.login("artist@example.com", "artist-password-1");
    CHECK(http_post(review.port, "/data/playlists/" + playlist + "/notify-clients", "{}", artist_token).status == 403);
}
