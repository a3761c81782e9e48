// api/areas/review/preview_downloads.cpp: reading a preview's stored files (media.md §6): pictures at
// their sizes, movies (full, low definition, source, with their fallbacks), tiles, other files
// by extension, and downloads under Zou's preview download name.

#include "api/areas/areas.h"
#include "api/areas/review/preview_files.h"
#include "api/file_reply.h"

#include "engine/access.h"
#include "engine/config.h"
#include "engine/db/pool.h"
#include "engine/people/auth_service.h"
#include "engine/review/preview_files.h"
#include "engine/review/preview_lookups.h"
#include "engine/storage/file_store.h"
#include "engine/uuid.h"
#include "filetree/slugify.h"
#include "workers/still_images.h"

#include <filesystem>
#include <set>

namespace fs = std::filesystem;

namespace slate::api {
namespace {

using engine::storage::Bucket;
using engine::storage::make_key;

/// What the download routes need of a preview, read once per request.
struct PreviewAccess {
    std::string id, extension, updated_at;
};

enum class Rule {
    task_access,      ///< check_task_access on the preview's task
    shared_or_access, ///< thumbnails: open for the main preview of a shared entity (not vendors)
};

/// One query for the preview row (prepared), then the access check: team roles are cached.
PreviewAccess allowed_preview(const Request& request, Services& services, Rule rule) {
    const std::string id = request.param("instance_id");
    if (!engine::is_uuid(id))
        throw_not_found(not_found_message);
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const auto preview = engine::queries::find_download_preview(c, id);
    if (!preview)
        throw_not_found(not_found_message);
    const auto& caller = request.caller();
    const bool shared = rule == Rule::shared_or_access && preview->shared_main &&
                        engine::access::effective_role(caller, c, preview->project_id) != "vendor";
    if (!shared)
        engine::access::require_task_access(caller, c, preview->project_id, preview->entity_id);
    return {id, preview->extension.value_or(""), preview->updated_at.value_or("")};
}

std::string stored_cache(const Services& services) {
    return "max-age=" + std::to_string(services.config.client_cache_max_age) + ", private";
}

} // namespace

std::string preview_download_name(Services& services, const std::string& id) {
    auto connection = services.pool.acquire();
    const auto parts = engine::services::preview_name_parts(*connection, id);
    if (!parts)
        return "";
    std::string name = parts->slugify ? filetree::slugify(parts->base) : parts->base;
    if (parts->position > 1)
        name.append("-").append(std::to_string(parts->position));
    return name + "." + parts->extension;
}

namespace {

Reply stored(const Request& request, const Services& services, const PreviewAccess& preview,
             const std::optional<fs::path>& path, const std::string& content_type, bool attachment,
             const std::string& name) {
    if (!path)
        throw_not_found(not_found_message);
    Reply reply = file_reply(request, *path, content_type, stored_cache(services), preview.updated_at);
    reply.headers.emplace_back("Content-Disposition", content_disposition(!attachment, name));
    return reply;
}

} // namespace

std::optional<fs::path> preview_movie_path(const Services& services, const std::string& id, bool low) {
    const char* order[] = {low ? "lowdef" : "previews", low ? "previews" : "lowdef", "source"};
    for (const char* prefix : order)
        if (auto path = services.files.find(Bucket::movies, make_key(prefix, id)))
            return path;
    return std::nullopt;
}

PreviewKind preview_kind(const std::string& extension) {
    static const std::set<std::string> pictures = {"jpe", "jpeg", "jpg", "png"};
    static const std::set<std::string> movies = {"avi", "m4v", "mkv", "mov", "mp4", "webm", "wmv"};
    static const std::set<std::string> other_files = {
        "ae",   "ai",  "blend", "clip", "comp",  "diff", "exr", "fbx",  "fla", "flv", "gif", "glb",
        "gltf", "hip", "kra",   "ma",   "mb",    "md",   "mp3", "obj",  "pdf", "psd", "psb", "rar",
        "rev",  "riv", "sai",   "sai2", "sbbkp", "svg",  "swf", "tvpp", "wav", "zip"};
    // Beyond Zou: the VFX stills OpenImageIO reads are pictures too.
    if (pictures.count(extension) || workers::is_still_extension(extension))
        return PreviewKind::picture;
    if (movies.count(extension))
        return PreviewKind::movie;
    return other_files.count(extension) ? PreviewKind::other_file : PreviewKind::refused;
}

bool allowed_original_extension(const std::string& extension) {
    const PreviewKind kind = preview_kind(extension);
    return kind == PreviewKind::picture || kind == PreviewKind::other_file;
}

std::string preview_content_type(const std::string& extension) {
    if (extension == "png")
        return "image/png";
    if (extension == "pdf")
        return "application/pdf";
    return "application/octet-stream";
}

namespace {

Handler picture(const char* prefix, Rule rule) {
    return [prefix, rule](Request& request, Services& services) {
        const auto preview = allowed_preview(request, services, rule);
        return stored(request, services, preview, services.files.find(Bucket::pictures, make_key(prefix, preview.id)),
                      "image/png", false, "");
    };
}

Handler movie(bool low, bool attachment) {
    return [low, attachment](Request& request, Services& services) {
        const auto preview = allowed_preview(request, services, Rule::task_access);
        return stored(request, services, preview, preview_movie_path(services, preview.id, low), "video/mp4",
                      attachment, attachment ? preview_download_name(services, preview.id) : "");
    };
}

Reply source_movie(Request& request, Services& services) {
    const auto preview = allowed_preview(request, services, Rule::task_access);
    return stored(request, services, preview, services.files.find(Bucket::movies, make_key("source", preview.id)),
                  "video/mp4", false, "");
}

Reply original_by_extension(Request& request, Services& services) {
    std::string extension = request.param("extension");
    for (auto& ch : extension)
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    const auto preview = allowed_preview(request, services, Rule::task_access);
    if (!allowed_original_extension(extension))
        throw_bad_request("Extension not allowed: " + extension);
    const auto path = extension == "png" ? services.files.find(Bucket::pictures, make_key("original", preview.id))
                                         : services.files.find(Bucket::files, make_key("previews", preview.id));
    return stored(request, services, preview, path, preview_content_type(extension), false, "");
}

Reply original_download(Request& request, Services& services) {
    const auto preview = allowed_preview(request, services, Rule::task_access);
    std::optional<fs::path> path;
    std::string type = preview_content_type(preview.extension);
    if (preview.extension == "png")
        path = services.files.find(Bucket::pictures, make_key("original", preview.id));
    else if (preview.extension == "mp4") {
        path = preview_movie_path(services, preview.id, false);
        type = "video/mp4";
    } else
        path = services.files.find(Bucket::files, make_key("previews", preview.id));
    return stored(request, services, preview, path, type, true, preview_download_name(services, preview.id));
}

} // namespace

RouteList preview_download_routes() {
    const std::string pictures = "/pictures/";
    const std::string movies = "/movies/";
    return {
        {Method::get, "/pictures/thumbnails/preview-files/{instance_id}.png", Access::jwt,
         picture("thumbnails", Rule::shared_or_access)},
        {Method::get, "/pictures/thumbnails-square/preview-files/{instance_id}.png", Access::jwt,
         picture("thumbnails-square", Rule::shared_or_access)},
        {Method::get, "/pictures/originals/preview-files/{instance_id}.png", Access::jwt,
         picture("original", Rule::shared_or_access)},
        {Method::get, "/pictures/previews/preview-files/{instance_id}.png", Access::jwt,
         picture("previews", Rule::task_access)},
        {Method::get, "/pictures/originals/preview-files/{instance_id}.{extension}", Access::jwt,
         original_by_extension},
        {Method::get, "/pictures/originals/preview-files/{instance_id}/download", Access::jwt, original_download},
        {Method::get, "/movies/originals/preview-files/{instance_id}.mp4", Access::jwt, movie(false, false)},
        {Method::get, "/movies/low/preview-files/{instance_id}.mp4", Access::jwt, movie(true, false)},
        {Method::get, "/movies/source/preview-files/{instance_id}.mp4", Access::jwt, source_movie},
        {Method::get, "/movies/originals/preview-files/{instance_id}/download", Access::jwt, movie(false, true)},
        {Method::get, "/movies/tiles/preview-files/{instance_id}.png", Access::jwt,
         picture("tiles", Rule::task_access)},
    };
}

} // namespace slate::api
