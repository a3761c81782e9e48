// tests/api/test_comment_followups.cpp: what follows a comment, as Zou's create_comment does
// it: notifications of the followers and of the people mentioned, the news item, and the
// production's status automations, all in the comment's transaction.
#include "support/test_server.h"

#include <catch2/catch.hpp>

using namespace slate::test;

namespace {

struct Production {
    TestServer server;
    std::string admin = server.login();
    int port = server.port();
    std::string project = server.create_project(admin, "Followed");
    std::string shot = server.create_shot(admin, project, "SH010");
    std::string animation = server.create_task(admin, project, shot, "Animation");

    std::string status(const std::string& short_name) {
        return server.query("SELECT id FROM task_status WHERE short_name = $1 AND NOT for_concept", {short_name});
    }
    /// A person of that role in the production's team ("Test <role>" is their full name).
    std::pair<std::string, std::string> member(const std::string& email, const std::string& role) {
        const std::string id = server.create_person(email, "secret-password-1", role);
        server.query("INSERT INTO project_person_link (project_id, person_id) VALUES ($1::uuid, $2::uuid) RETURNING 1",
                     {project, id});
        return {id, server.login(email, "secret-password-1")};
    }
    HttpResponse comment(const std::string& task, const std::string& status_short_name, const std::string& text,
                         const std::string& token) {
        return http_post(port, "/actions/tasks/" + task + "/comment",
                         R"({"task_status_id":")" + status(status_short_name) + R"(","comment":")" + text + R"("})",
                         token);
    }
    /// "type/change" of each notification the person has, sorted.
    std::vector<std::string> notifications_of(const std::string& person_id) {
        std::vector<std::string> kinds;
        const std::string all = server.query(
            "SELECT COALESCE(string_agg(type || '/' || change::text, ',' ORDER BY type, change), '') "
            "FROM notification WHERE person_id = $1::uuid",
            {person_id});
        std::size_t from = 0;
        while (!all.empty() && from <= all.size()) {
            const auto comma = all.find(',', from);
            kinds.push_back(all.substr(from, comma == std::string::npos ? std::string::npos : comma - from));
            if (comma == std::string::npos)
                break;
            from = comma + 1;
        }
        return kinds;
    }
};

} // namespace

TEST_CASE("a comment notifies the task's followers and the people it mentions, and makes news",
          "[api][pg][comments]") {
    Production p;
    const auto [assignee, assignee_token] = p.member("artist@example.com", "user");
    const auto [subscriber, subscriber_token] = p.member("follower@example.com", "manager");
    const auto [author, author_token] = p.member("lead@example.com", "supervisor");
    const auto [mentioned, mentioned_token] = p.member("mentioned@example.com", "vendor");
    const auto [in_department, department_token] = p.member("fx@example.com", "client");
    p.server.query("INSERT INTO task_person_link (task_id, person_id) VALUES ($1::uuid, $2::uuid) RETURNING 1",
                   {p.animation, assignee});
    p.server.query("INSERT INTO task_person_link (task_id, person_id) VALUES ($1::uuid, $2::uuid) RETURNING 1",
                   {p.animation, author});
    REQUIRE(http_post(p.port, "/actions/user/tasks/" + p.animation + "/subscribe", "{}", subscriber_token).status ==
            201);
    const std::string department = p.server.query("SELECT id FROM department WHERE name = 'FX'");
    p.server.query("INSERT INTO department_link (person_id, department_id) VALUES ($1::uuid, $2::uuid) RETURNING 1",
                   {in_department, department});

    const auto posted = p.comment(p.animation, "wip", "ready for @Test vendor and @FX", author_token);
    INFO(posted.body);
    REQUIRE(posted.status == 201);
    const std::string comment = posted.json()->getValue<std::string>("id");

    CHECK(p.notifications_of(assignee) == std::vector<std::string>{"comment/true"});
    CHECK(p.notifications_of(subscriber) == std::vector<std::string>{"comment/true"});
    CHECK(p.notifications_of(author).empty()); // never of one's own comment
    CHECK(p.notifications_of(mentioned) == std::vector<std::string>{"mention/false"});
    CHECK(p.notifications_of(in_department) == std::vector<std::string>{"mention/false"});
    // The recipient sees it in their list, as the web app reads it.
    const auto listed = http_get(p.port, "/data/user/notifications", assignee_token);
    REQUIRE(listed.status == 200);
    const auto first = listed.json_array()->getObject(0);
    CHECK(first->getValue<std::string>("notification_type") == "comment");
    CHECK(first->getValue<std::string>("comment_id") == comment);
    CHECK(first->getValue<bool>("change"));

    // The news item, and its event with the production in its data.
    CHECK(p.server.query("SELECT change::text FROM news WHERE comment_id = $1::uuid", {comment}) == "true");
    const std::string news_event =
        p.server.query("SELECT data::text FROM api_event WHERE name = 'news:new' ORDER BY created_at DESC LIMIT 1");
    CHECK(news_event.find(p.project) != std::string::npos);
    CHECK(news_event.find(p.status("wip")) != std::string::npos);

    // The same status again is no change.
    REQUIRE(p.comment(p.animation, "wip", "still going", author_token).status == 201);
    CHECK(p.notifications_of(assignee) == std::vector<std::string>{"comment/false", "comment/true"});
}

