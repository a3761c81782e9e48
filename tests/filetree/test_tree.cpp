// tests/filetree/test_tree.cpp: reading trees (JSON and YAML alike), the shipped trees, the
// root of a mode, and every message of a tree that cannot serve a path.
#include <catch2/catch.hpp>

#include "filetree/context.h"
#include "filetree/error.h"
#include "filetree/render.h"
#include "filetree/shipped.h"
#include "filetree/tree.h"
#include "tests/filetree/world.h"

using namespace slate::filetree;
using namespace slate::filetree::testing;

namespace {

// The shipped simple tree, written in YAML by hand (Zou ships JSON only).
const char* const simple_yaml = R"(
working:
  mountpoint: /simple
  root: productions
  folder_path:
    shot: <Project>/shots/<Sequence>/<Shot>/<TaskType>/<Software>
    asset: <Project>/assets/<AssetType>/<Asset>/<TaskType>/<Software>
    sequence: <Project>/sequences/<Sequence>/<TaskType>/<Software>
    scene: <Project>/scenes/<Sequence>/<Scene>/<TaskType>/<Software>
    episode: <Project>/episodes/<Episode>/<TaskType>/<Software>
    style: lowercase
  file_name:
    shot: <Project>_<Sequence>_<Shot>_<TaskType>_<Name>_v<Version>
    asset: <Project>_<AssetType>_<Asset>_<TaskType>_<Name>_v<Version>
    sequence: <Project>_<Sequence>_<TaskType>_<Name>_v<Version>
    scene: <Project>_<Scene>_<TaskType>_<Name>_v<Version>
    episode: <Project>_<Episode>_<TaskType>_<Name>_v<Version>
    style: lowercase
output:
  mountpoint: /simple
  root: productions/export
  folder_path:
    shot: <Project>/shots/<Sequence>/<Shot>/<TaskType>/<OutputType>
    asset: <Project>/assets/<AssetType>/<Asset>/<TaskType>/<OutputType>
    sequence: <Project>/sequences/<Sequence>/<TaskType>/<OutputType>
    scene: <Project>/scenes/<Sequence>/<Scene>/<TaskType>/<OutputType>
    episode: <Project>/episodes/<Episode>/<TaskType>/<OutputType>
    instance_asset: "<Project>/assets/<TemporalEntityType>/<TemporalEntity>/<TaskType>/<OutputType>/<AssetType>/<Asset>/instance_<Instance.number>/<Representation>"
    instance: "<Project>/<TemporalEntityType>/<Sequence>/<TemporalEntity>/<TaskType>/<OutputType>/<AssetType>/<Asset>/instance_<Instance.number>/<Representation>"
    style: lowercase
  file_name:
    shot: <Project>_<Sequence>_<Shot>_<TaskType>_<OutputType>_<Name>_v<Version>
    asset: <Project>_<AssetType>_<Asset>_<TaskType>_<OutputType>_<Name>_v<Version>
    sequence: <Project>_<Sequence>_<TaskType>_<OutputType>_<Name>_v<Version>
    scene: <Project>_<Scene>_<TaskType>_<OutputType>_<Name>_v<Version>
    episode: <Project>_<Episode>_<TaskType>_<OutputType>_<Name>_v<Version>
    instance_asset: <Project>_<TemporalEntityType>_<TemporalEntity>_<TaskType>_<OutputType>_<Name>_<Instance.name>_v<Version>
    instance: <Project>_<Sequence>_<TemporalEntity>_<TaskType>_<OutputType>_<Name>_<Instance.name>_v<Version>
    style: lowercase
preview:
  mountpoint: /simple
  root: productions/previews
  folder_path:
    shot: <Project>/shots/<Sequence>/<Shot>/<TaskType>
    asset: <Project>/assets/<AssetType>/<Asset>/<TaskType>
    sequence: <Project>/sequences/<Sequence>/<TaskType>
    scene: <Project>/scenes/<Sequence>/<Scene>/<TaskType>
    episode: <Project>/episodes/<Episode>/<TaskType>
    style: lowercase
  file_name:
    shot: <Project>_<Sequence>_<Shot>_<TaskType>
    asset: <Project>_<AssetType>_<Asset>_<TaskType>
    sequence: <Project>_<Sequence>_<TaskType>
    scene: <Project>_<Scene>_<TaskType>
    episode: <Project>_<Episode>_<TaskType>
    style: lowercase
)";

