// tests/api/test_chats_news_search.cpp: entity chats and their messages, a production's news
// feed, the studio search (PostgreSQL text search), the last login logs, the configuration
// check and the routes gazu 1.1.12 adds.
#include <catch2/catch.hpp>

#include "engine/storage/file_store.h"
#include "support/test_media.h"
#include "support/test_server.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <cstdlib>
#include <filesystem>

using namespace slate::test;

namespace {

const std::string unknown_id = "00000000-0000-0000-0000-000000000000";

Poco::JSON::Array::Ptr array_of(const HttpResponse& response) {
    INFO(response.body);
    REQUIRE(response.status == 200);
    return Poco::JSON::Parser().parse(response.body).extract<Poco::JSON::Array::Ptr>();
}

struct Studio {
    TestServer server{[](slate::engine::Config& config) { config.admin_token = "secret-admin-token"; }};
    int port = server.port();
    std::string admin = server.login();
    std::string artist_id = server.create_person("artist@example.com", "artist-password", "user");
    std::string artist = server.login("artist@example.com", "artist-password");
    std::string project = server.create_project(admin, "Moonlight");
    std::string shot = server.create_shot(admin, project, "SH_moon_010");

    Studio() {
        server.query("INSERT INTO project_person_link (project_id, person_id) VALUES ($1::uuid, $2::uuid) RETURNING 1",
                     {project, artist_id});
    }
};

} // namespace

TEST_CASE("a chat message's files: stored, pictures thumbnailed, removed with the message", "[api][pg][chats]") {
    Studio s;
    const std::string chat = "/data/entities/" + s.shot + "/chat";
    REQUIRE(http_post(s.port, "/actions/user/chats/" + s.shot + "/join", "", s.artist).status == 200);
    char pattern[] = "/tmp/slate-chat-XXXXXX";
    const std::filesystem::path dir(mkdtemp(pattern));
    const std::string png = make_png(dir, 300, 200);
    std::filesystem::remove_all(dir);

    // Two files as the web app sends them: a picture (image/png) and a text.
    HttpRequest post;
    post.method = "POST";
    post.path = chat + "/messages";
    post.headers["Authorization"] = "Bearer " + s.artist;
    post.headers["Content-Type"] = "multipart/form-data; boundary=chat-boundary";
    post.body = "--chat-boundary\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\nsee attached\r\n"
                "--chat-boundary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"frame.png\"\r\n"
                "Content-Type: image/png\r\n\r\n" +
                png +
                "\r\n--chat-boundary\r\nContent-Disposition: form-data; name=\"notes\"; filename=\"notes.txt\"\r\n"
                "Content-Type: text/plain\r\n\r\nfix the rim light\r\n--chat-boundary--\r\n";
    const auto posted = send_request(s.port, post);
    INFO(posted.body);
    REQUIRE(posted.status == 201);
    CHECK(posted.json()->getValue<std::string>("text") == "see attached");
    const auto files = posted.json()->getArray("attachment_files");
    REQUIRE(files->size() == 2);
    const std::string picture = files->getObject(0)->getValue<std::string>("id");
    const std::string notes = files->getObject(1)->getValue<std::string>("id");
    CHECK(files->getObject(0)->getValue<std::string>("extension") == "png");
    CHECK(files->getObject(1)->getValue<long>("size") == 17);

    const auto stored = http_get(s.port, "/data/attachment-files/" + notes + "/file/notes.txt", s.artist);
    CHECK(stored.status == 200);
    CHECK(stored.body == "fix the rim light");
    const auto thumbnail = http_get(s.port, "/pictures/thumbnails/attachment-files/" + picture + ".png", s.artist);
    REQUIRE(thumbnail.status == 200);
    CHECK(png_width(thumbnail.body) == 150); // centre-cropped to a square, then resized
    CHECK(png_height(thumbnail.body) == 150);
    CHECK(http_get(s.port, "/pictures/thumbnails/attachment-files/" + notes + ".png", s.artist).status == 404);
    const auto listed = array_of(http_get(s.port, chat + "/messages", s.artist));
    REQUIRE(listed->size() == 1);
    CHECK(listed->getObject(0)->getArray("attachment_files")->size() == 2);

    // Deleting the message takes its files and thumbnails with it.
    const std::string message = posted.json()->getValue<std::string>("id");
    REQUIRE(http_call(s.port, "DELETE", chat + "/messages/" + message, s.artist).status == 204);
    CHECK(s.server.query("SELECT count(*)::text FROM attachment_file") == "0");
    using slate::engine::storage::Bucket, slate::engine::storage::make_key;
    const slate::engine::storage::LocalFileStore store{s.server.config().file_store_root(),
                                                       s.server.config().fs_bucket_prefix};
    CHECK_FALSE(store.find(Bucket::files, make_key("attachments", notes)));
    CHECK_FALSE(store.find(Bucket::files, make_key("attachments", picture)));
    CHECK_FALSE(store.find(Bucket::pictures, make_key("thumbnails", picture)));
}