TEST_CASE("a status automation moves the next task type when its trigger is met", "[api][pg][comments]") {
    Production p;
    const std::string lighting = p.server.create_task(p.admin, p.project, p.shot, "Lighting");
    const std::string animation_type = p.server.query("SELECT id FROM task_type WHERE name = 'Animation' AND for_entity = 'Shot'");
    const std::string lighting_type = p.server.query("SELECT id FROM task_type WHERE name = 'Lighting' AND for_entity = 'Shot'");
    const auto automation = http_post(p.port, "/data/status-automations",
                                      R"({"entity_type":"shot","in_task_type_id":")" + animation_type +
                                          R"(","in_task_status_id":")" + p.status("done") +
                                          R"(","out_field_type":"status","out_task_type_id":")" + lighting_type +
                                          R"(","out_task_status_id":")" + p.status("ready") + R"("})",
                                      p.admin);
    INFO(automation.body);
    REQUIRE(automation.status == 201);
    const std::string automation_id = automation.json()->getValue<std::string>("id");
    p.server.query("INSERT INTO project_status_automation_link (project_id, status_automation_id) "
                   "VALUES ($1::uuid, $2::uuid) RETURNING 1",
                   {p.project, automation_id});

    // Not the trigger: nothing moves.
    REQUIRE(p.comment(p.animation, "wip", "working", p.admin).status == 201);
    CHECK(p.server.query("SELECT count(*) FROM comment WHERE object_id = $1::uuid", {lighting}) == "0");

    REQUIRE(p.comment(p.animation, "done", "approved", p.admin).status == 201);
    CHECK(p.server.query("SELECT task_status_id FROM task WHERE id = $1::uuid", {lighting}) == p.status("ready"));
    CHECK(p.server.query("SELECT text FROM comment WHERE object_id = $1::uuid", {lighting}) ==
          "Change triggered by Animation set to Done");

    // An archived automation does nothing.
    p.server.query("UPDATE status_automation SET archived = true WHERE id = $1::uuid RETURNING 1", {automation_id});
    REQUIRE(p.comment(lighting, "wip", "relighting", p.admin).status == 201);
    REQUIRE(p.comment(p.animation, "done", "approved again", p.admin).status == 201);
    CHECK(p.server.query("SELECT task_status_id FROM task WHERE id = $1::uuid", {lighting}) == p.status("wip"));
}

