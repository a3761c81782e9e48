// api/areas/review/playlist_builds.cpp: a playlist's movie, built by the worker pool (media.md §10,
// Zou's BuildPlaylistMovieResource and the build-job routes): asked for, listed, downloaded,
// deleted.

#include "api/areas/areas.h"
#include "api/areas/review/playlist_access.h"
#include "api/file_reply.h"

#include "engine/access.h"
#include "engine/config.h"
#include "engine/db/pool.h"
#include "engine/json.h"
#include "engine/people/auth_service.h"
#include "engine/review/playlist_builds.h"
#include "engine/storage/deleted_files.h"
#include "engine/storage/file_store.h"
#include "engine/uuid.h"
#include "workers/movie_target.h"
#include "workers/playlist_jobs.h"

#include <cctype>

namespace slate::api {
namespace {

using engine::db::Connection;

/// The worker pool's payload of a playlist build (workers/playlist_jobs.h).
std::string build_payload(const engine::services::PlaylistBuild& build) {
    const workers::MovieSize size = workers::movie_target_size(build.resolution, 0, 0);
    engine::JsonWriter payload;
    payload.begin_object()
        .field("build_job_id", build.build_job_id)
        .field("playlist_id", build.playlist_id)
        .field("width", static_cast<int64_t>(size.width))
        .field("height", static_cast<int64_t>(size.height))
        .field("fps", workers::movie_fps_text(build.fps))
        .field("full", build.full)
        .field("email", build.email)
        .key("preview_file_ids")
        .begin_array();
    for (const auto& id : build.preview_file_ids)
        payload.string(id);
    payload.end_array().end_object();
    return payload.take();
}

/// GET /data/playlists/<id>/build/mp4[?full=true]: a build_job row (running) and its job for
/// the worker pool; answered at once (Zou with its job queue on). One build per playlist at a
/// time: another one still running is a 409. The route loads the playlist and checks the
/// caller manages its project (its row in playlist_build_routes).
Reply build_movie(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    const auto& playlist = request.subject();
    std::string full = request.query_value("full").value_or("false");
    for (auto& ch : full)
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return json_reply(200, engine::services::start_playlist_build(*connection, playlist.id, playlist.project_id,
                                                                  request.caller().person_id, full == "true",
                                                                  workers::playlist_build_job, build_payload));
}

/// The route loads the project (its row in playlist_build_routes).
Reply project_build_jobs(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    return json_reply(200, engine::services::project_build_jobs_json(*connection, request.subject().project_id));
}

/// A build job of the playlist of the path (404 for another playlist's).
std::string build_job_of(Request& request, Connection& c, const engine::access::Subject& playlist) {
    const std::string id = request.param("build_job_id");
    if (!engine::is_uuid(id) || !engine::services::build_job_in_playlist(c, id, playlist.id))
        throw_not_found(not_found_message);
    return id;
}

/// The job routes load the playlist and check the reader rule (their rows in
/// playlist_build_routes); the playlist's own rule follows.
Reply get_build_job(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const auto& playlist = request.subject();
    require_playlist_access(request, c, playlist, false);
    return json_reply(200, engine::services::build_job_json(c, build_job_of(request, c, playlist)));
}

Reply delete_build_job(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const auto& playlist = request.subject();
    require_playlist_access(request, c, playlist, false);
    const std::string id = build_job_of(request, c, playlist);
    engine::storage::DeletedFiles deleted;
    deleted.builds.push_back(id);
    engine::services::delete_build_job(c, id, playlist.id, playlist.project_id, request.caller().person_id);
    engine::storage::remove_deleted_files(services.files, deleted, services.config.remove_files);
    Reply done;
    done.status = 204;
    return done;
}

/// GET /data/playlists/<id>/jobs/<job id>/build/mp4: the built movie, as an attachment named
/// after its build time, the project (and episode) and the playlist.
Reply download_movie(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const auto& playlist = request.subject();
    require_playlist_access(request, c, playlist, true);
    const std::string id = build_job_of(request, c, playlist);
    const auto job = engine::services::find_build_job(c, id);
    if (!job || job->status != "succeeded")
        throw Error(ErrorKind::bad_request, "Build is not finished",
                    R"({"error": true, "message": "Build is not finished"})");
    const auto movie = services.files.find(engine::storage::Bucket::movies, engine::storage::make_key("playlists", id));
    if (!movie)
        throw_not_found(not_found_message);
    // Zou: slugify(created_at, separator="") with its "t" turned into "_": 20240115_103000.
    std::string stamp;
    for (const char ch : job->created_at)
        if (std::isdigit(static_cast<unsigned char>(ch)))
            stamp.push_back(ch);
        else if (ch == 'T')
            stamp.push_back('_');
    const std::string name = stamp + "_" + download_stem(c, playlist.id) + ".mp4";
    Reply reply = file_reply(request, *movie, "video/mp4", "no-cache");
    reply.headers.emplace_back("Content-Disposition", content_disposition(false, name));
    return reply;
}

} // namespace

RouteList playlist_build_routes() {
    using engine::access::Check;
    using engine::access::SubjectKind;
    const std::string job = "/data/playlists/{playlist_id}/jobs/{build_job_id}";
    return {
        Route{Method::get, "/data/playlists/{playlist_id}/build/mp4", Access::jwt, build_movie}.loads(
            SubjectKind::playlist, "playlist_id", Check::manager),
        Route{Method::get, "/data/projects/{project_id}/build-jobs", Access::admin, project_build_jobs}.loads(
            SubjectKind::project, "project_id"),
        Route{Method::get, job, Access::jwt, get_build_job}.loads(SubjectKind::playlist, "playlist_id", Check::reader),
        Route{Method::del, job, Access::jwt, delete_build_job}.loads(SubjectKind::playlist, "playlist_id",
                                                                     Check::reader),
        Route{Method::get, job + "/build/mp4", Access::jwt, download_movie}.loads(SubjectKind::playlist, "playlist_id",
                                                                                  Check::reader),
    };
}

} // namespace slate::api
