// tests/api/test_user_views.cpp: the user's own views (/data/user/...): the web app's context,
// open productions, to-do lists, assigned entities, notifications, subscriptions and time
// sheets, as each role sees them: an artist never sees another production's work.
#include <catch2/catch.hpp>

#include "support/test_server.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

using namespace slate::test;

namespace {
const std::string unknown_id = "00000000-0000-0000-0000-000000000000";
}

namespace {

Poco::JSON::Array::Ptr array_of(const HttpResponse& response) {
    INFO(response.body);
    REQUIRE(response.status == 200);
    return Poco::JSON::Parser().parse(response.body).extract<Poco::JSON::Array::Ptr>();
}

/// Two productions; the artist is in the first one's team and assigned a task in each.
struct Studio {
    TestServer server;
    int port = server.port();
    std::string admin = server.login();
    std::string artist_id = server.create_person("artist@example.com", "artist-password", "user");
    std::string artist = server.login("artist@example.com", "artist-password");
    std::string mine = server.create_project(admin, "Mine");
    std::string other = server.create_project(admin, "Other");
    std::string sequence, shot, task, other_task;

    Studio() {
        const std::string sequence_type = server.query("SELECT id FROM entity_type WHERE name = 'Sequence'");
        const auto created =
            http_call(port, "POST", "/data/entities", admin,
                      R"({"name":"SQ01","project_id":")" + mine + R"(","entity_type_id":")" + sequence_type + R"("})");
        REQUIRE(created.status == 201);
        sequence = created.json()->getValue<std::string>("id");
        shot = server.create_shot(admin, mine, "SH010");
        server.query("UPDATE entity SET parent_id = $1::uuid WHERE id = $2::uuid RETURNING 1", {sequence, shot});
        task = server.create_task(admin, mine, shot);
        other_task = server.create_task(admin, other, server.create_shot(admin, other, "SH999"));
        // Tasks made through the generic route have no status yet.
        server.query("UPDATE task SET task_status_id = (SELECT id FROM task_status WHERE name = 'Todo') RETURNING 1");
        server.query("INSERT INTO project_person_link (project_id, person_id) VALUES ($1::uuid, $2::uuid) RETURNING 1",
                     {mine, artist_id});
        for (const auto& assigned : {task, other_task})
            server.query("INSERT INTO task_person_link (task_id, person_id) VALUES ($1::uuid, $2::uuid) RETURNING 1",
                         {assigned, artist_id});
    }
};

} // namespace

TEST_CASE("the context and open productions follow the caller's team and role", "[api][pg][user]") {
    Studio studio;
    const auto context = http_get(studio.port, "/data/user/context", studio.artist);
    INFO(context.body);
    REQUIRE(context.status == 200);
    const auto body = context.json();
    for (const char* key : {"asset_types", "custom_actions", "status_automations", "departments", "studios", "persons",
                            "project_status", "project_roles", "projects", "task_types", "task_status",
                            "search_filters", "search_filter_groups", "preview_background_files", "plugins"})
        CHECK(body->has(key));
    CHECK_FALSE(body->has("user_limit")); // admins only
    const auto projects = body->getArray("projects");
    REQUIRE(projects->size() == 1);
    CHECK(projects->getObject(0)->getValue<std::string>("name") == "Mine");
    CHECK(projects->getObject(0)->has("task_statuses_link"));
    // Artists get the minimal person shape: no e-mail.
    CHECK_FALSE(body->getArray("persons")->getObject(0)->has("email"));
    CHECK(body->getValue<int>("notification_count") == 0);

    const auto admin_context = http_get(studio.port, "/data/user/context", studio.admin).json();
    CHECK(admin_context->getValue<int>("user_limit") == 100);
    CHECK(admin_context->getArray("persons")->getObject(0)->has("email"));
    CHECK(admin_context->getArray("projects")->size() == 2);

    CHECK(array_of(http_get(studio.port, "/data/user/projects/open", studio.artist))->size() == 1);
    CHECK(array_of(http_get(studio.port, "/data/user/projects/open?name=Other", studio.admin))->size() == 1);
    CHECK(array_of(http_get(studio.port, "/data/user/projects/open?name=Other", studio.artist))->size() == 0);
    CHECK(http_get(studio.port, "/data/user/context").status == 401);
}

