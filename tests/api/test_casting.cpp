// tests/api/test_casting.cpp: the breakdown (Zou's breakdown blueprint and the casting routes
// of the assets blueprint): casting round trips with nb_occurences and label, the episode
// kept in step with its shots, the castings of a production, cast-in, entity links, asset
// instances, who may read and who may write, bad input.
#include <catch2/catch.hpp>

#include "api/assets_fixture.h"

using namespace slate::test;

namespace {

struct Breakdown : AssetsFixture {
    std::string chair = asset("Prop", "Chair");
    std::string hero = asset("Character", "Hero");
    std::string episode = entity("Episode", "E01");
    std::string sequence = entity("Sequence", "SQ01", episode);
    std::string shot = entity("Shot", "SH01", sequence);
    std::string casting_path(const std::string& entity_id) {
        return "/data/projects/" + project + "/entities/" + entity_id + "/casting";
    }
};

} // namespace

TEST_CASE("a shot's casting round trips with nb_occurences and label", "[api][pg][breakdown]") {
    Breakdown f;
    const std::string body = R"([{"asset_id":")" + f.chair + R"(","nb_occurences":3,"label":"animate"},)" +
                             R"({"asset_id":")" + f.hero + R"(","nb_occurences":1}])";
    const auto put = http_call(f.port, "PUT", f.casting_path(f.shot), f.admin, body);
    REQUIRE(put.status == 200);
    CHECK(json_array(put)->size() == 2); // the casting sent, as Zou answers
    const auto casting = json_array(http_get(f.port, f.casting_path(f.shot), f.admin));
    REQUIRE(casting->size() == 2);
    const auto first = casting->getObject(0); // by type name: Character, then Prop
    CHECK(first->getValue<std::string>("asset_id") == f.hero);
    CHECK(first->getValue<std::string>("label").empty());
    const auto chair = casting->getObject(1);
    CHECK(chair->getValue<std::string>("asset_name") == "Chair");
    CHECK(chair->getValue<std::string>("asset_type_name") == "Prop");
    CHECK(chair->getValue<int>("nb_occurences") == 3);
    CHECK(chair->getValue<std::string>("label") == "animate");
    CHECK(chair->isNull("ready_for"));
    CHECK(chair->isNull("episode_id"));
    CHECK(chair->isNull("preview_file_id"));
    CHECK(chair->getValue<bool>("is_shared") == false);
    CHECK(chair->getValue<std::string>("project_id") == f.project);
    CHECK(f.server.query("SELECT nb_entities_out FROM entity WHERE id = $1", {f.shot}) == "2");
    CHECK(f.events("shot:casting-update") == 1);
    CHECK(f.events("entity-link:new") == 2);
    CHECK(f.server.query("SELECT data->>'added_asset_ids' FROM api_event WHERE name = 'shot:casting-update'") ==
          "[\"" + std::min(f.chair, f.hero) + "\", \"" + std::max(f.chair, f.hero) + "\"]");
    // The episode casts what its shots cast.
    CHECK(f.server.query("SELECT count(*) FROM entity_link WHERE entity_in_id = $1", {f.episode}) == "2");
    const auto episodes = http_get(f.port, "/data/projects/" + f.project + "/episodes/casting", f.admin).json();
    CHECK(episodes->getArray(f.episode)->size() == 2);

    // The production's castings.
    const auto all = http_get(f.port, "/data/projects/" + f.project + "/sequences/all/casting", f.admin).json();
    REQUIRE(all->getArray(f.shot)->size() == 2);
    CHECK(all->getArray(f.shot)->getObject(1)->getValue<std::string>("sequence_name") == "SQ01");
    CHECK(all->getArray(f.shot)->getObject(1)->getValue<std::string>("name") == "Chair");
    CHECK(http_get(f.port, "/data/projects/" + f.project + "/episodes/" + f.episode + "/sequences/all/casting", f.admin)
              .json()
              ->has(f.shot));
    CHECK(http_get(f.port, "/data/projects/" + f.project + "/episodes/main/sequences/all/casting", f.admin).body ==
          "{}");
    CHECK(http_get(f.port, "/data/projects/" + f.project + "/sequences/" + f.sequence + "/casting", f.admin)
              .json()
              ->getArray(f.shot)
              ->size() == 2);

    // Where the chair is cast.
    const auto cast_in = json_array(http_get(f.port, "/data/assets/" + f.chair + "/cast-in", f.admin));
    REQUIRE(cast_in->size() == 1);
    CHECK(cast_in->getObject(0)->getValue<std::string>("shot_id") == f.shot);
    CHECK(cast_in->getObject(0)->getValue<std::string>("sequence_name") == "SQ01");
    CHECK(cast_in->getObject(0)->getValue<std::string>("episode_id") == f.episode);
    CHECK(cast_in->getObject(0)->getValue<int>("nb_occurences") == 3);
    CHECK(json_array(http_get(f.port, "/data/shots/" + f.shot + "/asset-types", f.admin))->size() == 2);

    // The chair leaves the shot: the episode lets it go too.
    REQUIRE(http_call(f.port, "PUT", f.casting_path(f.shot), f.admin,
                      R"([{"asset_id":")" + f.hero + R"(","nb_occurences":1}])")
                .status == 200);
    CHECK(json_array(http_get(f.port, f.casting_path(f.shot), f.admin))->size() == 1);
    CHECK(f.server.query("SELECT count(*) FROM entity_link WHERE entity_in_id = $1", {f.episode}) == "1");
    CHECK(f.server.query("SELECT data->>'removed_asset_ids' FROM api_event WHERE name = 'shot:casting-update' ORDER BY "
                         "created_at DESC LIMIT 1") == "[\"" + f.chair + "\"]");
    CHECK(f.events("episode:casting-update") == 1);
}

