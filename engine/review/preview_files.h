#pragma once
// engine/review/preview_files.h: preview file rows around the media pipeline (Zou's
// tasks_service/preview_files_service): adding a preview to a comment, what follows a finished
// upload, the main preview of an entity, positions, deletion.

#include "engine/fwd.h"

#include <optional>
#include <string>

namespace slate::engine::storage {
class LocalFileStore;
struct DeletedFiles;
class StagedFiles;
}

namespace slate::engine::services {

/// A preview as Zou serialises it (relations when asked), or "" when there is none.
std::string preview_file_json(db::Connection& c, const std::string& preview_id, bool relations);

/// Adds a preview row (status processing, extension mp4, a 13-character random name) to a
/// comment of the task: revision `revision`, else the comment's preview revision (next
/// position), else the task's last revision + 1. Emits preview-file:new and comment:update.
/// Throws 404 for an unknown comment, 400 for a revision the task already has or a second
/// preview on a single-preview project. Answers the new preview's id (preview_file_json gives
/// Zou's answer, the row with relations).
std::string add_preview_to_comment(db::Connection& c, const std::string& comment_id, const std::string& task_id,
                                   const std::string& person_id, std::optional<long long> revision);

/// Zou's copy_preview_file_in_another_one: the stored files of preview `from` (movie, picture
/// or other file, by its extension) copied to preview `to`, which takes its extension, original
/// name, status, size, width, height and duration; then update_preview_file_info and
/// announce_uploaded_file for `to`. The copies go through `staged`: the caller's rollback
/// removes them.
void copy_preview_file(db::Connection& c, storage::StagedFiles& staged, const std::string& from, const std::string& to);

/// After an upload is stored (picture or movie ready): a first-position preview becomes the
/// task's last preview, and the entity's main one when the project automates it.
void update_preview_file_info(db::Connection& c, const std::string& preview_id);

/// Tells Kitsu a comment's preview received its file: comment:update and preview-file:add-file.
void announce_uploaded_file(db::Connection& c, const std::string& preview_id);

/// Makes the preview its entity's main one (preview-file:set-main, <type>:update); answers the
/// entity row.
std::string set_main_preview(db::Connection& c, const std::string& preview_id);

/// Moves the preview to `position` within its task revision (when 1 ≤ position ≤ count) and
/// answers the revision's previews in their order.
std::string update_position(db::Connection& c, const std::string& preview_id, long long position);

/// Merges annotation changes (JSON lists) into the preview's annotations under a row lock, with
/// Zou's preview-file:annotation-update event; answers the preview.
std::string update_annotations(db::Connection& c, const std::string& preview_id, const std::string& project_id,
                               const std::string& person_id, const std::string& additions_json,
                               const std::string& updates_json, const std::string& deletions_json);

/// Deletes a preview row (unlinked from entity, news and comments); its stored files are added
/// to `deleted`, for the caller to remove once this has committed.
void remove_preview_file(db::Connection& c, const std::string& preview_id, storage::DeletedFiles& deleted);

/// The parts of Zou's preview download name: "<project>_<full entity name>_<task type>_v<rev>"
/// (to be slugified by the caller), or the original name when the organisation keeps them;
/// then "-<position>" when > 1 and ".<extension>".
struct PreviewNameParts {
    std::string base;
    bool slugify = true;
    long long position = 1;
    std::string extension;
};
std::optional<PreviewNameParts> preview_name_parts(db::Connection& c, const std::string& preview_id);

} // namespace slate::engine::services