TEST_CASE("to-do lists hold only the caller's tasks of their open productions", "[api][pg][user]") {
    Studio studio;
    auto todo = array_of(http_get(studio.port, "/data/user/tasks", studio.artist));
    REQUIRE(todo->size() == 1); // the task of "Other" stays hidden: not in its team
    const auto item = todo->getObject(0);
    CHECK(item->getValue<std::string>("id") == studio.task);
    CHECK(item->getValue<std::string>("type") == "Task");
    CHECK(item->getValue<std::string>("project_name") == "Mine");
    CHECK(item->getValue<std::string>("entity_name") == "SH010");
    CHECK(item->getValue<std::string>("sequence_name") == "SQ01");
    CHECK(item->getValue<std::string>("episode_id") == "");
    CHECK(item->isNull("episode_name"));
    CHECK(item->getValue<std::string>("entity_preview_file_id") == "");
    CHECK(item->getValue<std::string>("task_status_short_name") == "todo");
    CHECK(item->getArray("assignees")->getElement<std::string>(0) == studio.artist_id);
    CHECK(item->getObject("last_comment")->size() == 0);
    CHECK(array_of(http_get(studio.port, "/data/user/done-tasks", studio.artist))->size() == 0);

    // Another person's list: within the caller's productions, all open ones for admins.
    const std::string theirs = "/data/persons/" + studio.artist_id + "/tasks";
    CHECK(array_of(http_get(studio.port, theirs, studio.admin))->size() == 2);
    CHECK(array_of(http_get(studio.port, theirs, studio.artist))->size() == 1);
    studio.server.create_person("client@example.com", "client-password", "client");
    CHECK(
        array_of(http_get(studio.port, theirs, studio.server.login("client@example.com", "client-password")))->size() ==
        0);
    CHECK(http_get(studio.port, "/data/persons/" + unknown_id + "/tasks", studio.admin).status == 404);
    // The tasks of a type on the entities the artist works on, in any open production.
    const std::string type = studio.server.query("SELECT task_type_id FROM task WHERE id = $1::uuid", {studio.task});
    CHECK(array_of(http_get(studio.port, "/data/persons/" + studio.artist_id + "/related-tasks/" + type, studio.admin))
              ->size() == 2);

    // Done once its status is a done one; then it is waiting for nobody.
    studio.server.query("UPDATE task SET task_status_id = (SELECT id FROM task_status WHERE is_done LIMIT 1) "
                        "WHERE id = $1::uuid RETURNING 1",
                        {studio.task});
    CHECK(array_of(http_get(studio.port, "/data/user/tasks", studio.artist))->size() == 0);
    CHECK(array_of(http_get(studio.port, "/data/user/done-tasks", studio.artist))->size() == 1);

    // Tasks to check: feedback requests, for admins everywhere, never for artists.
    studio.server.query("UPDATE task SET task_status_id = (SELECT id FROM task_status WHERE is_feedback_request "
                        "LIMIT 1) RETURNING 1");
    CHECK(array_of(http_get(studio.port, "/data/user/tasks-to-check", studio.admin))->size() == 2);
    CHECK(array_of(http_get(studio.port, "/data/user/tasks-to-check", studio.artist))->size() == 0);
    studio.server.create_person("manager@example.com", "manager-password", "manager");
    studio.server.query("INSERT INTO project_person_link (project_id, person_id) SELECT $1::uuid, id FROM person "
                        "WHERE email = 'manager@example.com' RETURNING 1",
                        {studio.mine});
    const std::string manager = studio.server.login("manager@example.com", "manager-password");
    CHECK(array_of(http_get(studio.port, "/data/user/tasks-to-check", manager))->size() == 1);
}

