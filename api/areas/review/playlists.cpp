// api/areas/review/playlists.cpp: reading and filling playlists (Zou's playlists blueprint): lists per
// project and episode, a playlist with its preview revisions, an entity's previews, entities
// added, build jobs.

#include "api/areas/areas.h"
#include "api/areas/review/playlist_access.h"
#include "api/body_fields.h"
#include "api/file_reply.h"
#include "api/job_wait.h"

#include "engine/access.h"
#include "engine/crud/crud_service.h"
#include "engine/crud/permissions.h"
#include "engine/db/pool.h"
#include "engine/json.h"
#include "engine/crud/queries.h"
#include "engine/serialize.h"
#include "engine/storage/file_store.h"
#include "engine/config.h"
#include "engine/people/auth_service.h"
#include "engine/review/playlists.h"
#include "engine/review/preview_files.h"
#include "engine/uuid.h"
#include "filetree/slugify.h"

#include <Poco/Path.h>
#include <Poco/Zip/Compress.h>

#include <filesystem>
#include <fstream>
#include <set>

#include <Poco/JSON/Array.h>

namespace slate::api {

using engine::db::Connection;

std::string reader_role(Request& request, Connection& c, const std::string& project_id) {
    const auto& caller = request.caller();
    if (!engine::is_uuid(project_id))
        throw_not_found(not_found_message);
    engine::access::require_project_access(caller, c, project_id);
    const std::string role = engine::access::effective_role(caller, c, project_id);
    if (role == "vendor")
        throw_forbidden();
    return role;
}

PlaylistFacts playlist_or_404(Connection& c, const std::string& id) {
    if (!engine::is_uuid(id))
        throw_not_found(not_found_message);
    const auto row = c.exec("SELECT id, project_id, created_by, for_client FROM playlist WHERE id = $1::uuid", {id});
    if (row.rows() == 0)
        throw_not_found(not_found_message);
    return {std::string(row.get(0, "id")), std::string(row.get(0, "project_id")), row.optional(0, "created_by"),
            row.optional(0, "for_client") == std::optional<std::string>("t")};
}

void require_playlist_access(Request& request, Connection& c, const PlaylistFacts& playlist, bool supervisor_access) {
    const std::string role = reader_role(request, c, playlist.project_id);
    const bool allowed = role == "admin" || role == "manager" || (role == "client" && playlist.for_client) ||
                         (supervisor_access && role == "supervisor");
    if (!allowed)
        throw_forbidden();
}

/// Zou's context of a download name: the project's slug, and for a TV show the episode's (or
/// "all assets", "main pack").
std::string download_context(Connection& c, const std::string& playlist_id) {
    const auto row = c.exec(R"(SELECT pr.name AS project, pr.production_type, ep.name AS episode, p.is_for_all
        FROM playlist p JOIN project pr ON pr.id = p.project_id LEFT JOIN entity ep ON ep.id = p.episode_id
        WHERE p.id = $1::uuid)",
                            {playlist_id});
    std::string context = filetree::slugify(row.optional(0, "project").value_or(""));
    if (row.optional(0, "production_type") == std::optional<std::string>("tvshow")) {
        const std::string episode = row.optional(0, "episode")
                                        ? *row.optional(0, "episode")
                                        : row.optional(0, "is_for_all") == std::optional<std::string>("t") ? "all assets"
                                                                                                           : "main pack";
        context.append("_").append(filetree::slugify(episode));
    }
    return context;
}

namespace {

long long page_of(const Request& request) {
    try {
        return std::stoll(request.query_value("page").value_or("1"));
    } catch (const std::exception&) {
        return 1;
    }
}

Reply list_playlists(Request& request, Services& services, bool by_episode) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    engine::services::PlaylistQuery query;
    query.project_id = request.param("project_id");
    const std::string role = reader_role(request, c, query.project_id);
    query.for_client_only = role == "client";
    query.page = page_of(request);
    query.sort_by = request.query_value("sort_by").value_or("updated_at");
    query.task_type_id = request.query_value("task_type_id");
    if (by_episode) {
        query.episode = request.param("episode_id");
        if (*query.episode != "main" && *query.episode != "all" &&
            (!engine::is_uuid(*query.episode) ||
             c.exec(R"(SELECT 1 FROM entity e JOIN entity_type t ON t.id = e.entity_type_id
                       WHERE e.id = $1::uuid AND t.name = 'Episode')",
                    {*query.episode}).rows() == 0))
            throw_not_found(not_found_message);
    }
    return json_reply(200, engine::services::playlist_list_json(c, query));
}

Reply get_playlist(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    reader_role(request, c, request.param("project_id"));
    const std::string id = request.param("playlist_id");
    const std::string playlist = engine::is_uuid(id) ? engine::services::playlist_with_previews_json(c, id) : "";
    if (playlist.empty())
        throw_not_found(not_found_message);
    return json_reply(200, playlist);
}