TEST_CASE("a production's casting is in sequence, shot, asset type and name order, without canceled assets",
          "[api][pg][breakdown]") {
    Breakdown f;
    const std::string apple = f.asset("Prop", "Apple");
    const std::string ghost = f.asset("Character", "Ghost");
    const std::string other = f.server.create_project(f.admin, "Other");
    const std::string lamp = f.asset("Prop", "Lamp", other); // shared by the other production
    f.server.query("UPDATE entity SET is_shared = true WHERE id = $1", {lamp});
    // Made after SQ01 and SH01, listed before them: the order is by name.
    const std::string first_sequence = f.entity("Sequence", "SQ00B", f.episode);
    const std::string second = f.entity("Shot", "SH00", f.sequence);
    const std::string haunted = f.entity("Shot", "SH02", f.sequence);
    const std::string early = f.entity("Shot", "SH05", first_sequence);
    const auto cast = [&f](const std::string& shot, const std::vector<std::string>& assets) {
        std::string body = "[";
        for (const auto& asset : assets)
            body += (body.size() > 1 ? "," : "") + (R"({"asset_id":")" + asset + R"(","nb_occurences":2})");
        REQUIRE(http_call(f.port, "PUT", f.casting_path(shot), f.admin, body + "]").status == 200);
    };
    cast(f.shot, {f.chair, lamp, f.hero, apple, ghost});
    cast(second, {f.chair});
    cast(haunted, {ghost});
    cast(early, {f.hero});
    f.server.query("UPDATE entity SET canceled = true WHERE id = $1", {ghost});
    f.server.query("UPDATE entity_link SET label = NULL WHERE entity_in_id = $1 AND entity_out_id = $2",
                   {f.shot, apple});

    const auto answer = http_get(f.port, "/data/projects/" + f.project + "/sequences/all/casting", f.admin);
    REQUIRE(answer.status == 200);
    // Sequences by name (SQ00B before SQ01), then shots by name; the shot casting only a
    // canceled asset is left out.
    const auto at = [&answer](const std::string& id) { return answer.body.find('"' + id + "\":["); };
    REQUIRE(at(early) != std::string::npos);
    CHECK(at(early) < at(second));
    CHECK(at(second) < at(f.shot));
    CHECK(at(haunted) == std::string::npos);
    const auto all = answer.json();
    const auto shot = all->getArray(f.shot);
    REQUIRE(shot->size() == 4);                                  // Ghost is canceled
    const char* expected[] = {"Hero", "Apple", "Chair", "Lamp"}; // Character, then Prop by name
    for (unsigned i = 0; i < 4; ++i)
        CHECK(shot->getObject(i)->getValue<std::string>("asset_name") == expected[i]);
    CHECK(shot->getObject(1)->isNull("label"));
    CHECK(shot->getObject(2)->getValue<std::string>("label").empty());
    CHECK(shot->getObject(2)->getValue<int>("nb_occurences") == 2);
    CHECK(shot->getObject(3)->getValue<bool>("is_shared"));
    CHECK(shot->getObject(3)->getValue<std::string>("project_id") == other);
    CHECK(shot->getObject(0)->getValue<std::string>("sequence_name") == "SQ01");
    CHECK(all->getArray(early)->getObject(0)->getValue<std::string>("sequence_name") == "SQ00B");

    // Enough shots for the answer to leave in several pieces: it still parses, every shot there.
    const std::string many = f.entity("Sequence", "SQ02", f.episode);
    f.server.query("INSERT INTO entity (id, name, project_id, entity_type_id, parent_id, is_shared, status) "
                   "SELECT gen_random_uuid(), 'SH' || lpad(n::text, 4, '0'), $1, $2, $3, false, 'running' "
                   "FROM generate_series(1, 300) n",
                   {f.project, f.type_id("Shot"), many});
    f.server.query("INSERT INTO entity_link (id, entity_in_id, entity_out_id, nb_occurences, label) "
                   "SELECT gen_random_uuid(), s.id, a.id, 1, '' FROM entity s, entity a "
                   "WHERE s.parent_id = $1 AND a.id IN ($2, $3)",
                   {many, f.chair, f.hero});
    const auto big = http_get(f.port, "/data/projects/" + f.project + "/sequences/all/casting", f.admin);
    REQUIRE(big.status == 200);
    CHECK(big.body.size() > 2 * 64 * 1024); // written in pieces of 64 KiB
    CHECK(big.json()->size() == 303);
    const auto one_sequence =
        http_get(f.port, "/data/projects/" + f.project + "/sequences/" + many + "/casting", f.admin);
    CHECK(one_sequence.json()->size() == 300);
}

