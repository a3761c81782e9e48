#include "engine/review/preview_queries.h"

namespace slate::engine::queries {

db::Result get_preview(db::Connection& c, const std::string& preview_id) {
    return c.exec(R"(SELECT p.*, t.project_id FROM preview_file p
                     LEFT JOIN task t ON t.id = p.task_id WHERE p.id = $1::uuid)",
                  {preview_id});
}

void mark_picture_ready(db::Connection& c, const std::string& preview_id,
                        const std::string& original_name, int width, int height, int64_t file_size) {
    c.exec(R"(UPDATE preview_file SET extension = 'png', original_name = $2, width = $3::int,
                  height = $4::int, file_size = $5::bigint, status = 'ready',
                  updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid)",
           {preview_id, original_name.substr(0, 250), std::to_string(width), std::to_string(height),
            std::to_string(file_size)});
}

void mark_preview_broken(db::Connection& c, const std::string& preview_id) {
    c.exec("UPDATE preview_file SET status = 'broken', updated_at = now() AT TIME ZONE 'utc' "
           "WHERE id = $1::uuid",
           {preview_id});
}

} // namespace slate::engine::queries
