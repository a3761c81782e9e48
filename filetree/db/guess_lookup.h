#pragma once
// filetree/db/guess_lookup.h: the database half of guess-from-path (filetree.md §7): the
// tokens filetree::guess_from_path reads from a path, looked up as rows of the project.

#include "engine/fwd.h"

#include <string>
#include <utility>
#include <vector>

namespace slate::filetree {

/// One matching template: "Template" → kind, then each token found → the row id (or the text
/// read, for Name and Representation; the number, for Version), in lookup order.
using GuessedTemplate = std::vector<std::pair<std::string, std::string>>;

/// Every template of the project's tree the path fits, each filled as far as its lookups go
/// (the first lookup that finds nothing ends it), without duplicates.
std::vector<GuessedTemplate> guess_entities_from_path(engine::db::Connection& c, const std::string& project_id,
                                                      const std::string& file_path, const std::string& sep);

} // namespace slate::filetree
