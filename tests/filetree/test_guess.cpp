// tests/filetree/test_guess.cpp: paths read back into tokens (the pure half of Zou's
// guess_from_path and of its path-to-task helpers), against the shipped simple tree.
#include <catch2/catch.hpp>

#include "filetree/error.h"
#include "filetree/guess.h"
#include "filetree/shipped.h"
#include "filetree/tree.h"

using namespace slate::filetree;

namespace {

/// "Token=value, ..." for readable failures.
std::string text(const TokenValues& values) {
    std::string out;
    for (const auto& [token, value] : values) {
        out += (out.empty() ? "" : ", ") + token + "=" + value;
    }
    return out;
}

/// The lookups of the candidate of a mode and template kind; fails when there is none.
TokenValues lookups(const std::vector<GuessCandidate>& candidates, const std::string& mode, const std::string& kind) {
    for (const GuessCandidate& candidate : candidates) {
        if (candidate.mode == mode && candidate.kind == kind) {
            return candidate.lookups;
        }
    }
    FAIL("no candidate " << mode << "/" << kind);
    return {};
}

std::vector<std::string> kinds(const std::vector<GuessCandidate>& candidates) {
    std::vector<std::string> out;
    for (const GuessCandidate& candidate : candidates) {
        out.push_back(candidate.mode + "/" + candidate.kind);
    }
    return out;
}

std::string error_of(const std::vector<std::string>& elements, const std::vector<std::string>& template_elements) {
    try {
        extract_variable_values_from_path(elements, template_elements);
    } catch (const slate::Error& error) {
        CHECK(error.kind() == slate::ErrorKind::bad_request);
        return error.what();
    }
    return "no error";
}

} // namespace

TEST_CASE("guessing reads each template whose literal parts line up", "[filetree]") {
    const FileTree& simple = shipped_tree("simple");
    struct Row {
        const char* path;
        const char* mode;
        const char* kind;
        TokenValues expected;
    };
    const std::vector<Row> rows = {
        // Zou's test_an_asset_path_is_resolved_down_to_its_task_type (filetree.md §7): the
        // caller stops at Software, which has no lookup.
        {"/simple/productions/cosmos landromat/assets/props/tree/shaders/blender",
         "working",
         "asset",
         {{"Project", "cosmos landromat"},
          {"AssetType", "props"},
          {"Asset", "tree"},
          {"TaskType", "shaders"},
          {"Software", "blender"}}},
        // Zou's test_a_shot_path_is_resolved_down_to_its_task_type.
        {"/simple/productions/cosmos landromat/shots/s01/p01/animation/max",
         "working",
         "shot",
         {{"Project", "cosmos landromat"},
          {"Sequence", "s01"},
          {"Shot", "p01"},
          {"TaskType", "animation"},
          {"Software", "max"}}},
        // Zou's test_a_scene_path_is_resolved_down_to_its_scene.
        {"/simple/productions/cosmos landromat/scenes/s01/sc01/animation/max",
         "working",
         "scene",
         {{"Project", "cosmos landromat"},
          {"Sequence", "s01"},
          {"Scene", "sc01"},
          {"TaskType", "animation"},
          {"Software", "max"}}},
        // Zou's test_the_path_is_read_in_the_style_of_the_mode: lower-cased first.
        {"/SIMPLE/PRODUCTIONS/COSMOS LANDROMAT/ASSETS/PROPS/TREE/SHADERS/BLENDER",
         "working",
         "asset",
         {{"Project", "cosmos landromat"},
          {"AssetType", "props"},
          {"Asset", "tree"},
          {"TaskType", "shaders"},
          {"Software", "blender"}}},
        // An "_" reads as a space; a longer path is read as far as the template goes, a
        // shorter one as far as it goes.
        {"/simple/productions/cosmos_landromat/assets/props/big_tree/shaders/blender/file.blend",
         "working",
         "asset",
         {{"Project", "cosmos landromat"},
          {"AssetType", "props"},
          {"Asset", "big tree"},
          {"TaskType", "shaders"},
          {"Software", "blender"}}},
        {"/simple/productions/cosmos landromat/episodes/e01",
         "working",
         "episode",
         {{"Project", "cosmos landromat"}, {"Episode", "e01"}}},
        // Output and preview roots are longer: the path only matches under them. The
        // instance element "instance_<Instance.number>" is literal text to the reader, so only
        // a path that stops before it reads as an instance.
        {"/simple/productions/export/cosmos landromat/shot/s01/p01/animation/cache/props/tree",
         "output",
         "instance",
         {{"Project", "cosmos landromat"},
          {"TemporalEntityType", "shot"},
          {"Sequence", "s01"},
          {"TemporalEntity", "p01"},
          {"TaskType", "animation"},
          {"OutputType", "cache"},
          {"AssetType", "props"},
          {"Asset", "tree"}}},
    };
    for (const Row& row : rows) {
        INFO(row.path);
        const auto candidates = guess_from_path(simple, row.path);
        CHECK(text(lookups(candidates, row.mode, row.kind)) == text(row.expected));
    }
    // Only the templates whose literal elements line up: "assets" rules out shots, scenes...
    CHECK(kinds(guess_from_path(simple, "/simple/productions/cosmos landromat/assets/props/tree/shaders/blender")) ==
          std::vector<std::string>{"working/asset"});
    // Instance templates begin with tokens: a short enough path lines up with them too.
    CHECK(kinds(guess_from_path(simple, "/simple/productions/export/cosmos landromat/assets/props/"
                                        "tree/shaders/cache")) ==
          std::vector<std::string>{"output/asset", "output/instance_asset", "output/instance"});
    CHECK(kinds(guess_from_path(simple, "/simple/productions/export/cosmos landromat/shot/s01/p01/"
                                        "animation/cache/props/tree/instance_0001/abc")) == std::vector<std::string>{});
}

