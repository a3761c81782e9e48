// api/areas/pictures.cpp: avatars, project and organisation logos, and preview backgrounds
// (media.md §9.1, §9.3): uploads fitted on their canvas on the worker pool, then served.

#include "api/areas/areas.h"
#include "api/file_reply.h"
#include "api/job_wait.h"
#include "api/multipart.h"

#include "engine/access.h"
#include "engine/config.h"
#include "engine/crud/permissions.h"
#include "engine/db/pool.h"
#include "engine/json.h"
#include "engine/people/auth_service.h"
#include "engine/people/picture_owners.h"
#include "engine/storage/file_store.h"
#include "workers/media_jobs.h"

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace slate::api {
namespace {

using engine::db::Connection;
using engine::storage::Bucket;
using engine::storage::make_key;

using Kind = engine::queries::PictureOwnerKind;
using engine::queries::PictureOwner;

/// The path segment of a kind: pictures/thumbnails/<name>/<id>.png.
const char* name_of(Kind kind) {
    return kind == Kind::person ? "persons" : kind == Kind::project ? "projects" : "organisations";
}

/// The row's id (the organisation's whatever the path says), has_avatar and updated_at; 404
/// when there is none.
PictureOwner owner_or_404(Connection& c, Kind kind, const std::string& id) {
    auto owner = engine::queries::find_picture_owner(c, kind, id);
    if (!owner)
        throw_not_found(not_found_message);
    return std::move(*owner);
}

/// Fits an uploaded picture on its canvas on the worker pool; answers the PNG's path.
std::string fitted(Services& services, const UploadedFile& file, const std::string& id, int width, int height,
                   bool hdr) {
    const std::string source = file.path.string(); // spooled with the request, removed with it
    const std::string output = temporary_path(services.config.data_dir, id + "-fitted.png");
    engine::JsonWriter payload;
    payload.begin_object()
        .field("source", source)
        .field("output", output)
        .field("width", width)
        .field("height", height)
        .field("hdr", hdr)
        .end_object();
    const auto job = run_job(services.pool, workers::fitted_picture_job, payload.take());
    if (std::string(job.get(0, "state")) != "done") {
        std::error_code ignored;
        fs::remove(output, ignored);
        throw_bad_request("The picture cannot be read: " + job.optional(0, "reason").value_or("unknown format"));
    }
    return output;
}

Handler post_thumbnail(Kind kind) {
    return [kind](Request& request, Services& services) {
        const auto& caller = request.caller();
        PictureOwner owner;
        {
            auto connection = services.pool.acquire();
            owner = owner_or_404(*connection, kind, request.param("instance_id"));
            if (kind == Kind::person && caller.role != "admin" && caller.person_id != owner.id)
                throw_forbidden();
            if (kind == Kind::project)
                engine::crud::require_manager_project_access(caller, *connection, owner.id);
            if (kind == Kind::organisation && caller.role != "admin")
                throw_forbidden();
        }
        const auto file = uploaded_file(request);
        if (!file)
            throw_bad_request("File not provided.");
        const std::string png = fitted(services, *file, owner.id, 400, 400, false);
        services.files.put(Bucket::pictures, make_key("thumbnails", owner.id), png);
        std::error_code ignored;
        fs::remove(png, ignored);
        auto connection = services.pool.acquire();
        engine::queries::set_has_thumbnail(*connection, kind, owner.id, caller.person_id);
        engine::JsonWriter answer;
        answer.begin_object()
            .field("thumbnail_path", std::string("pictures/thumbnails/") + name_of(kind) + "/" + owner.id + ".png")
            .end_object();
        return json_reply(201, answer.take());
    };
}

Handler get_thumbnail(Kind kind) {
    return [kind](Request& request, Services& services) {
        PictureOwner owner;
        {
            auto connection = services.pool.acquire();
            owner = owner_or_404(*connection, kind, request.param("instance_id"));
            if (!owner.has_avatar)
                throw_not_found(not_found_message);
            const auto& caller = request.caller();
            if (kind == Kind::project && caller.role != "admin" && caller.role != "manager")
                engine::access::require_project_access(caller, *connection, owner.id);
        }
        const auto path = services.files.find(Bucket::pictures, make_key("thumbnails", owner.id));
        if (!path)
            throw_not_found(not_found_message);
        Reply reply = file_reply(request, *path, "image/png",
                                 "max-age=" + std::to_string(services.config.client_cache_max_age) + ", private",
                                 owner.updated_at);
        reply.headers.emplace_back("Content-Disposition", content_disposition(true, ""));
        return reply;
    };
}

/// DELETE …/clear-avatar: has_avatar off (person:update); the file goes with REMOVE_FILES.
Reply clear_avatar(Services& services, const std::string& person_id, const std::string& caller_id) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    owner_or_404(c, Kind::person, person_id);
    engine::queries::clear_person_avatar(c, person_id, caller_id);
    if (services.config.remove_files)
        services.files.remove(Bucket::pictures, make_key("thumbnails", person_id));
    Reply done;
    done.status = 204;
    return done;
}

engine::queries::PreviewBackground background_or_404(Connection& c, const std::string& id) {
    auto background = engine::queries::find_preview_background(c, id);
    if (!background)
        throw_not_found(not_found_message);
    return std::move(*background);
}

/// An uploaded file's name split at its last dot, the extension lower-cased (a name without
/// a dot is all extension, as Zou splits it).
std::pair<std::string, std::string> name_and_extension(const std::string& filename) {
    const auto dot = filename.rfind('.');
    std::string extension = dot == std::string::npos ? filename : filename.substr(dot + 1);
    for (auto& ch : extension)
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return {dot == std::string::npos ? "" : filename.substr(0, dot), extension};
}

/// Stores a fitted PNG as a preview background's thumbnail (the PNG is removed).
void store_background_thumbnail(Services& services, const std::string& id, const std::string& png) {
    services.files.put(Bucket::pictures, make_key("thumbnails", id), png);
    std::error_code ignored;
    fs::remove(png, ignored);
}

void remove_background(Services& services, const std::string& id) {
    auto connection = services.pool.acquire();
    engine::queries::delete_preview_background(*connection, id);
    services.files.remove(Bucket::pictures, make_key("preview-backgrounds", id));
    services.files.remove(Bucket::pictures, make_key("thumbnails", id));
}

Reply post_background(Request& request, Services& services) {
    const std::string id = request.param("instance_id");
    {
        auto connection = services.pool.acquire();
        background_or_404(*connection, id);
    }
    const auto file = uploaded_file(request);
    if (!file)
        throw_bad_request("File not provided.");
    const auto [original_name, extension] = name_and_extension(file->filename);
    if (extension != "hdr") {
        remove_background(services, id);
        throw_bad_request("Wrong file format, extension: " + extension);
    }
    std::string png;
    try {
        png = fitted(services, *file, id, 300, 200, true);
    } catch (const Error&) {
        remove_background(services, id);
        throw_bad_request("Error while saving preview background file and thumbnail: " + id);
    }
    services.files.move_in(Bucket::pictures, make_key("preview-backgrounds", id), file->path);
    store_background_thumbnail(services, id, png);
    auto connection = services.pool.acquire();
    return json_reply(201, engine::queries::set_preview_background_file(*connection, id, extension, original_name,
                                                                        file->size, request.caller().person_id));
}

Reply get_background(Request& request, Services& services) {
    const std::string id = request.param("instance_id");
    std::string extension = request.param("extension");
    for (auto& ch : extension)
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    std::string name, updated_at;
    {
        auto connection = services.pool.acquire();
        const auto background = background_or_404(*connection, id);
        if (background.extension != extension)
            throw_not_found(not_found_message);
        name = background.original_name + "." + extension;
        updated_at = background.updated_at;
    }
    const auto path = services.files.find(Bucket::pictures, make_key("preview-backgrounds", id));
    if (!path)
        throw_not_found(not_found_message);
    Reply reply =
        file_reply(request, *path, extension == "hdr" ? "image/vnd.radiance" : "application/octet-stream",
                   "max-age=" + std::to_string(services.config.client_cache_max_age) + ", private", updated_at);
    reply.headers.emplace_back("Content-Disposition", content_disposition(true, name));
    return reply;
}

Reply get_background_thumbnail(Request& request, Services& services) {
    const std::string id = request.param("instance_id");
    std::string updated_at;
    {
        auto connection = services.pool.acquire();
        updated_at = background_or_404(*connection, id).updated_at;
    }
    const auto path = services.files.find(Bucket::pictures, make_key("thumbnails", id));
    if (!path)
        throw_not_found(not_found_message);
    Reply reply =
        file_reply(request, *path, "image/png",
                   "max-age=" + std::to_string(services.config.client_cache_max_age) + ", private", updated_at);
    reply.headers.emplace_back("Content-Disposition", content_disposition(true, ""));
    return reply;
}

/// POST /pictures/thumbnails/preview-background-files/<id>.png (admin): a picture of the
/// admin's choosing as the background's thumbnail, fitted on its 300×200 canvas. Zou declares
/// the route and refuses every call (a 500); Slate lets the thumbnail be replaced, e.g. by a
/// frame rendered in the lighting the HDR gives.
Reply post_background_thumbnail(Request& request, Services& services) {
    const std::string id = request.param("instance_id");
    {
        auto connection = services.pool.acquire();
        background_or_404(*connection, id);
    }
    const auto file = uploaded_file(request);
    if (!file)
        throw_bad_request("File not provided.");
    const std::string png = fitted(services, *file, id, 300, 200, name_and_extension(file->filename).second == "hdr");
    store_background_thumbnail(services, id, png);
    auto connection = services.pool.acquire();
    engine::queries::touch_preview_background(*connection, id, request.caller().person_id);
    engine::JsonWriter answer;
    answer.begin_object()
        .field("thumbnail_path", "pictures/thumbnails/preview-background-files/" + id + ".png")
        .end_object();
    return json_reply(201, answer.take());
}

} // namespace