TEST_CASE("an asset casts assets, asset types have their casting", "[api][pg][breakdown]") {
    Breakdown f;
    const auto put = http_call(f.port, "PUT", "/data/assets/" + f.hero + "/casting", f.admin,
                               R"([{"asset_id":")" + f.chair + R"(","nb_occurences":2,"label":"fixed"}])");
    REQUIRE(put.status == 200);
    CHECK(f.events("asset:casting-update") == 1);
    const auto casting = json_array(http_get(f.port, "/data/assets/" + f.hero + "/casting", f.admin));
    REQUIRE(casting->size() == 1);
    CHECK(casting->getObject(0)->getValue<int>("nb_occurences") == 2);
    const auto assets = json_array(http_get(f.port, "/data/assets/" + f.hero + "/assets", f.admin));
    REQUIRE(assets->size() == 1);
    CHECK(assets->getObject(0)->getValue<std::string>("type") == "Asset");
    const auto cast_in = json_array(http_get(f.port, "/data/assets/" + f.chair + "/cast-in", f.admin));
    REQUIRE(cast_in->size() == 1);
    CHECK(cast_in->getObject(0)->getValue<std::string>("asset_id") == f.hero);
    CHECK(cast_in->getObject(0)->getValue<std::string>("asset_type_name") == "Character");
    const auto by_type =
        http_get(f.port, "/data/projects/" + f.project + "/asset-types/" + f.type_id("Character") + "/casting", f.admin)
            .json();
    REQUIRE(by_type->getArray(f.hero)->size() == 1);
    CHECK(by_type->getArray(f.hero)->getObject(0)->getValue<std::string>("label") == "fixed");
    CHECK(http_get(f.port, "/data/projects/" + f.project + "/asset-types/" + f.type_id("Shot") + "/casting", f.admin)
              .status == 404);

    // The whole production's casting in one request, checked before anything is written.
    const std::string many =
        "{\"" + f.shot + R"(":[{"asset_id":")" + f.chair + R"(","nb_occurences":1}],")" + f.hero + "\":[]}";
    const auto batch = http_call(f.port, "PUT", "/data/projects/" + f.project + "/entities/casting", f.admin, many);
    REQUIRE(batch.status == 200);
    CHECK(batch.json()->getArray(f.shot)->size() == 1);
    CHECK(json_array(http_get(f.port, "/data/assets/" + f.hero + "/casting", f.admin))->size() == 0);
    const std::string other = f.server.create_project(f.admin, "Other");
    const std::string stranger = f.entity("Shot", "SH99", "", other);
    CHECK(http_call(f.port, "PUT", "/data/projects/" + f.project + "/entities/casting", f.admin,
                    "{\"" + f.shot + "\":[],\"" + stranger + "\":[]}")
              .status == 403);
    CHECK(json_array(http_get(f.port, f.casting_path(f.shot), f.admin))->size() == 1); // nothing written
    const auto not_object =
        http_call(f.port, "PUT", "/data/projects/" + f.project + "/entities/casting", f.admin, "[]");
    CHECK(not_object.status == 400);
    CHECK(message_of(not_object) == "Request body must be a JSON object mapping entity ids to casting arrays");
}

