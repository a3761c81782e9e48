// tests/api/test_shots.cpp: episodes, sequences, shots and scenes through their routes: creation
// per production (Zou's get-or-create, parents of the same production), the typed listings and
// one entity with the JSON Zou gives, updates, the roles' access, and bad input.
#include <catch2/catch.hpp>

#include "api/entities_fixture.h"

using namespace slate::test;

namespace {

/// An episode, a sequence in it and a shot in the sequence, made through the routes.
struct Structure {
    ProductionFixture& f;
    std::string episode, sequence, shot;

    explicit Structure(ProductionFixture& fixture) : f(fixture) {
        episode = create("episodes", R"({"name":"E01"})");
        sequence = create("sequences", R"({"name":"SQ01","episode_id":")" + episode + R"("})");
        shot = create("shots", R"({"name":"SH010","sequence_id":")" + sequence +
                                   R"(","nb_frames":48,"data":{"frame_in":1001,"frame_out":1048,"fps":24}})");
    }
    std::string create(const std::string& kind, const std::string& body) { return create_entity(f, kind, body); }
};

} // namespace

TEST_CASE("episodes, sequences and shots are created per production with Zou's JSON", "[api][pg][shots]") {
    ProductionFixture f;
    Structure s(f);
    const auto shot = http_get(f.port, "/data/projects/" + f.project + "/shots", f.admin);
    REQUIRE(shot.status == 200);
    const auto shots = json_array(shot);
    REQUIRE(shots->size() == 1);
    const auto item = shots->getObject(0);
    CHECK(item->getValue<std::string>("type") == "Shot");
    CHECK(item->getValue<std::string>("name") == "SH010");
    CHECK(item->getValue<std::string>("parent_id") == s.sequence);
    CHECK(item->getValue<int>("nb_frames") == 48);
    CHECK(item->getValue<std::string>("status") == "running");
    CHECK(item->getValue<bool>("canceled") == false);
    CHECK(item->getValue<std::string>("created_by") == f.server.login_user_id());
    CHECK(item->getObject("data")->getValue<int>("frame_in") == 1001);
    CHECK(item->isNull("description"));
    CHECK_FALSE(item->has("entities_out")); // no relations in lists

    // Zou's get-or-create: the same name under the same parent answers the row that exists.
    const auto again = http_post(f.port, "/data/projects/" + f.project + "/shots",
                                 R"({"name":"SH010","sequence_id":")" + s.sequence + R"("})", f.admin);
    CHECK(again.status == 201);
    CHECK(again.json()->getValue<std::string>("id") == s.shot);
    CHECK(f.events("shot:new") == 1);
    CHECK(f.events("sequence:new") == 1);
    CHECK(f.events("episode:new") == 1);
    CHECK(f.server.query("SELECT data->>'episode_id' FROM api_event WHERE name = 'shot:new'") == s.episode);

    // A sequence's description defaults to "", an episode's status to running.
    const auto sequence = http_get(f.port, "/data/sequences/" + s.sequence, f.admin).json();
    CHECK(sequence->getValue<std::string>("type") == "Sequence");
    CHECK(sequence->getValue<std::string>("description").empty());
    CHECK(sequence->getValue<std::string>("project_name") == "Fixture");
    CHECK(sequence->getValue<std::string>("episode_id") == s.episode);
    CHECK(sequence->getValue<std::string>("episode_name") == "E01");
    const auto episode = http_get(f.port, "/data/episodes/" + s.episode, f.admin).json();
    CHECK(episode->getValue<std::string>("type") == "Episode");
    CHECK(episode->getValue<std::string>("project_name") == "Fixture");
    CHECK_FALSE(episode->has("episode_id"));
}

