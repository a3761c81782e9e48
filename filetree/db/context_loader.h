#pragma once
// filetree/db/context_loader.h: the database half of path rendering: a project's tree and the
// rows a path is rendered for, read from PostgreSQL into filetree's plain values.

#include "engine/fwd.h"
#include "filetree/context.h"
#include "filetree/folders.h"
#include "filetree/tree.h"

#include <optional>
#include <string>

namespace slate::filetree {

/// A project's tree (project.file_tree). Throws MalformedTree "No tree can be found for given
/// project." when it is null.
FileTree load_project_tree(engine::db::Connection& c, const std::string& project_id);

/// An entity with its type and the sequence and episode its tokens walk up to.
struct LoadedEntity {
    Entity entity;
    std::string project_id;
    std::string type_name; ///< "Shot", "Props", ...
};
std::optional<LoadedEntity> load_entity(engine::db::Connection& c, const std::string& entity_id);

/// A row of a table with a name (and a short name where the table has one).
enum class NamedTable { project, task_type, department, software, output_type };
std::optional<Record> load_record(engine::db::Connection& c, NamedTable table, const std::string& id);

/// A task type with its department.
struct LoadedTaskType {
    Record task_type;
    std::optional<Record> department;
};
std::optional<LoadedTaskType> load_task_type(engine::db::Connection& c, const std::string& task_type_id);

/// A task with what working paths read: its entity, task type and department.
struct LoadedTask {
    std::string project_id;
    Record task;
    Record task_type;
    std::optional<Record> department;
    LoadedEntity entity;
};
std::optional<LoadedTask> load_task(engine::db::Connection& c, const std::string& task_id);

/// An asset instance with its asset (and the asset's type).
std::optional<AssetInstance> load_asset_instance(engine::db::Connection& c, const std::string& asset_instance_id);

/// The project id of an asset instance's asset, or nothing when there is no such instance.
std::optional<std::string> instance_project_id(engine::db::Connection& c, const std::string& asset_instance_id);

/// Whether a project has that id (the caller has checked it is a UUID).
bool project_exists(engine::db::Connection& c, const std::string& project_id);

/// The software or output type Zou falls back to by name: found case-sensitively by name, or
/// created with that name, short name and extension (software only).
Record get_or_create_software(engine::db::Connection& c, const std::string& name, const std::string& short_name,
                              const std::string& file_extension);
Record get_or_create_output_type(engine::db::Connection& c, const std::string& name, const std::string& short_name);

/// Every task, entity, task type and placed asset instance of a project (by id or by name) in
/// a handful of queries, for create-folders. Throws not_found when there is no such project.
FolderSources load_folder_sources(engine::db::Connection& c, const std::string& project);

} // namespace slate::filetree
