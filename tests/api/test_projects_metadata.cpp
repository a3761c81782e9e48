// tests/api/test_projects_metadata.cpp: metadata descriptors of a production and across the
// open productions, with the stored values moved or removed as Zou does (answers checked
// against Zou 1.0.67).
#include <catch2/catch.hpp>

#include "api/projects_fixture.h"

using namespace slate::test;

namespace {

std::string entity(ProductionFixture& f, const std::string& type, const std::string& name, const std::string& data) {
    const auto created =
        http_post(f.port, "/data/entities",
                  R"({"name":")" + name + R"(","project_id":")" + f.project + R"(","entity_type_id":")" +
                      f.id_of("entity_type", type) + R"(","data":)" + data + "}",
                  f.admin);
    REQUIRE(created.status == 201);
    return created.json()->getValue<std::string>("id");
}

std::string data_of(ProductionFixture& f, const std::string& table, const std::string& id) {
    return f.server.query("SELECT data::text FROM " + table + " WHERE id = $1::uuid", {id});
}

} // namespace

TEST_CASE("descriptors are made, renamed with their values, reordered and deleted", "[api][pg][projects]") {
    ProductionFixture f;
    const std::string path = "/data/projects/" + f.project + "/metadata-descriptors";
    const std::string hero = entity(f, "Character", "Hero", R"({"skin_color":"green","other":1})");
    const std::string shot = entity(f, "Shot", "SH01", R"({"skin_color":"blue"})");

    const auto created = http_post(f.port, path,
                                   R"({"entity_type":"Asset","name":"Skin Color","data_type":"list",)"
                                   R"("choices":["green","blue"]})",
                                   f.admin);
    REQUIRE(created.status == 201);
    const auto descriptor = created.json();
    const std::string id = descriptor->getValue<std::string>("id");
    CHECK(descriptor->getValue<std::string>("field_name") == "skin_color");
    CHECK(descriptor->getValue<std::string>("type") == "MetadataDescriptor");
    CHECK_FALSE(descriptor->has("departments")); // serialize() without relations
    CHECK(f.events("metadata-descriptor:new") == 1);
    const auto again = http_post(f.port, path, R"({"entity_type":"Asset","name":"Skin Color"})", f.admin);
    CHECK(again.status == 400);
    CHECK(again.body == R"({"error":true,"message":"Metadata descriptor already exists.","data":null})");
    // python-slugify's field names.
    CHECK(http_post(f.port, path, R"({"entity_type":"Shot","name":"Été Color!"})", f.admin)
              .json()
              ->getValue<std::string>("field_name") == "ete_color");

    const auto one = http_get(f.port, path + "/" + id, f.admin);
    REQUIRE(one.status == 200);
    CHECK(one.json()->getArray("departments")->size() == 0);

    // Renaming moves the assets' values, never the shots'.
    const auto renamed =
        http_call(f.port, "PUT", path + "/" + id, f.admin, R"({"name":"Skin Tone","data_type":"list"})");
    REQUIRE(renamed.status == 200);
    CHECK(renamed.json()->getValue<std::string>("field_name") == "skin_tone");
    CHECK(renamed.json()->getArray("choices")->size() == 0); // a PUT replaces every field
    CHECK(data_of(f, "entity", hero) == R"({"other": 1, "skin_tone": "green"})");
    CHECK(data_of(f, "entity", shot) == R"({"skin_color": "blue"})");
    // Without a name the name stays (Zou answers a 500 there).
    CHECK(http_call(f.port, "PUT", path + "/" + id, f.admin, R"({"for_client":true})")
              .json()
              ->getValue<std::string>("name") == "Skin Tone");
    CHECK(message_of(http_call(f.port, "PUT", path + "/" + id, f.admin, R"({"name":""})")) == "Name cannot be empty.");
    CHECK(message_of(http_call(f.port, "PUT", path + "/" + id, f.admin, R"({"name":"X","data_type":"blob"})")) ==
          "Invalid data_type");

    const std::string alpha = http_post(f.port, path, R"({"entity_type":"Asset","name":"Alpha"})", f.admin)
                                  .json()
                                  ->getValue<std::string>("id");
    const auto reordered =
        http_post(f.port, path + "/reorder", R"({"entity_type":"Asset","descriptor_ids":[")" + id + R"("]})", f.admin);
    REQUIRE(reordered.status == 200);
    const auto order = json_array(reordered);
    REQUIRE(order->size() == 2);
    CHECK(order->getObject(0)->getValue<std::string>("id") == id);
    CHECK(order->getObject(0)->getValue<int>("position") == 1);
    CHECK(order->getObject(1)->getValue<std::string>("id") == alpha);
    CHECK(order->getObject(1)->getValue<int>("position") == 2);
    const std::string shot_descriptor = f.server.query(
        "SELECT id FROM metadata_descriptor WHERE entity_type = 'Shot' AND project_id = $1::uuid", {f.project});
    CHECK(
        message_of(http_post(f.port, path + "/reorder",
                             R"({"entity_type":"Asset","descriptor_ids":[")" + shot_descriptor + R"("]})", f.admin)) ==
        "Descriptor " + shot_descriptor + " not found for project " + f.project + " and entity type Asset");

    // Deleting strips the field from every entity of the production.
    entity(f, "Shot", "SH02", R"({"skin_tone":"x","keep":true})");
    REQUIRE(http_call(f.port, "DELETE", path + "/" + id, f.admin).status == 204);
    CHECK(data_of(f, "entity", hero) == R"({"other": 1})");
    CHECK(f.server.query("SELECT data::text FROM entity WHERE name = 'SH02'") == R"({"keep": true})");
    CHECK(http_call(f.port, "DELETE", path + "/" + id, f.admin).status == 404);
    CHECK(f.events("metadata-descriptor:delete") == 1);
}