TEST_CASE("entity chats: join, post, list, read and delete messages", "[api][pg][chats]") {
    Studio s;
    const std::string chat = "/data/entities/" + s.shot + "/chat";
    const auto empty = http_get(s.port, chat, s.artist);
    INFO(empty.body);
    REQUIRE(empty.status == 200);
    CHECK(empty.json()->getValue<std::string>("type") == "Chat");
    CHECK(empty.json()->getArray("participants")->size() == 0);
    CHECK(empty.json()->getArray("messages")->size() == 0);

    // Only participants post.
    const auto refused = http_post(s.port, chat + "/messages", R"({"message":"hello"})", s.artist);
    CHECK(refused.status == 400);
    CHECK(refused.json()->getValue<std::string>("message") == "You are not a participant of this chat");
    REQUIRE(http_post(s.port, "/actions/user/chats/" + s.shot + "/join", "", s.artist).status == 200);
    const auto posted = http_post(s.port, chat + "/messages", R"({"message":"hello"})", s.artist);
    INFO(posted.body);
    REQUIRE(posted.status == 201);
    const std::string message = posted.json()->getValue<std::string>("id");
    CHECK(posted.json()->getValue<std::string>("text") == "hello");
    CHECK(http_post(s.port, chat + "/messages", "{}", s.artist).status == 400);

    const auto listed = array_of(http_get(s.port, chat + "/messages", s.artist));
    REQUIRE(listed->size() == 1);
    CHECK(listed->getObject(0)->getArray("attachment_files")->size() == 0);
    CHECK(http_get(s.port, chat, s.artist).json()->getArray("participants")->getElement<std::string>(0) == s.artist_id);
    CHECK(http_get(s.port, chat + "/messages/" + message, s.artist).json()->getValue<std::string>("chat_id") ==
          http_get(s.port, chat, s.artist).json()->getValue<std::string>("id"));
    CHECK(http_get(s.port, chat + "/messages/" + unknown_id, s.artist).status == 404);
    // A message of another entity's chat is refused through this one.
    const std::string other_shot = s.server.create_shot(s.admin, s.project, "SH020");
    CHECK(http_get(s.port, "/data/entities/" + other_shot + "/chat/messages/" + message, s.artist).status == 403);
    // Its author or an admin deletes it.
    const std::string other = s.server.create_person("other@example.com", "other-password", "user");
    s.server.query("INSERT INTO project_person_link (project_id, person_id) VALUES ($1::uuid, $2::uuid) RETURNING 1",
                   {s.project, other});
    CHECK(http_call(s.port, "DELETE", chat + "/messages/" + message,
                    s.server.login("other@example.com", "other-password"))
              .status == 403);
    CHECK(http_call(s.port, "DELETE", chat + "/messages/" + message, s.artist).status == 204);
    CHECK(array_of(http_get(s.port, chat + "/messages", s.artist))->size() == 0);
    // Outside the production's team: no chat.
    s.server.create_person("outsider@example.com", "outsider-password", "user");
    CHECK(http_get(s.port, chat, s.server.login("outsider@example.com", "outsider-password")).status == 403);
    CHECK(http_get(s.port, "/data/entities/" + unknown_id + "/chat", s.admin).status == 404);
}

