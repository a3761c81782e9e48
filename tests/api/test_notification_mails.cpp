// tests/api/test_notification_mails.cpp: the mails that go with notifications (Zou's
// emails_service: comment, mention, reply, assignation) to those who enabled them, the copies
// of a comment its hashtags ask for, and the preview an automation imports; the same
// notifications posted to a Mattermost webhook (a real HTTP server here).
#include "support/test_media.h"
#include "support/test_server.h"

#include "engine/config.h"

#include <catch2/catch.hpp>

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>

using namespace slate::test;

namespace {

struct Production {
    TestServer server{[](slate::engine::Config& config) {
        config.domain_name = "kitsu.example.com";
        config.domain_protocol = "https";
    }};
    std::string admin = server.login();
    int port = server.port();
    std::string project = server.create_project(admin, "Mailed");
    std::string shot = server.create_shot(admin, project, "SH010");
    std::string animation = server.create_task(admin, project, shot, "Animation");

    std::string status(const std::string& short_name) {
        return server.query("SELECT id FROM task_status WHERE short_name = $1 AND NOT for_concept", {short_name});
    }
    /// A person of that role in the team ("Test <role>" is their full name), wanting mails or not.
    std::pair<std::string, std::string> member(const std::string& email, const std::string& role, bool mails,
                                               const std::string& locale = "en_US") {
        const std::string id = server.create_person(email, "secret-password-1", role);
        server.query("INSERT INTO project_person_link (project_id, person_id) VALUES ($1::uuid, $2::uuid) RETURNING 1",
                     {project, id});
        server.query("UPDATE person SET notifications_enabled = $2::boolean, locale = $3 WHERE id = $1::uuid "
                     "RETURNING 1",
                     {id, mails ? "true" : "false", locale});
        return {id, server.login(email, "secret-password-1")};
    }
    void assign(const std::string& task, const std::string& person) {
        server.query("INSERT INTO task_person_link (task_id, person_id) VALUES ($1::uuid, $2::uuid) RETURNING 1",
                     {task, person});
    }
    HttpResponse comment(const std::string& task, const std::string& status_short_name, const std::string& text,
                         const std::string& token) {
        return http_post(port, "/actions/tasks/" + task + "/comment",
                         R"({"task_status_id":")" + status(status_short_name) + R"(","comment":")" + text + R"("})",
                         token);
    }
    std::string url(const std::string& task) const {
        return "https://kitsu.example.com/productions/" + project + "/shots/tasks/" + task;
    }
    /// The mails received, headers unfolded and bodies decoded.
    std::vector<std::string> mails() {
        std::vector<std::string> all;
        for (const auto& message : server.mail().messages()) {
            const size_t end = std::min(message.find("\r\n\r\n"), message.size());
            std::string headers = message.substr(0, end);
            for (size_t at = headers.find("\r\n "); at != std::string::npos; at = headers.find("\r\n ", at))
                headers.erase(at, 2);
            all.push_back(headers + quoted_printable_decode(message.substr(end)));
        }
        return all;
    }
    /// The mails sent to `email`.
    std::vector<std::string> mails_to(const std::string& email) {
        std::vector<std::string> found;
        for (const auto& mail : mails())
            if (mail.find("<" + email + ">") != std::string::npos || mail.find("To: " + email) != std::string::npos)
                found.push_back(mail);
        return found;
    }
    /// Waits for the `count`th mail and a little longer, so that any mail sent wrongly arrives.
    void settle(std::size_t count) {
        REQUIRE(server.mail().wait_for(count));
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        CHECK(server.mail().messages().size() == count);
    }
};

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

/// An incoming webhook as Mattermost serves one: a real HTTP server on 127.0.0.1 keeping the
/// paths and bodies it is posted.
class WebhookSink {
public:
    WebhookSink() : m_server(new Factory(*this), Poco::Net::ServerSocket(Poco::Net::SocketAddress("127.0.0.1", 0)),
                             new Poco::Net::HTTPServerParams) {
        m_server.start();
    }
    ~WebhookSink() { m_server.stopAll(true); }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_server.port()) + "/hooks/kitsu"; }
    std::vector<std::string> posts() const {
        std::lock_guard lock(m_mutex);
        return m_posts;
    }
    bool wait_for(std::size_t count) const {
        for (int tries = 0; tries < 100; ++tries) {
            if (posts().size() >= count)
                return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return false;
    }

private:
    struct Handler : Poco::Net::HTTPRequestHandler {
        explicit Handler(WebhookSink& sink) : sink(sink) {}
        void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
            std::string body;
            Poco::StreamCopier::copyToString(request.stream(), body);
            {
                std::lock_guard lock(sink.m_mutex);
                sink.m_posts.push_back(request.getMethod() + " " + request.getURI() + " " + body);
            }
            response.setContentType("text/plain");
            response.send() << "ok";
        }
        WebhookSink& sink;
    };
    struct Factory : Poco::Net::HTTPRequestHandlerFactory {
        explicit Factory(WebhookSink& sink) : sink(sink) {}
        Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
            return new Handler(sink);
        }
        WebhookSink& sink;
    };

    mutable std::mutex m_mutex;
    std::vector<std::string> m_posts;
    Poco::Net::HTTPServer m_server;
};

} // namespace

