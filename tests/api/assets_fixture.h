#pragma once
// tests/api/assets_fixture.h: what the assets and breakdown tests share: a production with
// assets, shots in sequences and episodes, made through the API.

#include "api/projects_fixture.h"

#include <string>

namespace slate::test {

struct AssetsFixture : ProductionFixture {
    std::string type_id(const std::string& name) {
        return server.query("SELECT id FROM entity_type WHERE name = $1", {name});
    }
    /// A new asset through POST .../asset-types/<type>/assets/new: its id.
    std::string asset(const std::string& type, const std::string& name, const std::string& in_project = "") {
        const auto created = http_post(port,
                                       "/data/projects/" + (in_project.empty() ? project : in_project) +
                                           "/asset-types/" + type_id(type) + "/assets/new",
                                       R"({"name":")" + name + R"("})", admin);
        INFO(created.body);
        REQUIRE(created.status == 201);
        return created.json()->getValue<std::string>("id");
    }
    /// An entity of that type through the generic route (episodes, sequences, scenes).
    std::string entity(const std::string& type, const std::string& name, const std::string& parent = "",
                       const std::string& in_project = "") {
        if (type_id(type).empty())
            REQUIRE(http_post(port, "/data/entity-types", R"({"name":")" + type + R"("})", admin).status == 201);
        std::string body = R"({"name":")" + name + R"(","project_id":")" + (in_project.empty() ? project : in_project) +
                           R"(","entity_type_id":")" + type_id(type) + "\"";
        if (!parent.empty())
            body += R"(,"parent_id":")" + parent + "\"";
        const auto created = http_post(port, "/data/entities", body + "}", admin);
        INFO(created.body);
        REQUIRE(created.status == 201);
        return created.json()->getValue<std::string>("id");
    }
    /// A task of an asset task type (default Modeling).
    std::string asset_task(const std::string& asset_id, const std::string& task_type = "Modeling") {
        const auto created =
            http_post(port, "/data/tasks",
                      R"({"project_id":")" + project + R"(","entity_id":")" + asset_id + R"(","task_type_id":")" +
                          server.query("SELECT id FROM task_type WHERE name = $1 AND for_entity = "
                                       "'Asset'",
                                       {task_type}) +
                          R"("})",
                      admin);
        INFO(created.body);
        REQUIRE(created.status == 201);
        return created.json()->getValue<std::string>("id");
    }
    int all_events(const std::string& name) {
        return std::stoi(server.query("SELECT count(*) FROM api_event WHERE name = $1", {name}));
    }
};

} // namespace slate::test
