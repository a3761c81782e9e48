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