TEST_CASE("casting is read by the team, written by managers, and refuses bad input", "[api][pg][breakdown]") {
    Breakdown f;
    const std::string cast = R"([{"asset_id":")" + f.chair + R"(","nb_occurences":1}])";
    const std::string artist = f.token("user");
    CHECK(http_get(f.port, f.casting_path(f.shot), artist).status == 403);
    CHECK(http_get(f.port, "/data/assets/" + f.chair + "/casting", artist).status == 403);
    f.join("user");
    CHECK(http_get(f.port, f.casting_path(f.shot), artist).status == 200);
    CHECK(http_call(f.port, "PUT", f.casting_path(f.shot), artist, cast).status == 403);
    CHECK(http_call(f.port, "PUT", "/data/assets/" + f.hero + "/casting", artist, cast).status == 403);
    f.join("supervisor", "manager");
    CHECK(http_call(f.port, "PUT", f.casting_path(f.shot), f.token("supervisor"), cast).status == 200);
    f.join("vendor");
    CHECK(http_get(f.port, f.casting_path(f.shot), f.token("vendor")).status == 403);
    CHECK(http_get(f.port, "/data/projects/" + f.project + "/sequences/all/casting", f.token("vendor")).status == 403);

    const auto object = http_call(f.port, "PUT", f.casting_path(f.shot), f.admin, R"({"asset_id":"x"})");
    CHECK(object.status == 400);
    CHECK(message_of(object) == "Request body must be a JSON array");
    const auto asset_object = http_call(f.port, "PUT", "/data/assets/" + f.hero + "/casting", f.admin, "{}");
    CHECK(asset_object.status == 400);
    CHECK(message_of(asset_object) == "Request body must be a JSON array.");
    // Casting a shot is refused, nothing written.
    const auto not_asset = http_call(f.port, "PUT", f.casting_path(f.shot), f.admin,
                                     R"([{"asset_id":")" + f.sequence + R"(","nb_occurences":1}])");
    CHECK(not_asset.status == 400);
    CHECK(json_array(http_get(f.port, f.casting_path(f.shot), f.admin))->size() == 1);
    CHECK(http_call(f.port, "PUT", f.casting_path(f.shot), f.admin, R"([{"asset_id":"nope","nb_occurences":1}])")
              .status == 400);
    const std::string other = f.server.create_project(f.admin, "Other");
    const std::string stranger = f.entity("Shot", "SH99", "", other);
    CHECK(http_get(f.port, f.casting_path(stranger), f.admin).status == 403);
    CHECK(http_call(f.port, "PUT", f.casting_path(stranger), f.admin, cast).status == 403);
    CHECK(http_get(f.port, f.casting_path("1b3c9c57-1b57-4a5b-9d8f-a3f1a6e0b7c2"), f.admin).status == 404);
}