TEST_CASE("comment, mention and reply notifications are mailed to those who enabled them",
          "[api][pg][comments][mails]") {
    Production p;
    const auto [assignee, assignee_token] = p.member("artist@example.com", "user", true);
    const auto [quiet, quiet_token] = p.member("quiet@example.com", "user", false);
    const auto [author, author_token] = p.member("lead@example.com", "supervisor", true);
    const auto [mentioned, mentioned_token] = p.member("mentioned@example.com", "vendor", true, "fr_FR");
    p.assign(p.animation, assignee);
    p.assign(p.animation, quiet);
    p.assign(p.animation, author);
    const std::string task_name = "Mailed / SH010 / Animation"; // the shot is in no sequence

    const auto posted = p.comment(p.animation, "wip", "Nice <timing>, it's for @Test vendor", author_token);
    INFO(posted.body);
    REQUIRE(posted.status == 201);
    p.settle(2); // the assignee's comment mail and the mention; none for the quiet one or the author

    const auto to_assignee = p.mails_to("artist@example.com");
    REQUIRE(to_assignee.size() == 1);
    INFO(to_assignee[0]);
    CHECK(has(to_assignee[0], "Subject: [Kitsu] WIP - Test commented on " + task_name));
    CHECK(has(to_assignee[0], "<strong>Test supervisor</strong> wrote a comment on <a href=\"" + p.url(p.animation) +
                                  "\">" + task_name + "</a> and set the status to <strong>WIP</strong>."));
    CHECK(has(to_assignee[0], "<p><em>Nice &lt;timing&gt;, it&#x27;s for @Test vendor</em></p>"));
    CHECK(has(to_assignee[0], "<h1>New Comment</h1>"));
    CHECK(has(to_assignee[0], "Best regards"));

    const auto to_mentioned = p.mails_to("mentioned@example.com");
    REQUIRE(to_mentioned.size() == 1);
    // In their locale: Zou's French strings (the subject is an encoded word).
    CHECK(has(to_mentioned[0], "vous a mentionné dans un commentaire sur <a href=\"" + p.url(p.animation) + "\">"));
    CHECK(has(to_mentioned[0], "Nice &lt;timing&gt;, it&#x27;s for @Test vendor"));
    CHECK(p.mails_to("quiet@example.com").empty());
    CHECK(p.mails_to("lead@example.com").empty());

    // A status change with no text: Zou's "changed status" mail.
    REQUIRE(p.comment(p.animation, "wfa", "", author_token).status == 201);
    p.settle(3);
    const auto status_only = p.mails_to("artist@example.com");
    REQUIRE(status_only.size() == 2);
    CHECK(has(status_only[1], "changed status of <a href=\"" + p.url(p.animation) + "\">"));

    // A reply: the comment's author hears of it by mail, the replier does not; the person it
    // names gets a mention mail, with the comment's text as Zou writes it.
    const std::string comment = posted.json()->getValue<std::string>("id");
    const auto replied = http_post(p.port, "/data/tasks/" + p.animation + "/comments/" + comment + "/reply",
                                   R"({"text":"Will fix, @Test vendor"})", assignee_token);
    INFO(replied.body);
    REQUIRE(replied.status == 200);
    p.settle(5);
    const auto to_author = p.mails_to("lead@example.com");
    REQUIRE(to_author.size() == 1);
    CHECK(has(to_author[0], "Subject: [Kitsu] Test replied on " + task_name));
    CHECK(has(to_author[0], "<p><em>Will fix, @Test vendor</em></p>"));
    const auto mentioned_again = p.mails_to("mentioned@example.com");
    REQUIRE(mentioned_again.size() == 2);
    CHECK(has(mentioned_again[1], "vous a mentionné"));
    CHECK(has(mentioned_again[1], "Nice &lt;timing&gt;, it&#x27;s for @Test vendor"));
    CHECK(p.server.query("SELECT count(*) FROM notification WHERE type = 'reply' AND person_id = $1::uuid", {author}) ==
          "1");
    CHECK(p.server.query("SELECT count(*) FROM notification WHERE type = 'reply' AND person_id = $1::uuid",
                         {assignee}) == "0");
    CHECK(p.server.query("SELECT count(*) FROM notification WHERE type = 'reply-mention' AND person_id = $1::uuid",
                         {mentioned}) == "1");

    // Bad input writes nothing and mails nothing.
    CHECK(http_post(p.port, "/actions/tasks/" + p.animation + "/comment", R"({"task_status_id":"nope"})", author_token)
                  .status /
              100 ==
          4);
    p.settle(5);
}

