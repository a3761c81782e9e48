// tests/api/test_event_log.cpp: GET /data/events/last, the event log read back as Zou's
// EventsResource answers it: newest first, its filters, and who may read what.
#include "support/test_server.h"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace slate::test;

namespace {

/// The names of the events a log answer lists, in its order.
std::vector<std::string> names_of(const HttpResponse& response) {
    INFO(response.body);
    REQUIRE(response.status == 200);
    std::vector<std::string> names;
    const auto events = response.json_array();
    for (std::size_t i = 0; i < events->size(); ++i)
        names.push_back(events->getObject(static_cast<unsigned>(i))->getValue<std::string>("name"));
    return names;
}

} // namespace

TEST_CASE("the event log lists events newest first with Zou's fields and filters", "[api][pg][events]") {
    TestServer server;
    const std::string admin = server.login();
    const std::string project = server.create_project(admin, "Logged");
    const std::string shot = server.create_shot(admin, project, "SH010");

    const auto all = http_get(server.port(), "/data/events/last?project_id=" + project, admin);
    const auto names = names_of(all);
    REQUIRE(!names.empty());
    CHECK(names.front() == "shot:new"); // the last thing done
    const auto newest = all.json_array()->getObject(0);
    for (const char* field : {"id", "created_at", "name", "user_id", "project_id", "data"})
        CHECK(newest->has(field));
    CHECK(newest->getValue<std::string>("project_id") == project);
    CHECK(newest->getObject("data")->getValue<std::string>("shot_id") == shot);
    CHECK(newest->getValue<std::string>("created_at").find('T') == 10);

    // Object and action filters, a limit, and a cursor reading older pages.
    for (const auto& name : names_of(http_get(server.port(), "/data/events/last?name_prefixes=shot&name_prefixes=sequence", admin)))
        CHECK((name.rfind("shot:", 0) == 0 || name.rfind("sequence:", 0) == 0));
    for (const auto& name : names_of(http_get(server.port(), "/data/events/last?name_suffixes=new", admin)))
        CHECK(name.substr(name.find(':')) == ":new");
    CHECK(names_of(http_get(server.port(), "/data/events/last?limit=1", admin)).size() == 1);
    const std::string newest_id = newest->getValue<std::string>("id");
    const auto older = http_get(server.port(), "/data/events/last?project_id=" + project + "&cursor_event_id=" + newest_id, admin);
    CHECK(names_of(older).size() == names.size() - 1);
    CHECK(names_of(http_get(server.port(), "/data/events/last?after=2999-01-01", admin)).empty());
    CHECK(names_of(http_get(server.port(), "/data/events/last?name=shot:new&before=2999-01-01T00:00:00", admin)) ==
          std::vector<std::string>{"shot:new"});
}

TEST_CASE("the event log refuses bad parameters with Zou's 400s", "[api][pg][events]") {
    TestServer server;
    const std::string admin = server.login();
    const auto message = [&](const std::string& query) {
        const auto answer = http_get(server.port(), "/data/events/last?" + query, admin);
        INFO(query << " -> " << answer.body);
        CHECK(answer.status == 400);
        return answer.json()->getValue<std::string>("message");
    };
    CHECK(message("project_id=nope") == "The project_id parameter is not a valid id");
    CHECK(message("after=yesterday").rfind("Wrong date format", 0) == 0);
    CHECK(message("cursor_event_id=nope") == "The cursor_event_id parameter is not a valid id");
    CHECK(message("cursor_event_id=00000000-0000-0000-0000-000000000000") ==
          "No event found with id: 00000000-0000-0000-0000-000000000000");
    CHECK(message("name_prefixes=%25") == "The name_prefixes parameter contains an invalid value");
    CHECK(message("name_suffixes=UPDATE") == "The name_suffixes parameter contains an invalid value");
    CHECK(message("person_ids=nope") == "The person_ids parameter contains an invalid id");
    CHECK(message("limit=ten") == "Wrong value for parameter limit.");
}

TEST_CASE("managers read their productions' events only, artists none", "[api][pg][events]") {
    TestServer server;
    const std::string admin = server.login();
    const std::string theirs = server.create_project(admin, "Theirs");
    const std::string other = server.create_project(admin, "Other");
    server.create_shot(admin, theirs, "SH_THEIRS");
    server.create_shot(admin, other, "SH_OTHER");
    const std::string manager_id = server.create_person("manager@example.com", "managerpassword", "manager");
    const std::string artist_id = server.create_person("artist@example.com", "artistpassword", "user");
    const std::string lead_id = server.create_person("lead@example.com", "leadpassword", "user");
    for (const auto& person : {manager_id, artist_id})
        server.query("INSERT INTO project_person_link (project_id, person_id) VALUES ($1::uuid, $2::uuid)",
                     {theirs, person});
    // An artist who manages one production (the team link's role).
    server.query("INSERT INTO project_person_link (project_id, person_id, role) VALUES ($1::uuid, $2::uuid, 'manager')",
                 {other, lead_id});
    const std::string manager = server.login("manager@example.com", "managerpassword");
    const std::string artist = server.login("artist@example.com", "artistpassword");
    const std::string lead = server.login("lead@example.com", "leadpassword");

    const auto seen = http_get(server.port(), "/data/events/last", manager);
    REQUIRE(seen.status == 200);
    const auto events = seen.json_array();
    REQUIRE(events->size() > 0);
    for (std::size_t i = 0; i < events->size(); ++i)
        CHECK(events->getObject(static_cast<unsigned>(i))->getValue<std::string>("project_id") == theirs);
    CHECK(http_get(server.port(), "/data/events/last?project_id=" + other, manager).status == 403);
    CHECK(http_get(server.port(), "/data/events/last", artist).status == 403);
    CHECK(http_get(server.port(), "/data/events/last?project_id=" + theirs, artist).status == 403);
    CHECK(http_get(server.port(), "/data/events/last?project_id=" + other, lead).status == 200);
    CHECK(http_get(server.port(), "/data/events/last", lead).status == 403);
    CHECK(http_get(server.port(), "/data/events/last?project_id=00000000-0000-0000-0000-000000000000", lead).status ==
          403);
}

TEST_CASE("the event names are listed sorted, to admins and managers", "[api][pg][events]") {
    TestServer server;
    const std::string admin = server.login();
    server.create_shot(admin, server.create_project(admin, "Named"), "SH010");
    server.create_person("manager@example.com", "managerpassword", "manager");
    server.create_person("artist@example.com", "artistpassword", "user");
    const auto names = http_get(server.port(), "/data/events/names", admin);
    REQUIRE(names.status == 200);
    const auto list = names.json_array();
    std::vector<std::string> seen;
    for (std::size_t i = 0; i < list->size(); ++i)
        seen.push_back(list->getElement<std::string>(static_cast<unsigned>(i)));
    CHECK(std::is_sorted(seen.begin(), seen.end()));
    CHECK(std::find(seen.begin(), seen.end(), "shot:new") != seen.end());
    CHECK(std::adjacent_find(seen.begin(), seen.end()) == seen.end()); // each once
    CHECK(http_get(server.port(), "/data/events/names", server.login("manager@example.com", "managerpassword")).status ==
          200);
    CHECK(http_get(server.port(), "/data/events/names", server.login("artist@example.com", "artistpassword")).status ==
          403);
}
