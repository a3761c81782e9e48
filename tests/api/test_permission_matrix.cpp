// tests/api/test_permission_matrix.cpp: for each role, a representative route of each area
// Slate serves, allowed or denied as Zou decides (conventions.md §5).
#include <catch2/catch.hpp>

#include "support/test_server.h"

#include "engine/db/pool.h"

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
    const std::string project = http_call(port, "POST", "/data/projects", admin, R"({"name":"Matrix"})")
                                    .json()->getValue<std::string>("id");
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
