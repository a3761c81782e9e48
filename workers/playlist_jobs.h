#pragma once
// workers/playlist_jobs.h: the playlist-build job (media.md §10): the playlist's movies
// joined into one MP4 (playlist_movie.h), stored as movies/playlists-<build job id>, the
// build_job row ended, build-job:update emitted and the requester told by mail.

#include "workers/worker_pool.h"

#include <string>

namespace slate::engine {
class Mailer;
struct Config;
} // namespace slate::engine
namespace slate::engine::storage {
class LocalFileStore;
}

namespace slate::workers {

/// Job kind of a playlist build. Payload: {"build_job_id", "playlist_id", "preview_file_ids"
/// (in playlist order), "width", "height" (0: the first movie's), "fps" (text), "full",
/// "email" (the requester; empty: no mail)}.
constexpr const char* playlist_build_job = "playlist-build";

/// What a build needs besides its payload.
struct PlaylistBuildSettings {
    std::string scratch_dir;          ///< where the movie is made before it is stored
    std::string site_url;             ///< DOMAIN_PROTOCOL://DOMAIN_NAME, for the mail's link
    engine::Mailer* mailer = nullptr; ///< null: no mail
    /// The data folder's tmp/, DOMAIN_PROTOCOL and DOMAIN_NAME, and `mailer`.
    static PlaylistBuildSettings from(const engine::Config& config, engine::Mailer& mailer);
};

JobResult run_playlist_build(const engine::storage::LocalFileStore& files, const PlaylistBuildSettings& settings,
                             const std::string& payload, engine::db::Connection& c);

} // namespace slate::workers