const char* const minimal = R"({"working": {"mountpoint": "/m", "root": "r",
    "folder_path": {"shot": "<Shot>"}, "file_name": {"shot": "<Shot>"}}})";

/// The message and Zou's message of the MalformedTree a call throws.
template <typename Call>
std::pair<std::string, std::string> malformed(Call call) {
    try {
        call();
    } catch (const MalformedTree& error) {
        CHECK(error.kind() == slate::ErrorKind::bad_request);
        return {error.what(), error.zou_message()};
    }
    FAIL("no MalformedTree");
    return {};
}

template <typename Call>
std::string bad_request(Call call) {
    try {
        call();
    } catch (const slate::Error& error) {
        CHECK(error.kind() == slate::ErrorKind::bad_request);
        return error.what();
    }
    FAIL("no slate::Error");
    return {};
}

Context shot_task() {
    Context context = task_context(shot(), animation());
    context.software = three_ds_max();
    context.name = "main";
    return context;
}

} // namespace

TEST_CASE("the shipped trees are read by plain name only", "[filetree]") {
    CHECK(shipped_tree_names() == std::vector<std::string>{"default", "simple"});
    CHECK(shipped_tree("simple").find("working") != nullptr);
    REQUIRE(shipped_tree_json("default"));
    CHECK(shipped_tree_json("default")->find("\"<Project>_<Sequence>_<OuputType>_<OutputFile>\"") !=
          std::string_view::npos);
    // Zou's test_a_tree_name_that_is_a_path_is_refused.
    for (const char* name :
         {"", "../../file_trees/simple", "/tmp/simple", "simple.json", "sim ple", "default\n", "nothing"}) {
        INFO(name);
        CHECK_FALSE(shipped_tree_json(name));
        CHECK(bad_request([&] { shipped_tree(name); }) == "Selected tree is not available");
    }
    // The shipped trees are Zou's, so the only problem is Zou's own misspelt token.
    CHECK(validate(shipped_tree("simple")).empty());
    CHECK(validate(shipped_tree("default")) ==
          std::vector<std::string>{"The file tree's output.file_name.sequence has an unknown "
                                   "token: <OuputType>."});
}

TEST_CASE("YAML and JSON trees read and render the same", "[filetree]") {
    const FileTree& json = shipped_tree("simple");
    const FileTree yaml = parse_tree_yaml(simple_yaml);
    REQUIRE(yaml.modes().size() == json.modes().size());
    for (std::size_t index = 0; index < json.modes().size(); ++index) {
        const Mode& a = json.modes()[index];
        const Mode& b = yaml.modes()[index];
        CHECK(a.name == b.name);
        CHECK(a.mountpoint == b.mountpoint);
        CHECK(a.root == b.root);
        CHECK(a.folder_path->templates == b.folder_path->templates); // same order too
        CHECK(a.file_name->templates == b.file_name->templates);
        CHECK(a.folder_path->style == b.folder_path->style);
    }
    Context instance = output_context(shot(), animation(), cache());
    instance.instance = instance_of(asset(), false);
    instance.representation = "abc";
    for (const FileTree* tree : {&json, &yaml}) {
        CHECK(working_folder_path(*tree, "working", shot_task()) ==
              "/simple/productions/cosmos_landromat/shots/s01/p01/animation/3dsmax");
        CHECK(working_file_name(*tree, "working", shot_task()) == "cosmos_landromat_s01_p01_animation_main_v001");
        CHECK(instance_folder_path(*tree, "output", instance) ==
              "/simple/productions/export/cosmos_landromat/shot/s01/p01/animation/cache/props/"
              "tree/instance_0001/abc");
    }
    // Null reads the same in both: no root folder.
    const FileTree null_root =
        parse_tree_yaml("working: {mountpoint: /m, root: , folder_path: {shot: <Shot>}, file_name: {shot: x}}");
    CHECK(working_folder_path(null_root, "working", shot_task()) == "/m/p01");
    CHECK(working_folder_path(parse_tree_json(R"({"working": {"mountpoint": "/m", "root": null,
        "folder_path": {"shot": "<Shot>"}, "file_name": {"shot": "x"}}})"),
                              "working", shot_task()) == "/m/p01");
}

