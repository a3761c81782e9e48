// tests/api/test_vendor_metadata.cpp: a vendor reads the entity metadata (`data`) of the
// descriptors kept to their departments only, in every listing where Zou masks it
// (permissions_service.mask_metadata_for_vendor and the listings scoped to vendors); anyone
// else reads it all.
#include <catch2/catch.hpp>

#include "api/assets_fixture.h"
#include "api/entities_fixture.h"

#include <map>
#include <vector>

using namespace slate::test;

namespace {

/// A production with one entity of each kind, each holding {"secret": "x", "open": "y"} where
/// "secret" is a descriptor kept to the Lighting department; the vendor (not in Lighting) is
/// on the team and assigned a task of each.
struct VendorFixture : AssetsFixture {
    std::string department;
    std::map<std::string, std::string> ids; ///< by name
    std::string asset_type;

    VendorFixture() {
        const auto made = http_post(port, "/data/departments", R"({"name":"Lighting","color":"#FF0000"})", admin);
        REQUIRE(made.status == 201);
        department = made.json()->getValue<std::string>("id");
        for (const char* type : {"Asset", "Shot", "Sequence", "Episode", "Edit"})
            REQUIRE(http_post(port, "/data/projects/" + project + "/metadata-descriptors",
                              std::string(R"({"entity_type":")") + type +
                                  R"(","name":"Secret","field_name":"secret","data_type":"string","departments":[")" +
                                  department + "\"]}",
                              admin)
                        .status == 201);
        // Zou's API makes no scene descriptors, its mask reads them all the same.
        REQUIRE(server.query(R"(WITH shot AS (SELECT * FROM metadata_descriptor WHERE entity_type = 'Shot'),
                made AS (INSERT INTO metadata_descriptor (id, project_id, entity_type, name, field_name, data_type,
                    choices, for_client, position, created_at, updated_at)
                    SELECT gen_random_uuid(), project_id, 'Scene', name, field_name, data_type, choices, for_client,
                    position, created_at, updated_at FROM shot RETURNING id)
                INSERT INTO department_metadata_descriptor_link (metadata_descriptor_id, department_id)
                SELECT id, $1::uuid FROM made RETURNING 1)",
                             {department}) == "1");
        ids["E01"] = create_entity(*this, "episodes", R"({"name":"E01"})");
        ids["SQ01"] = create_entity(*this, "sequences", R"({"name":"SQ01","episode_id":")" + ids["E01"] + R"("})");
        ids["SH010"] = create_entity(*this, "shots", R"({"name":"SH010","sequence_id":")" + ids["SQ01"] + R"("})");
        ids["SC01"] = create_entity(*this, "scenes", R"({"name":"SC01","sequence_id":")" + ids["SQ01"] + R"("})");
        ids["ED01"] = create_entity(*this, "edits", R"({"name":"ED01","episode_id":")" + ids["E01"] + R"("})");
        ids["Chair"] = asset("Prop", "Chair");
        asset_type = type_id("Prop");
        for (const auto& [name, id] : ids)
            REQUIRE(http_call(port, "PUT", "/data/entities/" + id, admin, R"({"data":{"secret":"x","open":"y"}})")
                        .status == 200);
        join("vendor");
        // The routes under an episode or a sequence want a task of theirs (check_entity_access).
        for (const char* kind : {"Scene", "Episode", "Sequence"})
            REQUIRE(http_post(port, "/data/task-types",
                              std::string(R"({"name":"Review )") + kind + R"(","for_entity":")" + kind + "\"}", admin)
                        .status == 201);
        std::vector<std::string> tasks = {asset_task(ids["Chair"]), server.create_task(admin, project, ids["SH010"])};
        for (const auto& [name, type] : {std::pair{"SC01", "Review Scene"}, std::pair{"ED01", "Edit"},
                                         std::pair{"E01", "Review Episode"}, std::pair{"SQ01", "Review Sequence"}}) {
            const auto made = http_post(port, "/data/tasks",
                                        R"({"project_id":")" + project + R"(","entity_id":")" + ids[name] +
                                            R"(","task_type_id":")" + id_of("task_type", type) + R"("})",
                                        admin);
            INFO(made.body);
            REQUIRE(made.status == 201);
            tasks.push_back(made.json()->getValue<std::string>("id"));
        }
        for (const auto& task : tasks)
            server.query("INSERT INTO task_person_link (task_id, person_id) VALUES ($1::uuid, $2::uuid) RETURNING 1",
                         {task, person("vendor")});
    }
};

struct Listing {
    std::string path;
    std::string name; ///< the entity expected in the answer
};

/// The `data` of the entity named `name` in the answer (an array, or the array under `key`).
Poco::JSON::Object::Ptr data_of(const HttpResponse& answer, const std::string& name, const std::string& key = "") {
    INFO(answer.body);
    REQUIRE(answer.status == 200);
    Poco::JSON::Array::Ptr items = key.empty() ? json_array(answer) : answer.json()->getArray(key);
    REQUIRE(items);
    for (unsigned i = 0; i < items->size(); ++i)
        if (items->getObject(i)->getValue<std::string>("name") == name)
            return items->getObject(i)->getObject("data");
    FAIL("no " << name << " in the answer");
    return {};
}

} // namespace

