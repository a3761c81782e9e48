#pragma once
// engine/storage/deleted_files.h: the stored files of the rows a deletion takes away
// (reference/storage.md §5). The deletion gathers them in its transaction; its caller removes
// them once that transaction has committed, never before: a rollback keeps the rows and their
// files alike, and no row ever names a missing file.

#include "engine/storage/file_store.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace slate::engine::storage {

struct DeletedFiles {
    std::vector<std::pair<std::string, std::string>> previews; ///< preview file id, extension ("" without)
    std::vector<std::string> attachments;                      ///< attachment file ids
    std::vector<std::string> builds;                           ///< playlist build job ids
    /// The previews' files go whatever REMOVE_FILES says: a project's or a preview's forced
    /// deletion (Zou's remove_preview_file(force=True)).
    bool previews_forced = false;
};

/// Where a preview file's files are stored, by its extension: png → pictures original,
/// thumbnails, thumbnails-square, previews; mp4 → movies previews, lowdef, source and pictures
/// thumbnails, thumbnails-square, previews, tiles; anything else → files previews.
std::vector<std::pair<Bucket, std::string>> preview_file_keys(std::string_view id, std::string_view extension);

/// Removes the files of `deleted`, once the deletion's outermost transaction has committed: all
/// of them with `remove_files` (REMOVE_FILES), the previews' alone when they are forced, none
/// otherwise. A file that cannot be removed stays (Zou's _remove_quietly).
void remove_deleted_files(const LocalFileStore& store, const DeletedFiles& deleted, bool remove_files) noexcept;

} // namespace slate::engine::storage