TEST_CASE("notifications are posted to the Mattermost of those who turned it on", "[api][pg][comments][mails]") {
    Production p;
    WebhookSink mattermost;
    p.server.query("UPDATE organisation SET chat_webhook_mattermost = $1 RETURNING 1", {mattermost.url()});
    const auto [artist, artist_token] = p.member("artist@example.com", "user", false);
    const auto [lead, lead_token] = p.member("lead@example.com", "supervisor", false);
    const auto [slacker, slacker_token] = p.member("slacker@example.com", "user", false);
    p.server.query("UPDATE person SET notifications_mattermost_enabled = true, notifications_mattermost_userid = "
                   "'artist.mm' WHERE id = $1::uuid RETURNING 1",
                   {artist});
    // Slack turned on without the organisation's token: nothing is posted, nothing fails.
    p.server.query("UPDATE person SET notifications_slack_enabled = true, notifications_slack_userid = 'U123' "
                   "WHERE id = $1::uuid RETURNING 1",
                   {slacker});
    p.assign(p.animation, artist);
    p.assign(p.animation, slacker);

    REQUIRE(p.comment(p.animation, "wip", "Looks good", lead_token).status == 201);
    REQUIRE(mattermost.wait_for(1));
    const std::string post = mattermost.posts().at(0);
    INFO(post);
    REQUIRE(post.rfind("POST /hooks/kitsu ", 0) == 0);
    const auto payload =
        Poco::JSON::Parser().parse(post.substr(std::string("POST /hooks/kitsu ").size())).extract<Poco::JSON::Object::Ptr>();
    CHECK(payload->getValue<std::string>("text") ==
          "*Test supervisor* wrote a comment on <" + p.url(p.animation) +
              "|Mailed / SH010 / Animation> and set the status to *WIP*.\n\n_Looks good_\n");
    CHECK(payload->getValue<std::string>("channel") == "@artist.mm");
    CHECK(payload->getValue<std::string>("username") == "Kitsu - Mailed");
    CHECK(payload->getValue<std::string>("icon_url") == "https://kitsu.example.com/img/kitsu.b07d6464.png");
    // No mail: none of them wants one.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    CHECK(p.server.mail().messages().empty());
    CHECK(mattermost.posts().size() == 1);

    // An assignation is posted too, with Zou's words.
    const std::string layout = p.server.create_task(p.admin, p.project, p.shot, "Layout");
    REQUIRE(http_call(p.port, "PUT", "/actions/persons/" + artist + "/assign", p.admin,
                      R"({"task_ids":[")" + layout + R"("]})")
                .status == 200);
    REQUIRE(mattermost.wait_for(2));
    CHECK(has(mattermost.posts().at(1), "* assigned you to <" + p.url(layout) + "|Mailed / SH010 / Layout>."));
}

