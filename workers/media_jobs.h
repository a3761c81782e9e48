#pragma once
// workers/media_jobs.h: the job kinds of the media pipeline, for the worker pool.

#include "workers/movie_jobs.h"
#include "workers/worker_pool.h"

namespace slate::engine::storage {
class LocalFileStore;
}

namespace slate::workers {

/// Job kind of an uploaded picture preview. Payload: {"preview_file_id", "source",
/// "original_name"}; the source file is removed when the job ends.
constexpr const char* picture_preview_job = "picture-preview";

/// Job kind of an uploaded movie preview. Payload: {"preview_file_id", "source",
/// "original_name", "normalize"}; the source file is removed when the job ends.
constexpr const char* movie_preview_job = "movie-preview";

/// The handlers of every media job kind, storing into `files` (which must outlive the pool).
JobHandlers media_handlers(const engine::storage::LocalFileStore& files, const MovieSettings& movies);

} // namespace slate::workers
