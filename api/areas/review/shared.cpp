// api/areas/review/shared.cpp: a playlist seen through its share link, without an account (Zou's
// shared blueprint, read side): the playlist with names a guest cannot look up, and the files of
// the previews the link reaches. Tokens are checked each time: active, not expired, password
// (`?password=`) where Zou asks for it.

#include "api/areas/areas.h"
#include "api/areas/review/preview_files.h"
#include "api/areas/review/shared_links.h"
#include "api/file_reply.h"

#include "engine/crud/crud_service.h"
#include "engine/db/pool.h"
#include "engine/review/shared_playlist_queries.h"
#include "engine/storage/file_store.h"
#include "engine/uuid.h"

namespace slate::api {

ShareLink valid_share_link(Request& request, engine::db::Connection& c) {
    const auto link = engine::services::valid_shared_link(c, request.param("token"), request.query_value("password"));
    if (!link)
        throw_not_found(not_found_message);
    return *link;
}

namespace {

using engine::db::Connection;
using engine::storage::Bucket;
using engine::storage::make_key;

std::string valid_link(Request& request, Connection& c) {
    return valid_share_link(request, c).playlist_id;
}

/// Zou's is_preview_file_in_shared_playlist: a preview positioned on an entry of the entity, or
/// another preview of the same task and revision. Answers the preview's extension.
std::string shared_preview(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const std::string playlist = valid_link(request, c);
    const std::string id = request.param("preview_file_id");
    if (!engine::is_uuid(id))
        throw_not_found(not_found_message);
    const auto found = engine::services::find_shared_preview(c, playlist, id);
    if (!found)
        throw_not_found(not_found_message);
    if (!found->reached)
        throw_forbidden();
    return found->extension;
}

Reply send(const Request& request, const std::optional<std::filesystem::path>& path, const std::string& type,
           bool attachment, const std::string& name) {
    if (!path)
        throw_not_found(not_found_message);
    Reply reply = file_reply(request, *path, type, "max-age=604800, private");
    reply.headers.emplace_back("Content-Disposition", content_disposition(!attachment, name));
    return reply;
}

Handler shared_picture(const char* prefix) {
    return [prefix](Request& request, Services& services) {
        shared_preview(request, services);
        return send(request, services.files.find(Bucket::pictures, make_key(prefix, request.param("preview_file_id"))),
                    "image/png", false, "");
    };
}

Reply shared_movie(Request& request, Services& services) {
    shared_preview(request, services);
    return send(request, preview_movie_path(services, request.param("preview_file_id"), false), "video/mp4", false, "");
}

Reply shared_original(Request& request, Services& services) {
    shared_preview(request, services);
    std::string extension = request.param("extension");
    for (auto& ch : extension)
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (!allowed_original_extension(extension))
        throw_bad_request("Extension not allowed: " + extension);
    const std::string id = request.param("preview_file_id");
    const auto path = extension == "png" ? services.files.find(Bucket::pictures, make_key("original", id))
                                         : services.files.find(Bucket::files, make_key("previews", id));
    return send(request, path, preview_content_type(extension), false, "");
}

Reply shared_download(Request& request, Services& services) {
    const std::string extension = shared_preview(request, services);
    const std::string id = request.param("preview_file_id");
    std::optional<std::filesystem::path> path;
    std::string type = preview_content_type(extension);
    if (extension == "png")
        path = services.files.find(Bucket::pictures, make_key("original", id));
    else if (extension == "mp4") {
        path = preview_movie_path(services, id, false);
        type = "video/mp4";
    } else
        path = services.files.find(Bucket::files, make_key("previews", id));
    return send(request, path, type, true, preview_download_name(services, id));
}

Reply shared_preview_file(Request& request, Services& services) {
    shared_preview(request, services);
    auto connection = services.pool.acquire();
    return json_reply(
        200, engine::crud::serialize_by_id(*connection, "preview-files", request.param("preview_file_id"), false));
}

/// The playlist with what a guest cannot look up inlined: project name and fps, each entry's
/// name and parent name, its task type and status colour.
Reply shared_playlist(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const std::string playlist_id = valid_link(request, c);
    return json_reply(200, engine::services::shared_playlist_json(c, playlist_id));
}

} // namespace

RouteList shared_routes() {
    const std::string base = "/shared/playlists/{token}";
    const std::string preview = base + "/preview-files/{preview_file_id}";
    RouteList routes;
    routes.push_back(Route{Method::get, base, Access::open, shared_playlist});
    routes.push_back(Route{Method::get, preview, Access::open, shared_preview_file});
    routes.push_back(Route{Method::get, preview + "/download", Access::open, shared_download});
    routes.push_back(
        Route{Method::get, base + "/movies/originals/preview-files/{preview_file_id}.mp4", Access::open, shared_movie});
    routes.push_back(Route{Method::get, base + "/movies/tiles/preview-files/{preview_file_id}.png", Access::open,
                           shared_picture("tiles")});
    routes.push_back(Route{Method::get, base + "/pictures/originals/preview-files/{preview_file_id}.png", Access::open,
                           shared_picture("original")});
    routes.push_back(Route{Method::get, base + "/pictures/originals/preview-files/{preview_file_id}.{extension}",
                           Access::open, shared_original});
    routes.push_back(Route{Method::get, base + "/pictures/thumbnails/preview-files/{preview_file_id}.png", Access::open,
                           shared_picture("thumbnails")});
    return routes;
}

} // namespace slate::api