TEST_CASE("an assignation is mailed to the assignee, not to one who assigns themselves", "[api][pg][tasks][mails]") {
    Production p;
    const auto [artist, artist_token] = p.member("artist@example.com", "user", true);
    const auto [quiet, quiet_token] = p.member("quiet@example.com", "user", false);
    const std::string layout = p.server.create_task(p.admin, p.project, p.shot, "Layout");

    auto assign = http_call(p.port, "PUT", "/actions/tasks/" + p.animation + "/assign", p.admin,
                            R"({"person_id":")" + artist + R"("})");
    INFO(assign.body);
    REQUIRE(assign.status == 200);
    REQUIRE(http_call(p.port, "PUT", "/actions/tasks/" + p.animation + "/assign", p.admin,
                      R"({"person_id":")" + quiet + R"("})")
                .status == 200);
    p.settle(1);
    const auto mails = p.mails_to("artist@example.com");
    REQUIRE(mails.size() == 1);
    CHECK(has(mails[0], "Subject: [Kitsu] You were assigned to Mailed / "));
    CHECK(has(mails[0], "</strong> assigned you to <a href=\"" + p.url(p.animation) + "\">Mailed / "));
    CHECK(p.server.query("SELECT count(*) FROM notification WHERE type = 'assignation' AND person_id = $1::uuid",
                         {quiet}) == "1");

    // The batch route mails each task; unknown task ids are skipped.
    const auto batch = http_call(p.port, "PUT", "/actions/persons/" + artist + "/assign", p.admin,
                                 R"({"task_ids":[")" + layout + R"(","00000000-0000-0000-0000-000000000000"]})");
    INFO(batch.body);
    REQUIRE(batch.status == 200);
    p.settle(2);
    CHECK(has(p.mails_to("artist@example.com").at(1), p.url(layout)));

    // An asset's task in a tv show: Kitsu's "main" pseudo episode in the link.
    p.server.query("UPDATE project SET production_type = 'tvshow' WHERE id = $1::uuid RETURNING 1", {p.project});
    const std::string chair =
        p.server.query("INSERT INTO entity (id, name, status, project_id, entity_type_id, created_at, updated_at) "
                       "SELECT gen_random_uuid(), 'Chair', 'running', $1::uuid, id, now(), now() FROM entity_type "
                       "WHERE name = 'Prop' RETURNING id",
                       {p.project});
    const std::string modeling = p.server.query(
        "INSERT INTO task (id, name, project_id, task_type_id, entity_id, task_status_id, created_at, updated_at) "
        "SELECT gen_random_uuid(), 'main', $1::uuid, tt.id, $2::uuid, $3::uuid, now(), now() FROM task_type tt "
        "WHERE tt.name = 'Modeling' AND tt.for_entity = 'Asset' RETURNING id",
        {p.project, chair, p.status("todo")});
    REQUIRE(!modeling.empty());
    REQUIRE(http_call(p.port, "PUT", "/actions/tasks/" + modeling + "/assign", p.admin,
                      R"({"person_id":")" + artist + R"("})")
                .status == 200);
    p.settle(3);
    const auto asset_mail = p.mails_to("artist@example.com").at(2);
    CHECK(has(asset_mail, "Subject: [Kitsu] You were assigned to Mailed / Prop / Chair / Modeling"));
    CHECK(has(asset_mail, "https://kitsu.example.com/productions/" + p.project + "/episodes/main/assets/tasks/" +
                              modeling + "\">Mailed / Prop / Chair / Modeling</a>"));

    // Taking a task oneself: no notification, no mail.
    const std::string admin_id = p.server.query("SELECT id FROM person WHERE email = 'admin@example.com'");
    p.server.query("UPDATE person SET notifications_enabled = true WHERE id = $1::uuid RETURNING 1", {admin_id});
    REQUIRE(http_call(p.port, "PUT", "/actions/tasks/" + layout + "/assign", p.admin,
                      R"({"person_id":")" + admin_id + R"("})")
                .status == 200);
    CHECK(http_call(p.port, "PUT", "/actions/tasks/" + layout + "/assign", p.admin, R"({"person_id":"nope"})").status /
              100 ==
          4);
    p.settle(3);
}

