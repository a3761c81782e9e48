// engine/review/preview_queries.cpp: the preview_file updates of the media pipeline.
#include "engine/review/preview_queries.h"

#include "engine/crud/queries.h"
#include "engine/json.h"

namespace slate::engine::queries {

db::Result get_preview(db::Connection& c, const std::string& preview_id) {
    return c.exec(R"(SELECT p.*, t.project_id FROM preview_file p
                     LEFT JOIN task t ON t.id = p.task_id WHERE p.id = $1::uuid)",
                  {preview_id});
}

void mark_picture_ready(db::Connection& c, const std::string& preview_id, const std::string& original_name, int width,
                        int height, int64_t file_size) {
    c.exec(R"(UPDATE preview_file SET extension = 'png', original_name = $2, width = $3::int,
                  height = $4::int, file_size = $5::bigint, status = 'ready',
                  updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid)",
           {preview_id, original_name.substr(0, 250), std::to_string(width), std::to_string(height),
            std::to_string(file_size)});
}

namespace {

void emit_preview_update(db::Connection& c, const std::string& id, const std::string& project_id) {
    JsonWriter data;
    data.begin_object().field("preview_file_id", id).field("project_id", project_id).end_object();
    insert_event(c, "preview-file:update", std::nullopt, project_id, data.take());
}

} // namespace

void record_movie_upload(db::Connection& c, const std::string& preview_id, const std::string& project_id,
                         const std::string& original_name) {
    c.exec(R"(UPDATE preview_file SET extension = 'mp4', original_name = $2,
                  updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid)",
           {preview_id, original_name.substr(0, 250)});
    emit_preview_update(c, preview_id, project_id);
}

void record_file_upload(db::Connection& c, const std::string& preview_id, const std::string& project_id,
                        const std::string& extension, const std::string& original_name, int64_t file_size) {
    c.exec(R"(UPDATE preview_file SET extension = $2, original_name = $3, status = 'ready',
                  file_size = $4::bigint, updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid)",
           {preview_id, extension, original_name.substr(0, 250), std::to_string(file_size)});
    emit_preview_update(c, preview_id, project_id);
}

void mark_preview_broken(db::Connection& c, const std::string& preview_id, const std::string& reason) {
    c.exec("UPDATE preview_file SET status = 'broken', updated_at = now() AT TIME ZONE 'utc' "
           "WHERE id = $1::uuid",
           {preview_id});
    if (!reason.empty())
        set_preview_reason(c, preview_id, reason);
}

void set_preview_reason(db::Connection& c, const std::string& preview_id, const std::string& reason) {
    c.exec("UPDATE preview_file SET data = COALESCE(data, '{}'::jsonb) || jsonb_build_object('reason', $2::text) "
           "WHERE id = $1::uuid",
           {preview_id, reason});
}

} // namespace slate::engine::queries
