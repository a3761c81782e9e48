// tests/filetree/test_tree_store.cpp: a tree written in YAML is read, written back as the JSON
// a project stores, and set on a project by name.
#include <catch2/catch.hpp>

#include "support/test_server.h"

#include "engine/db/pool.h"
#include "filetree/db/tree_store.h"
#include "filetree/shipped.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace slate;

namespace {

fs::path write_temp(const std::string& name, const std::string& text) {
    const fs::path path = fs::temp_directory_path() / ("slate-tree-" + std::to_string(getpid()) + "-" + name);
    std::ofstream(path) << text;
    return path;
}

const char* yaml_tree = R"(working:
  mountpoint: /mnt/prod
  root: projects
  folder_path:
    shot: <Project>/shots/<Sequence>/<Shot>/<TaskType>
    asset: <Project>/assets/<AssetType>/<Asset>/<TaskType>
    style: lowercase
  file_name:
    shot: <Project>_<Shot>_<TaskType>_v<Version>
    asset: <Project>_<Asset>_<TaskType>_v<Version>
    style: lowercase
)";

} // namespace

TEST_CASE("a YAML tree file reads as the JSON tree a project stores", "[filetree]") {
    const auto yaml = write_temp("tree.yaml", yaml_tree);
    const auto tree = filetree::read_tree_file(yaml);
    CHECK(filetree::validate(tree).empty());
    const std::string json = filetree::tree_to_json(tree);
    CHECK(json.find(R"("mountpoint":"/mnt/prod")") != std::string::npos);
    // Written back and read again, the tree is the same (key order kept).
    CHECK(filetree::tree_to_json(filetree::parse_tree_json(json)) == json);
    // The shipped trees survive the round trip.
    const auto& simple = filetree::shipped_tree("simple");
    CHECK(filetree::tree_to_json(filetree::parse_tree_json(filetree::tree_to_json(simple))) ==
          filetree::tree_to_json(simple));

    const auto misspelt = write_temp(
        "bad.yml", std::string(yaml_tree).replace(std::string(yaml_tree).find("v<Version>"), 10, "v<Versoin>"));
    const auto problems = filetree::validate(filetree::read_tree_file(misspelt));
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].find("<Versoin>") != std::string::npos);
    CHECK_THROWS_AS(filetree::read_tree_file(write_temp("junk.json", "[1,2")), Error);
    CHECK_THROWS_AS(filetree::read_tree_file("/nonexistent/tree.json"), Error);
    fs::remove(yaml);
    fs::remove(misspelt);
}

TEST_CASE("set_project_tree stores a tree on a project named by name", "[filetree][pg]") {
    test::TestServer server;
    const std::string token = server.login();
    const std::string project = server.create_project(token, "Tree Farm");
    auto connection = server.pool().acquire();
    const auto tree = filetree::read_tree_file(write_temp("farm.yaml", yaml_tree));
    CHECK(filetree::set_project_tree(*connection, "Tree Farm", tree) == project);
    CHECK(std::string(connection->exec("SELECT file_tree->'working'->>'root' FROM project").get(0, 0)) == "projects");
    CHECK(connection->exec("SELECT 1 FROM api_event WHERE name = 'project:update'").rows() >= 1);
    CHECK_THROWS_AS(filetree::set_project_tree(*connection, "No Such Project", tree), Error);
}
