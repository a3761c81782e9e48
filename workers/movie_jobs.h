#pragma once
// workers/movie_jobs.h: the movie-preview job (media.md §4.3, Zou's prepare_and_store_movie):
// keep the source when asked, probe it, normalise it to the project's HD and LD encodes,
// record size and duration, make the first-frame thumbnails and the tile sheet, and mark the
// preview ready — or broken with the reason.

#include "workers/movie_outputs.h"
#include "workers/movie_target.h"
#include "workers/worker_pool.h"

#include <filesystem>
#include <optional>

namespace slate::engine {
struct Config;
}
namespace slate::engine::storage {
class LocalFileStore;
}

namespace slate::workers {

/// The settings a movie job follows (Zou's variables).
struct MovieSettings {
    bool save_source_file = false;   ///< PREVIEW_SAVE_SOURCE_FILE
    bool skip_normalization = false; ///< SKIP_NORMALIZATION_FULL
    bool skip_highdef = false;       ///< SKIP_NORMALIZATION_HIGHDEF
    static MovieSettings from(const engine::Config& config);
};

/// Runs one movie-preview job (payload: see movie_preview_job in media_jobs.h).
JobResult run_movie_preview(const engine::storage::LocalFileStore& files, const MovieSettings& settings,
                            const std::string& payload, engine::db::Connection& c);

/// The movie work of run_movie_preview on a movie already on disk: `source` and a work folder
/// beside it are removed at the end.
JobResult process_movie_preview(const engine::storage::LocalFileStore& files, const MovieSettings& settings,
                                const std::string& preview_id, const std::filesystem::path& source, bool normalize,
                                engine::db::Connection& c);

/// What a movie preview is made into: its project's (or entity's) size and rate, the
/// settings, and the work folder its files are written to before they are stored.
struct MoviePreviewPlan {
    std::string project_id;
    std::string resolution; ///< the entity's full WxH, else the project's
    FrameRate fps{25, 1};
    bool normalize = true, highdef = true;
    std::filesystem::path work;
    /// The outputs of a source of width × height (0 × 0: unknown); throws std::runtime_error
    /// when the size gives no movie.
    MovieOutputsRequest request(int width, int height) const;
};

/// The plan of a preview's movie work; nothing when the preview is gone.
std::optional<MoviePreviewPlan> movie_preview_plan(engine::db::Connection& c, const MovieSettings& settings,
                                                   const std::string& preview_id, const std::filesystem::path& work,
                                                   bool normalize);

/// Records the uploaded source's size, duration and bytes in the preview's data.
void record_movie_original(engine::db::Connection& c, const std::string& preview_id, int width, int height,
                           double duration, int64_t file_size);

/// Stores what `made` holds (made for `request`) (the movies, the thumbnail's four variants, the tile sheet) and
/// marks the preview ready with the movie's size and duration; or broken with its reason.
/// `kept_as_sent`: the source stored as the preview's movie when it was not normalised.
JobResult store_movie_outputs(const engine::storage::LocalFileStore& files, engine::db::Connection& c,
                              const std::string& preview_id, const MoviePreviewPlan& plan,
                              const MovieOutputsRequest& request, const MovieOutputs& made,
                              const std::filesystem::path& kept_as_sent);

/// The frame rate a preview's movie is made at (the entity's, else the project's, 25 by
/// default); nothing when the preview is gone.
std::optional<FrameRate> preview_frame_rate(engine::db::Connection& c, const std::string& preview_id);

/// Marks a movie preview broken with its reason (and its event) and answers the failure.
JobResult mark_movie_broken(engine::db::Connection& c, const std::string& preview_id, const std::string& reason);

/// Runs one preview-frame job.
JobResult run_preview_frame(const engine::storage::LocalFileStore& files, const std::string& payload,
                            engine::db::Connection& c);

/// Runs one preview-tile job.
JobResult run_preview_tile(const engine::storage::LocalFileStore& files, const std::string& payload,
                           engine::db::Connection& c);

} // namespace slate::workers
