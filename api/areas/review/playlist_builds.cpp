// api/areas/review/playlist_builds.cpp: a playlist's movie, built by the worker pool (media.md §10,
// Zou's BuildPlaylistMovieResource and the build-job routes): asked for, listed, downloaded,
// deleted.

#include "api/areas/areas.h"
#include "api/areas/review/playlist_access.h"
#include "api/file_reply.h"

#include "engine/crud/permissions.h"
#include "engine/db/pool.h"
#include "engine/json.h"
#include "engine/crud/queries.h"
#include "engine/jobs/job_queries.h"
#include "engine/serialize.h"
#include "engine/storage/file_store.h"
#include "engine/config.h"
#include "engine/people/auth_service.h"
#include "engine/uuid.h"
#include "filetree/slugify.h"
#include "workers/movie_target.h"
#include "workers/playlist_jobs.h"

#include <cctype>

namespace slate::api {
namespace {

using engine::db::Connection;

/// A build_job row as Zou's serialize() writes it.
std::string build_job_json(Connection& c, const std::string& id) {
    return engine::row_json(c.exec("SELECT * FROM build_job WHERE id = $1::uuid", {id}), 0, "BuildJob");
}

/// GET /data/playlists/<id>/build/mp4[?full=true]: a build_job row (running) and its job for
/// the worker pool; answered at once (Zou with its job queue on). One build per playlist at a
/// time: another one still running is a 409.
Reply build_movie(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const auto playlist = playlist_or_404(c, request.param("playlist_id"));
    const auto& caller = request.caller();
    engine::crud::require_manager_project_access(caller, c, playlist.project_id);
    std::string full = request.query_value("full").value_or("false");
    for (auto& ch : full)
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));

    engine::db::Transaction transaction(c);
    // The playlist's row lock makes "is a build running?" and the insert one step.
    const auto facts = c.exec(R"(SELECT pr.resolution, pr.fps, pe.email
            FROM playlist p JOIN project pr ON pr.id = p.project_id
            LEFT JOIN person pe ON pe.id = $2::uuid
            WHERE p.id = $1::uuid FOR UPDATE OF p)",
                              {playlist.id, caller.person_id});
    if (c.exec("SELECT 1 FROM build_job WHERE playlist_id = $1::uuid AND status = 'running'", {playlist.id}).rows() > 0)
        throw Error(ErrorKind::conflict, "A build is already in progress for this playlist",
                    R"({"error": true, "message": "A build is already in progress for this playlist"})");
    // The movies of the entries, in playlist order; with full, every movie of each revision.
    const auto previews = c.exec(full == "true" ? R"(SELECT p.id FROM playlist pl,
                jsonb_array_elements(COALESCE(pl.shots, '[]'::jsonb)) WITH ORDINALITY AS s(shot, n)
            JOIN preview_file chosen ON chosen.id::text = s.shot->>'preview_file_id'
            JOIN preview_file p ON p.task_id = chosen.task_id AND p.revision IS NOT DISTINCT FROM chosen.revision
            WHERE pl.id = $1::uuid AND p.extension = 'mp4' ORDER BY s.n, p.position)"
                                                 : R"(SELECT p.id FROM playlist pl,
                jsonb_array_elements(COALESCE(pl.shots, '[]'::jsonb)) WITH ORDINALITY AS s(shot, n)
            JOIN preview_file p ON p.id::text = s.shot->>'preview_file_id'
            WHERE pl.id = $1::uuid AND p.extension = 'mp4' ORDER BY s.n)",
                                 {playlist.id});
    const auto job = c.exec(R"(INSERT INTO build_job (id, status, job_type, playlist_id, created_at, updated_at)
            VALUES (gen_random_uuid(), 'running', 'movie', $1::uuid, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc')
            RETURNING id, created_at)",
                            {playlist.id});
    const std::string job_id(job.get(0, "id"));
    const workers::MovieSize size = workers::movie_target_size(facts.optional(0, "resolution").value_or(""), 0, 0);
    engine::JsonWriter payload;
    payload.begin_object()
        .field("build_job_id", job_id)
        .field("playlist_id", playlist.id)
        .field("width", static_cast<int64_t>(size.width))
        .field("height", static_cast<int64_t>(size.height))
        .field("fps", workers::movie_fps_text(facts.optional(0, "fps").value_or("25")))
        .field("full", full == "true")
        .field("email", facts.optional(0, "email").value_or(""))
        .key("preview_file_ids")
        .begin_array();
    for (int row = 0; row < previews.rows(); ++row)
        payload.string(std::string(previews.get(row, "id")));
    payload.end_array().end_object();
    engine::queries::enqueue_job(c, workers::playlist_build_job, payload.take());
    engine::JsonWriter event;
    event.begin_object()
        .field("build_job_id", job_id)
        .field("playlist_id", playlist.id)
        .field("created_at", engine::zou_datetime(std::string(job.get(0, "created_at"))))
        .end_object();
    engine::queries::insert_event(c, "build-job:new", caller.person_id, playlist.project_id, event.take());
    const std::string answer = build_job_json(c, job_id);
    transaction.commit();
    return json_reply(200, answer);
}