TEST_CASE("a production's entity links are listed and deleted by its managers", "[api][pg][breakdown]") {
    Breakdown f;
    REQUIRE(http_call(f.port, "PUT", f.casting_path(f.shot), f.admin,
                      R"([{"asset_id":")" + f.chair + R"(","nb_occurences":4,"label":"far"}])")
                .status == 200);
    const std::string path = "/data/projects/" + f.project + "/entity-links";
    const auto links = json_array(http_get(f.port, path, f.admin));
    REQUIRE(links->size() == 2); // the shot's and the episode's
    const auto link = links->getObject(0);
    CHECK(link->getValue<std::string>("type") == "EntityLink");
    CHECK(link->getValue<std::string>("created_at").size() == 26); // with microseconds
    const auto page = http_get(f.port, path + "?page=1&limit=1", f.admin).json();
    CHECK(page->getArray("data")->size() == 1);
    CHECK(page->getValue<int>("total") == 2);
    CHECK(page->getValue<int>("nb_pages") == 2);
    CHECK(http_get(f.port, path + "?page=x", f.admin).status == 400);
    f.join("user");
    CHECK(http_get(f.port, path, f.token("user")).status == 403);
    const std::string shot_link = f.server.query("SELECT id FROM entity_link WHERE entity_in_id = $1", {f.shot});
    CHECK(http_call(f.port, "DELETE", path + "/" + shot_link, f.token("user")).status == 403);
    const auto removed = http_call(f.port, "DELETE", path + "/" + shot_link, f.admin);
    REQUIRE(removed.status == 200);
    CHECK(removed.json()->getValue<int>("nb_occurences") == 4);
    CHECK(http_call(f.port, "DELETE", path + "/" + shot_link, f.admin).status == 404);
}

TEST_CASE("asset instances live in scenes and assets and are cast in shots", "[api][pg][breakdown]") {
    Breakdown f;
    const std::string scene = f.entity("Scene", "SC01", f.sequence);
    const std::string scene_path = "/data/scenes/" + scene + "/asset-instances";
    const auto first = http_post(f.port, scene_path, R"({"asset_id":")" + f.chair + "\"}", f.admin);
    REQUIRE(first.status == 201);
    CHECK(first.json()->getValue<std::string>("name") == "Chair_0001");
    CHECK(first.json()->getValue<std::string>("type") == "AssetInstance");
    const auto second =
        http_post(f.port, scene_path, R"({"asset_id":")" + f.chair + "\",\"description\":\"b\"}", f.admin);
    REQUIRE(second.status == 201);
    CHECK(second.json()->getValue<int>("number") == 2);
    CHECK(http_get(f.port, scene_path, f.admin).json()->getArray(f.chair)->size() == 2);
    CHECK(http_get(f.port, "/data/scenes/" + scene + "/camera-instances", f.admin).body == "{}");
    CHECK(http_get(f.port, "/data/assets/" + f.chair + "/scene-asset-instances", f.admin)
              .json()
              ->getArray(scene)
              ->size() == 2);
    CHECK(http_post(f.port, scene_path, R"({})", f.admin).status == 400);
    CHECK(
        http_post(f.port, "/data/scenes/" + f.shot + "/asset-instances", R"({"asset_id":")" + f.chair + "\"}", f.admin)
            .status == 404);

    const std::string instance = first.json()->getValue<std::string>("id");
    const std::string shot_path = "/data/shots/" + f.shot + "/asset-instances";
    const auto cast = http_post(f.port, shot_path, R"({"asset_instance_id":")" + instance + "\"}", f.admin);
    REQUIRE(cast.status == 201);
    CHECK(cast.json()->getValue<std::string>("id") == f.shot);
    CHECK(http_get(f.port, shot_path, f.admin).json()->getArray(f.chair)->size() == 1);
    CHECK(http_get(f.port, "/data/assets/" + f.chair + "/shot-asset-instances", f.admin).json()->has(f.shot));
    REQUIRE(http_call(f.port, "DELETE", shot_path + "/" + instance, f.admin).status == 204);
    CHECK(http_get(f.port, shot_path, f.admin).body == "{}");
    CHECK(http_call(f.port, "DELETE", shot_path + "/" + instance, f.admin).status == 404);

    const auto in_asset = http_post(f.port, "/data/assets/" + f.hero + "/asset-asset-instances",
                                    R"({"asset_to_instantiate_id":")" + f.chair + "\"}", f.admin);
    REQUIRE(in_asset.status == 201);
    CHECK(in_asset.json()->getValue<std::string>("target_asset_id") == f.hero);
    CHECK(http_get(f.port, "/data/assets/" + f.hero + "/asset-asset-instances", f.admin)
              .json()
              ->getArray(f.chair)
              ->size() == 1);
    CHECK(f.all_events("asset_instance:new") == 3);
    CHECK(http_get(f.port, "/data/assets/" + f.hero + "/asset-asset-instances", f.token("user")).status == 403);
}