TEST_CASE("the entities assigned to the caller", "[api][pg][user]") {
    Studio studio;
    const auto sequences =
        array_of(http_get(studio.port, "/data/user/projects/" + studio.mine + "/sequences", studio.artist));
    REQUIRE(sequences->size() == 1);
    CHECK(sequences->getObject(0)->getValue<std::string>("type") == "Sequence");
    const auto shots =
        array_of(http_get(studio.port, "/data/user/sequences/" + studio.sequence + "/shots", studio.artist));
    REQUIRE(shots->size() == 1);
    CHECK(shots->getObject(0)->getValue<std::string>("id") == studio.shot);
    CHECK(array_of(http_get(studio.port, "/data/user/shots/" + studio.shot + "/tasks", studio.artist))->size() == 1);
    CHECK(array_of(http_get(studio.port, "/data/user/shots/" + studio.shot + "/task-types", studio.artist))
              ->getObject(0)
              ->getValue<std::string>("name") == "Animation");
    // The admin is assigned nothing.
    CHECK(array_of(http_get(studio.port, "/data/user/shots/" + studio.shot + "/tasks", studio.admin))->size() == 0);
    CHECK(
        array_of(http_get(studio.port, "/data/user/projects/" + studio.mine + "/asset-types", studio.artist))->size() ==
        0);
    // A path naming no such thing, or another kind of entity, is a 404.
    CHECK(http_get(studio.port, "/data/user/assets/" + studio.shot + "/tasks", studio.artist).status == 404);
    CHECK(http_get(studio.port, "/data/user/projects/nope/sequences", studio.artist).status == 404);
}

TEST_CASE("notifications are listed and marked read", "[api][pg][user]") {
    Studio studio;
    studio.server.query("INSERT INTO comment (id, object_id, object_type, text, person_id, task_status_id, created_at, "
                        "updated_at) VALUES (gen_random_uuid(), $1::uuid, 'Task', 'Looks good', $2::uuid, "
                        "(SELECT id FROM task_status WHERE name = 'Todo'), now(), now()) RETURNING 1",
                        {studio.task, studio.server.login_user_id()});
    const std::string notification = studio.server.query(
        "INSERT INTO notification (id, type, person_id, author_id, comment_id, task_id, read, change, created_at, "
        "updated_at) SELECT gen_random_uuid(), 'comment', $1::uuid, $2::uuid, c.id, $3::uuid, false, false, now(), "
        "now() FROM comment c RETURNING id",
        {studio.artist_id, studio.server.login_user_id(), studio.task});
    const auto listed = array_of(http_get(studio.port, "/data/user/notifications", studio.artist));
    REQUIRE(listed->size() == 1);
    const auto item = listed->getObject(0);
    CHECK(item->getValue<std::string>("notification_type") == "comment");
    CHECK(item->getValue<std::string>("full_entity_name") == "SQ01 / SH010");
    CHECK(item->getValue<std::string>("comment_text") == "Looks good");
    CHECK(item->getValue<std::string>("project_name") == "Mine");
    CHECK(item->isNull("subscription_id"));
    CHECK(http_get(studio.port, "/data/user/context", studio.artist).json()->getValue<int>("notification_count") == 1);

    // Filters: read state, watching, bad ids and dates.
    CHECK(array_of(http_get(studio.port, "/data/user/notifications?read=true", studio.artist))->size() == 0);
    CHECK(array_of(http_get(studio.port, "/data/user/notifications?watching=true", studio.artist))->size() == 0);
    CHECK(http_get(studio.port, "/data/user/notifications?task_type_id=bad", studio.artist)
              .json()
              ->getValue<std::string>("message") == "Invalid UUID format for task_type_id: bad");
    CHECK(http_get(studio.port, "/data/user/notifications?after=yesterday-ish", studio.artist)
              .json()
              ->getValue<std::string>("message") == "Wrong date format for after or before.");

    // Only its recipient reads it.
    CHECK(http_get(studio.port, "/data/user/notifications/" + notification, studio.admin).status == 404);
    const auto read =
        http_call(studio.port, "PUT", "/data/user/notifications/" + notification, studio.artist, R"({"read": true})");
    REQUIRE(read.status == 200);
    CHECK(read.json()->getValue<bool>("read"));
    CHECK(read.json()->getValue<std::string>("notification_type") == "comment");
    CHECK(read.json()->getValue<std::string>("type") == "Notification");
    CHECK(studio.server.query("SELECT count(*) FROM api_event WHERE name = 'notification:read'") == "1");
    CHECK(http_call(studio.port, "PUT", "/data/user/notifications/" + notification, studio.artist, "{}").status == 400);
    studio.server.query("UPDATE notification SET read = false RETURNING 1");
    REQUIRE(http_post(studio.port, "/actions/user/notifications/mark-all-as-read", "", studio.artist).status == 200);
    CHECK(studio.server.query("SELECT count(*) FROM notification WHERE read = false") == "0");
}

