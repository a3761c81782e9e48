// tests/api/test_project_links.cpp: task type and status links of a project, and reordering.
#include <catch2/catch.hpp>

#include "support/test_server.h"

#include "engine/db/pool.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

using namespace slate::test;

namespace {

Poco::JSON::Array::Ptr array_of(const HttpResponse& response) {
    Poco::JSON::Parser parser;
    return parser.parse(response.body).extract<Poco::JSON::Array::Ptr>();
}

} // namespace

TEST_CASE("task types and statuses link to a project with a priority, then reorder", "[api][pg]") {
    TestServer server;
    const std::string token = server.login();
    const int port = server.port();
    const std::string project =
        http_call(port, "POST", "/data/projects", token, R"({"name":"Links"})").json()->getValue<std::string>("id");
    std::vector<std::string> types;
    {
        auto connection = server.pool().acquire();
        const auto rows = connection->exec("SELECT id FROM task_type WHERE for_entity = 'Shot' ORDER BY name LIMIT 3");
        for (int row = 0; row < rows.rows(); ++row)
            types.emplace_back(rows.get(row, 0));
    }
    for (const auto& type : types) {
        const auto linked =
            http_call(port, "POST", "/data/task-type-links", token,
                      R"({"project_id":")" + project + R"(","task_type_id":")" + type + R"(","priority":5})");
        REQUIRE(linked.status == 201);
        CHECK(linked.json()->getValue<int>("priority") == 5);
        CHECK(linked.json()->getValue<std::string>("type") == "ProjectTaskTypeLink");
    }
    // Linking again updates the priority of the same link.
    const auto again =
        http_call(port, "POST", "/data/task-type-links", token,
                  R"({"project_id":")" + project + R"(","task_type_id":")" + types[0] + R"(","priority":9})");
    CHECK(again.json()->getValue<int>("priority") == 9);

    const auto reordered = http_call(port, "POST", "/actions/projects/" + project + "/task-type-links/reorder", token,
                                     R"({"task_type_ids":[")" + types[2] + R"(",")" + types[0] + R"("]})");
    REQUIRE(reordered.status == 200);
    const auto links = array_of(reordered);
    REQUIRE(links->size() == 2);
    CHECK(links->getObject(0)->getValue<std::string>("task_type_id") == types[2]);
    CHECK(links->getObject(0)->getValue<int>("priority") == 1);
    CHECK(links->getObject(1)->getValue<int>("priority") == 2);

    auto connection = server.pool().acquire();
    const std::string status(connection->exec("SELECT id FROM task_status LIMIT 1").get(0, 0));
    const auto status_link = http_call(port, "POST", "/data/task-status-links", token,
                                       R"({"project_id":")" + project + R"(","task_status_id":")" + status +
                                           R"(","roles_for_board":["admin","manager"]})");
    REQUIRE(status_link.status == 201);
    CHECK(status_link.json()->getArray("roles_for_board")->size() == 2);
    CHECK(connection->exec("SELECT 1 FROM api_event WHERE name = 'project:update' AND project_id = $1::uuid", {project})
              .rows() >= 1);
}

TEST_CASE("link and reorder routes refuse bad bodies and non-managers", "[api][pg]") {
    TestServer server;
    const std::string token = server.login();
    const int port = server.port();
    const std::string project =
        http_call(port, "POST", "/data/projects", token, R"({"name":"Guarded"})").json()->getValue<std::string>("id");

    const auto no_list = http_call(port, "POST", "/actions/task-types/reorder", token, R"({"task_type_ids":"x"})");
    CHECK(no_list.status == 400);
    CHECK(no_list.json()->getValue<std::string>("message") ==
          "Request body must be a JSON object with a 'task_type_ids' list.");
    CHECK((no_list.json()->has("data") && no_list.json()->isNull("data"))); // a WrongParameterException
    const auto bad_type = http_call(port, "POST", "/data/task-type-links", token,
                                    R"({"project_id":")" + project + R"(","task_type_id":"nope"})");
    CHECK(bad_type.status == 400);
    CHECK(bad_type.json()->getValue<std::string>("message") == "task_type_id is required and must be a valid UUID");
    CHECK(http_call(port, "POST", "/data/task-type-links", token, R"({"task_type_id":"x"})").status == 400);

    server.create_person("artist@example.com", "artistpassword", "user");
    const std::string artist = server.login("artist@example.com", "artistpassword");
    CHECK(http_call(port, "POST", "/actions/task-types/reorder", artist, R"({"task_type_ids":[]})").status == 403);
    CHECK(http_call(port, "POST", "/actions/projects/" + project + "/task-status-links/reorder", artist,
                    R"({"task_status_ids":[]})")
              .status == 403);
}