TEST_CASE("a production's news: paging, filters, stats and one news", "[api][pg][news]") {
    Studio s;
    const std::string task = s.server.create_task(s.admin, s.project, s.shot);
    const std::string wip = s.server.query("SELECT id FROM task_status WHERE short_name = 'wip'");
    // Each comment feeds the news; only the first one changes the status.
    for (int i = 0; i < 3; ++i)
        REQUIRE(http_post(s.port, "/actions/tasks/" + task + "/comment",
                          R"({"task_status_id":")" + wip + R"(","comment":"step"})", s.admin)
                    .status == 201);
    const std::string path = "/data/projects/" + s.project + "/news";
    const auto first = http_get(s.port, path + "?limit=2", s.artist);
    INFO(first.body);
    REQUIRE(first.status == 200);
    const auto page = first.json();
    CHECK(page->getValue<int>("total") == 3);
    CHECK(page->getValue<int>("nb_pages") == 2);
    CHECK(page->getValue<int>("limit") == 2);
    CHECK(page->getValue<int>("offset") == 0);
    CHECK(page->getValue<int>("page") == 1);
    CHECK(page->getObject("stats")->getValue<int>(wip) == 1); // status changes only
    const auto data = page->getArray("data");
    REQUIRE(data->size() == 2);
    const auto news = data->getObject(0);
    CHECK(news->getValue<std::string>("type") == "News");
    CHECK(news->getValue<std::string>("project_name") == "Moonlight");
    CHECK(news->getValue<std::string>("full_entity_name") == "SH_moon_010");
    CHECK(news->getValue<std::string>("task_status_id") == wip);
    CHECK(news->getObject("person")->getValue<std::string>("id") == s.server.login_user_id());
    CHECK_FALSE(news->has("preview_files"));
    CHECK(http_get(s.port, path + "?page=2&limit=2", s.artist).json()->getArray("data")->size() == 1);
    CHECK(http_get(s.port, path + "?only_preview=true", s.artist).json()->getValue<int>("total") == 0);
    CHECK(http_get(s.port, path + "?person_id=" + s.artist_id, s.artist).json()->getValue<int>("total") == 0);
    CHECK(http_get(s.port, path + "?limit=x", s.artist).status == 400);

    const std::string id = news->getValue<std::string>("id");
    const auto one = http_get(s.port, path + "/" + id, s.artist);
    REQUIRE(one.status == 200);
    CHECK(one.json()->getValue<std::string>("id") == id);
    CHECK(http_get(s.port, path + "/" + unknown_id, s.artist).status == 404);
    s.server.create_person("outsider@example.com", "outsider-password", "user");
    const std::string outsider = s.server.login("outsider@example.com", "outsider-password");
    CHECK(http_get(s.port, path, outsider).status == 403);

    // Every open production the caller sees at once (Zou's NewsResource), or the one asked for.
    const auto all = http_get(s.port, "/data/projects/news?limit=10", s.artist);
    REQUIRE(all.status == 200);
    CHECK(all.json()->getValue<int>("total") == 3);
    CHECK(http_get(s.port, "/data/projects/news?project_id=" + s.project, s.admin).json()->getValue<int>("total") == 3);
    CHECK(http_get(s.port, "/data/projects/news", outsider).json()->getValue<int>("total") == 0);
}

TEST_CASE("without ADMIN_TOKEN the admin routes do not exist", "[api][pg][events]") {
    TestServer server;
    const auto check = http_get(server.port(), "/admin/config/check", server.login());
    CHECK(check.status == 404);
    CHECK(check.json()->getValue<bool>("error"));
}

