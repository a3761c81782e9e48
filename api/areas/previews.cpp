// api/areas/previews.cpp: uploading a preview's file (media.md §2–§5). Pictures are made on
// the worker pool while the request waits (Zou finished them inside the request, and scripts
// read thumbnails right after); movies are queued and answered `processing`; other files are
// stored as they are.

#include "api/areas/areas.h"
#include "api/multipart.h"

#include "engine/access.h"
#include "engine/config.h"
#include "engine/db/pool.h"
#include "engine/json.h"
#include "engine/queries/crud.h"
#include "engine/queries/jobs.h"
#include "engine/services/auth_service.h"
#include "engine/services/preview_files.h"
#include "engine/storage/file_store.h"
#include "engine/uuid.h"
#include "workers/media_jobs.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

namespace fs = std::filesystem;

namespace slate::api {
namespace {

using engine::storage::Bucket;

const char* const picture_extensions[] = {"jpe", "jpeg", "jpg", "png"};
const char* const movie_extensions[] = {"avi", "m4v", "mkv", "mov", "mp4", "webm", "wmv"};
const char* const file_extensions[] = {"ae", "ai", "blend", "clip", "comp", "diff", "exr", "fbx", "fla", "flv",
                                       "gif", "glb", "gltf", "hip", "kra", "ma", "mb", "md", "mp3", "obj",
                                       "pdf", "psd", "psb", "rar", "rev", "riv", "sai", "sai2", "sbbkp", "svg",
                                       "swf", "tvpp", "wav", "zip"};

template <size_t N> bool listed(const char* const (&list)[N], const std::string& value) {
    for (const char* item : list)
        if (value == item)
            return true;
    return false;
}

/// "shot010_v3.final.MOV" → {"shot010_v3.final", "mov"}.
std::pair<std::string, std::string> split_name(const std::string& filename) {
    const auto dot = filename.rfind('.');
    std::string ext = dot == std::string::npos ? filename : filename.substr(dot + 1);
    for (auto& c : ext)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return {dot == std::string::npos ? "" : filename.substr(0, dot), ext};
}

/// Waits for a job to end (the work runs on the pool, never on this thread).
engine::db::Result wait_for_job(engine::db::Pool& pool, const std::string& job_id) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(30);
    while (true) {
        {
            auto connection = pool.acquire();
            auto state = engine::queries::job_state(*connection, job_id);
            const std::string s(state.get(0, "state"));
            if (s == "done" || s == "failed" || std::chrono::steady_clock::now() > deadline)
                return state;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

fs::path write_temporary(const Services& services, const std::string& name, const std::string& bytes) {
    const fs::path tmp = fs::path(services.config.data_dir) / "tmp";
    fs::create_directories(tmp);
    const fs::path path = tmp / name;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out)
        throw Error(ErrorKind::internal, "The upload could not be written to temporary storage.");
    return path;
}

std::string job_payload(const std::string& id, const fs::path& source, const std::string& original_name,
                        bool normalize) {
    engine::JsonWriter payload;
    payload.begin_object()
        .field("preview_file_id", id)
        .field("source", fs::absolute(source).string())
        .field("original_name", original_name)
        .field("normalize", normalize)
        .end_object();
    return payload.take();
}

void emit_preview_update(engine::db::Connection& c, const std::string& id, const std::string& project_id) {
    engine::JsonWriter data;
    data.begin_object().field("preview_file_id", id).field("project_id", project_id).end_object();
    engine::queries::insert_event(c, "preview-file:update", std::nullopt, project_id, data.take());
}

Reply finished(Services& services, const std::string& id) {
    auto connection = services.pool.acquire();
    engine::services::announce_uploaded_file(*connection, id);
    return json_reply(201, engine::services::preview_file_json(*connection, id, false));
}

Reply upload_preview(Request& request, Services& services) {
    const std::string id = request.param("instance_id");
    std::string project_id;
    {
        auto connection = services.pool.acquire();
        auto& c = *connection;
        if (!engine::is_uuid(id))
            throw_not_found(not_found_message);
        const auto preview = c.exec(R"(SELECT p.original_name, p.task_id, t.project_id FROM preview_file p
                                       JOIN task t ON t.id = p.task_id WHERE p.id = $1::uuid)",
                                    {id});
        if (preview.rows() == 0)
            throw_not_found(not_found_message);
        if (preview.optional(0, "original_name"))
            throw_bad_request("The browser (or proxy) sent a request that this server could not understand.");
        engine::access::require_task_action_access(request.caller(), c, std::string(preview.get(0, "task_id")));
        project_id = std::string(preview.get(0, "project_id"));
    }
    const auto part = uploaded_file(request);
    if (!part)
        throw_bad_request("File not provided.");
    const auto [original_name, ext] = split_name(part->filename);

    if (listed(picture_extensions, ext)) {
        const fs::path source = write_temporary(services, id + "." + ext, part->bytes);
        std::string job_id;
        {
            auto connection = services.pool.acquire();
            job_id = engine::queries::enqueue_job(*connection, workers::picture_preview_job,
                                                  job_payload(id, source, original_name, true));
        }
        const auto job = wait_for_job(services.pool, job_id);
        if (std::string(job.get(0, "state")) == "failed")
            throw_bad_request(job.optional(0, "reason").value_or("The picture could not be read."));
        return finished(services, id);
    }

    if (listed(movie_extensions, ext)) {
        if (part->bytes.empty()) {
            auto connection = services.pool.acquire();
            engine::services::remove_preview_file(*connection, services.files, id, true);
            throw_bad_request("Uploaded movie could not be written to temporary storage or is empty; "
                              "aborting before dispatching normalization.");
        }
        const std::string tail = part->filename.size() >= 4 ? part->filename.substr(part->filename.size() - 4) : "";
        std::string suffix = tail;
        for (auto& c : suffix)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        const fs::path source = write_temporary(services, id + suffix + ".tmp", part->bytes);
        const bool normalize = request.query_value("normalize").value_or("true") == "true";
        std::string job_id;
        {
            auto connection = services.pool.acquire();
            auto& c = *connection;
            engine::db::Transaction transaction(c);
            job_id = engine::queries::enqueue_job(c, workers::movie_preview_job,
                                                  job_payload(id, source, original_name, normalize));
            c.exec(R"(UPDATE preview_file SET extension = 'mp4', original_name = $2,
                          updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid)",
                   {id, original_name.substr(0, 250)});
            emit_preview_update(c, id, project_id);
            transaction.commit();
        }
        // no_job=true keeps Zou's meaning: the answer waits for the finished movie.
        if (request.query_value("no_job") == std::optional<std::string>("true"))
            wait_for_job(services.pool, job_id);
        return finished(services, id);
    }

    if (listed(file_extensions, ext)) {
        services.files.put_bytes(Bucket::files, engine::storage::make_key("previews", id), part->bytes);
        auto connection = services.pool.acquire();
        auto& c = *connection;
        engine::db::Transaction transaction(c);
        c.exec(R"(UPDATE preview_file SET extension = $2, original_name = $3, status = 'ready',
                      file_size = $4::bigint, updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid)",
               {id, ext, original_name.substr(0, 250), std::to_string(part->bytes.size())});
        emit_preview_update(c, id, project_id);
        transaction.commit();
        return finished(services, id);
    }

    {
        auto connection = services.pool.acquire();
        engine::services::remove_preview_file(*connection, services.files, id, services.config.remove_files);
    }
    throw Error(ErrorKind::bad_request, "Wrong file format, extension: " + ext,
                R"({"error":true,"message":"Wrong file format, extension: )" + ext + R"(","data":null})");
}

} // namespace

RouteList preview_routes() {
    return {
        {Method::post, "/pictures/preview-files/{instance_id}", Access::jwt, upload_preview},
    };
}

} // namespace slate::api
