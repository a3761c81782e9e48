#pragma once
// filetree/shipped.h: the file trees Slate ships (templates/default.json, simple.json, the
// same trees as Zou's), embedded in the library.

#include "filetree/fwd.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace slate::filetree {

/// The names of the shipped trees, sorted: "default", "simple".
std::vector<std::string> shipped_tree_names();

/// A shipped tree's JSON text, as set-file-tree stores it in project.file_tree; nullopt when
/// `name` is not a plain name (full match of ^[A-Za-z0-9_-]+$, so never a path) or names no
/// shipped tree.
std::optional<std::string_view> shipped_tree_json(std::string_view name);

/// A shipped tree, parsed once. Throws slate::Error(bad_request) "Selected tree is not
/// available" (Zou's answer on set-file-tree) when shipped_tree_json() has none.
const FileTree& shipped_tree(std::string_view name);

} // namespace slate::filetree
