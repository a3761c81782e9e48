#pragma once
// engine/review/preview_queries.h: preview_file rows as the media pipeline reads and ends them.

#include "engine/db/connection.h"

#include <string>

namespace slate::engine::queries {

/// The preview's columns and "project_id" (of its task), by id.
db::Result get_preview(db::Connection& c, const std::string& preview_id);

/// A picture preview finished: PNG, its size, the uploaded name, status ready.
void mark_picture_ready(db::Connection& c, const std::string& preview_id, const std::string& original_name, int width,
                        int height, int64_t file_size);

/// A movie upload is queued: extension mp4 and the uploaded name (the job sets the rest), with
/// Zou's preview-file:update event, in the caller's transaction.
void record_movie_upload(db::Connection& c, const std::string& preview_id, const std::string& project_id,
                         const std::string& original_name);

/// A file kept as it is (no media processing) is stored: its extension, name, size, status
/// ready, with Zou's preview-file:update event, in the caller's transaction.
void record_file_upload(db::Connection& c, const std::string& preview_id, const std::string& project_id,
                        const std::string& extension, const std::string& original_name, int64_t file_size);

/// The preview's media could not be processed; a non-empty `reason` is kept as data.reason.
void mark_preview_broken(db::Connection& c, const std::string& preview_id, const std::string& reason = "");

/// Keeps a note on the preview's processing (an image sequence's gaps) as data.reason.
void set_preview_reason(db::Connection& c, const std::string& preview_id, const std::string& reason);

} // namespace slate::engine::queries