RouteList picture_routes() {
    RouteList routes;
    for (Kind kind : {Kind::person, Kind::project, Kind::organisation}) {
        const std::string base = std::string("/pictures/thumbnails/") + name_of(kind) + "/{instance_id}";
        for (const std::string& path : {base, base + ".png"}) {
            routes.push_back(Route{Method::post, path, Access::jwt, post_thumbnail(kind)});
            routes.push_back(Route{Method::get, path, Access::jwt, get_thumbnail(kind)});
        }
    }
    routes.push_back(
        Route{Method::del, "/actions/persons/{person_id}/clear-avatar", Access::admin,
              [](Request& r, Services& s) { return clear_avatar(s, r.param("person_id"), r.caller().person_id); }});
    routes.push_back(Route{Method::del, "/actions/user/clear-avatar", Access::jwt, [](Request& r, Services& s) {
                               return clear_avatar(s, r.caller().person_id, r.caller().person_id);
                           }});
    routes.push_back(
        Route{Method::post, "/pictures/preview-background-files/{instance_id}", Access::admin, post_background});
    routes.push_back(Route{Method::get, "/pictures/preview-background-files/{instance_id}.{extension}", Access::jwt,
                           get_background});
    routes.push_back(Route{Method::get, "/pictures/thumbnails/preview-background-files/{instance_id}.png", Access::jwt,
                           get_background_thumbnail});
    routes.push_back(Route{Method::post, "/pictures/thumbnails/preview-background-files/{instance_id}.png",
                           Access::admin, post_background_thumbnail});
    return routes;
}

} // namespace slate::api