TEST_CASE("subscriptions to tasks and sequences", "[api][pg][user]") {
    Studio studio;
    const std::string subscribed = "/data/user/tasks/" + studio.task + "/subscribed";
    CHECK(http_get(studio.port, subscribed, studio.artist).body == "false");
    const auto created = http_post(studio.port, "/actions/user/tasks/" + studio.task + "/subscribe", "", studio.artist);
    REQUIRE(created.status == 201);
    CHECK(created.json()->getValue<std::string>("type") == "Subscription");
    CHECK(http_post(studio.port, "/actions/user/tasks/" + studio.task + "/subscribe", "", studio.artist).status ==
          201); // twice: still one
    CHECK(studio.server.query("SELECT count(*) FROM subscription") == "1");
    CHECK(http_get(studio.port, subscribed, studio.artist).body == "true");
    CHECK(
        http_call(studio.port, "DELETE", "/actions/user/tasks/" + studio.task + "/unsubscribe", studio.artist).status ==
        204);
    CHECK(http_get(studio.port, subscribed, studio.artist).body == "false");
    CHECK(http_post(studio.port, "/actions/user/tasks/" + unknown_id + "/subscribe", "", studio.artist).status == 404);
    CHECK(http_post(studio.port, "/actions/user/tasks/subscribe", R"({"task_ids": []})", studio.artist).status == 400);
    const auto many = http_post(studio.port, "/actions/user/tasks/subscribe",
                                R"({"task_ids": [")" + studio.task + R"("]})", studio.artist);
    CHECK(many.status == 201);
    CHECK(array_of(http_post(studio.port, "/actions/user/tasks/unsubscribe",
                             R"({"task_ids": [")" + studio.task + R"("]})", studio.artist))
              ->size() == 1);

    const std::string task_type =
        studio.server.query("SELECT task_type_id FROM task WHERE id = $1::uuid", {studio.task});
    const std::string path = "/sequences/" + studio.sequence + "/task-types/" + task_type;
    CHECK(http_post(studio.port, "/actions/user" + path + "/subscribe", "", studio.artist).status == 201);
    CHECK(http_get(studio.port, "/data/user" + path + "/subscribed", studio.artist).body == "true");
    const auto followed = array_of(http_get(
        studio.port, "/data/user/projects/" + studio.mine + "/task-types/" + task_type + "/sequence-subscriptions",
        studio.artist));
    REQUIRE(followed->size() == 1);
    CHECK(followed->getElement<std::string>(0) == studio.sequence);
    CHECK(http_call(studio.port, "DELETE", "/actions/user" + path + "/unsubscribe", studio.artist).status == 204);
    CHECK(http_get(studio.port, "/data/user" + path + "/subscribed", studio.artist).body == "false");
}

