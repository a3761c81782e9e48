#pragma once
// filetree/context.h: what a path is rendered for, as plain values the caller looked up (the
// library reads no database). Names are the stored ones; rendering slugifies them.

#include <optional>
#include <string>

namespace slate::filetree {

/// The kind of the entity a path is rendered for; it picks the template key. `asset` stands for
/// every other entity type (assets of any type, edits, concepts, ...), as in Zou.
enum class EntityKind { asset, shot, sequence, scene, episode };

/// A row a token reads: `<Token>` reads `name`, `<Token.id>` the id, `<Token.short_name>` the
/// short name. Whether a short name may exist at all follows the token's table (task types,
/// entity types, softwares and output types have one; projects, entities, tasks and
/// departments do not): unset means null there.
struct Record {
    std::string id;
    std::string name;
    std::optional<std::string> short_name;
};

/// An entity with what its tokens walk up to.
struct Entity {
    EntityKind kind = EntityKind::asset;
    Record record;
    /// Its entity type ("Props", "Shot", ...): read by <AssetType> and <TemporalEntityType>.
    std::optional<Record> type;
    /// For a shot or a scene: its sequence (the parent).
    std::optional<Record> sequence;
    /// The episode reached: a sequence's parent, or a shot's or scene's sequence's parent.
    /// Unset when there is none (a flat production): <Episode> then renders "e001".
    std::optional<Record> episode;
};

/// An asset instance, for instance output paths.
struct AssetInstance {
    std::string id;
    std::optional<std::string> name; ///< null: <Instance> falls back to the padded number
    std::optional<long long> number; ///< null renders "None", as Zou's str(None) does
    /// target_asset_id is set (an instance placed in an asset): template key "instance_asset";
    /// otherwise "instance".
    bool in_asset = false;
    /// The instance's asset (asset_instance.asset_id) with its type: <Asset>, <AssetType>.
    Entity asset;
};

/// Everything a template may read. Which parts reach the tokens depends on the path rendered
/// (working, output, instance output): see render.h.
struct Context {
    Record project;
    /// The entity rendered; for instance paths, the temporal entity the instance sits in.
    Entity entity;
    std::optional<AssetInstance> instance;
    std::optional<Record> task;       ///< working paths: the task
    std::optional<Record> task_type;  ///< the task's task type, or the one given to output paths
    std::optional<Record> department; ///< the department of that task type
    /// Unset: <Software> reads Zou's fallback software (name "3dsmax", short name "max"), which
    /// Zou gets or creates in the database; pass the row to render <Software.id>.
    std::optional<Record> software;
    /// Unset: <OutputType> reads Zou's fallback output type ("Geometry", short name "").
    std::optional<Record> output_type;
    std::string name;           ///< <Name>, <OutputFile>, <WorkingFile>
    std::string representation; ///< <Representation>, in output folder paths only
    long long revision = 1;     ///< <Version>, <Revision>: padded to three digits
};

} // namespace slate::filetree
