// tests/api/test_permission_matrix.cpp: for each role, a representative route of each area
// Slate serves, allowed or denied as Zou decides (conventions.md §5).
#include <catch2/catch.hpp>

#include "support/test_server.h"

#include "engine/db/pool.h"

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <map>

using namespace slate::test;

namespace {

struct Expectation {
    const char* method;
    std::string path;
    std::string body;
    std::map<std::string, int> status_by_role; ///< role → expected status
};

} // namespace

TEST_CASE("each role is allowed or denied each representative route as in Zou", "[api][pg]") {
    TestServer server;
    const int port = server.port();
    const std::string admin = server.login();
    const std::string project =
        http_call(port, "POST", "/data/projects", admin, R"({"name":"Matrix"})").json()->getValue<std::string>("id");
    const std::vector<std::string> roles = {"manager", "supervisor", "user", "client", "vendor"};
    std::map<std::string, std::string> tokens{{"admin", admin}};
    {
        auto connection = server.pool().acquire();
        for (const auto& role : roles) {
            const std::string id = server.create_person(role + "@example.com", role + "-password", role);
            connection->exec("INSERT INTO project_person_link (project_id, person_id) VALUES ($1::uuid, $2::uuid)",
                             {project, id});
            tokens[role] = server.login(role + "@example.com", role + "-password");
        }
    }
    auto everyone = [](int status) {
        return std::map<std::string, int>{{"admin", status}, {"manager", status}, {"supervisor", status},
                                          {"user", status},  {"client", status},  {"vendor", status}};
    };
    auto only = [](std::map<std::string, int> allowed, int denied) {
        std::map<std::string, int> all{{"admin", denied}, {"manager", denied}, {"supervisor", denied},
                                       {"user", denied},  {"client", denied},  {"vendor", denied}};
        for (const auto& [role, status] : allowed)
            all[role] = status;
        return all;
    };
    const std::vector<Expectation> matrix = {
        {"GET", "/auth/authenticated", "", everyone(200)},
        {"GET", "/config", "", everyone(200)},
        {"GET", "/stats", "", only({{"admin", 200}}, 403)},
        {"GET", "/data/persons", "", everyone(200)},
        {"GET", "/data/task-types", "", everyone(200)},
        {"GET", "/data/projects/" + project, "", everyone(200)},
        {"GET", "/data/project-templates", "", only({{"admin", 200}, {"manager", 200}}, 403)},
        {"GET", "/data/events", "", only({{"admin", 200}}, 403)},
        {"POST", "/data/departments", R"({"name":"Matrix dept","color":"#123456"})", only({{"admin", 201}}, 403)},
        {"PUT", "/data/projects/" + project, R"({"description":"changed"})",
         only({{"admin", 200}, {"manager", 200}}, 403)},
        {"POST", "/actions/task-types/reorder", R"({"task_type_ids":[]})", only({{"admin", 200}}, 403)},
        {"POST", "/actions/projects/" + project + "/task-type-links/reorder", R"({"task_type_ids":[]})",
         only({{"admin", 200}, {"manager", 200}}, 403)},
    };
    for (const auto& row : matrix) {
        for (const auto& [role, expected] : row.status_by_role) {
            INFO(row.method << " " << row.path << " as " << role);
            const auto response = http_call(port, row.method, row.path, tokens.at(role), row.body);
            CHECK(response.status == expected);
            if (expected == 403)
                CHECK(response.json()->getValue<std::string>("message") ==
                      "You don't have the permission to access the requested resource. It is "
                      "either read-protected or not readable by the server.");
        }
    }
}

TEST_CASE("vendors read by id only their work, organisation secrets and other productions' previews stay hidden",
          "[api][pg]") {
    TestServer server;
    const int port = server.port();
    const std::string admin = server.login();
    const std::string project = server.create_project(admin, "Holes");
    const std::string other_project = server.create_project(admin, "Elsewhere");
    const std::string assigned_shot = server.create_shot(admin, project, "SH010");
    const std::string other_shot = server.create_shot(admin, project, "SH020");
    const std::string assigned_task = server.create_task(admin, project, assigned_shot);
    const std::string other_task = server.create_task(admin, project, other_shot);
    const std::string elsewhere_task =
        server.create_task(admin, other_project, server.create_shot(admin, other_project, "SH030"));
    std::map<std::string, std::string> tokens{{"admin", admin}};
    std::map<std::string, std::string> ids;
    for (const std::string role : {"manager", "user", "vendor"}) {
        ids[role] = server.create_person(role + "@example.com", role + "-password", role);
        server.query("INSERT INTO project_person_link (project_id, person_id) VALUES ($1::uuid, $2::uuid)",
                     {project, ids[role]});
        tokens[role] = server.login(role + "@example.com", role + "-password");
    }
    server.query("INSERT INTO task_person_link (task_id, person_id) VALUES ($1::uuid, $2::uuid)",
                 {assigned_task, ids["vendor"]});

    // By id as in the lists: a vendor reads the tasks and entities assigned to them only.
    for (const auto& [path, vendor_status] :
         std::vector<std::pair<std::string, int>>{{"/data/tasks/" + assigned_task, 200},
                                                  {"/data/tasks/" + other_task, 403},
                                                  {"/data/entities/" + assigned_shot, 200},
                                                  {"/data/entities/" + other_shot, 403}}) {
        INFO(path);
        CHECK(http_get(port, path, tokens["vendor"]).status == vendor_status);
        CHECK(http_get(port, path, tokens["manager"]).status == 200);
        CHECK(http_get(port, path, tokens["user"]).status == 200);
    }

    // The organisation's chat secrets are for admins (Zou's present() without sensitive data).
    const auto organisations = http_get(port, "/data/organisations", tokens["user"]);
    REQUIRE(organisations.status == 200);
    CHECK(organisations.body.find("chat_token_slack") == std::string::npos);
    CHECK(organisations.body.find("chat_webhook_mattermost") == std::string::npos);
    CHECK(organisations.body.find("chat_token_discord") == std::string::npos);
    CHECK(http_get(port, "/data/organisations", admin).body.find("chat_token_slack") != std::string::npos);
    const std::string organisation_id = server.query("SELECT id FROM organisation LIMIT 1");
    REQUIRE_FALSE(organisation_id.empty());
    CHECK(http_get(port, "/data/organisations/" + organisation_id, tokens["user"]).body.find("chat_token") ==
          std::string::npos);
    CHECK(http_get(port, "/data/organisations/" + organisation_id, admin).body.find("chat_token_slack") !=
          std::string::npos);

    // Previews have no project column: non-admins list those of their productions' tasks.
    auto add_preview = [&](const std::string& task) {
        return server.query(R"(INSERT INTO preview_file (id, name, revision, position, extension, status,
                validation_status, task_id, is_movie, created_at, updated_at)
            VALUES (gen_random_uuid(), 'p', 1, 1, 'png', 'ready', 'neutral', $1::uuid, false,
                    now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc') RETURNING id)",
                            {task});
    };
    const std::string visible = add_preview(other_task);
    const std::string hidden = add_preview(elsewhere_task);
    const auto listed = http_get(port, "/data/preview-files", tokens["user"]);
    REQUIRE(listed.status == 200);
    CHECK(listed.body.find(visible) != std::string::npos);
    CHECK(listed.body.find(hidden) == std::string::npos);
    CHECK(http_get(port, "/data/preview-files/" + visible, tokens["user"]).status == 200);
    CHECK(http_get(port, "/data/preview-files/" + hidden, tokens["user"]).status == 403);
    const auto vendor_listed = http_get(port, "/data/preview-files", tokens["vendor"]);
    REQUIRE(vendor_listed.status == 200);
    CHECK(vendor_listed.body.find(visible) == std::string::npos); // not assigned to them
    const auto everything = http_get(port, "/data/preview-files", admin);
    CHECK(everything.body.find(hidden) != std::string::npos);
}

TEST_CASE("error answers carry their status's reason phrase", "[api][pg]") {
    TestServer server;
    Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(server.port())));
    const std::string request = "GET /api/data/no-such-route HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    socket.sendBytes(request.data(), static_cast<int>(request.size()));
    char buffer[64] = {};
    const int got = socket.receiveBytes(buffer, sizeof buffer - 1);
    REQUIRE(got > 0);
    CHECK(std::string(buffer, static_cast<std::size_t>(got)).rfind("HTTP/1.1 404 Not Found\r\n", 0) == 0);
    CHECK(send_request(server.port(), HttpRequest{"POST", "/api/auth/login", "{", {}}).status == 400);
}
