#pragma once
// engine/review/preview_lookups.h: what the preview routes read of a preview or a task before
// acting: the download and upload targets, the annotated preview, a task's last preview, the
// list of previews still processing.

#include "engine/db/connection.h"

#include <optional>
#include <string>

namespace slate::engine::queries {

/// Whether the preview was synced without its binary (`data.imported_only`).
bool preview_imported_only(db::Connection& c, const std::string& preview_id);

/// Whether a preview has that id (a well-formed one).
bool preview_exists(db::Connection& c, const std::string& preview_id);

/// What the download routes read of a preview, once per request.
struct DownloadPreview {
    std::optional<std::string> extension, updated_at;
    std::string project_id, entity_id;
    bool shared_main = false; ///< the main preview of an entity shared with guests
};
/// One prepared statement (thumbnails are read by the hundred); nullopt when malformed or absent.
std::optional<DownloadPreview> find_download_preview(db::Connection& c, const std::string& preview_id);

/// What an upload reads of its preview row: its task and project, and the original name a
/// stored file leaves there.
struct UploadTarget {
    std::string task_id, project_id;
    std::optional<std::string> original_name;
};
/// nullopt when malformed or absent.
std::optional<UploadTarget> find_upload_target(db::Connection& c, const std::string& preview_id);

/// A preview with its annotations (JSON text, "[]" when none) and the frame rates they are
/// timed in: the project's, and the entity's own when it sets one.
struct AnnotatedPreviewRow {
    std::optional<std::string> extension;
    std::string annotations_json;
    bool imported_only = false;
    std::string project_id;
    std::optional<std::string> project_fps, entity_fps;
};
/// nullopt when malformed or absent.
std::optional<AnnotatedPreviewRow> find_annotated_preview(db::Connection& c, const std::string& preview_id);

/// The task's last preview: highest revision, then the earliest created.
std::optional<std::string> last_preview_of_task(db::Connection& c, const std::string& task_id);

/// Previews of open projects still broken, missing or processing, newest first, created
/// before `cursor_preview_id`'s when given, at most `limit` (all when nullopt): every preview
/// column plus project_id, task_type_id, entity_id and full_entity_name.
db::Result running_preview_files(db::Connection& c, const std::optional<std::string>& cursor_preview_id,
                                 const std::optional<std::string>& limit);

} // namespace slate::engine::queries