TEST_CASE("text that is no tree is refused with a clear message", "[filetree]") {
    CHECK(malformed([] { parse_tree_json("null"); }).first == "No tree can be found for given project.");
    CHECK(malformed([] { parse_tree_json(" "); }).first == "No tree can be found for given project.");
    CHECK(malformed([] { parse_tree_yaml("~"); }).first == "No tree can be found for given project.");
    CHECK(bad_request([] { parse_tree_json("{not json"); }) == "The file tree is not valid JSON.");
    CHECK(bad_request([] { parse_tree_json("[1, 2]"); }) == "The file tree must be a JSON object.");
    CHECK(bad_request([] { parse_tree_yaml("- a\n- b\n"); }) == "The file tree must be a YAML mapping.");
    CHECK(bad_request([] { parse_tree_yaml("a: [b"); }).rfind("The file tree is not valid YAML", 0) == 0);
    CHECK(bad_request([] { parse_tree_yaml(std::string(200, '[')); }) == "The file tree is nested too deeply.");
    CHECK(bad_request([] {
              std::string deep;
              for (int level = 0; level < 100; ++level)
                  deep += "- ";
              parse_tree_yaml(deep + "x");
          }) == "The file tree is nested too deeply.");
}

TEST_CASE("the root of a mode is its mountpoint and its root", "[filetree]") {
    // Zou's test_the_root_path_is_the_mountpoint_and_the_root.
    const FileTree& simple = shipped_tree("simple");
    CHECK(root_path(simple, "working", "/") == "/simple/productions/");
    CHECK(root_path(simple, "working", "\\") == "/simple\\productions\\");
    CHECK(root_path(simple, "output", "/") == "/simple/productions/export/");
    // Zou's test_a_mode_with_no_root_stops_at_the_mountpoint.
    CHECK(root_path(parse_tree_json(R"({"working": {"mountpoint": "/simple", "root": ""}})"), "working", "/") ==
          "/simple/");
    // Zou's test_a_path_is_joined_without_an_empty_element.
    CHECK(join_path("", "PROD", "/") == "PROD");
    CHECK(join_path("ROOT", "", "/") == "ROOT");
    CHECK(join_path("ROOT", "PROD", "/") == "ROOT/PROD");
    CHECK(join_path("ROOT", "PROD", "\\") == "ROOT\\PROD");
}

