// tests/api/test_entity_views.cpp: what Zou's entities blueprint serves for any entity (news,
// time spents, preview files, linked entities with tasks, task creation) and the frames set
// from previews.
#include <catch2/catch.hpp>

#include "api/entities_fixture.h"

using namespace slate::test;

TEST_CASE("an entity's tasks are created for the task types asked, once", "[api][pg][entities]") {
    ProductionFixture f;
    const std::string sequence = create_entity(f, "sequences", R"({"name":"SQ01"})");
    const std::string shot = create_entity(f, "shots", R"({"name":"SH010","sequence_id":")" + sequence + R"("})");
    const std::string animation = f.server.query("SELECT id FROM task_type WHERE name = 'Animation'");
    const std::string modeling = f.server.query("SELECT id FROM task_type WHERE name = 'Modeling'");
    const std::string path = "/data/entities/" + shot + "/tasks";
    const auto disabled = http_post(f.port, path, R"({"task_type_ids":[")" + animation + R"("]})", f.admin);
    CHECK(disabled.status == 400);
    CHECK(message_of(disabled) == "Task type " + animation + " is not enabled in project " + f.project + ".");
    f.server.query(R"(INSERT INTO project_task_type_link (id, project_id, task_type_id)
                      VALUES (gen_random_uuid(), $1::uuid, $2::uuid), (gen_random_uuid(), $1::uuid, $3::uuid)
                      RETURNING 1)",
                   {f.project, animation, modeling});
    const auto wrong_kind = http_post(f.port, path, R"({"task_type_ids":[")" + modeling + R"("]})", f.admin);
    CHECK(wrong_kind.status == 400);
    CHECK(message_of(wrong_kind) == "Task type " + modeling + " is for Asset entities, got Shot.");
    const auto created = http_post(f.port, path, R"({"task_type_ids":[")" + animation + R"("]})", f.admin);
    REQUIRE(created.status == 201);
    const auto tasks = json_array(created);
    REQUIRE(tasks->size() == 1);
    CHECK(tasks->getObject(0)->getValue<std::string>("name") == "main");
    CHECK(tasks->getObject(0)->getValue<std::string>("task_status_name") == "Todo");
    CHECK(tasks->getObject(0)->getValue<std::string>("task_type_name") == "Animation");
    CHECK(f.events("task:new") == 1);
    CHECK(json_array(http_post(f.port, path, R"({})", f.admin))->size() == 0); // all enabled ones exist
    f.join("client");
    CHECK(http_post(f.port, path, R"({})", f.token("client")).status == 403);
}

TEST_CASE("an entity's news, time spents, previews and frames", "[api][pg][entities]") {
    ProductionFixture f;
    const std::string episode = create_entity(f, "episodes", R"({"name":"E01"})");
    const std::string sequence =
        create_entity(f, "sequences", R"({"name":"SQ01","episode_id":")" + episode + R"("})");
    const std::string shot = create_entity(f, "shots", R"({"name":"SH010","sequence_id":")" + sequence + R"("})");
    const std::string task = f.server.create_task(f.admin, f.project, shot);
    REQUIRE(http_post(f.port, "/actions/tasks/" + task + "/comment",
                      R"({"task_status_id":")" + f.server.query("SELECT id FROM task_status WHERE name = 'Todo'") +
                          R"(","comment":"hello"})",
                      f.admin)
                .status == 201);
    const auto news = http_get(f.port, "/data/entities/" + shot + "/news", f.admin);
    REQUIRE(news.status == 200);
    const auto page = news.json();
    CHECK(page->getValue<int>("limit") == 2000);
    CHECK(page->getValue<int>("page") == 1);
    const auto items = page->getArray("data");
    CHECK(page->getValue<int>("total") == static_cast<int>(items->size()));
    if (items->size() > 0) {
        const auto item = items->getObject(0);
        CHECK(item->getValue<std::string>("type") == "News");
        CHECK(item->getValue<std::string>("full_entity_name") == "E01 / SQ01 / SH010");
        CHECK(item->getValue<std::string>("episode_id") == episode);
        CHECK(item->getObject("person")->getValue<std::string>("role") == "admin");
    }
    CHECK(json_array(http_get(f.port, "/data/entities/" + shot + "/time-spents", f.admin))->size() == 0);
    CHECK(json_array(http_get(f.port, "/data/entities/" + shot + "/preview-files", f.admin))->size() == 0);
    CHECK(http_get(f.port, "/data/entities/" + f.project + "/news", f.admin).status == 404);
    const std::string artist = f.token("user");
    CHECK(http_get(f.port, "/data/entities/" + shot + "/news", artist).status == 403);

    // No preview yet: no frame count changes; bad ids are refused.
    const std::string animation = f.server.query("SELECT id FROM task_type WHERE name = 'Animation'");
    const auto frames = http_post(f.port, "/actions/projects/" + f.project + "/task-types/" + animation +
                                              "/set-shot-nb-frames",
                                  "{}", f.admin);
    REQUIRE(frames.status == 200);
    CHECK(json_array(frames)->size() == 0);
    CHECK(http_post(f.port, "/actions/projects/" + f.project + "/task-types/nope/set-shot-nb-frames", "{}", f.admin)
              .status == 400);
    CHECK(http_post(f.port, "/actions/projects/" + f.project + "/task-types/" + animation + "/set-shot-nb-frames",
                    "{}", artist)
              .status == 403);
}

TEST_CASE("a concept's linked entities come with their tasks", "[api][pg][entities]") {
    ProductionFixture f;
    const std::string sequence = create_entity(f, "sequences", R"({"name":"SQ01"})");
    const std::string shot = create_entity(f, "shots", R"({"name":"SH010","sequence_id":")" + sequence + R"("})");
    f.server.create_task(f.admin, f.project, shot);
    const std::string concept_id = create_entity(f, "concepts", R"({"name":"Look"})");
    f.server.query(R"(INSERT INTO entity_concept_link (id, entity_in_id, entity_out_id)
                      VALUES (gen_random_uuid(), $1::uuid, $2::uuid) RETURNING 1)",
                   {shot, concept_id});
    const auto linked = json_array(http_get(f.port, "/data/entities/" + concept_id + "/entities-linked/with-tasks",
                                            f.admin));
    REQUIRE(linked->size() == 1);
    const auto item = linked->getObject(0);
    CHECK(item->getValue<std::string>("id") == shot);
    CHECK(item->getValue<std::string>("type") == "Shot");
    CHECK(item->getArray("entity_concept_links")->size() == 1);
    REQUIRE(item->getArray("tasks")->size() == 1);
    CHECK(item->getArray("tasks")->getObject(0)->has("assigner_id"));
    CHECK_FALSE(item->getArray("tasks")->getObject(0)->has("is_subscribed"));
}
