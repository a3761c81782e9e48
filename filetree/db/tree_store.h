#pragma once
// filetree/db/tree_store.h: reading a tree from a file (JSON or YAML) and setting it on a
// project, for `slate check-file-tree` and `slate set-file-tree`.

#include "engine/fwd.h"
#include "filetree/tree.h"

#include <filesystem>
#include <string>

namespace slate::filetree {

/// A tree file: YAML when its name ends in .yaml or .yml, JSON otherwise. Throws bad_request
/// when it cannot be read or is not a tree.
FileTree read_tree_file(const std::filesystem::path& path);

/// Stores the tree as the project's file_tree (a project named by id or by name) with Zou's
/// project:update event. Returns the project's id; throws not_found when there is none.
std::string set_project_tree(engine::db::Connection& c, const std::string& project, const FileTree& tree);

/// Stores a tree's JSON text as the file_tree of the project with that id, with Zou's
/// project:update event by `user_id`, in one transaction. Answers the updated project row
/// (every column), or no row when there is no such project (a malformed id names none).
engine::db::Result set_project_tree_json(engine::db::Connection& c, const std::string& project_id,
                                         const std::string& tree_json, const std::string& user_id);

} // namespace slate::filetree
