// engine/review/preview_lookups.cpp: the SQL of the preview routes' reads.
#include "engine/review/preview_lookups.h"

#include "engine/db/change_feed.h"

#include "engine/uuid.h"

namespace slate::engine::queries {

bool preview_imported_only(db::Connection& c, const std::string& preview_id) {
    return c.exec("SELECT 1 FROM preview_file WHERE id = $1::uuid AND (data->>'imported_only')::boolean", {preview_id})
               .rows() > 0;
}

bool preview_exists(db::Connection& c, const std::string& preview_id) {
    return c.exec("SELECT 1 FROM preview_file WHERE id = $1::uuid", {preview_id}).rows() > 0;
}

std::optional<DownloadPreview> find_download_preview(db::Connection& c, const std::string& preview_id) {
    if (!is_uuid(preview_id))
        return std::nullopt;
    auto read = [&]() -> std::optional<DownloadPreview> {
        const auto row = c.exec_prepared(R"(SELECT p.extension, p.updated_at::text AS updated_at, t.project_id,
                t.entity_id, (e.is_shared AND e.preview_file_id = p.id) AS shared_main
            FROM preview_file p JOIN task t ON t.id = p.task_id JOIN entity e ON e.id = t.entity_id
            WHERE p.id = $1::uuid)",
                                         {preview_id});
        if (row.rows() == 0)
            return std::nullopt;
        return DownloadPreview{row.optional(0, "extension"), row.optional(0, "updated_at"),
                               std::string(row.get(0, "project_id")), std::string(row.get(0, "entity_id")),
                               row.optional(0, "shared_main") == std::optional<std::string>("t")};
    };
    // The web app loads thumbnails by the hundred per page: their rows are kept while the
    // previews, tasks and entities stand, so a thumbnail costs no query.
    db::ChangeFeed* feed = c.change_feed();
    if (!feed)
        return read();
    using DownloadPreviews = db::VersionedCache<std::optional<DownloadPreview>>;
    return feed->slot<DownloadPreviews>().get(feed, preview_id, {"preview_file", "task", "entity"}, read);
}

std::optional<UploadTarget> find_upload_target(db::Connection& c, const std::string& preview_id) {
    if (!is_uuid(preview_id))
        return std::nullopt;
    const auto row = c.exec(R"(SELECT p.original_name, p.task_id, t.project_id FROM preview_file p
                               JOIN task t ON t.id = p.task_id WHERE p.id = $1::uuid)",
                            {preview_id});
    if (row.rows() == 0)
        return std::nullopt;
    return UploadTarget{std::string(row.get(0, "task_id")), std::string(row.get(0, "project_id")),
                        row.optional(0, "original_name")};
}

std::optional<AnnotatedPreviewRow> find_annotated_preview(db::Connection& c, const std::string& preview_id) {
    if (!is_uuid(preview_id))
        return std::nullopt;
    const auto row = c.exec(R"(SELECT p.extension, COALESCE(p.annotations, '[]'::jsonb)::text AS annotations,
            COALESCE((p.data->>'imported_only')::boolean, false) AS imported_only,
            t.project_id, pr.fps, e.data->>'fps' AS entity_fps
        FROM preview_file p JOIN task t ON t.id = p.task_id JOIN project pr ON pr.id = t.project_id
        JOIN entity e ON e.id = t.entity_id WHERE p.id = $1::uuid)",
                            {preview_id});
    if (row.rows() == 0)
        return std::nullopt;
    AnnotatedPreviewRow preview;
    preview.extension = row.optional(0, "extension");
    preview.annotations_json = std::string(row.get(0, "annotations"));
    preview.imported_only = row.get_bool(0, "imported_only");
    preview.project_id = std::string(row.get(0, "project_id"));
    preview.project_fps = row.optional(0, "fps");
    preview.entity_fps = row.optional(0, "entity_fps");
    return preview;
}

std::optional<std::string> last_preview_of_task(db::Connection& c, const std::string& task_id) {
    const auto row = c.exec(R"(SELECT id FROM preview_file WHERE task_id = $1::uuid
                               ORDER BY revision DESC NULLS LAST, created_at LIMIT 1)",
                            {task_id});
    return row.rows() ? std::optional<std::string>(std::string(row.get(0, "id"))) : std::nullopt;
}

db::Result running_preview_files(db::Connection& c, const std::optional<std::string>& cursor_preview_id,
                                 const std::optional<std::string>& limit) {
    return c.exec(R"(SELECT p.*, t.project_id, t.task_type_id, t.entity_id,
            CASE WHEN et.name = 'Shot' THEN concat_ws(' / ', ep.name, s.name, e.name)
                 WHEN et.name IN ('Sequence') THEN concat_ws(' / ', s.name, e.name)
                 WHEN et.name = 'Episode' THEN e.name
                 ELSE et.name || ' / ' || e.name END AS full_entity_name
        FROM preview_file p JOIN task t ON t.id = p.task_id JOIN project pr ON pr.id = t.project_id
        JOIN project_status ps ON ps.id = pr.project_status_id
        JOIN entity e ON e.id = t.entity_id JOIN entity_type et ON et.id = e.entity_type_id
        LEFT JOIN entity s ON s.id = e.parent_id LEFT JOIN entity ep ON ep.id = s.parent_id
        WHERE ps.name IN ('Active', 'open', 'Open') AND p.status IN ('broken', 'missing', 'processing')
          AND ($1::uuid IS NULL OR p.created_at < (SELECT created_at FROM preview_file WHERE id = $1::uuid))
        ORDER BY p.created_at DESC LIMIT $2::bigint)",
                  {cursor_preview_id, limit});
}

} // namespace slate::engine::queries