TEST_CASE("task descriptors belong to a task type", "[api][pg][projects]") {
    ProductionFixture f;
    const std::string path = "/data/projects/" + f.project + "/metadata-descriptors";
    const std::string modeling = f.id_of("task_type", "Modeling");
    CHECK(message_of(http_post(f.port, path, R"({"entity_type":"Task","name":"Layer"})", f.admin)) ==
          "Task metadata descriptors require a task_type_id.");
    CHECK(message_of(http_post(
              f.port, path,
              R"({"entity_type":"Task","name":"Layer","task_type_id":"6d0c5ab4-0000-4000-8000-000000000000"})",
              f.admin)) == "Task type not found.");
    CHECK(message_of(http_post(f.port, path,
                               R"({"entity_type":"Asset","name":"Layer","task_type_id":")" + modeling + R"("})",
                               f.admin)) == "task_type_id only applies to Task metadata descriptors.");
    CHECK(message_of(http_post(f.port, path, R"({"entity_type":"Bogus","name":"X"})", f.admin)) ==
          "Wrong entity type. Please select Asset, Shot, Sequence, Episode, Edit, Project, or Task.");
    const auto layer = http_post(
        f.port, path, R"({"entity_type":"Task","name":"Layer","task_type_id":")" + modeling + R"("})", f.admin);
    REQUIRE(layer.status == 201);
    CHECK(layer.json()->getValue<std::string>("task_type_id") == modeling);
    // The same name on another task type is another descriptor; twice on one is refused.
    CHECK(http_post(f.port, path,
                    R"({"entity_type":"Task","name":"Layer","task_type_id":")" + f.id_of("task_type", "Animation") +
                        R"("})",
                    f.admin)
              .status == 201);
    CHECK(http_post(f.port, path, R"({"entity_type":"Task","name":"Layer","task_type_id":")" + modeling + R"("})",
                    f.admin)
              .status == 400);
}

