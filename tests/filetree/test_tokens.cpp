// tests/filetree/test_tokens.cpp: one value per token (Zou's get_folder_from_datatype, pinned by
// test_every_token_the_templates_accept_is_resolved), fields, fallbacks and token errors.
#include <catch2/catch.hpp>

#include "filetree/context.h"
#include "filetree/error.h"
#include "filetree/render.h"
#include "filetree/tokens.h"
#include "filetree/tree.h"
#include "tests/filetree/world.h"

using namespace slate::filetree;
using namespace slate::filetree::testing;

namespace {

/// The raw value of `<text>` with every part of the context in reach, as Zou's dispatch gets
/// whatever keyword arguments its test passes.
std::optional<std::string> value(const std::string& text, const Context& context) {
    const auto variables = template_variables("<" + text + ">");
    REQUIRE(variables.size() == 1);
    return token_value(variables[0], Scope{context, true, true, true, true, true});
}

Context of(Entity entity) {
    Context context;
    context.project = project();
    context.entity = std::move(entity);
    return context;
}

std::string malformed(const std::string& text, const Context& context) {
    try {
        value(text, context);
    } catch (const MalformedTree& error) {
        CHECK(error.kind() == slate::ErrorKind::bad_request);
        return error.what();
    }
    FAIL("no MalformedTree for <" << text << ">");
    return {};
}

/// A tree whose working templates are `text` for every entity kind, under mountpoint "/r".
FileTree one_template_tree(const std::string& folder_text, const std::string& file_text, const std::string& style) {
    std::string kinds;
    for (const char* kind : {"asset", "shot", "sequence", "scene", "episode"}) {
        kinds += std::string(kinds.empty() ? "" : ", ") + "\"" + kind + "\": \"";
        kinds += folder_text + "\"";
    }
    std::string names;
    for (const char* kind : {"asset", "shot", "sequence", "scene", "episode"}) {
        names += std::string(names.empty() ? "" : ", ") + "\"" + kind + "\": \"" + file_text + "\"";
    }
    return parse_tree_json(R"({"working": {"mountpoint": "/r", "root": "", "folder_path": {)" + kinds +
                           R"(, "style": ")" + style + R"("}, "file_name": {)" + names + R"(, "style": ")" + style +
                           R"("}}})");
}

/// `text` rendered as a working folder.
std::string folder(const std::string& text, const Context& context, const char* style = "lowercase") {
    return working_folder_path(one_template_tree(text, "x", style), "working", context);
}

/// `text` rendered as a working file name.
std::string file(const std::string& text, const Context& context, const char* style = "lowercase") {
    return working_file_name(one_template_tree("x", text, style), "working", context);
}

} // namespace