TEST_CASE("a path outside every root guesses nothing", "[filetree]") {
    // Zou's test_a_path_outside_the_root_resolves_to_nothing.
    CHECK(guess_from_path(shipped_tree("simple"), "/elsewhere/cosmos landromat/assets").empty());
    CHECK(guess_from_path(parse_tree_json("{}"), "/simple/productions/x").empty());
}

TEST_CASE("guessing follows the project's own templates", "[filetree]") {
    // Zou's test_an_episode_narrows_the_sequence_when_the_path_carries_one.
    const FileTree tree = parse_tree_json(R"({"working": {"mountpoint": "/simple",
        "root": "productions", "folder_path": {
            "shot": "<Project>/<Episode>/<Sequence>/<Shot>",
            "asset": "<Project>/assets/<AssetType>/<Asset>",
            "sequence": "<Sequence>/<Shot>/<Sequence>/v<Version>",
            "style": "lowercase"}}})");
    const auto candidates = guess_from_path(tree, "/simple/productions/cosmos landromat/e02/s01/p01");
    CHECK(text(lookups(candidates, "working", "shot")) ==
          "Project=cosmos landromat, Episode=e02, Sequence=s01, Shot=p01");
    // A token held twice is looked up twice, with the first value read; "v<Version>" reads
    // "p01" without its first character.
    CHECK(text(lookups(candidates, "working", "sequence")) ==
          "Sequence=cosmos landromat, Shot=e02, Sequence=cosmos landromat, Version=01");
    CHECK(kinds(candidates) == std::vector<std::string>{"working/shot", "working/sequence"});
    // With another separator the templates (written with "/") are one element each: only
    // their first token is read.
    CHECK(text(lookups(
              guess_from_path(shipped_tree("simple"), "/simple\\productions\\cosmos landromat\\shots\\s01", "\\"),
              "working", "shot")) == "Project=cosmos landromat");
}