TEST_CASE("descriptor rights follow the team role and the departments", "[api][pg][projects]") {
    ProductionFixture f;
    const std::string path = "/data/projects/" + f.project + "/metadata-descriptors";
    const std::string modeling = f.id_of("department", "Modeling");
    const std::string animation = f.id_of("department", "Animation");
    REQUIRE(http_call(f.port, "PUT", "/data/persons/" + f.person("supervisor"), f.admin,
                      R"({"departments":[")" + modeling + R"("]})")
                .status == 200);
    f.join("supervisor");
    f.join("manager");
    f.join("client");
    f.join("user");
    const std::string supervisor = f.token("supervisor");
    CHECK(http_post(f.port, path, R"({"name":"Mine","departments":[")" + modeling + R"("]})", supervisor).status ==
          201);
    CHECK(http_post(f.port, path, R"({"name":"No department"})", supervisor).status == 403);
    CHECK(http_post(f.port, path, R"({"name":"Theirs","departments":[")" + animation + R"("]})", supervisor).status ==
          403);
    CHECK(http_post(f.port, path, R"({"name":"Managed"})", f.token("manager")).status == 201);
    CHECK(http_post(f.port, path, R"({"name":"Artist"})", f.token("user")).status == 403);
    REQUIRE(http_post(f.port, path, R"({"name":"For clients","for_client":true})", f.admin).status == 201);
    const auto seen_by_client = json_array(http_get(f.port, path, f.token("client")));
    REQUIRE(seen_by_client->size() == 1);
    CHECK(seen_by_client->getObject(0)->getValue<std::string>("name") == "For clients");
    CHECK(json_array(http_get(f.port, path, f.token("user")))->size() == 3);
    CHECK(http_get(f.port, path, f.token("vendor")).status == 403); // not on the team
    // A descriptor of another production is not reachable through this one.
    const std::string other = f.server.create_project(f.admin, "Other");
    const std::string foreign =
        http_post(f.port, "/data/projects/" + other + "/metadata-descriptors", R"({"name":"Foreign"})", f.admin)
            .json()
            ->getValue<std::string>("id");
    CHECK(http_get(f.port, path + "/" + foreign, f.admin).status == 404);
    CHECK(http_call(f.port, "DELETE", path + "/" + foreign, f.admin).status == 404);
    const auto invalid = http_post(f.port, path, R"({"name":"","data_type":"","choices":"x"})", f.admin);
    CHECK(invalid.body == R"({"error":true,"message":"Validation error.","data":{"errors":[)"
                          R"({"field":"name","message":"String should have at least 1 character"},)"
                          R"({"field":"data_type","message":"String should have at least 1 character"},)"
                          R"({"field":"choices","message":"Input should be a valid list"}]}})");
}