TEST_CASE("a shot's page has its sequence, episode, frames, tasks and relations", "[api][pg][shots]") {
    ProductionFixture f;
    Structure s(f);
    const std::string task = f.server.create_task(f.admin, f.project, s.shot);
    // The detailed task lists join the status, as Zou's do: give the task one.
    f.server.query("UPDATE task SET task_status_id = (SELECT id FROM task_status WHERE name = 'Todo') "
                   "WHERE id = $1::uuid RETURNING 1",
                   {task});
    const auto answer = http_get(f.port, "/api/data/shots/" + s.shot, f.admin);
    REQUIRE(answer.status == 200);
    const auto shot = answer.json();
    CHECK(shot->getValue<std::string>("type") == "Shot");
    CHECK(shot->getValue<std::string>("sequence_id") == s.sequence);
    CHECK(shot->getValue<std::string>("sequence_name") == "SQ01");
    CHECK(shot->getValue<std::string>("episode_id") == s.episode);
    CHECK(shot->getValue<std::string>("episode_name") == "E01");
    CHECK(shot->getValue<std::string>("project_name") == "Fixture");
    CHECK(shot->getValue<int>("fps") == 24);
    CHECK(shot->getValue<int>("frame_in") == 1001);
    CHECK(shot->getValue<int>("frame_out") == 1048);
    CHECK(shot->getArray("entities_out")->size() == 0);
    CHECK(shot->getArray("instance_casting")->size() == 0);
    REQUIRE(shot->getArray("tasks")->size() == 1);
    const auto first = shot->getArray("tasks")->getObject(0);
    CHECK(first->getValue<std::string>("id") == task);
    CHECK(first->getValue<int>("priority") == 0);
    CHECK(first->getValue<bool>("is_subscribed") == false);
    CHECK(first->getArray("assignees")->size() == 0);

    const auto tasks = json_array(http_get(f.port, "/data/shots/" + s.shot + "/tasks", f.admin));
    REQUIRE(tasks->size() == 1);
    CHECK(tasks->getObject(0)->getValue<std::string>("type") == "Task");
    CHECK(tasks->getObject(0)->getValue<std::string>("task_type_name") == "Animation");
    CHECK(tasks->getObject(0)->getValue<std::string>("entity_name") == "SH010");
    CHECK(tasks->getObject(0)->getValue<std::string>("project_name") == "Fixture");
    CHECK_FALSE(tasks->getObject(0)->has("assignees"));
    CHECK(json_array(http_get(f.port, "/data/shots/" + s.shot + "/tasks?relations=true", f.admin))
              ->getObject(0)
              ->has("assignees"));
    const auto types = json_array(http_get(f.port, "/data/shots/" + s.shot + "/task-types", f.admin));
    REQUIRE(types->size() == 1);
    CHECK(types->getObject(0)->getValue<std::string>("name") == "Animation");
    CHECK(types->getObject(0)->getValue<std::string>("type") == "TaskType");
    // A sequence's task types are those of its shots.
    CHECK(json_array(http_get(f.port, "/data/sequences/" + s.sequence + "/task-types", f.admin))->size() == 1);
    CHECK(json_array(http_get(f.port, "/data/episodes/" + s.episode + "/task-types", f.admin))->size() == 1);
    CHECK(json_array(http_get(f.port, "/data/sequences/" + s.sequence + "/shot-tasks", f.admin))->size() == 1);
    CHECK(json_array(http_get(f.port, "/data/episodes/" + s.episode + "/shot-tasks", f.admin))->size() == 1);
    CHECK(json_array(http_get(f.port, "/data/shots/" + s.shot + "/versions", f.admin))->size() == 0);
    CHECK(http_get(f.port, "/data/shots/" + s.shot + "/preview-files", f.admin).status == 200);
    CHECK(json_array(http_get(f.port, "/data/shots/" + s.shot + "/assets", f.admin))->size() == 0);
}

TEST_CASE("the typed listings filter by Zou's criterions", "[api][pg][shots]") {
    ProductionFixture f;
    Structure s(f);
    const std::string other_sequence = s.create("sequences", R"({"name":"SQ02"})");
    s.create("shots", R"({"name":"SH020","sequence_id":")" + other_sequence + R"("})");
    const auto all = json_array(http_get(f.port, "/data/shots/all?project_id=" + f.project, f.admin));
    REQUIRE(all->size() == 2);
    CHECK(all->getObject(0)->getValue<std::string>("sequence_name") == "SQ01");
    CHECK(all->getObject(0)->getValue<std::string>("project_name") == "Fixture");
    const auto by_sequence = json_array(http_get(f.port, "/data/shots?sequence_id=" + other_sequence, f.admin));
    REQUIRE(by_sequence->size() == 1);
    CHECK(by_sequence->getObject(0)->getValue<std::string>("name") == "SH020");
    CHECK(json_array(http_get(f.port, "/data/shots?name=sh010", f.admin))->size() == 1); // ILIKE
    CHECK(json_array(http_get(f.port, "/data/sequences/" + other_sequence + "/shots", f.admin))->size() == 1);
    CHECK(json_array(http_get(f.port, "/data/sequences?episode_id=" + s.episode, f.admin))->size() == 1);
    CHECK(json_array(http_get(f.port, "/data/sequences?project_id=" + f.project, f.admin))->size() == 2);
    CHECK(json_array(http_get(f.port, "/data/episodes/" + s.episode + "/sequences", f.admin))->size() == 1);
    CHECK(json_array(http_get(f.port, "/data/episodes/" + s.episode + "/shots", f.admin))->size() == 1);
    CHECK(json_array(http_get(f.port, "/data/episodes?project_id=" + f.project, f.admin))->size() == 1);
    CHECK(json_array(http_get(f.port, "/data/episodes/not-an-id/sequences", f.admin))->size() == 0);
    CHECK(http_get(f.port, "/data/shots?project_id=nope", f.admin).status == 400);
    CHECK(http_get(f.port, "/data/shots?sequence_id=" + s.shot, f.admin).status == 404); // a shot is no sequence
}

