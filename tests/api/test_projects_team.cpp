// tests/api/test_projects_team.cpp: the production lists (open, all) and a production's team,
// with the answers Zou 1.0.67 gives (checked against the reference server).
#include <catch2/catch.hpp>

#include "api/projects_fixture.h"

using namespace slate::test;

namespace {

std::vector<std::string> names_of(const Poco::JSON::Array::Ptr& projects) {
    std::vector<std::string> names;
    for (unsigned i = 0; i < projects->size(); ++i)
        names.push_back(projects->getObject(i)->getValue<std::string>("name"));
    return names;
}

} // namespace

TEST_CASE("open and all productions are routes of their own, not ids", "[api][pg][projects]") {
    ProductionFixture f;
    const std::string other = f.server.create_project(f.admin, "Another");
    const std::string closed = f.server.create_project(f.admin, "Archived");
    REQUIRE(http_call(f.port, "PUT", "/data/projects/" + closed, f.admin,
                      R"({"project_status_id":")" +
                          f.server.query("SELECT id FROM project_status WHERE name = 'Closed'") + R"("})")
                .status == 200);

    const auto open = http_get(f.port, "/api/data/projects/open/", f.admin);
    REQUIRE(open.status == 200);
    const auto projects = json_array(open);
    CHECK(names_of(projects) == std::vector<std::string>{"Another", "Fixture"}); // by name, closed left out
    const auto first = projects->getObject(1);
    CHECK(first->getValue<std::string>("type") == "Project");
    CHECK(first->getArray("team")->size() == 0);
    CHECK(first->getArray("descriptors")->size() == 0);
    CHECK(first->getObject("task_types_priority")->size() == 0);
    CHECK(first->getObject("task_statuses_link")->size() == 0);
    CHECK_FALSE(first->has("first_episode_id"));
    CHECK(names_of(json_array(http_get(f.port, "/data/projects/open?name=Another", f.admin))) ==
          std::vector<std::string>{"Another"});

    const auto all = json_array(http_get(f.port, "/data/projects/all", f.admin));
    REQUIRE(names_of(all) == std::vector<std::string>{"Another", "Archived", "Fixture"});
    CHECK(all->getObject(1)->getValue<std::string>("project_status_name") == "Closed");
    CHECK(all->getObject(2)->getValue<std::string>("project_status_name") == "Open");
    CHECK_FALSE(all->getObject(0)->has("team")); // no relations here
    // By name: case-insensitive, one project without its status name; 404 when none matches.
    const auto by_name = json_array(http_get(f.port, "/data/projects/all?name=archived", f.admin));
    REQUIRE(by_name->size() == 1);
    CHECK(by_name->getObject(0)->getValue<std::string>("id") == closed);
    CHECK_FALSE(by_name->getObject(0)->has("project_status_name"));
    CHECK(http_get(f.port, "/data/projects/all?name=nothing", f.admin).status == 404);
    (void)other;
}

TEST_CASE("artists list the open productions of their teams, and all of their teams'", "[api][pg][projects]") {
    ProductionFixture f;
    const std::string closed = f.server.create_project(f.admin, "Archived");
    f.join("user");
    REQUIRE(http_call(f.port, "POST", "/data/projects/" + closed + "/team", f.admin,
                      R"({"person_id":")" + f.person("user") + R"("})")
                .status == 201);
    REQUIRE(http_call(f.port, "PUT", "/data/projects/" + closed, f.admin,
                      R"({"project_status_id":")" +
                          f.server.query("SELECT id FROM project_status WHERE name = 'Closed'") + R"("})")
                .status == 200);
    f.server.create_project(f.admin, "Elsewhere");
    const std::string artist = f.token("user");
    CHECK(names_of(json_array(http_get(f.port, "/data/projects/open", artist))) == std::vector<std::string>{"Fixture"});
    CHECK(names_of(json_array(http_get(f.port, "/data/projects/all", artist))) ==
          std::vector<std::string>{"Archived", "Fixture"});
    CHECK(json_array(http_get(f.port, "/data/projects/open", f.token("vendor")))->size() == 0);
}

TEST_CASE("a tv show opens on its first running episode", "[api][pg][projects]") {
    ProductionFixture f;
    REQUIRE(
        http_call(f.port, "PUT", "/data/projects/" + f.project, f.admin, R"({"production_type":"tvshow"})").status ==
        200);
    const std::string episode_type = f.id_of("entity_type", "Episode");
    auto episode = [&](const std::string& name, const std::string& status) {
        const auto created =
            http_post(f.port, "/data/entities",
                      R"({"name":")" + name + R"(","project_id":")" + f.project + R"(","entity_type_id":")" +
                          episode_type + R"(","status":")" + status + R"("})",
                      f.admin);
        REQUIRE(created.status == 201);
        return created.json()->getValue<std::string>("id");
    };
    auto first_episode = [&] {
        return json_array(http_get(f.port, "/data/projects/open", f.admin))
            ->getObject(0)
            ->optValue<std::string>("first_episode_id", "");
    };
    const std::string e02 = episode("E02", "complete");
    CHECK(first_episode() == e02); // nothing running: the first episode by name
    const std::string e01 = episode("E01", "complete");
    CHECK(first_episode() == e01);
    const std::string e03 = episode("E03", "running");
    CHECK(first_episode() == e03);
}