TEST_CASE("hashtags copy a comment to the entity's tasks they name", "[api][pg][comments]") {
    Production p;
    const std::string layout = p.server.create_task(p.admin, p.project, p.shot, "Layout");
    const std::string lighting = p.server.create_task(p.admin, p.project, p.shot, "Lighting");
    const std::string compositing = p.server.create_task(p.admin, p.project, p.shot, "Compositing");
    const std::string other_shot = p.server.create_shot(p.admin, p.project, "SH020");
    const std::string other_layout = p.server.create_task(p.admin, p.project, other_shot, "Layout");
    const auto [artist, artist_token] = p.member("artist@example.com", "user", true);
    p.assign(lighting, artist);
    auto comments_on = [&](const std::string& task) {
        return p.server.query("SELECT count(*) FROM comment WHERE object_id = $1::uuid", {task});
    };
    const std::string todo = p.status("todo");
    p.server.query("UPDATE task SET task_status_id = $1::uuid RETURNING 1", {todo});

    REQUIRE(p.comment(p.animation, "wip", "Check the #Layout and #lighting, #animation too", p.admin).status == 201);
    CHECK(comments_on(p.animation) == "1"); // its own task type is not copied to
    CHECK(comments_on(layout) == "1");
    CHECK(comments_on(lighting) == "1");
    CHECK(comments_on(compositing) == "0");
    CHECK(comments_on(other_layout) == "0");
    CHECK(p.server.query("SELECT text FROM comment WHERE object_id = $1::uuid", {layout}) ==
          "Check the #Layout and #lighting, #animation too\n\n____\nFrom Animation task");
    // Each copy keeps its task's status; the lighting assignee is notified and mailed.
    CHECK(p.server.query("SELECT task_status_id FROM comment WHERE object_id = $1::uuid", {lighting}) == todo);
    CHECK(p.server.query("SELECT task_status_id FROM task WHERE id = $1::uuid", {lighting}) == todo);
    CHECK(p.server.query("SELECT task_status_id FROM task WHERE id = $1::uuid", {p.animation}) == p.status("wip"));
    CHECK(p.server.query("SELECT count(*) FROM notification WHERE person_id = $1::uuid AND task_id = $2::uuid",
                         {artist, lighting}) == "1");
    p.settle(1);
    CHECK(has(p.mails_to("artist@example.com").at(0), "From Animation task"));

    // #all: every other task of the entity.
    REQUIRE(p.comment(p.animation, "wip", "#all please", p.admin).status == 201);
    CHECK(comments_on(p.animation) == "2");
    CHECK(comments_on(layout) == "2");
    CHECK(comments_on(lighting) == "2");
    CHECK(comments_on(compositing) == "1");
    CHECK(comments_on(other_layout) == "0");

    // A copy refused (the layout task is at its retake cap) refuses the whole comment: one
    // transaction, nothing written.
    p.server.query("UPDATE project SET max_retakes = 1 WHERE id = $1::uuid RETURNING 1", {p.project});
    p.server.query("UPDATE task SET task_status_id = $2::uuid, retake_count = 1 WHERE id = $1::uuid RETURNING 1",
                   {layout, p.status("retake")});
    const std::string before = p.server.query("SELECT count(*) FROM comment");
    const std::string notifications = p.server.query("SELECT count(*) FROM notification");
    CHECK(p.comment(p.animation, "done", "#layout is stuck", p.admin).status == 400);
    CHECK(p.server.query("SELECT count(*) FROM comment") == before);
    CHECK(p.server.query("SELECT count(*) FROM notification") == notifications);
    CHECK(p.server.query("SELECT task_status_id FROM task WHERE id = $1::uuid", {p.animation}) == p.status("wip"));
}