Reply all_playlists(Request& request, Services& services) {
    const std::string project_id = request.param("project_id");
    auto connection = services.pool.acquire();
    auto& c = *connection;
    if (!engine::is_uuid(project_id) || c.exec("SELECT 1 FROM project WHERE id = $1::uuid", {project_id}).rows() == 0)
        throw_not_found(not_found_message);
    // Zou's get_paginated_results: every playlist with its relations; a page of 100 when asked.
    engine::crud::QueryParams query{{"project_id", project_id}};
    if (const auto page = request.query_value("page"); page && *page != "0")
        query.emplace("page", *page);
    return json_reply(200, services.crud.list(*engine::crud::find_descriptor("playlists"), request.caller(), query));
}

Reply entity_previews(Request& request, Services& services) {
    const std::string entity_id = request.param("entity_id");
    auto connection = services.pool.acquire();
    auto& c = *connection;
    if (!engine::is_uuid(entity_id))
        throw_not_found(not_found_message);
    const auto entity = c.exec("SELECT project_id FROM entity WHERE id = $1::uuid", {entity_id});
    if (entity.rows() == 0)
        throw_not_found(not_found_message);
    const std::string project_id(entity.get(0, "project_id"));
    engine::access::require_project_access(request.caller(), c, project_id);
    engine::access::require_entity_access(request.caller(), c, project_id, entity_id);
    return json_reply(200, engine::services::entity_previews_json(c, entity_id));
}

Reply temporary_playlist(Request& request, Services& services) {
    const std::string project_id = request.param("project_id");
    auto connection = services.pool.acquire();
    auto& c = *connection;
    if (!engine::is_uuid(project_id))
        throw_not_found(not_found_message);
    engine::access::require_project_access(request.caller(), c, project_id);
    const auto ids = request.json().getArray("task_ids");
    if (!ids)
        throw Error(ErrorKind::bad_request, "Validation error.",
                    R"({"error":true,"message":"Validation error.","data":{"errors":[{"field":"task_ids","message":"Field required"}]}})");
    std::vector<std::string> task_ids;
    for (const auto& id : *ids) {
        const std::string task_id = id.toString();
        if (!engine::is_uuid(task_id))
            throw Error(ErrorKind::bad_request, "Validation error.",
                        R"({"error":true,"message":"Validation error.","data":{"errors":[{"field":"task_ids","message":"Input should be a valid UUID"}]}})");
        const auto task = c.exec("SELECT project_id, entity_id FROM task WHERE id = $1::uuid", {task_id});
        if (task.rows() == 0)
            throw_not_found(not_found_message);
        engine::access::require_task_access(request.caller(), c, std::string(task.get(0, "project_id")),
                                            std::string(task.get(0, "entity_id")));
        task_ids.push_back(task_id);
    }
    std::string sort = request.query_value("sort").value_or("false");
    for (auto& ch : sort)
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return json_reply(200, engine::services::temporary_playlist_json(c, task_ids, sort == "true"));
}



/// Zou's check_playlist_update_access: a manager of the project, or a supervisor of it who
/// created the playlist (or a playlist without creator).
void require_playlist_update(Request& request, Connection& c, const PlaylistFacts& playlist) {
    const auto& caller = request.caller();
    if (engine::crud::allowed(engine::crud::Rule::project_manager, caller, c,
                              engine::crud::RowFacts{playlist.project_id, std::nullopt}))
        return;
    const auto role = engine::queries::project_role(c, playlist.project_id, caller.person_id);
    if (role == std::optional<std::string>("supervisor") &&
        (!playlist.created_by || *playlist.created_by == caller.person_id))
        return;
    throw_forbidden();
}


std::optional<std::string> id_field(BodyFields& body, const std::string& name, bool required) {
    const auto value = required ? std::optional<std::string>(body.required_text(name)) : body.optional_text(name);
    return value && !value->empty() ? value : std::nullopt;
}

Reply add_entity(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const auto playlist = playlist_or_404(c, request.param("playlist_id"));
    require_playlist_update(request, c, playlist);
    BodyFields body(request);
    const auto entity = id_field(body, "entity_id", true);
    const auto preview = id_field(body, "preview_file_id", false);
    body.check();
    if (!engine::is_uuid(*entity) || (preview && !engine::is_uuid(*preview)))
        throw_bad_request("Invalid id format.");
    return json_reply(200, engine::services::add_entities_to_playlist(c, playlist.id, {{*entity, preview}},
                                                                      request.caller().person_id));
}

Reply add_entities(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const auto playlist = playlist_or_404(c, request.param("playlist_id"));
    require_playlist_update(request, c, playlist);
    const auto list = request.json().getArray("entities");
    if (!list)
        throw Error(ErrorKind::bad_request, "Validation error.",
                    R"({"error":true,"message":"Validation error.","data":{"errors":[{"field":"entities","message":"Field required"}]}})");
    std::vector<engine::services::PlaylistEntry> entries;
    for (unsigned i = 0; i < list->size(); ++i) {
        const auto item = list->getObject(i);
        if (!item || !item->has("entity_id") || !engine::is_uuid(item->get("entity_id").toString()))
            throw_bad_request("Each entity needs a valid entity_id.");
        std::optional<std::string> preview;
        if (item->has("preview_file_id") && !item->isNull("preview_file_id")) {
            preview = item->get("preview_file_id").toString();
            if (!engine::is_uuid(*preview))
                throw_bad_request("Invalid preview_file_id.");
        }
        entries.push_back({item->get("entity_id").toString(), preview});
    }
    return json_reply(200, engine::services::add_entities_to_playlist(c, playlist.id, entries,
                                                                      request.caller().person_id));
}






