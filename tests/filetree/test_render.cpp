// tests/filetree/test_render.cpp: working, output and instance paths of the shipped trees, as
// filetree.md's worked examples and Zou's tests/services/test_file_tree_service.py pin them.
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

enum class Path { working, output, instance };

struct Example {
    const char* what;
    const char* tree;
    Path path;
    const char* mode;
    Context context;
    const char* sep;
    int nb_elements;
    const char* folder;
    const char* file;
};

Context with(Context context, std::optional<Record> software, std::string name, long long revision) {
    context.software = std::move(software);
    context.name = std::move(name);
    context.revision = revision;
    return context;
}

Context placed(Context context, AssetInstance instance, std::string representation) {
    context.instance = std::move(instance);
    context.representation = std::move(representation);
    return context;
}

std::string folder_of(const Example& example) {
    const FileTree& tree = shipped_tree(example.tree);
    switch (example.path) {
    case Path::working: return working_folder_path(tree, example.mode, example.context, example.sep);
    case Path::output: return output_folder_path(tree, example.mode, example.context, example.sep);
    case Path::instance: return instance_folder_path(tree, example.mode, example.context, example.sep);
    }
    return {};
}

std::string file_of(const Example& example) {
    const FileTree& tree = shipped_tree(example.tree);
    switch (example.path) {
    case Path::working: return working_file_name(tree, example.mode, example.context);
    case Path::output: return output_file_name(tree, example.mode, example.context, example.nb_elements);
    case Path::instance: return instance_file_name(tree, example.mode, example.context, example.nb_elements);
    }
    return {};
}

} // namespace

