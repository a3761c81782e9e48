// api/areas/review/shared.cpp: a playlist seen through its share link, without an account (Zou's
// shared blueprint, read side): the playlist with names a guest cannot look up, and the files of
// the previews the link reaches. Tokens are checked each time: active, not expired, password
// (`?password=`) where Zou asks for it.

#include "api/areas/areas.h"
#include "api/areas/review/preview_files.h"
#include "api/areas/review/shared_links.h"
#include "api/file_reply.h"

#include "engine/auth/password.h"
#include "engine/crud/crud_service.h"
#include "engine/db/pool.h"
#include "engine/review/playlists.h"
#include "engine/storage/file_store.h"
#include "engine/uuid.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

namespace slate::api {
namespace {

using engine::db::Connection;
using engine::storage::Bucket;
using engine::storage::make_key;

} // namespace

ShareLink valid_share_link(Request& request, Connection& c) {
    const auto link = c.exec(R"(SELECT id, playlist_id, password, can_comment,
            (expiration_date IS NOT NULL AND expiration_date < now() AT TIME ZONE 'utc') AS expired, is_active
        FROM playlist_share_link WHERE token = $1)",
                             {request.param("token")});
    if (link.rows() == 0 || link.optional(0, "is_active") != std::optional<std::string>("t") ||
        link.get_bool(0, "expired"))
        throw_not_found(not_found_message);
    const std::string hash = link.optional(0, "password").value_or("");
    if (!hash.empty()) {
        const auto password = request.query_value("password");
        if (!password || password->empty() || !engine::auth::check_password(*password, hash))
            throw_not_found(not_found_message);
    }
    return {std::string(link.get(0, "id")), std::string(link.get(0, "playlist_id")),
            link.optional(0, "can_comment") != std::optional<std::string>("f")};
}

namespace {

std::string valid_link(Request& request, Connection& c) { return valid_share_link(request, c).playlist_id; }

/// Zou's is_preview_file_in_shared_playlist: a preview positioned on an entry of the entity, or
/// another preview of the same task and revision. Answers the preview's extension.
std::string shared_preview(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const std::string playlist = valid_link(request, c);
    const std::string id = request.param("preview_file_id");
    if (!engine::is_uuid(id))
        throw_not_found(not_found_message);
    const auto found = c.exec(R"(SELECT p.extension, EXISTS (
            SELECT 1 FROM playlist pl, jsonb_array_elements(COALESCE(pl.shots, '[]'::jsonb)) s(shot)
            JOIN preview_file positioned ON positioned.id::text = s.shot->>'preview_file_id'
            WHERE pl.id = $2::uuid
              AND COALESCE(s.shot->>'entity_id', s.shot->>'id') = t.entity_id::text
              AND (positioned.id = p.id OR (positioned.task_id = p.task_id
                                            AND positioned.revision IS NOT DISTINCT FROM p.revision))) AS reached
        FROM preview_file p JOIN task t ON t.id = p.task_id WHERE p.id = $1::uuid)",
                              {id, playlist});
    if (found.rows() == 0)
        throw_not_found(not_found_message);
    if (!found.get_bool(0, "reached"))
        throw_forbidden();
    return found.optional(0, "extension").value_or("");
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
    return json_reply(200, engine::crud::serialize_by_id(*connection, "preview-files", request.param("preview_file_id"),
                                                         false));
}

/// The playlist with what a guest cannot look up inlined: project name and fps, each entry's
/// name and parent name, its task type and status colour.
Reply shared_playlist(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const std::string playlist_id = valid_link(request, c);
    Poco::JSON::Parser parser;
    auto playlist = parser.parse(engine::services::playlist_with_previews_json(c, playlist_id))
                        .extract<Poco::JSON::Object::Ptr>();
    const auto project = c.exec("SELECT name, fps FROM project WHERE id = $1::uuid",
                                {playlist->getValue<std::string>("project_id")});
    if (project.rows()) {
        playlist->set("project_name", project.optional(0, "name").value_or(""));
        playlist->set("project_fps", project.optional(0, "fps") ? Poco::Dynamic::Var(*project.optional(0, "fps"))
                                                                : Poco::Dynamic::Var());
    }
    auto shots = playlist->getArray("shots");
    for (unsigned i = 0; shots && i < shots->size(); ++i) {
        auto shot = shots->getObject(i);
        if (!shot || !shot->has("id") || !engine::is_uuid(shot->get("id").toString()))
            continue;
        const auto entity = c.exec(R"(SELECT e.name, t.name AS type_name, parent.name AS parent_name
            FROM entity e JOIN entity_type t ON t.id = e.entity_type_id LEFT JOIN entity parent ON parent.id = e.parent_id
            WHERE e.id = $1::uuid)",
                                   {shot->get("id").toString()});
        if (entity.rows() == 0)
            continue;
        shot->set("name", entity.optional(0, "name").value_or(""));
        const std::string type = entity.optional(0, "type_name").value_or("");
        const bool shot_like = type == "Shot" || type == "Scene" || type == "Sequence" || type == "Edit";
        shot->set("parent_name", shot_like ? entity.optional(0, "parent_name").value_or("") : type);
        if (!shot->has("preview_file_task_id"))
            continue;
        const auto task = c.exec(R"(SELECT tt.id, tt.name, tt.color, tt.for_entity, ts.color AS status_color
            FROM task t JOIN task_type tt ON tt.id = t.task_type_id JOIN task_status ts ON ts.id = t.task_status_id
            WHERE t.id = $1::uuid)",
                                 {shot->get("preview_file_task_id").toString()});
        if (task.rows() == 0)
            continue;
        Poco::JSON::Object::Ptr task_type = new Poco::JSON::Object;
        task_type->set("id", std::string(task.get(0, "id")));
        task_type->set("name", task.optional(0, "name").value_or(""));
        task_type->set("color", task.optional(0, "color").value_or(""));
        task_type->set("for_entity", task.optional(0, "for_entity").value_or(""));
        shot->set("preview_file_task_type", task_type);
        shot->set("preview_file_task_type_name", task.optional(0, "name").value_or(""));
        if (const auto colour = task.optional(0, "status_color"))
            shot->set("task_status_color", *colour);
    }
    std::ostringstream out;
    playlist->stringify(out);
    return json_reply(200, out.str());
}

} // namespace

RouteList shared_routes() {
    const std::string base = "/shared/playlists/{token}";
    const std::string preview = base + "/preview-files/{preview_file_id}";
    RouteList routes;
    routes.push_back(Route{Method::get, base, Access::open, shared_playlist});
    routes.push_back(Route{Method::get, preview, Access::open, shared_preview_file});
    routes.push_back(Route{Method::get, preview + "/download", Access::open, shared_download});
    routes.push_back(Route{Method::get, base + "/movies/originals/preview-files/{preview_file_id}.mp4", Access::open,
                           shared_movie});
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
