#pragma once
// engine/review/playlist_builds.h: a playlist's build jobs (Zou's build_job rows): a movie
// build started and queued for the worker pool, the jobs of a project, one job read or deleted.

#include "engine/fwd.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace slate::engine::services {

/// What a build's job is made of, read under the playlist's lock.
struct PlaylistBuild {
    std::string build_job_id;
    std::string playlist_id;
    std::string resolution;                    ///< the project's ("" when unset)
    std::string fps;                           ///< the project's ("25" when unset)
    std::string email;                         ///< the requester's ("" when unknown)
    bool full = false;                         ///< every movie of each entry's revision, not only the chosen one
    std::vector<std::string> preview_file_ids; ///< the movies, in playlist order
};

/// Zou's build_playlist_job with its job queue on: under the playlist's row lock, a running
/// build_job row and its job, queued as `job_kind` with the payload `job_payload` makes of the
/// build (the worker pool owns the payload's format and the movie sizes), and build-job:new;
/// one transaction. Another build still running is Zou's 409. Answers the row as Zou
/// serialises it.
std::string start_playlist_build(db::Connection& c, const std::string& playlist_id, const std::string& project_id,
                                 const std::string& caller_id, bool full, const std::string& job_kind,
                                 const std::function<std::string(const PlaylistBuild&)>& job_payload);

/// The build jobs of the project's playlists, oldest first, as Zou serialises them.
std::string project_build_jobs_json(db::Connection& c, const std::string& project_id);

/// Whether the build job `build_job_id` (a uuid) belongs to the playlist.
bool build_job_in_playlist(db::Connection& c, const std::string& build_job_id, const std::string& playlist_id);

/// A build_job row as Zou's serialize() writes it.
std::string build_job_json(db::Connection& c, const std::string& build_job_id);

/// A build job's progress.
struct BuildJobState {
    std::string status;
    std::string created_at; ///< as Zou writes datetimes (2024-01-15T10:30:00)
};
std::optional<BuildJobState> find_build_job(db::Connection& c, const std::string& build_job_id);

/// Deletes the build job with its build-job:delete event (one transaction). The movie file is
/// the caller's to remove.
void delete_build_job(db::Connection& c, const std::string& build_job_id, const std::string& playlist_id,
                      const std::string& project_id, const std::string& caller_id);

} // namespace slate::engine::services
