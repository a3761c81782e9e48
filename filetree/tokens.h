#pragma once
// filetree/tokens.h: the tokens of a template (<Token>, <Token.field>) and their values.

#include "filetree/fwd.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace slate::filetree {

/// One token occurrence, as Zou's regex <([\w.]*)> finds it: `text` is what is between the
/// angle brackets ("Instance.number"), `data_type` the part before the first dot, `field` the
/// field read: "name", "short_name", "number" or "id"; any other (or none) reads "name".
struct TemplateVariable {
    std::string text;
    std::string data_type;
    std::string field;
};

/// Every token occurrence of a template, left to right (repeats included).
std::vector<TemplateVariable> template_variables(std::string_view text);

/// Whether Zou knows the token name: Project, Episode, Sequence, Shot, Scene, Asset, AssetType,
/// Task, TaskType, Department, Software, OutputType, Name, OutputFile, WorkingFile,
/// Representation, Version, Revision, TemporalEntity, TemporalEntityType, Instance.
bool is_known_token(std::string_view data_type);

/// Which parts of a context reach the tokens: each path Zou renders passes a different set.
struct Scope {
    const Context& context;
    bool task = false;           ///< working paths only
    bool software = false;       ///< not instance paths (they read the fallback)
    bool output_type = false;    ///< not working paths (they read the fallback)
    bool representation = false; ///< output and instance folders only
    bool instance = false;       ///< instance paths: <Instance>, and <Asset>/<AssetType> of its asset
};

/// The raw value of one token (before slugify and style), Zou's get_folder_from_datatype.
/// nullopt stands for Zou's None (a null short name): the token is then left as written.
/// Throws MalformedTree for an unknown token, a field the row's table lacks, or a value the
/// token needs and the context lacks.
std::optional<std::string> token_value(const TemplateVariable& variable, const Scope& scope);

} // namespace slate::filetree