Reply project_build_jobs(Request& request, Services& services) {
    const std::string project_id = request.param("project_id");
    auto connection = services.pool.acquire();
    auto& c = *connection;
    if (!engine::is_uuid(project_id) || c.exec("SELECT 1 FROM project WHERE id = $1::uuid", {project_id}).rows() == 0)
        throw_not_found(not_found_message);
    const auto jobs = c.exec(R"(SELECT j.* FROM build_job j JOIN playlist p ON p.id = j.playlist_id
                                WHERE p.project_id = $1::uuid ORDER BY j.created_at)",
                             {project_id});
    return json_reply(200, engine::rows_json(jobs, "BuildJob"));
}

/// A build job of the playlist of the path (404 for another playlist's).
std::string build_job_of(Request& request, Connection& c, const PlaylistFacts& playlist) {
    const std::string id = request.param("build_job_id");
    if (!engine::is_uuid(id) ||
        c.exec("SELECT 1 FROM build_job WHERE id = $1::uuid AND playlist_id = $2::uuid", {id, playlist.id}).rows() == 0)
        throw_not_found(not_found_message);
    return id;
}

Reply get_build_job(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const auto playlist = playlist_or_404(c, request.param("playlist_id"));
    require_playlist_access(request, c, playlist, false);
    return json_reply(200, build_job_json(c, build_job_of(request, c, playlist)));
}

Reply delete_build_job(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const auto playlist = playlist_or_404(c, request.param("playlist_id"));
    require_playlist_access(request, c, playlist, false);
    const std::string id = build_job_of(request, c, playlist);
    engine::db::Transaction transaction(c);
    c.exec("DELETE FROM build_job WHERE id = $1::uuid", {id});
    engine::JsonWriter data;
    data.begin_object().field("build_job_id", id).field("playlist_id", playlist.id).end_object();
    engine::queries::insert_event(c, "build-job:delete", request.caller().person_id, playlist.project_id, data.take());
    transaction.commit();
    if (services.config.remove_files)
        services.files.remove(engine::storage::Bucket::movies, engine::storage::make_key("playlists", id));
    Reply done;
    done.status = 204;
    return done;
}

/// GET /data/playlists/<id>/jobs/<job id>/build/mp4: the built movie, as an attachment named
/// after its build time, the project (and episode) and the playlist.
Reply download_movie(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const auto playlist = playlist_or_404(c, request.param("playlist_id"));
    require_playlist_access(request, c, playlist, true);
    const std::string id = build_job_of(request, c, playlist);
    const auto job = c.exec("SELECT status, created_at FROM build_job WHERE id = $1::uuid", {id});
    if (job.optional(0, "status") != std::optional<std::string>("succeeded"))
        throw Error(ErrorKind::bad_request, "Build is not finished",
                    R"({"error": true, "message": "Build is not finished"})");
    const auto movie = services.files.find(engine::storage::Bucket::movies, engine::storage::make_key("playlists", id));
    if (!movie)
        throw_not_found(not_found_message);
    // Zou: slugify(created_at, separator="") with its "t" turned into "_": 20240115_103000.
    std::string stamp;
    for (const char ch : engine::zou_datetime(std::string(job.get(0, "created_at"))))
        if (std::isdigit(static_cast<unsigned char>(ch)))
            stamp.push_back(ch);
        else if (ch == 'T')
            stamp.push_back('_');
    const std::string name = stamp + "_" + download_context(c, playlist.id) + "_" +
                             filetree::slugify(std::string(c.exec("SELECT name FROM playlist WHERE id = $1::uuid",
                                                                  {playlist.id}).get(0, 0))) + ".mp4";
    Reply reply = file_reply(request, *movie, "video/mp4", "no-cache");
    reply.headers.emplace_back("Content-Disposition", content_disposition(false, name));
    return reply;
}

} // namespace

RouteList playlist_build_routes() {
    RouteList routes;
    auto add = [&routes](Method method, std::string path, Access access, Handler handler) {
        routes.push_back(Route{method, std::move(path), access, std::move(handler)});
    };
    add(Method::get, "/data/playlists/{playlist_id}/build/mp4", Access::jwt, build_movie);
    add(Method::get, "/data/projects/{project_id}/build-jobs", Access::admin, project_build_jobs);
    add(Method::get, "/data/playlists/{playlist_id}/jobs/{build_job_id}", Access::jwt, get_build_job);
    add(Method::del, "/data/playlists/{playlist_id}/jobs/{build_job_id}", Access::jwt, delete_build_job);
    add(Method::get, "/data/playlists/{playlist_id}/jobs/{build_job_id}/build/mp4", Access::jwt, download_movie);
    return routes;
}

} // namespace slate::api