TEST_CASE("editing a comment: who may change what, mentions and status followed", "[api][pg][comments]") {
    Production p;
    const auto [author, author_token] = p.member("artist@example.com", "user");
    const auto [other, other_token] = p.member("other@example.com", "user");
    const auto [lead, lead_token] = p.member("lead@example.com", "supervisor");
    const auto [boss, boss_token] = p.member("boss@example.com", "manager");
    p.server.query("INSERT INTO task_person_link (task_id, person_id) VALUES ($1::uuid, $2::uuid) RETURNING 1",
                   {p.animation, author});
    const auto posted = p.comment(p.animation, "wip", "first pass", author_token);
    REQUIRE(posted.status == 201);
    const std::string comment = posted.json()->getValue<std::string>("id");
    const std::string path = "/data/comments/" + comment;
    auto put = [&](const std::string& body, const std::string& token) {
        return http_call(p.port, "PUT", path, token, body);
    };

    // Another artist changes nothing but the boxes; the author rewrites their text.
    CHECK(put(R"({"text":"not mine"})", other_token).status == 403);
    const auto edited = put(R"({"text":"first pass, see @Test supervisor"})", author_token);
    INFO(edited.body);
    REQUIRE(edited.status == 200);
    CHECK(edited.json()->getValue<std::string>("editor_id") == author);
    CHECK(p.server.query("SELECT person::text FROM comment_mentions WHERE comment = $1::uuid", {comment}) == lead);
    CHECK(p.notifications_of(lead) == std::vector<std::string>{"mention/false"});
    CHECK(p.server.query("SELECT (n.created_at = c.created_at)::text FROM notification n JOIN comment c "
                         "ON c.id = n.comment_id WHERE n.person_id = $1::uuid",
                         {lead}) == "true");
    CHECK(p.server.query("SELECT data->>'task_id' FROM api_event WHERE name = 'comment:update' "
                         "AND data->>'task_id' IS NOT NULL") == p.animation);
    // The mention taken out: its notification goes too.
    REQUIRE(put(R"({"text":"first pass"})", author_token).status == 200);
    CHECK(p.notifications_of(lead).empty());
    CHECK(p.server.query("SELECT count(*)::text FROM comment_mentions WHERE comment = $1::uuid", {comment}) == "0");

    // The boxes: the author writes them; ticking is for the author, assignees and supervisors.
    REQUIRE(put(R"({"checklist":[{"text":"eyes","checked":false}]})", author_token).status == 200);
    CHECK(put(R"({"checklist":[{"text":"eyes","checked":true}]})", other_token).status == 403);
    p.server.query("INSERT INTO task_person_link (task_id, person_id) VALUES ($1::uuid, $2::uuid) RETURNING 1",
                   {p.animation, other});
    CHECK(put(R"({"checklist":[{"text":"eyes","checked":true}]})", other_token).status == 200);

    // Pinning is for the department's supervisors; publishing to clients for managers.
    CHECK(put(R"({"pinned":true})", author_token).status == 403);
    CHECK(put(R"({"pinned":true})", lead_token).status == 200);
    CHECK(put(R"({"for_client":true})", lead_token).status == 403);
    CHECK(put(R"({"for_client":true})", boss_token).status == 200);
    CHECK(p.server.query("SELECT pinned::text || for_client::text FROM comment WHERE id = $1::uuid", {comment}) ==
          "truetrue");

    // A new status moves the task, within the statuses allowed to artists.
    const std::string done = p.status("done");
    p.server.query("UPDATE task_status SET is_artist_allowed = false WHERE id = $1::uuid RETURNING 1", {done});
    CHECK(put(R"({"task_status_id":")" + done + R"("})", author_token).status == 403);
    CHECK(p.server.query("SELECT task_status_id::text FROM comment WHERE id = $1::uuid", {comment}) == p.status("wip"));
    const std::string retake = p.status("retake");
    REQUIRE(put(R"({"task_status_id":")" + retake + R"("})", author_token).status == 200);
    CHECK(p.server.query("SELECT task_status_id::text FROM task WHERE id = $1::uuid", {p.animation}) == retake);
    CHECK(p.server.query("SELECT data->>'previous_task_status_id' FROM api_event WHERE name = 'task:status-changed' "
                         "AND data->>'new_task_status_id' = $1",
                         {retake}) == p.status("wip"));
}

TEST_CASE("DELETE /data/comments/{id}: the author or a manager, its files and status go with it",
          "[api][pg][comments]") {
    Production p;
    const auto [author, author_token] = p.member("artist@example.com", "user");
    const auto [other, other_token] = p.member("other@example.com", "user");
    const auto [boss, boss_token] = p.member("boss@example.com", "manager");
    p.server.query("INSERT INTO task_person_link (task_id, person_id) VALUES ($1::uuid, $2::uuid) RETURNING 1",
                   {p.animation, author});
    REQUIRE(p.comment(p.animation, "wip", "first", author_token).status == 201);
    const auto second = p.comment(p.animation, "wfa", "please look", author_token);
    REQUIRE(second.status == 201);
    const std::string comment = second.json()->getValue<std::string>("id");
    REQUIRE(http_post(p.port, "/actions/tasks/" + p.animation + "/comments/" + comment + "/add-preview", "{}",
                      author_token)
                .status == 201);
    CHECK(p.server.query("SELECT task_status_id::text FROM task WHERE id = $1::uuid", {p.animation}) ==
          p.status("wfa"));

    CHECK(http_call(p.port, "DELETE", "/data/comments/" + comment, other_token).status == 403);
    CHECK(http_call(p.port, "DELETE", "/data/comments/" + comment, author_token).status == 204);
    CHECK(p.server.query("SELECT count(*)::text FROM comment WHERE id = $1::uuid", {comment}) == "0");
    CHECK(p.server.query("SELECT count(*)::text FROM preview_file WHERE task_id = $1::uuid", {p.animation}) == "0");
    // The task replays what is left: the first comment's status.
    CHECK(p.server.query("SELECT task_status_id::text FROM task WHERE id = $1::uuid", {p.animation}) ==
          p.status("wip"));
    const std::string first = p.server.query("SELECT id FROM comment WHERE object_id = $1::uuid", {p.animation});
    CHECK(http_call(p.port, "DELETE", "/data/comments/" + first, boss_token).status == 204);
}