TEST_CASE("every token reads its value as Zou's dispatch does", "[filetree]") {
    const Context shot_task = task_context(shot(), animation());
    const Context asset_task = task_context(asset(), shaders());
    Context asset_with_type = of(asset());
    asset_with_type.task_type = shaders();
    Context with_software = of(asset());
    with_software.software = blender();
    Context with_cache = of(asset());
    with_cache.output_type = cache();
    Context words = of(asset());
    words.representation = "obj";
    words.name = "main";
    words.revision = 7;

    struct Row {
        const char* token;
        Context context;
        const char* expected;
    };
    const std::vector<Row> rows = {
        {"Project", shot_task, "Cosmos Landromat"},
        {"Shot", shot_task, "P01"},
        {"Sequence", shot_task, "S01"},
        {"Sequence", of(sequence()), "S01"},
        {"Sequence", of(asset()), ""},
        {"Episode", shot_task, "E01"},
        {"Episode", of(sequence()), "E01"},
        {"Episode", of(episode()), "E01"},
        {"Episode", of(asset()), "e001"}, // a flat production writes e001
        {"Asset", asset_task, "Tree"},
        {"AssetType", asset_task, "Props"},
        {"Department", asset_task, "Modeling"},
        {"Department", of(asset()), ""},
        {"Task", asset_task, "Master"},
        {"TaskType", asset_task, "Shaders"},
        {"TaskType", asset_with_type, "Shaders"},
        {"TaskType", of(asset()), ""},
        {"Software", with_software, "Blender"},
        {"OutputType", with_cache, "cache"},
        {"TemporalEntity", of(shot()), "P01"},
        {"TemporalEntityType", of(shot()), "shot"},
        {"Scene", of(scene()), "SC01"},
        {"Instance", of(shot()), ""},
        {"Representation", words, "obj"},
        {"Name", words, "main"},
        {"OutputFile", words, "main"},
        {"WorkingFile", words, "main"},
        {"Version", words, "007"},
        {"Revision", words, "007"},
        // Zou's test_a_missing_output_type_or_software_falls_back.
        {"OutputType", of(asset()), "geometry"},
        {"Software", of(asset()), "3dsmax"},
        {"Software.short_name", of(asset()), "max"},
        // A field a template may name; any other reads the name.
        {"TaskType.short_name", asset_task, "shd"},
        {"TaskType.description", asset_task, "Shaders"},
        {"Asset.id", asset_task, asset_id.c_str()},
        {"Episode.short_name", shot_task, "e001"}, // entities have none: Zou's fallback
        {"Episode.id", shot_task, "id-E01"},
    };
    for (const Row& row : rows) {
        INFO("<" << row.token << ">");
        CHECK(value(row.token, row.context) == std::optional<std::string>(row.expected));
    }
}

TEST_CASE("a sequence named after its number is normalised", "[filetree]") {
    for (const char* name : {"Seq2", "Seq02"}) {
        Entity seq = sequence();
        seq.record.name = name;
        CHECK(value("Sequence", of(seq)) == "S002");
        // Styled like any value: the folder gets s002.
        CHECK(folder("<Sequence>", of(seq)) == "/r/s002");
    }
    Entity seq = sequence();
    seq.record.name = "MySeq1000"; // "Seq" anywhere: S + the text from the fourth character on
    CHECK(value("Sequence", of(seq)) == "Seq1000");
}

TEST_CASE("an instance reads its name, or its number padded to four", "[filetree]") {
    Context context = of(shot());
    context.instance = instance_of(asset(), false);
    context.instance->name = std::nullopt;
    context.instance->number = 3;
    CHECK(value("Instance", context) == "0003");
    context.instance->name = "hero";
    CHECK(value("Instance", context) == "hero");
    CHECK(value("Instance.number", context) == "0003");
    CHECK(value("Instance.id", context) == "0003");
    context.instance->number = std::nullopt;
    context.instance->name = std::nullopt;
    CHECK(value("Instance", context) == "None"); // Zou's str(None).zfill(4)
}

TEST_CASE("tokens are slugified and styled, literal text is not", "[filetree]") {
    Context context = task_context(asset(), shaders());
    // Zou's test_a_token_is_replaced_by_its_styled_value and ..._can_name_the_field_it_reads.
    CHECK(folder("<AssetType>_<Asset>", context) == "/r/props_tree");
    CHECK(folder("<TaskType.short_name>", context) == "/r/shd");
    CHECK(folder("<TaskType.description>", context) == folder("<TaskType>", context));
    CHECK(folder("Assets/<Asset>", context, "uppercase") == "/r/Assets/TREE");
    CHECK(folder("Assets/<Asset>", context, "none") == "/r/Assets/tree");
    // Zou's test_an_id_is_kept_verbatim.
    CHECK(folder("<Asset.id>", context) == "/r/" + asset_id);
    CHECK(file("<Asset>_<Asset.id>_v<Version>", context) == "tree_" + asset_id + "_v001");
    CHECK(file("<Asset>_<Asset.id>_v<Version>", context, "uppercase") == "TREE_" + asset_id + "_V001");
    // Zou's test_the_style_of_the_mode_is_applied_to_the_whole_name.
    context.name = "main";
    CHECK(file("<Project>_<AssetType>_<Asset>_<TaskType>_<Name>_v<Version>", context, "uppercase") ==
          "COSMOS_LANDROMAT_PROPS_TREE_SHADERS_MAIN_V001");
    // An empty value leaves no trailing separator; file names never read the representation.
    Context empty = of(asset());
    empty.project.name = "Proj";
    empty.representation = "abc";
    CHECK(file("<Project>_<Name>", empty) == "proj");
    CHECK(file("<Project>_<Representation>", empty) == "proj");
    // A null short name is Zou's None: the token stays as written.
    context.task_type->short_name = std::nullopt;
    CHECK(folder("<TaskType.short_name>", context) == "/r/<TaskType.short_name>");
    CHECK(file("<TaskType.short_name>", context) == "tasktype_short_name");
    // Working paths never read the output type: Zou passes none, so the fallback renders.
    context.output_type = cache();
    CHECK(folder("<OutputType>", context) == "/r/geometry");
}

