// api/areas/previews.cpp: uploading a picture preview and reading its pictures
// (media.md §2, §3, §6). The media work runs on the worker pool; the request waits for it,
// as Zou finished pictures inside the request.

#include "api/areas/areas.h"
#include "api/file_reply.h"
#include "api/multipart.h"

#include "engine/config.h"
#include "engine/crud/permissions.h"
#include "engine/db/pool.h"
#include "engine/json.h"
#include "engine/queries/jobs.h"
#include "engine/queries/previews.h"
#include "engine/serialize.h"
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

std::string lowercase_extension(const std::string& filename) {
    const auto dot = filename.rfind('.');
    std::string ext = dot == std::string::npos ? "" : filename.substr(dot + 1);
    for (auto& c : ext)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext;
}

bool one_of(const std::string& value, std::initializer_list<const char*> list) {
    for (const char* item : list)
        if (value == item)
            return true;
    return false;
}

engine::db::Result existing_preview(engine::db::Connection& c, const std::string& id) {
    if (!engine::is_uuid(id))
        throw_not_found(not_found_message);
    auto preview = engine::queries::get_preview(c, id);
    if (preview.rows() == 0)
        throw_not_found(not_found_message);
    return preview;
}

void require_project_access(const Request& request, engine::db::Connection& c,
                            const engine::db::Result& preview) {
    engine::crud::require(engine::crud::Rule::project_member, request.caller(), c,
                          engine::crud::RowFacts{preview.optional(0, "project_id"), std::nullopt});
}

std::string preview_json(const engine::db::Result& preview) {
    engine::JsonWriter out;
    out.begin_object();
    engine::write_row_fields(out, preview, 0, {"project_id"});
    out.field("type", "PreviewFile");
    out.end_object();
    return out.take();
}

/// Waits for a job to end (the work runs on the pool, never on this thread).
engine::db::Result wait_for_job(engine::db::Pool& pool, const std::string& job_id) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
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

Reply upload_preview(Request& request, Services& services) {
    const std::string id = request.param("instance_id");
    std::string job_id;
    {
        auto connection = services.pool.acquire();
        const auto preview = existing_preview(*connection, id);
        if (preview.optional(0, "original_name"))
            throw Error(ErrorKind::bad_request,
                        "The browser (or proxy) sent a request that this server could not understand.");
        require_project_access(request, *connection, preview);
        const auto part = uploaded_file(request);
        if (!part)
            throw_bad_request("File not provided.");
        const std::string ext = lowercase_extension(part->filename);
        if (!one_of(ext, {"jpe", "jpeg", "jpg", "png"})) {
            if (one_of(ext, {"avi", "m4v", "mkv", "mov", "mp4", "webm", "wmv"}))
                throw Error(ErrorKind::not_implemented,
                            "Movie previews are not processed by this version of Slate yet.");
            throw Error(ErrorKind::bad_request, "Wrong file format, extension: " + ext,
                        R"({"error":true,"message":"Wrong file format, extension: )" + ext +
                            R"(","data":null})");
        }
        const fs::path tmp = fs::path(services.config.data_dir) / "tmp";
        fs::create_directories(tmp);
        const fs::path source = tmp / (id + "." + ext);
        {
            std::ofstream out(source, std::ios::binary | std::ios::trunc);
            out.write(part->bytes.data(), static_cast<std::streamsize>(part->bytes.size()));
        }
        engine::JsonWriter payload;
        payload.begin_object()
            .field("preview_file_id", id)
            .field("source", fs::absolute(source).string())
            .field("original_name", part->filename)
            .end_object();
        job_id = engine::queries::enqueue_job(*connection, workers::picture_preview_job, payload.take());
    }
    const auto job = wait_for_job(services.pool, job_id);
    auto connection = services.pool.acquire();
    const auto preview = engine::queries::get_preview(*connection, id);
    if (std::string(job.get(0, "state")) == "failed")
        throw Error(ErrorKind::bad_request, job.optional(0, "reason").value_or("The picture is broken."));
    return json_reply(201, preview_json(preview));
}

/// GET /pictures/<kind>/preview-files/<id>.png: a stored PNG of the preview.
Handler serve_picture(const char* prefix) {
    return [prefix](Request& request, Services& services) -> Reply {
        const std::string id = request.param("instance_id");
        {
            auto connection = services.pool.acquire();
            const auto preview = existing_preview(*connection, id);
            require_project_access(request, *connection, preview);
        }
        const auto path = services.files.find(Bucket::pictures, engine::storage::make_key(prefix, id));
        if (!path)
            throw_not_found(not_found_message);
        return file_reply(request, *path, "image/png", "max-age=604800, private");
    };
}

} // namespace

RouteList preview_routes() {
    return {
        {Method::post, "/pictures/preview-files/{instance_id}", Access::jwt, upload_preview},
        {Method::get, "/pictures/thumbnails/preview-files/{instance_id}.png", Access::jwt, serve_picture("thumbnails")},
        {Method::get, "/pictures/thumbnails-square/preview-files/{instance_id}.png", Access::jwt,
         serve_picture("thumbnails-square")},
        {Method::get, "/pictures/previews/preview-files/{instance_id}.png", Access::jwt, serve_picture("previews")},
        {Method::get, "/pictures/originals/preview-files/{instance_id}.png", Access::jwt, serve_picture("original")},
    };
}

} // namespace slate::api
