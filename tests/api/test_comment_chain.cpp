// tests/api/test_comment_chain.cpp: a comment that changes a task's status notifies the
// assignees, subscribers and @mentioned persons and departments, feeds the news, and runs the
// production's status automations, all in the comment's transaction.
#include <catch2/catch.hpp>

#include "support/test_server.h"

using namespace slate::test;

namespace {

struct Chain {
    TestServer server;
    int port = server.port();
    std::string admin = server.login();
    std::string project = server.create_project(admin, "Chain");
    std::string shot = server.create_shot(admin, project, "SH010");
    std::string animation = server.create_task(admin, project, shot, "Animation");
    std::string lighting = server.create_task(admin, project, shot, "Lighting");
    std::string artist = server.create_person("artist@example.com", "artist-password", "user");
    std::string follower = server.create_person("follower@example.com", "follower-password", "supervisor");
    std::string mentioned = server.create_person("mentioned@example.com", "mentioned-password", "manager");
    std::string lighter = server.create_person("lighter@example.com", "lighter-password", "vendor");
    std::string status(const std::string& short_name) {
        return server.query("SELECT id FROM task_status WHERE short_name = $1", {short_name});
    }

    Chain() {
        for (const auto& person : {artist, follower, mentioned, lighter})
            server.query("INSERT INTO project_person_link (project_id, person_id) VALUES ($1::uuid, $2::uuid) "
                         "RETURNING 1",
                         {project, person});
        server.query("INSERT INTO task_person_link (task_id, person_id) VALUES ($1::uuid, $2::uuid) RETURNING 1",
                     {animation, artist});
        server.query("INSERT INTO subscription (id, person_id, task_id) VALUES (gen_random_uuid(), $1::uuid, "
                     "$2::uuid) RETURNING 1",
                     {follower, animation});
        // The lighter is in the Compositing department: "@Compositing" reaches them.
        server.query("INSERT INTO department_link (person_id, department_id) SELECT $1::uuid, id FROM department "
                     "WHERE name = 'Compositing' RETURNING 1",
                     {lighter});
        // Animation done → Lighting ready to start.
        const std::string automation = server.query(
            "INSERT INTO status_automation (id, entity_type, in_task_type_id, in_task_status_id, out_field_type, "
            "out_task_type_id, out_task_status_id, import_last_revision, archived, created_at, updated_at) "
            "SELECT gen_random_uuid(), 'shot', a.task_type_id, $1::uuid, 'status', l.task_type_id, $2::uuid, false, "
            "false, now(), now() FROM task a, task l WHERE a.id = $3::uuid AND l.id = $4::uuid RETURNING id",
            {status("done"), status("ready"), animation, lighting});
        server.query("INSERT INTO project_status_automation_link (project_id, status_automation_id) VALUES "
                     "($1::uuid, $2::uuid) RETURNING 1",
                     {project, automation});
    }
};

} // namespace

TEST_CASE("a status change by comment notifies, feeds the news and runs automations", "[api][pg][comments]") {
    Chain c;
    const auto posted = http_post(c.port, "/actions/tasks/" + c.animation + "/comment",
                                  R"({"task_status_id":")" + c.status("done") +
                                      R"(","comment":"@Test manager and @Compositing please"})",
                                  c.admin);
    INFO(posted.body);
    REQUIRE(posted.status == 201);
    const std::string comment = posted.json()->getValue<std::string>("id");
    CHECK(c.server.query("SELECT task_status_id FROM task WHERE id = $1::uuid", {c.animation}) == c.status("done"));
    CHECK(c.server.query("SELECT (done_date IS NOT NULL)::text FROM task WHERE id = $1::uuid", {c.animation}) ==
          "true");
    const auto notified = [&](const std::string& person, const std::string& type) {
        return c.server.query("SELECT count(*) FROM notification WHERE person_id = $1::uuid AND comment_id = $2::uuid "
                              "AND type = $3",
                              {person, comment, type});
    };
    CHECK(notified(c.artist, "comment") == "1");    // assignee
    CHECK(notified(c.follower, "comment") == "1");  // subscriber
    CHECK(notified(c.mentioned, "mention") == "1"); // @person
    CHECK(notified(c.lighter, "mention") == "1");   // @department
    CHECK(c.server.query("SELECT count(*) FROM notification WHERE person_id = $1::uuid", {c.server.login_user_id()}) ==
          "0"); // never the author
    CHECK(c.server.query("SELECT change::text FROM notification WHERE person_id = $1::uuid", {c.artist}) == "true");
    CHECK(c.server.query("SELECT change::text FROM news WHERE comment_id = $1::uuid", {comment}) == "true");

    // The automation moved the Lighting task with a comment of its own.
    CHECK(c.server.query("SELECT task_status_id FROM task WHERE id = $1::uuid", {c.lighting}) == c.status("ready"));
    CHECK(c.server.query("SELECT text FROM comment WHERE object_id = $1::uuid", {c.lighting}) ==
          "Change triggered by Animation set to Done");
    CHECK(c.server.query("SELECT count(*) FROM api_event WHERE name = 'task:status-changed' AND data->>'task_id' = $1",
                         {c.lighting}) == "1");

    // A refused comment leaves nothing behind.
    const std::string comments = c.server.query("SELECT count(*) FROM comment");
    const std::string notifications = c.server.query("SELECT count(*) FROM notification");
    CHECK(http_post(c.port, "/actions/tasks/" + c.animation + "/comment",
                    R"({"task_status_id":"00000000-0000-0000-0000-000000000000","comment":"@Test manager"})", c.admin)
              .status == 404);
    CHECK(c.server.query("SELECT count(*) FROM comment") == comments);
    CHECK(c.server.query("SELECT count(*) FROM notification") == notifications);
}