TEST_CASE("the caller's time spents and days off", "[api][pg][user]") {
    Studio studio;
    studio.server.query("INSERT INTO time_spent (id, duration, date, task_id, person_id) VALUES (gen_random_uuid(), "
                        "120, '2026-03-05', $1::uuid, $2::uuid) RETURNING 1",
                        {studio.task, studio.artist_id});
    studio.server.query("INSERT INTO day_off (id, date, end_date, person_id) VALUES (gen_random_uuid(), "
                        "'2026-04-01', '2026-04-03', $1::uuid) RETURNING 1",
                        {studio.artist_id});
    CHECK(array_of(http_get(studio.port, "/data/user/time-spents/2026-03-05", studio.artist))->size() == 1);
    CHECK(array_of(http_get(studio.port, "/data/user/time-spents/2026-03-05", studio.admin))->size() == 0);
    CHECK(array_of(http_get(studio.port, "/data/user/time-spents", studio.artist))->size() == 0); // Zou's: no date
    CHECK(array_of(
              http_get(studio.port, "/data/user/time-spents?start_date=2026-03-01&end_date=2026-03-31", studio.artist))
              ->size() == 1);
    CHECK(http_get(studio.port, "/data/user/time-spents?start_date=2026-03-01", studio.artist).status == 400);
    CHECK(http_get(studio.port, "/data/user/time-spents?start_date=x&end_date=y", studio.artist)
              .json()
              ->getValue<std::string>("message") == "Wrong date format for x and/or y");
    const auto spent =
        http_get(studio.port, "/data/user/tasks/" + studio.task + "/time-spents/2026-03-05", studio.artist);
    REQUIRE(spent.status == 200);
    CHECK(spent.json()->getValue<int>("duration") == 120);
    CHECK(http_get(studio.port, "/data/user/tasks/" + studio.task + "/time-spents/2026-03-06", studio.artist).body ==
          "null");
    CHECK(
        http_get(studio.port, "/data/user/day-offs/2026-04-02", studio.artist).json()->getValue<std::string>("type") ==
        "DayOff");
    CHECK(http_get(studio.port, "/data/user/day-offs/2026-04-05", studio.artist).body == "{}");
    CHECK(http_get(studio.port, "/data/user/day-offs/2026-02-30", studio.artist)
              .json()
              ->getValue<std::string>("message") == "Wrong date format.");
}