TEST_CASE("an episode's assets are its own and those cast in it", "[api][pg][breakdown]") {
    Breakdown f;
    const auto own =
        http_post(f.port, "/data/projects/" + f.project + "/asset-types/" + f.type_id("FX") + "/assets/new",
                  R"({"name":"Smoke","episode_id":")" + f.episode + "\"}", f.admin);
    REQUIRE(own.status == 201);
    const std::string smoke = own.json()->getValue<std::string>("id");
    CHECK(own.json()->getValue<std::string>("source_id") == f.episode);
    REQUIRE(http_call(f.port, "PUT", f.casting_path(f.shot), f.admin,
                      R"([{"asset_id":")" + f.chair + R"(","nb_occurences":1}])")
                .status == 200);
    // get_assets: the episode's own first, then those cast in it.
    const auto listed = json_array(http_get(f.port, "/data/assets/all?episode_id=" + f.episode, f.admin));
    REQUIRE(listed->size() == 2);
    CHECK(listed->getObject(0)->getValue<std::string>("id") == smoke);
    CHECK(listed->getObject(1)->getValue<std::string>("id") == f.chair);
    const auto with_tasks = json_array(
        http_get(f.port, "/data/assets/with-tasks?project_id=" + f.project + "&episode_id=" + f.episode, f.admin));
    REQUIRE(with_tasks->size() == 2);
    CHECK(with_tasks->getObject(0)->getValue<std::string>("episode_id") == f.episode); // FX Smoke, then Prop Chair
    CHECK(with_tasks->getObject(1)->getArray("casting_episode_ids")->getElement<std::string>(0) == f.episode);
    const auto main =
        json_array(http_get(f.port, "/data/assets/with-tasks?project_id=" + f.project + "&episode_id=main", f.admin));
    CHECK(main->size() == 2); // Hero and Chair have no source episode
    CHECK(json_array(http_get(f.port, "/data/projects/" + f.project + "/episodes/" + f.episode + "/assets/shared-used",
                              f.admin))
              ->size() == 0);
    CHECK(http_get(f.port, "/data/assets/all?episode_id=" + f.shot, f.admin).status == 404); // no episode
    // Uncasting the chair from the episode takes it out of the episode's shots.
    REQUIRE(http_call(f.port, "PUT", f.casting_path(f.episode), f.admin, "[]").status == 200);
    CHECK(json_array(http_get(f.port, f.casting_path(f.shot), f.admin))->size() == 0);
    CHECK(f.server.query("SELECT nb_entities_out FROM entity WHERE id = $1", {f.shot}) == "0");
    CHECK(f.events("episode:casting-update") == 1);
}