TEST_CASE("an automation importing the last revision copies the source task's previews", "[api][pg][comments]") {
    Production p;
    const std::string lighting = p.server.create_task(p.admin, p.project, p.shot, "Lighting");
    const std::string animation_type =
        p.server.query("SELECT id FROM task_type WHERE name = 'Animation' AND for_entity = 'Shot'");
    const std::string lighting_type =
        p.server.query("SELECT id FROM task_type WHERE name = 'Lighting' AND for_entity = 'Shot'");
    const auto automation =
        http_post(p.port, "/data/status-automations",
                  R"({"entity_type":"shot","in_task_type_id":")" + animation_type + R"(","in_task_status_id":")" +
                      p.status("done") + R"(","out_field_type":"status","out_task_type_id":")" + lighting_type +
                      R"(","out_task_status_id":")" + p.status("ready") + R"(","import_last_revision":true})",
                  p.admin);
    INFO(automation.body);
    REQUIRE(automation.status == 201);
    p.server.query("INSERT INTO project_status_automation_link (project_id, status_automation_id) "
                   "VALUES ($1::uuid, $2::uuid) RETURNING 1",
                   {p.project, automation.json()->getValue<std::string>("id")});

    char pattern[] = "/tmp/slate-import-XXXXXX";
    const std::filesystem::path dir = mkdtemp(pattern);
    p.server.uploaded_preview(p.admin, p.animation, "first.png", make_png(dir, 320, 180));
    const std::string last = p.server.uploaded_preview(p.admin, p.animation, "second.png", make_png(dir, 640, 360));

    const auto [lighter, lighter_token] = p.member("lighter@example.com", "user", true);
    p.assign(lighting, lighter);
    REQUIRE(p.comment(p.animation, "done", "approved", p.admin).status == 201);
    // The automation's comment is mailed to the target task's assignee.
    p.settle(1);
    CHECK(has(p.mails_to("lighter@example.com").at(0), "<p><em>Change triggered by Animation set to Done</em></p>"));
    const std::string imported = p.server.query("SELECT id FROM preview_file WHERE task_id = $1::uuid", {lighting});
    REQUIRE(!imported.empty());
    CHECK(p.server.query("SELECT count(*) FROM preview_file WHERE task_id = $1::uuid", {lighting}) == "1");
    CHECK(p.server.query("SELECT revision || '/' || position || '/' || extension || '/' || status || '/' || width "
                         "FROM preview_file WHERE id = $1::uuid",
                         {imported}) == "1/1/png/ready/640");
    CHECK(p.server.query("SELECT original_name FROM preview_file WHERE id = $1::uuid", {imported}) ==
          p.server.query("SELECT original_name FROM preview_file WHERE id = $1::uuid", {last}));
    // On the automation's comment, the target task's last preview, its files served.
    CHECK(p.server.query("SELECT c.text FROM comment_preview_link l JOIN comment c ON c.id = l.comment "
                         "WHERE l.preview_file = $1::uuid",
                         {imported}) == "Change triggered by Animation set to Done");
    CHECK(p.server.query("SELECT last_preview_file_id FROM task WHERE id = $1::uuid", {lighting}) == imported);
    const auto picture = http_call(p.port, "GET", "/pictures/originals/preview-files/" + imported + ".png", p.admin);
    CHECK(picture.status == 200);
    CHECK(png_width(picture.body) == 640);
    std::filesystem::remove_all(dir);
}
