#pragma once
// filetree/tree.h: a project's file tree (project.file_tree), read from JSON or YAML text.
//
// Reading is lenient, as Zou is: a tree is stored without validation and only fails when a path
// is rendered from the part that is wrong (the shipped `default` tree itself carries a
// misspelt token). So parsing rejects only text that is not a tree at all; each mode keeps what
// is wrong with it, and rendering that mode reports it. validate() lists every problem at once.

#include "filetree/fwd.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace slate::filetree {

/// "folder_path" or "file_name" of a mode: one template per entity kind.
struct Section {
    /// Entity kind ("shot", "asset", "instance", ...) → template, in the tree's key order.
    std::vector<std::pair<std::string, std::string>> templates;
    /// Zou's style: "lowercase", "uppercase"; anything else (or none) changes no case.
    std::string style;
    /// Keys whose value is not a string: rendering them fails with a clear message.
    std::vector<std::string> bad_keys;

    /// The template of a kind, or nullptr when the section has none.
    const std::string* find(std::string_view kind) const;
};

/// One mode of a tree ("working", "output", "preview" in the shipped ones; any name is allowed).
struct Mode {
    std::string name;
    std::optional<std::string> mountpoint;
    /// Null in the tree reads as "", which Zou treats the same (no root folder).
    std::optional<std::string> root;
    std::optional<Section> folder_path;
    std::optional<Section> file_name;
    /// What makes the mode unusable as a whole (not an object, a mountpoint that is not a
    /// string, a section that is not an object): using the mode throws the first.
    std::vector<std::string> problems;
};

class FileTree {
public:
    FileTree() = default;
    explicit FileTree(std::vector<Mode> modes) : m_modes(std::move(modes)) {}

    /// The modes in the tree's key order (the order guessing walks them in).
    const std::vector<Mode>& modes() const { return m_modes; }
    /// The mode of that name, or nullptr.
    const Mode* find(std::string_view mode) const;

private:
    std::vector<Mode> m_modes;
};

/// Reads a tree from JSON text, keeping key order. Throws MalformedTree "No tree can be found
/// for given project." for `null` or blank text (a project without a tree), and
/// slate::Error(bad_request) for text that is not JSON or not an object.
FileTree parse_tree_json(std::string_view text);

/// Reads a tree from YAML text (a mapping of the same shape). Same errors as the JSON reader;
/// YAML scalars are strings (`root: 5` is "5").
FileTree parse_tree_yaml(std::string_view text);

/// The tree as JSON, in its key order (what project.file_tree stores). Values a reader kept
/// as problems (keys whose value was not a string) are left out.
std::string tree_to_json(const FileTree& tree);

/// Every problem of a tree, one clear sentence each, in tree order: a mode without mountpoint,
/// root, folder_path or file_name; values of the wrong type; unknown tokens ("<OuputType>").
/// Empty when every template of every mode can render. Zou runs no such check; this is for
/// tools, tests and a future strict mode, never for refusing a stored tree.
std::vector<std::string> validate(const FileTree& tree);

/// The absolute prefix of every path of a mode (Zou's get_root_path): mountpoint + sep + root
/// + sep, or mountpoint + sep when root is empty; neither is styled nor has its "/" rewritten.
/// Throws MalformedTree "Mode <m> cannot be found on given tree." or "Can't find given mode
/// (<m>) in given tree." (mountpoint or root missing).
std::string root_path(const FileTree& tree, std::string_view mode, std::string_view sep);

/// Joins two path fragments with `sep`, leaving it out when one is empty (Zou's join_path).
std::string join_path(std::string_view left, std::string_view right, std::string_view sep);

} // namespace slate::filetree