TEST_CASE("artists see the shots of their productions only, vendors their assigned ones", "[api][pg][shots]") {
    ProductionFixture f;
    Structure s(f);
    const std::string artist = f.token("user");
    CHECK(http_get(f.port, "/data/projects/" + f.project + "/shots", artist).status == 403);
    CHECK(http_get(f.port, "/data/shots/" + s.shot, artist).status == 403);
    CHECK(http_get(f.port, "/data/shots", artist).status == 403); // no project: admins only
    CHECK(http_get(f.port, "/data/shots?project_id=" + f.project, artist).status == 403);
    f.join("user");
    CHECK(json_array(http_get(f.port, "/data/projects/" + f.project + "/shots", artist))->size() == 1);
    CHECK(http_get(f.port, "/data/shots/" + s.shot, artist).status == 200);
    // Only managers create or update.
    CHECK(http_post(f.port, "/data/projects/" + f.project + "/shots", R"({"name":"SH999"})", artist).status == 403);
    CHECK(http_call(f.port, "PUT", "/data/shots/" + s.shot, artist, R"({"description":"x"})").status == 403);

    f.join("vendor");
    const std::string vendor = f.token("vendor");
    CHECK(json_array(http_get(f.port, "/data/projects/" + f.project + "/shots", vendor))->size() == 0);
    CHECK(http_get(f.port, "/data/shots/" + s.shot, vendor).status == 403);
    const std::string task = f.server.create_task(f.admin, f.project, s.shot);
    f.server.query("INSERT INTO task_person_link (task_id, person_id) VALUES ($1::uuid, $2::uuid) RETURNING 1",
                   {task, f.person("vendor")});
    CHECK(json_array(http_get(f.port, "/data/projects/" + f.project + "/shots", vendor))->size() == 1);
    CHECK(http_get(f.port, "/data/shots/" + s.shot, vendor).status == 200);
    CHECK(json_array(http_get(f.port, "/data/projects/" + f.project + "/sequences", vendor))->size() == 1);
    CHECK(json_array(http_get(f.port, "/data/projects/" + f.project + "/episodes", vendor))->size() == 1);
    CHECK(http_get(f.port, "/data/sequences/" + s.sequence + "/shot-tasks", vendor).status == 403);
}

TEST_CASE("creation refuses bad bodies and parents of another production", "[api][pg][shots]") {
    ProductionFixture f;
    Structure s(f);
    const std::string other = f.server.create_project(f.admin, "Other");
    const auto crossed = http_post(f.port, "/data/projects/" + other + "/shots",
                                   R"({"name":"SH010","sequence_id":")" + s.sequence + R"("})", f.admin);
    CHECK(crossed.status == 404); // Zou's SequenceNotFoundException
    CHECK(f.server.query("SELECT count(*) FROM entity WHERE project_id = $1::uuid", {other}) == "0");
    CHECK(http_post(f.port, "/data/projects/" + other + "/sequences",
                    R"({"name":"SQ01","episode_id":")" + s.episode + R"("})", f.admin)
              .status == 404);
    const auto nameless = http_post(f.port, "/data/projects/" + f.project + "/shots", R"({"name":""})", f.admin);
    CHECK(nameless.status == 400);
    CHECK(message_of(nameless) == "Validation error.");
    CHECK(http_post(f.port, "/data/projects/" + f.project + "/shots", R"({"name":"A","sequence_id":"x"})", f.admin)
              .status == 400);
    CHECK(http_post(f.port, "/data/projects/" + f.project + "/shots", R"({"name":"A","data":[1]})", f.admin)
              .status == 400);
    CHECK(http_post(f.port, "/data/projects/" + f.project + "/shots", R"({"name":"A","nb_frames":"x"})", f.admin)
              .status == 400);
    CHECK(http_post(f.port, "/data/projects/00000000-0000-0000-0000-000000000000/shots", R"({"name":"A"})", f.admin)
              .status == 404);
    CHECK(http_get(f.port, "/data/shots/" + s.sequence, f.admin).status == 404); // a sequence is no shot
    CHECK(http_get(f.port, "/data/shots/bad-id", f.admin).status == 404);
    // An unknown episode status falls back to running.
    const auto episode = http_post(f.port, "/data/projects/" + f.project + "/episodes",
                                   R"({"name":"E02","status":"nonsense"})", f.admin);
    CHECK(episode.json()->getValue<std::string>("status") == "running");
}