TEST_CASE("a tree that cannot serve a path says why", "[filetree]") {
    using Messages = std::pair<std::string, std::string>;
    // Zou's test_a_tree_that_cannot_serve_the_mode_is_malformed.
    CHECK(malformed([] { root_path(parse_tree_json("{}"), "working", "/"); }) ==
          Messages{"Mode working cannot be found on given tree.", "Mode working cannot be found on given tree."});
    CHECK(malformed([] { root_path(shipped_tree("simple"), "unknown", "/"); }).first ==
          "Mode unknown cannot be found on given tree.");
    CHECK(malformed([] {
              root_path(parse_tree_json(R"({"working": {"root": "productions"}})"), "working", "/");
          }).first == "Can't find given mode (working) in given tree.");
    CHECK(malformed([] { root_path(parse_tree_json(R"({"working": {"mountpoint": "/m"}})"), "working", "/"); }).first ==
          "Can't find given mode (working) in given tree.");
    // Zou's test_a_tree_missing_the_template_of_a_kind_is_malformed: Zou says nothing.
    const FileTree no_shot = parse_tree_json(R"({"working": {"mountpoint": "/m", "root": "",
        "folder_path": {"asset": "<Asset>"}, "file_name": {"asset": "<Asset>"}}})");
    CHECK(malformed([&] { working_folder_path(no_shot, "working", shot_task()); }) ==
          Messages{"The file tree has no working.folder_path.shot template.", ""});
    CHECK(malformed([&] { working_file_name(no_shot, "working", shot_task()); }) ==
          Messages{"The file tree has no working.file_name.shot template.", ""});
    // The default tree has no instance templates: instance paths fail, empty-handed in Zou.
    Context instance = output_context(shot(), animation(), cache());
    instance.instance = instance_of(asset(), false);
    CHECK(malformed([&] { instance_folder_path(shipped_tree("default"), "output", instance); }) ==
          Messages{"The file tree has no output.folder_path.instance template.", ""});
    // Its sequence output name misspells <OutputType>.
    const Context sequence_output = output_context(sequence(), animation(), cache());
    CHECK(output_folder_path(shipped_tree("default"), "output", sequence_output) ==
          "/simple/productions/export/cosmos_landromat/sequences/s01/cache");
    CHECK(malformed([&] { output_file_name(shipped_tree("default"), "output", sequence_output); }) ==
          Messages{"Unknown data type: OuputType.", "Unknown data type: OuputType."});
    // A file name of a missing mode: Zou's guard around the template answers nothing.
    CHECK(malformed([] { working_file_name(shipped_tree("simple"), "nope", shot_task()); }) ==
          Messages{"Mode nope cannot be found on given tree.", ""});
    // Where Zou fails with a 500, the message is ours.
    CHECK(malformed([] {
              working_folder_path(parse_tree_json(R"({"working": {"mountpoint": "/m", "root": ""}})"), "working",
                                  shot_task());
          }) == Messages{"Mode working has no folder_path.", "Mode working has no folder_path."});
    CHECK(malformed([] {
              working_folder_path(parse_tree_json(R"({"working": "simple"})"), "working", shot_task());
          }).first == "Mode working of the file tree is a string, not an object.");
    CHECK(malformed([] {
              working_folder_path(parse_tree_json(R"({"working": {"mountpoint": 5, "root": ""}})"), "working",
                                  shot_task());
          }).first == "Mode working: mountpoint is a number, not a string.");
    CHECK(malformed([] {
              working_folder_path(parse_tree_json(R"({"working": {"mountpoint": "/m", "root": "",
                  "folder_path": {"shot": ["a"]}, "file_name": {}}})"),
                                  "working", shot_task());
          }).first == "The file tree's working.folder_path.shot is not a string.");
    CHECK(bad_request([] { working_folder_path(parse_tree_json(minimal), "working", shot_task(), ""); }) ==
          "The path separator must not be empty.");
}

TEST_CASE("validation lists every problem of a tree", "[filetree]") {
    const FileTree tree = parse_tree_json(R"({
        "working": {"root": "r", "folder_path": {"shot": "<Shot>/<Sht>/<Sht.name>", "asset": 3},
                    "file_name": {"shot": "<>"}},
        "output": {"mountpoint": "/m", "root": ["r"], "folder_path": "x"},
        "preview": "nothing",
        "review": {"mountpoint": "/m", "root": ""}})");
    CHECK(validate(tree) == std::vector<std::string>{
                                "Mode working has no mountpoint.",
                                "The file tree's working.folder_path.asset is not a string.",
                                "The file tree's working.folder_path.shot has an unknown token: <Sht>.",
                                "The file tree's working.file_name.shot has an unknown token: <>.",
                                "Mode output: root is a list, not a string.",
                                "Mode output: folder_path is a string, not an object.",
                                "Mode output has no file_name.",
                                "Mode preview of the file tree is a string, not an object.",
                                "Mode review has no folder_path.",
                                "Mode review has no file_name.",
                            });
    CHECK(validate(parse_tree_json(minimal)).empty());
    CHECK(validate(parse_tree_json("{}")).empty());
}