TEST_CASE("search filters and groups belong to their owner and sharing needs a managed production", "[api][pg][user]") {
    Studio studio;
    const int port = studio.port;
    const auto group = http_post(port, "/data/user/filter-groups",
                                 R"({"name":"Mine","color":"#fff","list_type":"asset","project_id":")" + studio.mine +
                                     R"(","is_shared":true})",
                                 studio.artist);
    INFO(group.body);
    REQUIRE(group.status == 201);
    CHECK_FALSE(group.json()->getValue<bool>("is_shared")); // an artist cannot share
    const std::string group_id = group.json()->getValue<std::string>("id");

    const auto filter = http_post(port, "/data/user/filters",
                                  R"({"name":"Late","query":"late","list_type":"asset","project_id":")" + studio.mine +
                                      R"(","search_filter_group_id":")" + group_id + R"("})",
                                  studio.artist);
    INFO(filter.body);
    REQUIRE(filter.status == 201);
    CHECK(filter.json()->getValue<std::string>("search_query") == "late");
    const std::string filter_id = filter.json()->getValue<std::string>("id");

    // Grouped by list type, then production.
    const auto listed = http_get(port, "/data/user/filters", studio.artist).json();
    CHECK(listed->getObject("asset")->getArray(studio.mine)->size() == 1);
    CHECK(http_get(port, "/data/user/filter-groups", studio.artist).json()->getObject("asset")->has(studio.mine));
    CHECK(http_get(port, "/data/user/filters", studio.admin).body == "{}");
    CHECK(http_get(port, "/data/user/context", studio.artist).json()->getObject("search_filters")->has("asset"));

    // Updates: the name changes, null leaves a field alone, an unknown group is a 404.
    const auto renamed = http_call(port, "PUT", "/data/user/filters/" + filter_id, studio.artist,
                                   R"({"name":"Later","is_shared":null})");
    REQUIRE(renamed.status == 200);
    CHECK(renamed.json()->getValue<std::string>("name") == "Later");
    CHECK(http_call(port, "PUT", "/data/user/filters/" + filter_id, studio.artist,
                    R"({"search_filter_group_id":")" + unknown_id + R"("})")
              .status == 404);
    // Another person's filter is not found; an admin reaches it.
    const std::string other = studio.server.create_person("other@example.com", "other-password", "user");
    (void)other;
    const std::string stranger = studio.server.login("other@example.com", "other-password");
    CHECK(http_call(port, "PUT", "/data/user/filters/" + filter_id, stranger, R"({"name":"x"})").status == 404);
    CHECK(http_get(port, "/data/user/filter-groups/" + group_id, stranger).status == 404);
    CHECK(http_get(port, "/data/user/filter-groups/" + group_id, studio.admin).status == 200);
    CHECK(http_get(port, "/data/user/filter-groups/not-an-id", studio.artist).status == 404);

    // Missing fields are Zou's validation error; a department that does not exist a 404.
    const auto invalid = http_post(port, "/data/user/filters", "{}", studio.artist);
    CHECK(invalid.status == 400);
    CHECK(invalid.json()->getValue<std::string>("message") == "Validation error.");
    CHECK(http_post(port, "/data/user/filters", R"({"name":"a","query":"b","department_id":")" + unknown_id + R"("})",
                    studio.artist)
              .status == 404);

    // An admin shares a group of a production; its filters follow.
    const auto shared = http_call(port, "PUT", "/data/user/filter-groups/" + group_id, studio.admin,
                                  R"({"is_shared":true,"project_id":")" + studio.mine + R"("})");
    REQUIRE(shared.status == 200);
    CHECK(shared.json()->getValue<bool>("is_shared"));
    CHECK(studio.server.query("SELECT is_shared::text FROM search_filter WHERE id = $1::uuid", {filter_id}) == "true");
    // Zou lists shared filters of any open production to everyone.
    CHECK(http_get(port, "/data/user/filters", stranger).json()->getObject("asset")->has(studio.mine));

    // Removing a group removes its filters.
    CHECK(http_call(port, "DELETE", "/data/user/filter-groups/" + group_id, studio.artist).status == 204);
    CHECK(studio.server.query("SELECT count(*) FROM search_filter") == "0");
    CHECK(http_call(port, "DELETE", "/data/user/filters/" + filter_id, studio.artist).status == 404);
}

TEST_CASE("the caller's entity chats", "[api][pg][user]") {
    Studio studio;
    const std::string join = "/actions/user/chats/" + studio.shot + "/join";
    const auto joined = http_post(studio.port, join, "", studio.artist);
    INFO(joined.body);
    REQUIRE(joined.status == 200);
    CHECK(joined.json()->getValue<std::string>("type") == "Chat");
    CHECK(joined.json()->getValue<std::string>("object_id") == studio.shot);
    CHECK(http_post(studio.port, join, "", studio.artist).status == 200); // twice: one participant
    CHECK(studio.server.query("SELECT count(*) FROM chat_participant") == "1");
    const auto chats = array_of(http_get(studio.port, "/data/user/chats", studio.artist));
    REQUIRE(chats->size() == 1);
    CHECK(chats->getObject(0)->getValue<std::string>("entity_name") == "SQ01 / SH010");
    CHECK(chats->getObject(0)->getValue<std::string>("project_id") == studio.mine);
    CHECK(array_of(http_get(studio.port, "/data/user/chats", studio.admin))->size() == 0);
    // Not in the team of "Other": no chat there.
    const std::string elsewhere =
        studio.server.query("SELECT entity_id FROM task WHERE id = $1::uuid", {studio.other_task});
    CHECK(http_post(studio.port, "/actions/user/chats/" + elsewhere + "/join", "", studio.artist).status == 403);
    CHECK(http_post(studio.port, "/actions/user/chats/" + unknown_id + "/join", "", studio.artist).status == 404);
    CHECK(http_call(studio.port, "DELETE", join, studio.artist).status == 204);
    CHECK(array_of(http_get(studio.port, "/data/user/chats", studio.artist))->size() == 0);
}
