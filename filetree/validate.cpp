// filetree/validate.cpp: every problem of a tree at once (see validate() in tree.h).
#include "filetree/tokens.h"
#include "filetree/tree.h"

#include <set>

namespace slate::filetree {
namespace {

bool mentions(const std::vector<std::string>& problems, const std::string& start) {
    for (const std::string& problem : problems) {
        if (problem.rfind(start, 0) == 0) {
            return true;
        }
    }
    return false;
}

void check_section(const Mode& mode, const std::string& name, const std::optional<Section>& section,
                   std::vector<std::string>& out) {
    if (!section) {
        if (!mentions(mode.problems, "Mode " + mode.name + ": " + name)) {
            out.push_back("Mode " + mode.name + " has no " + name + ".");
        }
        return;
    }
    for (const std::string& key : section->bad_keys) {
        out.push_back("The file tree's " + mode.name + "." + name + "." + key + " is not a string.");
    }
    for (const auto& [kind, text] : section->templates) {
        std::set<std::string> reported;
        for (const TemplateVariable& variable : template_variables(text)) {
            if (!is_known_token(variable.data_type) && reported.insert(variable.data_type).second) {
                out.push_back("The file tree's " + mode.name + "." + name + "." + kind + " has an unknown token: <" +
                              variable.text + ">.");
            }
        }
    }
}

} // namespace

std::vector<std::string> validate(const FileTree& tree) {
    std::vector<std::string> out;
    for (const Mode& mode : tree.modes()) {
        out.insert(out.end(), mode.problems.begin(), mode.problems.end());
        if (mentions(mode.problems, "Mode " + mode.name + " of the file tree")) {
            continue; // not an object: nothing else to say
        }
        if (!mode.mountpoint && !mentions(mode.problems, "Mode " + mode.name + ": mountpoint")) {
            out.push_back("Mode " + mode.name + " has no mountpoint.");
        }
        if (!mode.root && !mentions(mode.problems, "Mode " + mode.name + ": root")) {
            out.push_back("Mode " + mode.name + " has no root.");
        }
        check_section(mode, "folder_path", mode.folder_path, out);
        check_section(mode, "file_name", mode.file_name, out);
    }
    return out;
}

} // namespace slate::filetree