TEST_CASE("the worked examples render Zou's exact folders and file names", "[filetree]") {
    const Context asset_task = task_context(asset(), shaders());
    const Context shot_task = task_context(shot(), animation());
    const Context scene_task = task_context(scene(), animation());
    const Context three_ds_max_default{with(shot_task, record("3ds Max", "max"), "main", 1)};
    const std::vector<Example> examples = {
        // filetree.md §4, and Zou's test_the_path_of_an_asset_task.
        {"asset working path, service-level name", "simple", Path::working, "working",
         with(asset_task, blender(), "", 3), "/", 1,
         "/simple/productions/cosmos_landromat/assets/props/tree/shaders/blender",
         "cosmos_landromat_props_tree_shaders_v003"},
        {"asset working path, the route's default name", "simple", Path::working, "working",
         with(asset_task, blender(), "main", 3), "/", 1,
         "/simple/productions/cosmos_landromat/assets/props/tree/shaders/blender",
         "cosmos_landromat_props_tree_shaders_main_v003"},
        // Zou's test_the_path_of_a_shot_task.
        {"shot working path", "simple", Path::working, "working", with(shot_task, three_ds_max(), "", 3), "/", 1,
         "/simple/productions/cosmos_landromat/shots/s01/p01/animation/3dsmax",
         "cosmos_landromat_s01_p01_animation_v003"},
        // Zou's test_the_path_of_a_scene_task: the scene file name leaves the sequence out.
        {"scene working path", "simple", Path::working, "working", with(scene_task, three_ds_max(), "", 3), "/", 1,
         "/simple/productions/cosmos_landromat/scenes/s01/sc01/animation/3dsmax",
         "cosmos_landromat_sc01_animation_v003"},
        // filetree.md §4 and Zou's test_the_separator_of_the_target_platform_is_used_throughout.
        {"Windows separator", "simple", Path::working, "working", with(shot_task, three_ds_max(), "", 1), "\\", 1,
         "/simple\\productions\\cosmos_landromat\\shots\\s01\\p01\\animation\\3dsmax",
         "cosmos_landromat_s01_p01_animation_v001"},
        // filetree.md §5.1: the route's default software "3ds Max" renders 3ds_max.
        {"working-file-path with the default body", "simple", Path::working, "working", three_ds_max_default, "/", 1,
         "/simple/productions/cosmos_landromat/shots/s01/p01/animation/3ds_max",
         "cosmos_landromat_s01_p01_animation_main_v001"},
        // Zou's test_the_path_of_a_shot_output / test_the_folder_of_a_shot_output.
        {"shot output path", "simple", Path::output, "output",
         with(output_context(shot(), animation(), cache()), std::nullopt, "main", 3), "/", 1,
         "/simple/productions/export/cosmos_landromat/shots/s01/p01/animation/cache",
         "cosmos_landromat_s01_p01_animation_cache_main_v003"},
        // filetree.md §5.2.
        {"asset output path", "simple", Path::output, "output",
         with(output_context(asset(), shaders(), cache()), std::nullopt, "main", 3), "/", 1,
         "/simple/productions/export/cosmos_landromat/assets/props/tree/shaders/cache",
         "cosmos_landromat_props_tree_shaders_cache_main_v003"},
        // Zou's test_the_name_of_an_asset_output: no task type, the Geometry fallback. The
        // empty task type leaves an empty folder, as in Zou.
        {"asset output without output type nor task type", "simple", Path::output, "output",
         with(output_context(asset(), std::nullopt, std::nullopt), std::nullopt, "main", 3), "/", 1,
         "/simple/productions/export/cosmos_landromat/assets/props/tree//geometry",
         "cosmos_landromat_props_tree_geometry_main_v003"},
        // Zou's test_an_output_covering_several_elements_carries_the_range.
        {"an output of fifty elements", "simple", Path::output, "output",
         with(output_context(shot(), std::nullopt, images()), std::nullopt, "main", 3), "/", 50,
         "/simple/productions/export/cosmos_landromat/shots/s01/p01//images",
         "cosmos_landromat_s01_p01_images_main_v003_[1-50]"},
        {"an output of one element", "simple", Path::output, "output",
         with(output_context(shot(), std::nullopt, images()), std::nullopt, "main", 3), "/", 1,
         "/simple/productions/export/cosmos_landromat/shots/s01/p01//images",
         "cosmos_landromat_s01_p01_images_main_v003"},
        // filetree.md §5.3 and Zou's test_an_instance_in_a_shot.
        {"instance in a shot", "simple", Path::instance, "output",
         placed(with(output_context(shot(), animation(), cache()), std::nullopt, "main", 3),
                instance_of(asset(), false), "abc"),
         "/", 1,
         "/simple/productions/export/cosmos_landromat/shot/s01/p01/animation/cache/props/tree/"
         "instance_0001/abc",
         "cosmos_landromat_s01_p01_animation_cache_main_tree_0001_v003"},
        // Zou's test_an_instance_in_a_scene.
        {"instance in a scene", "simple", Path::instance, "output",
         placed(with(output_context(scene(), animation(), cache()), std::nullopt, "main", 3),
                instance_of(asset(), false), "abc"),
         "/", 1,
         "/simple/productions/export/cosmos_landromat/scene/s01/sc01/animation/cache/props/tree/"
         "instance_0001/abc",
         "cosmos_landromat_s01_sc01_animation_cache_main_tree_0001_v003"},
        // Zou's test_an_instance_in_an_asset.
        {"instance in an asset", "simple", Path::instance, "output",
         placed(with(output_context(asset(), shaders(), materials()), std::nullopt, "main", 3),
                instance_of(character(), true), "ml"),
         "/", 1,
         "/simple/productions/export/cosmos_landromat/assets/props/tree/shaders/materials/"
         "character/rabbit/instance_0001/ml",
         "cosmos_landromat_props_tree_shaders_materials_main_rabbit_0001_v003"},
        // The default tree: no versions, no software folder; its preview scene folder is
        // singular and skips the sequence.
        {"default tree, shot working path", "default", Path::working, "working", with(shot_task, blender(), "main", 3),
         "/", 1, "/simple/productions/cosmos_landromat/shots/s01/p01/animation", "cosmos_landromat_p01_animation"},
        {"default tree, asset output path", "default", Path::output, "output",
         with(output_context(asset(), shaders(), cache()), std::nullopt, "main", 3), "/", 1,
         "/simple/productions/export/cosmos_landromat/assets/props/tree/cache",
         "cosmos_landromat_props_tree_cache_main"},
        {"default tree, scene preview path", "default", Path::working, "preview",
         with(scene_task, std::nullopt, "main", 2), "/", 1,
         "/simple/productions/previews/cosmos_landromat/scene/sc01/animation", "cosmos_landromat_sc01_animation"},
        {"simple tree, episode working path", "simple", Path::working, "working",
         with(task_context(episode(), animation()), three_ds_max(), "main", 1), "/", 1,
         "/simple/productions/cosmos_landromat/episodes/e01/animation/3dsmax",
         "cosmos_landromat_e01_animation_main_v001"},
        {"simple tree, sequence working path", "simple", Path::working, "working",
         with(task_context(sequence(), animation()), three_ds_max(), "main", 12), "/", 1,
         "/simple/productions/cosmos_landromat/sequences/s01/animation/3dsmax",
         "cosmos_landromat_s01_animation_main_v012"},
        {"simple tree, shot preview path", "simple", Path::working, "preview", with(shot_task, std::nullopt, "main", 2),
         "/", 1, "/simple/productions/previews/cosmos_landromat/shots/s01/p01/animation",
         "cosmos_landromat_s01_p01_animation"},
    };
    for (const Example& example : examples) {
        INFO(example.what);
        CHECK(folder_of(example) == example.folder);
        CHECK(file_of(example) == example.file);
        // gazu joins the two with the separator (Zou's get_*_file_path).
        CHECK(join_path(folder_of(example), file_of(example), example.sep) ==
              std::string(example.folder) + example.sep + example.file);
    }
}

TEST_CASE("a project's own tree may name its modes and roots freely", "[filetree]") {
    // Zou's test_an_instance_follows_the_tree_of_the_entity_it_sits_in: the tree passed is
    // the temporal entity's project's, whatever the asset's project.
    FileTree tree = parse_tree_json(R"({"output": {"mountpoint": "/elsewhere", "root": "",
        "folder_path": {"instance": "<Project>/<Asset>/<Representation>"},
        "file_name": {"instance": "<Asset>"}}})");
    Context context = placed(output_context(scene(), animation(), cache()), instance_of(asset(), false), "abc");
    CHECK(instance_folder_path(tree, "output", context) == "/elsewhere/cosmos_landromat/tree/abc");

    tree = parse_tree_json(R"({"dailies": {"mountpoint": "/Mnt", "root": "Studio/Work",
        "folder_path": {"shot": "Shots/<Sequence>/<Shot>", "style": "uppercase"},
        "file_name": {"shot": "<Shot>_V<Version>", "style": "none"}}})");
    context = with(task_context(shot(), animation()), std::nullopt, "main", 4);
    // Mountpoint and root are used verbatim (not styled; the root keeps its inner "/"); the
    // folder style reaches token values only; file names are slugified whole (so lower case).
    CHECK(working_folder_path(tree, "dailies", context, "\\") == "/Mnt\\Studio/Work\\Shots\\S01\\P01");
    CHECK(working_file_name(tree, "dailies", context) == "p01_v004");
}
