#pragma once
// filetree/guess.h: reading a path back into template tokens (the pure half of Zou's
// guess_from_path and of its path-to-task helpers). Looking the values up in the database —
// by case-insensitive name, narrowed by what was found before, stopping at the first miss — is
// the caller's half; filetree.md §7 describes it.

#include "filetree/fwd.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace slate::filetree {

/// Token → value pairs, in order.
using TokenValues = std::vector<std::pair<std::string, std::string>>;

/// The value of a token, or nullptr.
const std::string* find_token(const TokenValues& values, std::string_view token);

/// One folder template whose literal parts line up with the path.
struct GuessCandidate {
    std::string mode;
    /// The template key ("asset", "shot", ...): Zou's "Template".
    std::string kind;
    /// What to look up, in Zou's order: for each element of the template, left to right, the
    /// first token read from the path that it holds (so a token held twice is looked up twice).
    /// Values are as read: "_" read as a space, the template's prefix and suffix cut
    /// ("v<Version>" reading "v003" gives "003").
    TokenValues lookups;
};

/// For each mode in tree order whose styled root (mountpoint + sep + root + sep, in the mode's
/// folder style) starts the path in that style, each folder template in tree order that reads
/// at least one token and whose literal elements equal the path's (a path longer or shorter
/// than the template is read as far as both go). A path outside every root gives none. Throws
/// MalformedTree when a mode cannot be read (no mountpoint, root or folder_path), as Zou does.
/// The caller resolves each candidate's lookups, and drops a resolved candidate equal to one
/// it already has.
std::vector<GuessCandidate> guess_from_path(const FileTree& tree, std::string_view file_path,
                                            std::string_view sep = "/");

/// Zou's extract_variable_values_from_path: each template element holding a token
/// (`(\w*)<(\w*)>(\w*)`, so <X.field> counts as literal text) maps the token to the path
/// element at the same place; literal elements must be equal, else slate::Error(bad_request)
/// "<elements> doesn't match <template elements>" (written as Python lists). The first
/// non-empty value of a token wins.
TokenValues extract_variable_values_from_path(const std::vector<std::string>& elements,
                                              const std::vector<std::string>& template_elements);

/// The tokens of a working path of a shot or an asset task (`kind_key` "shot" or "asset"),
/// read strictly: the path (its root cut by length, no style applied) must have exactly as
/// many elements as the template, else bad_request "<path> doesn't match <template>". The
/// caller then looks up Episode/Sequence/Shot or AssetType/Asset, Department, TaskType, Task.
TokenValues task_path_tokens(const FileTree& tree, std::string_view kind_key, std::string_view file_path,
                             std::string_view mode = "working", std::string_view sep = "/");

} // namespace slate::filetree
