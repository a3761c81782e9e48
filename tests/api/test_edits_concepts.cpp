// tests/api/test_edits_concepts.cpp: edits and concepts through their routes: creation, the
// typed listings, one of them with its tasks, with-tasks, deletion, and who may see them.
#include <catch2/catch.hpp>

#include "api/projects_fixture.h"

using namespace slate::test;

TEST_CASE("edits are created in episodes and listed with their tasks", "[api][pg][edits]") {
    ProductionFixture f;
    const auto episode = http_post(f.port, "/data/projects/" + f.project + "/episodes", R"({"name":"E01"})", f.admin);
    const std::string episode_id = episode.json()->getValue<std::string>("id");
    const auto created = http_post(f.port, "/data/projects/" + f.project + "/edits",
                                   R"({"name":"Cut","episode_id":")" + episode_id + R"("})", f.admin);
    REQUIRE(created.status == 201);
    const auto edit = created.json();
    CHECK(edit->getValue<std::string>("type") == "Edit");
    CHECK(edit->getValue<std::string>("parent_id") == episode_id);
    CHECK(edit->getValue<std::string>("description").empty());
    const std::string id = edit->getValue<std::string>("id");
    CHECK(f.server.query("SELECT data->>'parent_id' FROM api_event WHERE name = 'edit:new'") == episode_id);

    const auto all = json_array(http_get(f.port, "/data/edits?project_id=" + f.project, f.admin));
    REQUIRE(all->size() == 1);
    CHECK(all->getObject(0)->getValue<std::string>("project_name") == "Fixture");
    CHECK(json_array(http_get(f.port, "/data/episodes/" + episode_id + "/edits", f.admin))->size() == 1);
    const auto listed = json_array(http_get(f.port, "/data/edits/with-tasks?project_id=" + f.project, f.admin));
    REQUIRE(listed->size() == 1);
    CHECK(listed->getObject(0)->getValue<std::string>("episode_name") == "E01");
    CHECK(listed->getObject(0)->getValue<std::string>("type") == "Edit");
    const auto one = http_get(f.port, "/data/edits/" + id, f.admin);
    REQUIRE(one.status == 200);
    CHECK(one.json()->getValue<std::string>("episode_id") == episode_id);
    CHECK(one.json()->getArray("tasks")->size() == 0);
    CHECK(json_array(http_get(f.port, "/data/edits/" + id + "/tasks", f.admin))->size() == 0);
    CHECK(json_array(http_get(f.port, "/data/edits/" + id + "/versions", f.admin))->size() == 0);
    CHECK(json_array(http_get(f.port, "/data/episodes/" + episode_id + "/edit-tasks", f.admin))->size() == 0);
    CHECK(http_get(f.port, "/data/edits/" + episode_id, f.admin).status == 404);
    CHECK(http_call(f.port, "DELETE", "/data/edits/" + id, f.admin).status == 204);
    CHECK(f.events("edit:delete") == 1);
}

TEST_CASE("concepts are made by team members, kept from clients and vendors", "[api][pg][concepts]") {
    ProductionFixture f;
    f.join("user");
    const std::string artist = f.token("user");
    const auto created =
        http_post(f.port, "/data/projects/" + f.project + "/concepts", R"({"name":"Look","data":{"a":1}})", artist);
    REQUIRE(created.status == 201);
    const auto concept_json = created.json();
    CHECK(concept_json->getValue<std::string>("type") == "Concept");
    CHECK(concept_json->getArray("entity_concept_links")->size() == 0);
    const std::string id = concept_json->getValue<std::string>("id");
    const auto listed = json_array(http_get(f.port, "/data/concepts/with-tasks?project_id=" + f.project, artist));
    REQUIRE(listed->size() == 1);
    CHECK(listed->getObject(0)->getValue<std::string>("created_by") == f.person("user"));
    CHECK(listed->getObject(0)->getArray("entity_concept_links")->size() == 0);
    const auto one = http_get(f.port, "/data/concepts/" + id, artist);
    REQUIRE(one.status == 200);
    CHECK(one.json()->getArray("entities_out")->size() == 0);
    CHECK(json_array(http_get(f.port, "/data/projects/" + f.project + "/concepts", artist))->size() == 1);
    CHECK(json_array(http_get(f.port, "/data/concepts?project_id=" + f.project, artist))->size() == 1);

    f.join("client");
    const std::string client = f.token("client");
    CHECK(http_get(f.port, "/data/concepts/" + id, client).status == 403);
    CHECK(http_get(f.port, "/data/projects/" + f.project + "/concepts", client).status == 403);
    CHECK(http_post(f.port, "/data/projects/" + f.project + "/concepts", R"({"name":"X"})", client).status == 403);
    CHECK(http_get(f.port, "/data/concepts/with-tasks?project_id=" + f.project, client).status == 403);
    // The creator deletes their own concept.
    CHECK(http_call(f.port, "DELETE", "/data/concepts/" + id, artist).status == 204);
    CHECK(f.events("concept:delete") == 1);
}
