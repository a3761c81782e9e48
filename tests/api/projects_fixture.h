#pragma once
// tests/api/projects_fixture.h: what the projects area's tests share: a server with a
// production, persons of each role on its team, and JSON helpers.

#include "support/test_server.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <set>
#include <string>

namespace slate::test {

inline Poco::JSON::Array::Ptr json_array(const HttpResponse& response) {
    Poco::JSON::Parser parser;
    return parser.parse(response.body).extract<Poco::JSON::Array::Ptr>();
}

inline std::string message_of(const HttpResponse& response) {
    return response.json()->getValue<std::string>("message");
}

/// A server with the production "Fixture" and persons of every role (password "<role>pass12",
/// e-mail "<role>@example.com"), none of them on the team yet.
struct ProductionFixture {
    TestServer server;
    int port = server.port();
    std::string admin = server.login();
    std::string project = server.create_project(admin, "Fixture");
    std::string person(const std::string& role) {
        const std::string email = role + "@example.com";
        std::string id = server.query("SELECT id FROM person WHERE email = $1", {email});
        if (id.empty())
            id = server.create_person(email, role + "pass12", role);
        return id;
    }
    std::string token(const std::string& role) {
        person(role);
        return server.login(role + "@example.com", role + "pass12");
    }
    /// Puts the person of that role on the team (with a project role when given).
    void join(const std::string& role, const std::string& project_role = "") {
        const std::string body = project_role.empty()
                                     ? R"({"person_id":")" + person(role) + R"("})"
                                     : R"({"person_id":")" + person(role) + R"(","role":")" + project_role + R"("})";
        REQUIRE(http_call(port, "POST", "/data/projects/" + project + "/team", admin, body).status == 201);
    }
    std::string id_of(const std::string& table, const std::string& name) {
        return server.query("SELECT id FROM " + table + " WHERE name = $1", {name});
    }
    int events(const std::string& name) {
        return std::stoi(
            server.query("SELECT count(*) FROM api_event WHERE name = $1 AND project_id = $2::uuid", {name, project}));
    }
};

} // namespace slate::test
