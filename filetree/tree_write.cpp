// filetree/tree_write.cpp: a tree written back as JSON (what project.file_tree stores), so that
// a tree written in YAML can be set on a project.
#include "filetree/tree.h"

#include "engine/json.h"

namespace slate::filetree {
namespace {

void write_section(engine::JsonWriter& out, const char* name, const std::optional<Section>& section) {
    if (!section)
        return;
    out.key(name).begin_object();
    for (const auto& [kind, pattern] : section->templates)
        out.field(kind, pattern);
    if (!section->style.empty())
        out.field("style", section->style);
    out.end_object();
}

} // namespace

std::string tree_to_json(const FileTree& tree) {
    engine::JsonWriter out;
    out.begin_object();
    for (const Mode& mode : tree.modes()) {
        out.key(mode.name).begin_object();
        if (mode.mountpoint)
            out.field("mountpoint", *mode.mountpoint);
        if (mode.root)
            out.field("root", *mode.root);
        write_section(out, "folder_path", mode.folder_path);
        write_section(out, "file_name", mode.file_name);
        out.end_object();
    }
    out.end_object();
    return out.take();
}

} // namespace slate::filetree