TEST_CASE("all-projects descriptors act on the open productions a manager runs", "[api][pg][projects]") {
    ProductionFixture f;
    const std::string second = f.server.create_project(f.admin, "Second");
    const std::string closed = f.server.create_project(f.admin, "Closed one");
    REQUIRE(http_call(f.port, "PUT", "/data/projects/" + closed, f.admin,
                      R"({"project_status_id":")" +
                          f.server.query("SELECT id FROM project_status WHERE name = 'Closed'") + R"("})")
                .status == 200);
    const auto created = http_post(f.port, "/data/metadata-descriptors/all-projects",
                                   R"({"entity_type":"Project","name":"Delivery code"})", f.admin);
    REQUIRE(created.status == 201);
    CHECK(json_array(created)->size() == 2); // the closed production is left out
    CHECK(json_array(http_post(f.port, "/data/metadata-descriptors/all-projects",
                               R"({"entity_type":"Project","name":"Delivery code"})", f.admin))
              ->size() == 0); // each production has it already

    const auto updated = http_call(f.port, "PUT", "/data/metadata-descriptors/all-projects/delivery_code", f.admin,
                                   R"({"entity_type":"Project","name":"Ship code"})");
    REQUIRE(updated.status == 200);
    CHECK(json_array(updated)->getObject(0)->getValue<std::string>("field_name") == "ship_code");
    CHECK(http_post(f.port, "/actions/metadata-descriptors/all-projects/reorder",
                    R"({"entity_type":"Project","field_order":["ship_code"]})", f.admin)
              .status == 200);
    CHECK(message_of(http_call(f.port, "DELETE", "/data/metadata-descriptors/all-projects/ship_code", f.admin)) ==
          "Wrong entity type. Please select Asset, Shot, Sequence, Episode, Edit, or Project.");
    const auto removed =
        http_call(f.port, "DELETE", "/data/metadata-descriptors/all-projects/ship_code?entity_type=Project", f.admin);
    REQUIRE(removed.status == 200);
    CHECK(json_array(removed)->size() == 2);
    CHECK(f.server.query("SELECT count(*) FROM metadata_descriptor") == "0");

    // A global manager reaches only the open productions where the team role is manager.
    f.join("manager");
    REQUIRE(http_post(f.port, "/data/projects/" + second + "/team",
                      R"({"person_id":")" + f.person("manager") + R"(","role":"user"})", f.admin)
                .status == 201);
    const auto managed = http_post(f.port, "/data/metadata-descriptors/all-projects",
                                   R"({"entity_type":"Shot","name":"Camera"})", f.token("manager"));
    REQUIRE(managed.status == 201);
    REQUIRE(json_array(managed)->size() == 1);
    CHECK(json_array(managed)->getObject(0)->getValue<std::string>("project_id") == f.project);
    CHECK(http_post(f.port, "/data/metadata-descriptors/all-projects", R"({"entity_type":"Shot","name":"X"})",
                    f.token("user"))
              .status == 403);
    CHECK(message_of(http_post(f.port, "/data/metadata-descriptors/all-projects",
                               R"({"entity_type":"Task","name":"X"})", f.admin)) ==
          "Wrong entity type. Please select Asset, Shot, Sequence, Episode, Edit, or Project.");
}

TEST_CASE("open productions carry their descriptors as each role may see them", "[api][pg][projects]") {
    ProductionFixture f;
    f.join("client");
    f.join("vendor");
    const std::string modeling = f.id_of("department", "Modeling");
    const std::string path = "/data/projects/" + f.project + "/metadata-descriptors";
    REQUIRE(http_post(f.port, path, R"({"entity_type":"Asset","name":"Public","for_client":true})", f.admin).status ==
            201);
    REQUIRE(http_post(f.port, path,
                      R"({"entity_type":"Asset","name":"Modeling only","departments":[")" + modeling + R"("]})",
                      f.admin)
                .status == 201);
    auto descriptor_names = [&](const std::string& token) {
        const auto projects = json_array(http_get(f.port, "/data/projects/open", token));
        REQUIRE(projects->size() == 1);
        std::set<std::string> names;
        const auto descriptors = projects->getObject(0)->getArray("descriptors");
        for (unsigned i = 0; i < descriptors->size(); ++i)
            names.insert(descriptors->getObject(i)->getValue<std::string>("name"));
        return names;
    };
    CHECK(descriptor_names(f.admin) == std::set<std::string>{"Public", "Modeling only"});
    CHECK(descriptor_names(f.token("client")) == std::set<std::string>{"Public"});
    CHECK(descriptor_names(f.token("vendor")) == std::set<std::string>{"Public"}); // not of their department
    REQUIRE(http_call(f.port, "PUT", "/data/persons/" + f.person("vendor"), f.admin,
                      R"({"departments":[")" + modeling + R"("]})")
                .status == 200);
    CHECK(descriptor_names(f.token("vendor")) == std::set<std::string>{"Public", "Modeling only"});
    // The short shape of a descriptor inside a project.
    const auto descriptor = json_array(http_get(f.port, "/data/projects/open", f.admin))
                                ->getObject(0)
                                ->getArray("descriptors")
                                ->getObject(0);
    CHECK(descriptor->size() == 10);
    CHECK(descriptor->has("field_name"));
    CHECK_FALSE(descriptor->has("project_id"));
}
