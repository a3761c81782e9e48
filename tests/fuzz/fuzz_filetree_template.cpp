// tests/fuzz/fuzz_filetree_template.cpp: libFuzzer target for the file-tree reader. Each input
// is read as a JSON tree and as a YAML tree; every tree read is validated, rendered for every
// mode and entity kind (working, output and instance paths), and its folders are guessed back.
// Anything but a slate::Error escaping, or a sanitizer report, is a finding. Build and run:
// tests/fuzz/README.md.
#include "engine/error.h"
#include "filetree/context.h"
#include "filetree/guess.h"
#include "filetree/render.h"
#include "filetree/slugify.h"
#include "filetree/tree.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

using namespace slate::filetree;

Record record(const char* name) {
    return Record{"6f1c7c9e-5b1a-4d3e-9f6a-0c1b2d3e4f50", name, "sn"};
}

Context context(EntityKind kind) {
    Context out;
    out.project = record("Cosmos Landromat");
    out.entity = Entity{kind, record("P01"), record("Shot"), record("Seq01"), record("E01")};
    out.task = record("Master");
    out.task_type = record("Animation");
    out.department = record("Animation");
    out.output_type = record("Cache");
    out.name = "main";
    out.representation = "abc";
    out.revision = 3;
    AssetInstance instance;
    instance.name = "Tree_0001";
    instance.number = 1;
    instance.asset = Entity{EntityKind::asset, record("Tree"), record("Props"), {}, {}};
    out.instance = instance;
    return out;
}

template <typename Call>
void quietly(Call call) {
    try {
        call();
    } catch (const slate::Error&) {
        // A tree that cannot serve a path is an answer, not a finding.
    }
}

void exercise(const FileTree& tree) {
    (void)validate(tree);
    for (const Mode& mode : tree.modes()) {
        for (EntityKind kind :
             {EntityKind::asset, EntityKind::shot, EntityKind::sequence, EntityKind::scene, EntityKind::episode}) {
            Context in = context(kind);
            for (const char* sep : {"/", "\\"}) {
                quietly([&] {
                    const std::string folder = working_folder_path(tree, mode.name, in, sep);
                    (void)guess_from_path(tree, folder, sep);
                    (void)task_path_tokens(tree, template_key(kind), folder, mode.name, sep);
                });
            }
            quietly([&] { (void)working_file_name(tree, mode.name, in); });
            quietly([&] { (void)output_folder_path(tree, mode.name, in); });
            quietly([&] { (void)output_file_name(tree, mode.name, in, 2); });
            in.instance->in_asset = kind == EntityKind::asset;
            quietly([&] { (void)instance_folder_path(tree, mode.name, in); });
            quietly([&] { (void)instance_file_name(tree, mode.name, in); });
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)slugify(text);
    quietly([&] { exercise(parse_tree_json(text)); });
    quietly([&] { exercise(parse_tree_yaml(text)); });
    return 0;
}