TEST_CASE("a vendor's listings come without the metadata of other departments' descriptors", "[api][pg][vendors]") {
    VendorFixture f;
    const std::string p = f.project;
    const std::vector<Listing> listings = {
        {"/data/shots?project_id=" + p, "SH010"},
        {"/data/shots/all?project_id=" + p, "SH010"},
        {"/data/sequences/" + f.ids["SQ01"] + "/shots", "SH010"},
        {"/data/episodes/" + f.ids["E01"] + "/shots", "SH010"},
        {"/data/projects/" + p + "/shots", "SH010"},
        {"/data/projects/" + p + "/sequences", "SQ01"},
        {"/data/projects/" + p + "/episodes", "E01"},
        {"/data/projects/" + p + "/scenes", "SC01"},
        {"/data/projects/" + p + "/edits", "ED01"},
        {"/data/sequences?project_id=" + p, "SQ01"},
        {"/data/episodes?project_id=" + p, "E01"},
        {"/data/episodes/" + f.ids["E01"] + "/sequences", "SQ01"},
        {"/data/sequences/" + f.ids["SQ01"] + "/scenes", "SC01"},
        {"/data/sequences/with-tasks?project_id=" + p, "SQ01"},
        {"/data/episodes/with-tasks?project_id=" + p, "E01"},
        {"/data/edits?project_id=" + p, "ED01"},
        {"/data/edits/all?project_id=" + p, "ED01"},
        {"/data/edits/with-tasks?project_id=" + p, "ED01"},
        {"/data/episodes/" + f.ids["E01"] + "/edits", "ED01"},
        {"/data/assets?project_id=" + p, "Chair"},
        {"/data/assets/all?project_id=" + p, "Chair"},
        {"/data/projects/" + p + "/assets", "Chair"},
        {"/data/projects/" + p + "/asset-types/" + f.asset_type + "/assets", "Chair"},
    };
    const std::string vendor = f.token("vendor");
    for (const auto& listing : listings) {
        INFO(listing.path);
        const auto seen = data_of(http_get(f.port, listing.path, vendor), listing.name);
        CHECK(seen->getValue<std::string>("open") == "y");
        CHECK_FALSE(seen->has("secret"));
        CHECK(data_of(http_get(f.port, listing.path, f.admin), listing.name)->has("secret"));
    }
    const auto search = [&](const std::string& token, const std::string& query, const std::string& index) {
        return http_post(f.port, "/data/search", R"({"query":")" + query + R"(","index_names":[")" + index + "\"]}",
                         token);
    };
    for (const auto& [query, index] : {std::pair{std::string("Chair"), std::string("assets")},
                                       std::pair{std::string("SH010"), std::string("shots")}}) {
        INFO(index);
        const auto seen = data_of(search(vendor, query, index), query, index);
        CHECK(seen->getValue<std::string>("open") == "y");
        CHECK_FALSE(seen->has("secret"));
        CHECK(data_of(search(f.admin, query, index), query, index)->has("secret"));
    }

    // In the Lighting department, the field is the vendor's to see.
    f.server.query("INSERT INTO department_link (person_id, department_id) VALUES ($1::uuid, $2::uuid) RETURNING 1",
                   {f.person("vendor"), f.department});
    for (const auto& listing : listings) {
        INFO(listing.path);
        CHECK(data_of(http_get(f.port, listing.path, vendor), listing.name)->has("secret"));
    }
    CHECK(data_of(search(vendor, "Chair", "assets"), "Chair", "assets")->has("secret"));
}

TEST_CASE("a vendor's empty or unrestricted metadata", "[api][pg][vendors]") {
    VendorFixture f;
    const std::string vendor = f.token("vendor");
    // No data at all: the vendor reads {} where others read null, as Zou's mask writes it.
    REQUIRE(f.server.query("UPDATE entity SET data = NULL WHERE id = $1::uuid RETURNING 1", {f.ids["SH010"]}) == "1");
    const std::string path = "/data/projects/" + f.project + "/shots";
    CHECK(data_of(http_get(f.port, path, vendor), "SH010")->size() == 0);
    const auto full = json_array(http_get(f.port, path, f.admin));
    REQUIRE(full->size() == 1);
    CHECK(full->getObject(0)->isNull("data"));
    // A descriptor kept to no department is everyone's; the other kinds' are left alone.
    REQUIRE(f.server.query("DELETE FROM department_metadata_descriptor_link WHERE metadata_descriptor_id IN (SELECT id "
                           "FROM metadata_descriptor WHERE entity_type = 'Asset') RETURNING 1") == "1");
    CHECK(data_of(http_get(f.port, "/data/projects/" + f.project + "/assets", vendor), "Chair")->has("secret"));
    CHECK_FALSE(data_of(http_get(f.port, "/data/projects/" + f.project + "/edits", vendor), "ED01")->has("secret"));
}