TEST_CASE("a token is read from its element without prefix and suffix", "[filetree]") {
    // Zou's test_a_token_is_read_without_its_prefix_and_suffix.
    CHECK(extract_variable_values_from_path({"cosmos_landromat", "shots", "v003"},
                                            {"<Project>", "shots", "v<Version>"}) ==
          TokenValues{{"Project", "cosmos landromat"}, {"Version", "003"}});
    // Zou's test_the_first_occurrence_of_a_token_wins.
    CHECK(extract_variable_values_from_path({"s01", "p01", "s02"}, {"<Sequence>", "<Shot>", "<Sequence>"}) ==
          TokenValues{{"Sequence", "s01"}, {"Shot", "p01"}});
    // Unless it read nothing.
    CHECK(extract_variable_values_from_path({"", "p01", "s02"}, {"<Sequence>", "<Shot>", "<Sequence>"}) ==
          TokenValues{{"Sequence", "s02"}, {"Shot", "p01"}});
    // Only the first token of an element is read; the word characters after it ("_", up to
    // the next "<") are its suffix, cut by length; a path element shorter than the prefix
    // and suffix reads as Python slices it.
    CHECK(text(extract_variable_values_from_path({"tree_shaders_x"}, {"<Asset>_<TaskType>"})) == "Asset=tree shaders ");
    CHECK(text(extract_variable_values_from_path({"ab"}, {"<Asset>_suffix"})) == "Asset=");
    CHECK(text(extract_variable_values_from_path({"abcdefghij"}, {"x<Asset>_suffix"})) == "Asset=bc");
    CHECK(extract_variable_values_from_path({"forêt_v2"}, {"<Asset>_v2"}) == TokenValues{{"Asset", "forêt"}});
    // Zou's test_a_fixed_element_that_differs_is_refused, with Zou's message.
    CHECK(error_of({"cosmos_landromat", "assets"}, {"<Project>", "shots"}) ==
          "['cosmos_landromat', 'assets'] doesn't match ['<Project>', 'shots']");
    CHECK(error_of({"it's"}, {"x"}) == "[\"it's\"] doesn't match ['x']");
    // <X.field> is not a token to the path reader: literal text that must match.
    CHECK(error_of({"instance_0001"}, {"instance_<Instance.number>"}) ==
          "['instance_0001'] doesn't match ['instance_<Instance.number>']");
}

TEST_CASE("a task's working path must match its template element for element", "[filetree]") {
    const FileTree& simple = shipped_tree("simple");
    // Zou's test_an_asset_path_resolves_to_its_task: names as stored, not styled.
    CHECK(task_path_tokens(simple, "asset", "/simple/productions/cosmos_landromat/assets/Props/Tree/Shaders/blender") ==
          TokenValues{{"Project", "cosmos landromat"},
                      {"AssetType", "Props"},
                      {"Asset", "Tree"},
                      {"TaskType", "Shaders"},
                      {"Software", "blender"}});
    // Zou's test_a_shot_path_resolves_to_its_task.
    CHECK(task_path_tokens(simple, "shot", "/simple/productions/cosmos_landromat/shots/Seq1/P002/Animation/max") ==
          TokenValues{{"Project", "cosmos landromat"},
                      {"Sequence", "Seq1"},
                      {"Shot", "P002"},
                      {"TaskType", "Animation"},
                      {"Software", "max"}});
    // Zou's test_a_path_of_another_shape_is_refused.
    const std::string shot_template = "<Project>/shots/<Sequence>/<Shot>/<TaskType>/<Software>";
    for (const std::string path : {"/simple/productions/cosmos_landromat/shots/Seq1/P002",
                                   "/simple/productions/cosmos_landromat/shots/Seq1/P002/Animation/max/extra"}) {
        CHECK_THROWS_WITH(task_path_tokens(simple, "shot", path), path + " doesn't match " + shot_template);
    }
    CHECK_THROWS_WITH(task_path_tokens(simple, "shot", "/simple/productions/x", "nope"),
                      "Mode nope cannot be found on given tree.");
}
