#include "filetree/render.h"

#include "filetree/context.h"
#include "filetree/error.h"
#include "filetree/slugify.h"
#include "filetree/text.h"
#include "filetree/tokens.h"
#include "filetree/tree.h"

namespace slate::filetree {
namespace {

enum class Target { working, output, instance };

Scope scope_for(const Context& context, Target target, bool folder) {
    Scope scope{context};
    scope.task = target == Target::working;
    scope.software = target != Target::instance;
    scope.output_type = target != Target::working;
    scope.representation = folder && target != Target::working;
    scope.instance = target == Target::instance;
    return scope;
}

std::string kind_key(const Context& context, Target target) {
    if (target == Target::instance) {
        if (!context.instance) {
            throw Error(ErrorKind::internal, "An instance path was asked without an instance.");
        }
        return context.instance->in_asset ? "instance_asset" : "instance";
    }
    return std::string(template_key(context.entity.kind));
}

const Section& section_of(const FileTree& tree, std::string_view mode_name, bool folder) {
    const std::string name(mode_name);
    const std::string section = folder ? "folder_path" : "file_name";
    // A folder path met its mode in root_path() first, with Zou's messages. Zou reads the
    // file-name template inside a KeyError guard, which answers an empty message.
    const Mode* mode = tree.find(mode_name);
    if (mode == nullptr) {
        throw MalformedTree("Mode " + name + " cannot be found on given tree.", "");
    }
    if (!mode->problems.empty()) {
        throw MalformedTree(mode->problems.front());
    }
    const auto& found = folder ? mode->folder_path : mode->file_name;
    if (!found) {
        const std::string message = "Mode " + name + " has no " + section + ".";
        throw MalformedTree(message, folder ? message : "");
    }
    return *found;
}

const std::string& template_of(const Section& section, std::string_view mode, std::string_view section_name,
                               const std::string& kind) {
    const std::string where = std::string(mode) + "." + std::string(section_name) + "." + kind;
    if (const std::string* found = section.find(kind)) {
        return *found;
    }
    for (const std::string& bad : section.bad_keys) {
        if (bad == kind) {
            throw MalformedTree("The file tree's " + where + " is not a string.");
        }
    }
    // Zou's exception carries no message here.
    throw MalformedTree("The file tree has no " + where + " template.", "");
}

/// Zou's update_variable: each token occurrence, left to right, replaced everywhere.
std::string render_template(const std::string& text, const Scope& scope, std::string_view style) {
    std::string render = text;
    for (const TemplateVariable& variable : template_variables(text)) {
        std::optional<std::string> value = token_value(variable, scope);
        if (!value) {
            continue; // Zou's None: the token stays as written
        }
        if (variable.field != "id") {
            value = apply_style(slugify(*value), style);
        }
        render = replace_all(render, "<" + variable.text + ">", *value);
    }
    return render;
}

bool is_uuid_at(std::string_view text, std::size_t at) {
    // Zou's pattern: [a-f0-9]{8}-[a-f0-9]{4}-4[a-f0-9]{3}-[89aAbB][a-f0-9]{3}-[a-f0-9]{12}
    static constexpr std::string_view shape = "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx";
    if (text.size() - at < shape.size()) {
        return false;
    }
    for (std::size_t index = 0; index < shape.size(); ++index) {
        const char c = text[at + index];
        const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
        const char want = shape[index];
        const bool ok = want == 'x'   ? hex
                        : want == 'y' ? std::string_view("89aAbB").find(c) != std::string_view::npos
                                      : c == want;
        if (!ok) {
            return false;
        }
    }
    return true;
}

std::string folder_path(const FileTree& tree, std::string_view mode, const Context& context, Target target,
                        std::string_view sep) {
    if (sep.empty()) {
        throw_bad_request("The path separator must not be empty.");
    }
    const std::string root = root_path(tree, mode, sep);
    const Section& section = section_of(tree, mode, true);
    const std::string& text = template_of(section, mode, "folder_path", kind_key(context, target));
    const std::string rendered = render_template(text, scope_for(context, target, true), section.style);
    return join_path(root, replace_all(rendered, "/", sep), "");
}

std::string file_name(const FileTree& tree, std::string_view mode, const Context& context, Target target,
                      int nb_elements) {
    const Section& section = section_of(tree, mode, false);
    const std::string& text = template_of(section, mode, "file_name", kind_key(context, target));
    // Token values are lower-cased here whatever the style: the style applies to the whole.
    const std::string rendered = render_template(text, scope_for(context, target, false), "lowercase");
    std::vector<std::string> uuids;
    for (std::size_t at = 0; at < rendered.size();) {
        if (is_uuid_at(rendered, at)) {
            uuids.emplace_back(rendered, at, 36);
            at += 36;
        } else {
            ++at;
        }
    }
    std::string name = apply_style(slugify(rendered), section.style);
    for (const std::string& uuid : uuids) {
        name = replace_all(name, apply_style(slugify(uuid), section.style), uuid);
    }
    if (nb_elements > 1) {
        name += "_[1-" + std::to_string(nb_elements) + "]";
    }
    return name;
}

} // namespace

std::string_view template_key(EntityKind kind) {
    switch (kind) {
    case EntityKind::shot: return "shot";
    case EntityKind::sequence: return "sequence";
    case EntityKind::scene: return "scene";
    case EntityKind::episode: return "episode";
    case EntityKind::asset: return "asset";
    }
    return "asset";
}

std::string working_folder_path(const FileTree& tree, std::string_view mode, const Context& context,
                                std::string_view sep) {
    return folder_path(tree, mode, context, Target::working, sep);
}

std::string working_file_name(const FileTree& tree, std::string_view mode, const Context& context) {
    return file_name(tree, mode, context, Target::working, 1);
}

std::string output_folder_path(const FileTree& tree, std::string_view mode, const Context& context,
                               std::string_view sep) {
    return folder_path(tree, mode, context, Target::output, sep);
}

std::string output_file_name(const FileTree& tree, std::string_view mode, const Context& context, int nb_elements) {
    return file_name(tree, mode, context, Target::output, nb_elements);
}

std::string instance_folder_path(const FileTree& tree, std::string_view mode, const Context& context,
                                 std::string_view sep) {
    return folder_path(tree, mode, context, Target::instance, sep);
}

std::string instance_file_name(const FileTree& tree, std::string_view mode, const Context& context, int nb_elements) {
    return file_name(tree, mode, context, Target::instance, nb_elements);
}

bool reads_token(const FileTree& tree, std::string_view mode_name, std::string_view section, std::string_view kind_key,
                 std::string_view token) {
    const Mode* mode = tree.find(mode_name);
    if (mode == nullptr) {
        return false;
    }
    const auto& found = section == "folder_path" ? mode->folder_path
                        : section == "file_name" ? mode->file_name
                                                 : std::optional<Section>();
    const std::string* text = found ? found->find(kind_key) : nullptr;
    if (text == nullptr) {
        return false;
    }
    for (const TemplateVariable& variable : template_variables(*text)) {
        if (variable.data_type == token) {
            return true;
        }
    }
    return false;
}

} // namespace slate::filetree