TEST_CASE("search finds persons, assets and shots with PostgreSQL's text search", "[api][pg][search]") {
    Studio s;
    const std::string character = s.server.query("SELECT id FROM entity_type WHERE name = 'Character'");
    REQUIRE(http_post(s.port, "/data/entities",
                      R"({"name":"Moon_rabbit","project_id":")" + s.project + R"(","entity_type_id":")" + character +
                          R"(","description":"a white rabbit"})",
                      s.admin)
                .status == 201);
    const auto found = http_post(s.port, "/data/search", R"({"query":"moon"})", s.artist);
    INFO(found.body);
    REQUIRE(found.status == 200);
    const auto body = found.json();
    REQUIRE(body->getArray("assets")->size() == 1);
    const auto asset = body->getArray("assets")->getObject(0);
    CHECK(asset->getValue<std::string>("name") == "Moon_rabbit");
    CHECK(asset->getValue<std::string>("asset_type_name") == "Character");
    CHECK(asset->getValue<std::string>("project_name") == "Moonlight");
    CHECK(asset->getArray("matched_terms")->getElement<std::string>(0) == "name");
    REQUIRE(body->getArray("shots")->size() == 1);
    CHECK(body->getArray("shots")->getObject(0)->getValue<std::string>("name") == "SH_moon_010");
    CHECK(body->getArray("persons")->size() == 0);
    // A word of the description, a prefix of a person's name; short queries find nothing.
    CHECK(http_post(s.port, "/data/search", R"({"query":"white","index_names":["assets"]})", s.artist)
              .json()
              ->getArray("assets")
              ->size() == 1);
    const auto persons = http_post(s.port, "/data/search", R"({"query":"sup","index_names":["persons"]})", s.artist);
    REQUIRE(persons.json()->getArray("persons")->size() == 1); // Super Admin
    CHECK_FALSE(persons.json()->getArray("persons")->getObject(0)->has("email"));
    CHECK(http_post(s.port, "/data/search", R"({"query":"mo"})", s.artist).body == "{}");
    CHECK(http_post(s.port, "/data/search", R"({"query":"moon","limit":0})", s.artist).status == 400);
    CHECK(http_post(s.port, "/data/search", R"({})", s.artist).status == 400);
    // Outside the production's team: no entities.
    s.server.create_person("outsider@example.com", "outsider-password", "user");
    const auto outsider = http_post(s.port, "/data/search", R"({"query":"moon"})",
                                    s.server.login("outsider@example.com", "outsider-password"));
    CHECK(outsider.json()->getArray("assets")->size() == 0);
}

TEST_CASE("login logs, the configuration check and gazu's extra routes", "[api][pg][events]") {
    Studio s;
    const auto logs = array_of(http_get(s.port, "/data/events/login-logs/last?limit=1", s.admin));
    REQUIRE(logs->size() == 1);
    CHECK(logs->getObject(0)->getValue<std::string>("person_id") == s.artist_id); // the last one in
    CHECK(logs->getObject(0)->has("ip_address"));
    CHECK(array_of(http_get(s.port, "/data/events/login-logs/last?person_ids=" + s.artist_id, s.admin))->size() == 1);
    CHECK(http_get(s.port, "/data/events/login-logs/last?cursor_login_log_id=nope", s.admin).status == 400);
    CHECK(http_get(s.port, "/data/events/login-logs/last?cursor_login_log_id=" + unknown_id, s.admin).status == 400);
    CHECK(http_get(s.port, "/data/events/login-logs/last", s.artist).status == 403);

    CHECK(http_get(s.port, "/admin/config/check", s.admin).status == 403);
    const auto check = http_get(s.port, "/admin/config/check", "secret-admin-token");
    INFO(check.body);
    REQUIRE(check.status == 200);
    CHECK(check.json()->getObject("user_limit")->getValue<int>("env") == 100);
    CHECK(check.json()->getObject("user_limit")->isNull("redis"));
    CHECK(check.json()->getValue<int>("active_users") == 2);

    // gazu 1.1.12: the project's task types, a person's open tasks, a reply by comment id.
    const std::string task = s.server.create_task(s.admin, s.project, s.shot);
    s.server.query("INSERT INTO task_person_link (task_id, person_id) VALUES ($1::uuid, $2::uuid) RETURNING 1",
                   {task, s.artist_id});
    s.server.query("UPDATE task SET task_status_id = (SELECT id FROM task_status WHERE name = 'Todo') RETURNING 1");
    CHECK(array_of(http_get(s.port, "/data/persons/" + s.artist_id + "/tasks/open", s.admin))->size() == 1);
    CHECK(http_get(s.port, "/data/projects/" + s.project + "/settings/task-types", s.artist).status == 200);
    const std::string todo = s.server.query("SELECT id FROM task_status WHERE name = 'Todo'");
    const auto comment =
        http_post(s.port, "/actions/tasks/" + task + "/comment", R"({"task_status_id":")" + todo + R"("})", s.admin);
    REQUIRE(comment.status == 201);
    const auto reply = http_post(s.port, "/data/comments/" + comment.json()->getValue<std::string>("id") + "/replies",
                                 R"({"text":"noted"})", s.admin);
    INFO(reply.body);
    CHECK(reply.status == 200);
    CHECK(reply.json()->getValue<std::string>("text") == "noted");
}
