#pragma once
// filetree/render.h: working, output and instance output paths, rendered from a tree (Zou's
// file_tree_service get_*_folder_path / get_*_file_name).
//
// A folder path is the mode's root, then the folder template of the entity's kind with each
// token replaced by its value slugified ("_") and put in the folder style (the literal text of
// the template is kept as written), every "/" of that part then written as `sep`. A file name
// is the file-name template rendered the same way (values lower-cased), then slugified whole and
// put in the file-name style; ids (<Asset.id>) come through both untouched. Routes render the
// folder first, so a missing mode is reported with Zou's folder-path message.
//
// Each kind of path passes Zou's own subset of the context to the tokens:
//   working:  task, task type, department, software; <OutputType> reads the fallback;
//   output:   task type, department, software, output type; representation in the folder only;
//   instance: task type, department, output type, the instance and its asset; <Software>
//             reads the fallback; representation in the folder only.
// <Task> outside working paths, like every unknown token, throws MalformedTree.

#include "filetree/fwd.h"

#include <string>
#include <string_view>

namespace slate::filetree {

/// The template key of an entity kind: "asset", "shot", "sequence", "scene", "episode".
std::string_view template_key(EntityKind kind);

std::string working_folder_path(const FileTree& tree, std::string_view mode, const Context& context,
                                std::string_view sep = "/");
std::string working_file_name(const FileTree& tree, std::string_view mode, const Context& context);

std::string output_folder_path(const FileTree& tree, std::string_view mode, const Context& context,
                               std::string_view sep = "/");
/// `nb_elements` > 1 appends "_[1-N]" (an output of N files), after the style.
std::string output_file_name(const FileTree& tree, std::string_view mode, const Context& context, int nb_elements = 1);

/// Instance paths need `context.instance`; `context.entity` is the temporal entity. The key is
/// "instance_asset" for an instance placed in an asset, "instance" otherwise.
std::string instance_folder_path(const FileTree& tree, std::string_view mode, const Context& context,
                                 std::string_view sep = "/");
std::string instance_file_name(const FileTree& tree, std::string_view mode, const Context& context,
                               int nb_elements = 1);

/// Whether the template the path would use reads a token (any field): lets a caller get or
/// create Zou's fallback software or output type only when a template asks for it, as Zou
/// does. False when the mode, section or kind is missing.
bool reads_token(const FileTree& tree, std::string_view mode, std::string_view section, std::string_view kind_key,
                 std::string_view token);

} // namespace slate::filetree
