#include "engine/review/playlist_builds.h"

#include "engine/crud/queries.h"
#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/jobs/job_queries.h"
#include "engine/json.h"
#include "engine/review/playlist_queries.h"
#include "engine/serialize.h"

namespace slate::engine::services {

using db::Connection;

std::string start_playlist_build(Connection& c, const std::string& playlist_id, const std::string& project_id,
                                 const std::string& caller_id, bool full, const std::string& job_kind,
                                 const std::function<std::string(const PlaylistBuild&)>& job_payload) {
    db::Transaction transaction(c);
    // The playlist's row lock makes "is a build running?" and the insert one step.
    const auto facts = c.exec(R"(SELECT pr.resolution, pr.fps, pe.email
            FROM playlist p JOIN project pr ON pr.id = p.project_id
            LEFT JOIN person pe ON pe.id = $2::uuid
            WHERE p.id = $1::uuid FOR UPDATE OF p)",
                              {playlist_id, caller_id});
    if (c.exec("SELECT 1 FROM build_job WHERE playlist_id = $1::uuid AND status = 'running'", {playlist_id}).rows() > 0)
        throw Error(ErrorKind::conflict, "A build is already in progress for this playlist",
                    R"({"error": true, "message": "A build is already in progress for this playlist"})");
    PlaylistBuild build;
    build.playlist_id = playlist_id;
    build.full = full;
    // The movies of the entries, in playlist order; with full, every movie of each revision.
    for (auto& preview : playlist_entry_previews(c, playlist_id, full, "mp4"))
        build.preview_file_ids.push_back(std::move(preview.id));
    const auto job = c.exec(R"(INSERT INTO build_job (id, status, job_type, playlist_id, created_at, updated_at)
            VALUES (gen_random_uuid(), 'running', 'movie', $1::uuid, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc')
            RETURNING id, created_at)",
                            {playlist_id});
    build.build_job_id = std::string(job.get(0, "id"));
    build.resolution = facts.optional(0, "resolution").value_or("");
    build.fps = facts.optional(0, "fps").value_or("25");
    build.email = facts.optional(0, "email").value_or("");
    queries::enqueue_job(c, job_kind, job_payload(build));
    JsonWriter event;
    event.begin_object()
        .field("build_job_id", build.build_job_id)
        .field("playlist_id", playlist_id)
        .field("created_at", zou_datetime(std::string(job.get(0, "created_at"))))
        .end_object();
    queries::insert_event(c, "build-job:new", caller_id, project_id, event.take());
    std::string answer = build_job_json(c, build.build_job_id);
    transaction.commit();
    return answer;
}

std::string project_build_jobs_json(Connection& c, const std::string& project_id) {
    const auto jobs = c.exec(R"(SELECT j.* FROM build_job j JOIN playlist p ON p.id = j.playlist_id
                                WHERE p.project_id = $1::uuid ORDER BY j.created_at)",
                             {project_id});
    return rows_json(jobs, "BuildJob");
}

bool build_job_in_playlist(Connection& c, const std::string& build_job_id, const std::string& playlist_id) {
    return c.exec("SELECT 1 FROM build_job WHERE id = $1::uuid AND playlist_id = $2::uuid", {build_job_id, playlist_id})
               .rows() > 0;
}

std::string build_job_json(Connection& c, const std::string& build_job_id) {
    return row_json(c.exec("SELECT * FROM build_job WHERE id = $1::uuid", {build_job_id}), 0, "BuildJob");
}

std::optional<BuildJobState> find_build_job(Connection& c, const std::string& build_job_id) {
    const auto job = c.exec("SELECT status, created_at FROM build_job WHERE id = $1::uuid", {build_job_id});
    if (job.rows() == 0)
        return std::nullopt;
    return BuildJobState{job.optional(0, "status").value_or(""), zou_datetime(std::string(job.get(0, "created_at")))};
}

void delete_build_job(Connection& c, const std::string& build_job_id, const std::string& playlist_id,
                      const std::string& project_id, const std::string& caller_id) {
    db::Transaction transaction(c);
    c.exec("DELETE FROM build_job WHERE id = $1::uuid", {build_job_id});
    JsonWriter data;
    data.begin_object().field("build_job_id", build_job_id).field("playlist_id", playlist_id).end_object();
    queries::insert_event(c, "build-job:delete", caller_id, project_id, data.take());
    transaction.commit();
}

} // namespace slate::engine::services