/// The stored file of a preview (movie, picture original, or other file).
std::optional<std::filesystem::path> stored_preview(const Services& services, const std::string& id,
                                                    const std::string& extension) {
    using engine::storage::Bucket;
    if (extension == "mp4")
        return services.files.find(Bucket::movies, engine::storage::make_key("previews", id));
    if (extension == "png")
        return services.files.find(Bucket::pictures, engine::storage::make_key("original", id));
    return services.files.find(Bucket::files, engine::storage::make_key("previews", id));
}

/// GET /data/playlists/<id>/download/zip: every preview of the entries' revisions under its
/// download name, stored (not deflated), streamed from a temporary file.
Reply download_zip(Request& request, Services& services) {
    std::vector<std::pair<std::filesystem::path, std::string>> entries;
    std::string name;
    {
        auto connection = services.pool.acquire();
        auto& c = *connection;
        const auto playlist = playlist_or_404(c, request.param("playlist_id"));
        require_playlist_access(request, c, playlist, true);
        // Each entry's preview, then every preview of its revision (Zou's full=True), in order.
        const auto previews = c.exec(R"(SELECT p.id, p.extension FROM playlist pl,
                jsonb_array_elements(COALESCE(pl.shots, '[]'::jsonb)) WITH ORDINALITY AS s(shot, n)
            JOIN preview_file chosen ON chosen.id::text = s.shot->>'preview_file_id'
            JOIN preview_file p ON p.task_id = chosen.task_id AND p.revision IS NOT DISTINCT FROM chosen.revision
            WHERE pl.id = $1::uuid ORDER BY s.n, p.position)",
                                     {playlist.id});
        for (int row = 0; row < previews.rows(); ++row) {
            const std::string id(previews.get(row, "id"));
            const auto path = stored_preview(services, id, previews.optional(row, "extension").value_or(""));
            const auto parts = engine::services::preview_name_parts(c, id);
            if (!path || !parts)
                continue;
            std::string file_name = parts->slugify ? filetree::slugify(parts->base) : parts->base;
            if (parts->position > 1)
                file_name.append("-").append(std::to_string(parts->position));
            file_name.append(".").append(parts->extension);
            entries.emplace_back(*path, file_name);
        }
        name = download_context(c, playlist.id);
        name.append("_").append(filetree::slugify(std::string(
            c.exec("SELECT name FROM playlist WHERE id = $1::uuid", {playlist.id}).get(0, 0)))).append(".zip");
    }
    const std::string zip_path = temporary_path(services.config.data_dir, "playlist.zip");
    {
        std::ofstream out(zip_path, std::ios::binary);
        Poco::Zip::Compress compress(out, true);
        std::set<std::string> names;
        for (const auto& [path, file_name] : entries) {
            if (!names.insert(file_name).second)
                continue; // Zou's temporary copies overwrite each other: one file per name
            compress.addFile(Poco::Path(path.string()), Poco::Path(file_name), Poco::Zip::ZipCommon::CM_STORE);
        }
        compress.close();
    }
    return generated_file_reply(request, zip_path, "application/zip", false, name);
}

} // namespace

RouteList playlist_routes() {
    RouteList routes;
    auto add = [&routes](Method method, std::string path, Access access, Handler handler) {
        routes.push_back(Route{method, std::move(path), access, std::move(handler)});
    };
    add(Method::get, "/data/projects/{project_id}/playlists", Access::jwt,
        [](Request& r, Services& s) { return list_playlists(r, s, false); });
    add(Method::get, "/data/projects/{project_id}/episodes/{episode_id}/playlists", Access::jwt,
        [](Request& r, Services& s) { return list_playlists(r, s, true); });
    add(Method::get, "/data/projects/{project_id}/playlists/all", Access::admin, all_playlists);
    add(Method::get, "/data/projects/{project_id}/playlists/{playlist_id}", Access::jwt, get_playlist);
    add(Method::get, "/data/playlists/entities/{entity_id}/preview-files", Access::jwt, entity_previews);
    add(Method::post, "/actions/playlists/{playlist_id}/add-entity", Access::jwt, add_entity);
    add(Method::post, "/actions/playlists/{playlist_id}/add-entities", Access::jwt, add_entities);
    add(Method::get, "/data/playlists/{playlist_id}/download/zip", Access::jwt, download_zip);
    add(Method::post, "/data/projects/{project_id}/playlists/temp", Access::jwt, temporary_playlist);
    return routes;
}

} // namespace slate::api
