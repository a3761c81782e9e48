#pragma once
// workers/media_jobs.h: the job kinds of the media pipeline, for the worker pool.

#include "workers/annotation_jobs.h"
#include "workers/image_sequence.h"
#include "workers/movie_jobs.h"
#include "workers/playlist_jobs.h"
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

/// Job kind of numbered frames uploaded as a movie preview (beyond Zou). Payload:
/// {"preview_file_id", "source", "original_name"}: `source` is a zip or a folder of frames,
/// removed when the job ends.
constexpr const char* sequence_preview_job = "sequence-preview";

/// Job kind of a frame taken from a preview's movie (extract-frame, set-main-preview with a
/// frame). Payload: {"preview_file_id", "frame_number", "output", "replace_variants"}: the
/// PNG is written to `output`; with replace_variants it also becomes the preview's pictures.
constexpr const char* preview_frame_job = "preview-frame";

/// Job kind of a preview's tile sheet made again (extract-tile). Payload:
/// {"preview_file_id", "output"}: written to `output` and stored as tiles-<id>.
constexpr const char* preview_tile_job = "preview-tile";

/// Job kind of a picture fitted on a canvas. Payload: {"source", "output", "width", "height",
/// "hdr", "crop"}: the PNG is written to `output` (with "crop", centre-cropped to the canvas
/// instead of letterboxed on it); the source is left to the caller.
constexpr const char* fitted_picture_job = "fitted-picture";

/// The handlers of every media job kind, storing into `files` (which must outlive the pool,
/// as must the mailer of `playlists`).
JobHandlers media_handlers(const engine::storage::LocalFileStore& files, const MovieSettings& movies,
                           PlaylistBuildSettings playlists = {});

} // namespace slate::workers
