// tests/api/test_shots_deletion.cpp: deleting shots, sequences, episodes and entities as Zou
// does: a shot with tasks is only canceled unless forced; a forced deletion takes its tasks,
// comments and the rest; a sequence with shots needs force; who may delete.
#include <catch2/catch.hpp>

#include "api/entities_fixture.h"

using namespace slate::test;

namespace {

std::string create(ProductionFixture& f, const std::string& kind, const std::string& body) {
    return create_entity(f, kind, body);
}

std::string count(ProductionFixture& f, const std::string& sql, const std::string& id) {
    return f.server.query(sql, {id});
}

} // namespace

TEST_CASE("a shot with tasks is canceled, then deleted with force", "[api][pg][shots]") {
    ProductionFixture f;
    const std::string sequence = create(f, "sequences", R"({"name":"SQ01"})");
    const std::string shot = create(f, "shots", R"({"name":"SH010","sequence_id":")" + sequence + R"("})");
    const std::string task = f.server.create_task(f.admin, f.project, shot);
    REQUIRE(http_post(f.port, "/actions/tasks/" + task + "/comment",
                      R"({"task_status_id":")" + f.server.query("SELECT id FROM task_status WHERE name = 'Todo'") +
                          R"(","comment":"hello"})",
                      f.admin)
                .status == 201);

    CHECK(http_call(f.port, "DELETE", "/data/shots/" + shot, f.admin).status == 204);
    CHECK(count(f, "SELECT canceled::text FROM entity WHERE id = $1::uuid", shot) == "true");
    CHECK(f.events("shot:update") == 1);
    CHECK(count(f, "SELECT count(*) FROM task WHERE entity_id = $1::uuid", shot) == "1");

    CHECK(http_call(f.port, "DELETE", "/data/shots/" + shot + "?force=true", f.admin).status == 204);
    CHECK(count(f, "SELECT count(*) FROM entity WHERE id = $1::uuid", shot) == "0");
    CHECK(count(f, "SELECT count(*) FROM task WHERE id = $1::uuid", task) == "0");
    CHECK(count(f, "SELECT count(*) FROM comment WHERE object_id = $1::uuid", task) == "0");
    CHECK(f.events("shot:delete") == 1);
    CHECK(http_call(f.port, "DELETE", "/data/shots/" + shot, f.admin).status == 404);

    // A shot without tasks goes at once.
    const std::string bare = create(f, "shots", R"({"name":"SH020","sequence_id":")" + sequence + R"("})");
    CHECK(http_call(f.port, "DELETE", "/data/shots/" + bare, f.admin).status == 204);
    CHECK(count(f, "SELECT count(*) FROM entity WHERE id = $1::uuid", bare) == "0");
}

TEST_CASE("a sequence with shots needs force, which takes its shots", "[api][pg][shots]") {
    ProductionFixture f;
    const std::string episode = create(f, "episodes", R"({"name":"E01"})");
    const std::string sequence = create(f, "sequences", R"({"name":"SQ01","episode_id":")" + episode + R"("})");
    const std::string shot = create(f, "shots", R"({"name":"SH010","sequence_id":")" + sequence + R"("})");
    f.server.create_task(f.admin, f.project, shot);
    const auto refused = http_call(f.port, "DELETE", "/data/sequences/" + sequence, f.admin);
    CHECK(refused.status == 400);
    CHECK(message_of(refused) == "Some data are still linked to this sequence.");
    CHECK(count(f, "SELECT count(*) FROM entity WHERE id = $1::uuid", shot) == "1");
    const auto episode_refused = http_call(f.port, "DELETE", "/data/episodes/" + episode, f.admin);
    CHECK(episode_refused.status == 400);
    CHECK(message_of(episode_refused) == "Some data are still linked to this episode.");

    CHECK(http_call(f.port, "DELETE", "/data/sequences/" + sequence + "?force=true", f.admin).status == 204);
    CHECK(count(f, "SELECT count(*) FROM entity WHERE id = $1::uuid", shot) == "0");
    CHECK(f.events("shot:delete") == 1);
    CHECK(f.events("sequence:delete") == 1);
    CHECK(http_call(f.port, "DELETE", "/data/episodes/" + episode, f.admin).status == 204);
    CHECK(f.events("episode:delete") == 1);
}

TEST_CASE("only managers or creators delete shots, delete-entities removes a list", "[api][pg][shots]") {
    ProductionFixture f;
    const std::string sequence = create(f, "sequences", R"({"name":"SQ01"})");
    const std::string shot = create(f, "shots", R"({"name":"SH010","sequence_id":")" + sequence + R"("})");
    const std::string kept = create(f, "shots", R"({"name":"SH020","sequence_id":")" + sequence + R"("})");
    f.server.create_task(f.admin, f.project, kept);
    f.join("user");
    const std::string artist = f.token("user");
    CHECK(http_call(f.port, "DELETE", "/data/shots/" + shot, artist).status == 403);
    CHECK(http_post(f.port, "/actions/projects/" + f.project + "/delete-entities", R"([")" + shot + R"("])", artist)
              .status == 403);
    const auto bad = http_post(f.port, "/actions/projects/" + f.project + "/delete-entities", R"({})", f.admin);
    CHECK(bad.status == 400);
    CHECK(message_of(bad) == "Request body must be a JSON array.");
    CHECK(message_of(http_post(f.port, "/actions/projects/" + f.project + "/delete-entities", R"(["x"])", f.admin)) ==
          "Request body must only contain valid UUIDs.");
    const auto removed = http_post(f.port, "/actions/projects/" + f.project + "/delete-entities",
                                   R"([")" + shot + R"(",")" + kept + R"(",")" + sequence + R"("])", f.admin);
    REQUIRE(removed.status == 200);
    const auto ids = json_array(removed);
    CHECK(ids->size() == 2); // sequences are not removed this way
    CHECK(count(f, "SELECT count(*) FROM entity WHERE id = $1::uuid", shot) == "0");
    CHECK(count(f, "SELECT canceled::text FROM entity WHERE id = $1::uuid", kept) == "true");
}
