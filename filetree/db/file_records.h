#pragma once
// filetree/db/file_records.h: working and output file rows (Zou's files_service): revision
// numbering, creation, listings, and their JSON.
//
// Numbering is safe under concurrency: a creation takes a transaction-scoped advisory lock on
// what the revision is numbered by (task and name; entity or instance, output type, task type
// and name), reads the last revision and inserts under it in one transaction, so two requests
// asking for "the next revision" at once get consecutive numbers, never the same one.

#include "engine/fwd.h"

#include <functional>
#include <optional>
#include <string>

namespace slate::filetree {

/// A row as Zou serialises it: every column, then "type" (WorkingFile, OutputFile, ...).
std::string row_json(const engine::db::Result& rows, int row, const char* type_name);
/// Every row, as a JSON array of such objects.
std::string rows_json(const engine::db::Result& rows, const char* type_name);

/// Renders the path of a file for the revision it is finally given.
using PathForRevision = std::function<std::string(long long revision)>;

// --- working files --------------------------------------------------------------------------

/// The row, or no row.
engine::db::Result get_working_file(engine::db::Connection& c, const std::string& id);
/// Highest revision of the task's working files of that name, plus one (1 when none).
long long next_working_revision(engine::db::Connection& c, const std::string& task_id, const std::string& name);

struct NewWorkingFile {
    std::string task_id, entity_id, project_id;
    std::string person_id, software_id, author_id;
    std::string name, comment; /// no description: Zou's create_new_working_revision stores none
    long long revision = 0; ///< 0: the next one
};
/// Inserts the row, and Zou's working-file:new event, in one transaction. Returns the id, or
/// nothing when (task, name, revision) exists.
std::optional<std::string> create_working_file(engine::db::Connection& c, const NewWorkingFile& file,
                                               const PathForRevision& path_for);
/// Sets columns (comment, or updated_at to now) and answers the row.
engine::db::Result touch_working_file(engine::db::Connection& c, const std::string& id,
                                      const std::optional<std::string>& comment);

engine::db::Result working_files_of_task(engine::db::Connection& c, const std::string& task_id);
/// Of each name, the highest revision.
engine::db::Result last_working_files_of_task(engine::db::Connection& c, const std::string& task_id);
engine::db::Result working_files_of_entity(engine::db::Connection& c, const std::string& entity_id,
                                           const std::optional<std::string>& task_id,
                                           const std::optional<std::string>& name);

/// Zou's assign_task when a working file is created: the person joins the task's assignees,
/// with task:assign and task:update events by that person, in one transaction.
void assign_task_to(engine::db::Connection& c, const std::string& task_id, const std::string& project_id,
                    const std::string& person_id);

// --- output files ---------------------------------------------------------------------------

/// What output revisions are numbered by: the entity's own outputs, or an asset instance's
/// outputs in a temporal entity (shot, scene).
struct OutputKey {
    std::string entity_id;
    std::optional<std::string> asset_instance_id;
    std::optional<std::string> temporal_entity_id;
    std::string output_type_id, task_type_id, name;
};
/// Highest revision (> 0) of that key, plus one (1 when none).
long long next_output_revision(engine::db::Connection& c, const OutputKey& key);

struct NewOutputFile {
    OutputKey key;
    std::string project_id, author_id;
    std::optional<std::string> working_file_id, file_status_id;
    std::string person_id, comment, extension, representation;
    long long nb_elements = 1;
    long long revision = 0; ///< below 1: the next one
};
/// Inserts the row (default file status "To review", created when missing) with its path, and
/// Zou's output-file:new event. Returns the id, or nothing when the same output (key,
/// representation, revision) exists.
std::optional<std::string> create_output_file(engine::db::Connection& c, const NewOutputFile& file,
                                              const PathForRevision& path_for);

engine::db::Result get_output_file(engine::db::Connection& c, const std::string& id);

/// Whether a file status has that id (false for a malformed id).
bool file_status_exists(engine::db::Connection& c, const std::string& file_status_id);

/// Filters of the output file listings; unset or empty leaves a filter out.
struct OutputFilters {
    std::optional<std::string> task_type_id, output_type_id, name, representation, file_status_id;
};
engine::db::Result output_files_of_project(engine::db::Connection& c, const std::string& project_id,
                                           const OutputFilters& filters);
engine::db::Result output_files_of_entity(engine::db::Connection& c, const std::string& entity_id,
                                          const OutputFilters& filters);
engine::db::Result output_files_of_instance(engine::db::Connection& c, const std::string& asset_instance_id,
                                            const std::optional<std::string>& temporal_entity_id,
                                            const OutputFilters& filters);
/// Of each (task type, output type, name, representation[, file status]), the last revision.
engine::db::Result last_output_files_of_entity(engine::db::Connection& c, const std::string& entity_id,
                                               const OutputFilters& filters);
engine::db::Result last_output_files_of_instance(engine::db::Connection& c, const std::string& asset_instance_id,
                                                 const std::optional<std::string>& temporal_entity_id,
                                                 const OutputFilters& filters);
/// Output files of one output type, for the entity itself or for an instance in a temporal
/// entity; `representation` narrows when given.
engine::db::Result output_files_of_type(engine::db::Connection& c, const OutputKey& where,
                                        const std::optional<std::string>& representation);
/// The output types the entity's (or instance's) output files use, by name, once each.
engine::db::Result output_types_of(engine::db::Connection& c, const std::string& entity_id,
                                   const std::optional<std::string>& asset_instance_id,
                                   const std::optional<std::string>& temporal_entity_id);

} // namespace slate::filetree
