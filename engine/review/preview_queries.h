#pragma once
// engine/review/preview_queries.h: preview_file rows as the media pipeline reads and ends them.

#include "engine/db/connection.h"

#include <string>

namespace slate::engine::queries {

/// The preview's columns and "project_id" (of its task), by id.
db::Result get_preview(db::Connection& c, const std::string& preview_id);

/// A picture preview finished: PNG, its size, the uploaded name, status ready.
void mark_picture_ready(db::Connection& c, const std::string& preview_id,
                        const std::string& original_name, int width, int height, int64_t file_size);

/// The preview's media could not be processed.
void mark_preview_broken(db::Connection& c, const std::string& preview_id);

} // namespace slate::engine::queries