TEST_CASE("managers add people to a team, with a role there, and take them off", "[api][pg][projects]") {
    ProductionFixture f;
    const std::string team = "/data/projects/" + f.project + "/team";
    const std::string artist = f.person("user");
    const auto added = http_post(f.port, team, R"({"person_id":")" + artist + R"("})", f.admin);
    REQUIRE(added.status == 201);
    CHECK(added.json()->getValue<std::string>("id") == f.project); // the project, without relations
    CHECK(added.json()->getValue<std::string>("type") == "Project");
    CHECK_FALSE(added.json()->has("team"));
    CHECK(f.events("project:update") == 1);
    // Adding again changes nothing and tells nobody.
    REQUIRE(http_post(f.port, team, R"({"person_id":")" + artist + R"("})", f.admin).status == 201);
    CHECK(f.events("project:update") == 1);
    CHECK(f.server.query("SELECT count(*) FROM project_person_link WHERE project_id = $1::uuid", {f.project}) == "1");

    const std::string manager = f.person("manager");
    REQUIRE(http_post(f.port, team, R"({"person_id":")" + manager + R"(","role":"manager"})", f.admin).status == 201);
    const auto members = json_array(http_get(f.port, team, f.admin));
    REQUIRE(members->size() == 2);
    for (unsigned i = 0; i < members->size(); ++i) {
        const auto member = members->getObject(i);
        CHECK(member->has("email")); // the safe shape for managers
        CHECK_FALSE(member->has("password"));
        CHECK(member->getValue<std::string>("full_name") == "Test " + member->getValue<std::string>("role"));
        if (member->getValue<std::string>("id") == manager)
            CHECK(member->getValue<std::string>("project_role") == "manager");
        else
            CHECK(member->isNull("project_role"));
    }
    // An artist sees Zou's present_minimal shape.
    const auto seen = json_array(http_get(f.port, team, f.token("user")))->getObject(0);
    CHECK_FALSE(seen->has("email"));
    CHECK(seen->getArray("departments")->size() == 0);
    CHECK(seen->size() == 13);

    const auto role = http_call(f.port, "PUT", team + "/" + artist, f.admin, R"({"role":"supervisor"})");
    REQUIRE(role.status == 200);
    CHECK(role.body == R"({"project_id":")" + f.project + R"(","person_id":")" + artist + R"(","role":"supervisor"})");
    const auto cleared = http_call(f.port, "PUT", team + "/" + artist, f.admin, "{}");
    CHECK(cleared.json()->isNull("role"));

    REQUIRE(http_call(f.port, "DELETE", team + "/" + artist, f.admin).status == 204);
    CHECK(json_array(http_get(f.port, team, f.admin))->size() == 1);
    // Removing someone who is not there still answers 204, and Zou still emits project:update.
    const int before = f.events("project:update");
    CHECK(http_call(f.port, "DELETE", team + "/" + artist, f.admin).status == 204);
    CHECK(f.events("project:update") == before + 1);
}

TEST_CASE("team writes refuse bad bodies, strangers and non-managers", "[api][pg][projects]") {
    ProductionFixture f;
    const std::string team = "/data/projects/" + f.project + "/team";
    const auto missing = http_post(f.port, team, "{}", f.admin);
    CHECK(missing.status == 400);
    CHECK(missing.body == R"({"error":true,"message":"Validation error.","data":{"errors":[{"field":"person_id",)"
                          R"("message":"Field required"}]}})");
    const auto admin_role =
        http_post(f.port, team, R"({"person_id":")" + f.person("user") + R"(","role":"admin"})", f.admin);
    CHECK(admin_role.status == 400);
    CHECK(admin_role.json()->getObject("data")->getArray("errors")->getObject(0)->getValue<std::string>("message") ==
          "Input should be 'user', 'supervisor', 'manager', 'client' or 'vendor'");
    const auto unknown = http_post(f.port, team, R"({"person_id":"6d0c5ab4-0000-4000-8000-000000000000"})", f.admin);
    CHECK(unknown.status == 400);
    CHECK(unknown.body ==
          R"({"error":true,"message":"Person with id 6d0c5ab4-0000-4000-8000-000000000000 not found","data":null})");
    CHECK(message_of(http_post(f.port, team, R"({"person_id":"nope"})", f.admin)) == "Person with id nope not found");
    const auto not_member = http_call(f.port, "PUT", team + "/" + f.person("client"), f.admin, R"({"role":"user"})");
    CHECK(not_member.status == 400);
    CHECK(message_of(not_member) == "Person is not a member of the project team");
    CHECK(http_call(f.port, "DELETE", team + "/nope", f.admin).status == 400);
    CHECK(http_post(f.port, "/data/projects/6d0c5ab4-0000-4000-8000-000000000000/team",
                    R"({"person_id":")" + f.person("user") + R"("})", f.admin)
              .status == 404);
    CHECK(http_get(f.port, "/data/projects/not-an-id/team", f.admin).status == 404);

    // A member who is not a manager there reads the team but may not change it.
    f.join("user");
    const std::string artist = f.token("user");
    CHECK(http_get(f.port, team, artist).status == 200);
    CHECK(http_post(f.port, team, R"({"person_id":")" + f.person("client") + R"("})", artist).status == 403);
    CHECK(http_call(f.port, "DELETE", team + "/" + f.person("user"), artist).status == 403);
    // A manager by global role who is only an artist on this production is refused too.
    f.join("manager", "user");
    CHECK(http_post(f.port, team, R"({"person_id":")" + f.person("client") + R"("})", f.token("manager")).status ==
          403);
    CHECK(http_get(f.port, team, f.token("vendor")).status == 403); // not on the team
    CHECK(f.server.query("SELECT count(*) FROM project_person_link WHERE project_id = $1::uuid", {f.project}) == "2");
}