TEST_CASE("a token naming nothing the context holds is malformed", "[filetree]") {
    // Zou's test_a_token_naming_no_entity_is_malformed, and the 500s of Zou answered 400.
    CHECK(malformed("Unknown", of(asset())) == "Unknown data type: Unknown.");
    CHECK(malformed("", of(asset())) == "Unknown data type: .");
    CHECK(malformed("OuputType.name", of(asset())) == "Unknown data type: OuputType.");
    Entity untyped = shot();
    untyped.type = std::nullopt;
    CHECK(malformed("TemporalEntityType", of(untyped)) == "Given temporal entity type is null.");
    Entity asset_without_type = asset();
    asset_without_type.type = std::nullopt;
    CHECK(malformed("AssetType", of(asset_without_type)) == "<AssetType> needs the asset's type, and none was given.");
    CHECK(malformed("AssetType", of(shot())) == "<AssetType> needs an asset, and the entity is not one.");
    CHECK(malformed("Shot.short_name", of(shot())) == "<Shot.short_name>: a Shot has no short_name.");
    CHECK(malformed("Project.number", of(shot())) == "<Project.number>: a Project has no number.");
    CHECK(malformed("Software.id", of(shot())) == "<Software.id> needs the id of the Software, and none was given.");
    Entity orphan = shot();
    orphan.sequence = std::nullopt;
    CHECK(malformed("Sequence", of(orphan)) == "<Sequence>: the entity has no sequence.");
    Context output = of(asset());
    output.output_type = Record{"id", "Cache", std::nullopt};
    CHECK(malformed("OutputType.short_name", output) == "<OutputType.short_name> has no value.");
    // <Task> reads the task of working paths only.
    const FileTree tree = parse_tree_json(R"({"output": {"mountpoint": "/r", "root": "",
        "folder_path": {"asset": "<Task>"}, "file_name": {"asset": "<Task>"}}})");
    Context with_task = task_context(asset(), shaders());
    CHECK_THROWS_WITH(output_folder_path(tree, "output", with_task),
                      "<Task> needs a task: only working paths have one.");
    CHECK(working_folder_path(tree, "output", with_task) == "/r/master");
}

TEST_CASE("a caller learns which fallback rows a template reads", "[filetree]") {
    const FileTree tree = parse_tree_json(R"({"working": {"mountpoint": "/r", "root": "",
        "folder_path": {"shot": "<Shot>/<Software.short_name>"},
        "file_name": {"shot": "<Shot>_<OutputType>"}}})");
    CHECK(reads_token(tree, "working", "folder_path", "shot", "Software"));
    CHECK_FALSE(reads_token(tree, "working", "folder_path", "shot", "OutputType"));
    CHECK(reads_token(tree, "working", "file_name", "shot", "OutputType"));
    CHECK_FALSE(reads_token(tree, "working", "file_name", "asset", "OutputType"));
    CHECK_FALSE(reads_token(tree, "output", "file_name", "shot", "OutputType"));
}