TEST_CASE("a shot's update sets its columns, keeps protected ones and answers an Entity", "[api][pg][shots]") {
    ProductionFixture f;
    Structure s(f);
    const auto updated =
        http_call(f.port, "PUT", "/data/shots/" + s.shot, f.admin,
                  R"({"description":"wide","nb_frames":12,"data":{"fps":25},"project_id":")" + s.episode +
                      R"(","unknown":1})");
    REQUIRE(updated.status == 200);
    const auto shot = updated.json();
    CHECK(shot->getValue<std::string>("type") == "Entity");
    CHECK(shot->getValue<std::string>("description") == "wide");
    CHECK(shot->getValue<int>("nb_frames") == 12);
    CHECK(shot->getObject("data")->size() == 1); // replaced whole
    CHECK(shot->getValue<std::string>("project_id") == f.project);
    CHECK(f.events("shot:update") == 1);
    CHECK(http_call(f.port, "PUT", "/data/shots/" + s.shot, f.admin, "").status == 400);
    CHECK(http_call(f.port, "PUT", "/data/shots/" + s.shot, f.admin, R"({"nb_frames":"many"})").status == 400);
    CHECK(http_call(f.port, "PUT", "/data/shots/" + s.sequence, f.admin, R"({"name":"x"})").status == 404);
}

TEST_CASE("scenes are made in sequences and take shots", "[api][pg][shots]") {
    ProductionFixture f;
    Structure s(f);
    const std::string scene = s.create("scenes", R"({"name":"SC01","sequence_id":")" + s.sequence + R"("})");
    const auto got = http_get(f.port, "/data/scenes/" + scene, f.admin).json();
    CHECK(got->getValue<std::string>("type") == "Scene");
    CHECK(got->getValue<std::string>("sequence_name") == "SQ01");
    CHECK(got->getValue<std::string>("episode_name") == "E01");
    CHECK(json_array(http_get(f.port, "/data/sequences/" + s.sequence + "/scenes", f.admin))->size() == 1);
    CHECK(json_array(http_get(f.port, "/data/scenes/all?project_id=" + f.project, f.admin))->size() == 1);
    const auto added =
        http_post(f.port, "/data/scenes/" + scene + "/shots", R"({"shot_id":")" + s.shot + R"("})", f.admin);
    REQUIRE(added.status == 201);
    CHECK(added.json()->getValue<std::string>("source_id") == scene);
    CHECK(f.events("shot:add-to-scene") == 1);
    const auto shots = json_array(http_get(f.port, "/data/scenes/" + scene + "/shots", f.admin));
    REQUIRE(shots->size() == 1);
    CHECK(shots->getObject(0)->getValue<std::string>("id") == s.shot);
    CHECK(http_call(f.port, "DELETE", "/data/scenes/" + scene + "/shots/" + s.shot, f.admin).status == 204);
    CHECK(json_array(http_get(f.port, "/data/scenes/" + scene + "/shots", f.admin))->size() == 0);
    CHECK(http_post(f.port, "/data/scenes/" + scene + "/shots", R"({})", f.admin).status == 400);
    CHECK(http_call(f.port, "DELETE", "/data/scenes/" + scene, f.admin).status == 204);
    CHECK(f.events("scene:delete") == 1);
    CHECK(http_get(f.port, "/data/scenes/" + scene, f.admin).status == 404);
}
