// api/areas/review/playlists.cpp: reading and filling playlists (Zou's playlists blueprint): lists per
// project and episode, a playlist with its preview revisions, an entity's previews, entities
// added, a zip of its previews, a temporary playlist.

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
#include "engine/review/playlist_queries.h"
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

void require_playlist_access(Request& request, Connection& c, const engine::access::Subject& playlist,
                             bool supervisor_access) {
    const std::string role = engine::access::effective_role(request.caller(), c, playlist.project_id);
    const bool allowed = role == "admin" || role == "manager" || (role == "client" && playlist.for_client) ||
                         (supervisor_access && role == "supervisor");
    if (!allowed)
        throw_forbidden();
}

std::string download_stem(Connection& c, const std::string& playlist_id) {
    const auto facts = engine::services::playlist_download_facts(c, playlist_id);
    std::string stem = filetree::slugify(facts.project);
    if (facts.episode)
        stem.append("_").append(filetree::slugify(*facts.episode));
    return stem.append("_").append(filetree::slugify(facts.playlist));
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
            (!engine::is_uuid(*query.episode) || !engine::services::is_episode(c, *query.episode)))
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

/// The route loads the project (its row in playlist_routes).
Reply all_playlists(Request& request, Services& services) {
    // Zou's get_paginated_results: every playlist with its relations; a page of 100 when asked.
    engine::crud::QueryParams query{{"project_id", request.subject().project_id}, {"relations", "true"}};
    if (const auto page = request.query_value("page"); page && *page != "0")
        query.emplace("page", *page);
    return json_reply(200, services.crud.list(*engine::crud::find_descriptor("playlists"), request.caller(), query));
}

/// The route loads the entity and checks entity access (its row in playlist_routes).
Reply entity_previews(Request& request, Services& services) {
    auto connection = services.pool.acquire(); // the request's connection, shared
    return json_reply(200, engine::services::entity_previews_json(*connection, request.subject().id));
}

Reply temporary_playlist(Request& request, Services& services) {
    const std::string project_id = request.param("project_id");
    auto connection = services.pool.acquire();
    auto& c = *connection;
    if (!engine::is_uuid(project_id))
        throw_not_found(not_found_message);
    engine::access::require_project_access(request.caller(), c, project_id);
    BodyFields body(request);
    const std::vector<std::string> task_ids = body.uuid_list("task_ids");
    body.check();
    for (const auto& task_id : task_ids) {
        const auto task = engine::services::find_task_place(c, task_id);
        if (!task)
            throw_not_found(not_found_message);
        engine::access::require_task_access(request.caller(), c, task->project_id, task->entity_id);
    }
    std::string sort = request.query_value("sort").value_or("false");
    for (auto& ch : sort)
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return json_reply(200, engine::services::temporary_playlist_json(c, task_ids, sort == "true"));
}

/// Zou's check_playlist_update_access: a manager of the project, or a supervisor of it who
/// created the playlist (or a playlist without creator).
void require_playlist_update(Request& request, Connection& c, const engine::access::Subject& playlist) {
    if (!engine::crud::may_change_playlist(c, request.caller(), playlist.project_id, playlist.created_by))
        throw_forbidden();
}

std::optional<std::string> id_field(BodyFields& body, const std::string& name, bool required) {
    const auto value = required ? std::optional<std::string>(body.required_text(name)) : body.optional_text(name);
    return value && !value->empty() ? value : std::nullopt;
}

/// The route loads the playlist (its row in playlist_routes).
Reply add_entity(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const auto& playlist = request.subject();
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

/// The route loads the playlist (its row in playlist_routes).
Reply add_entities(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const auto& playlist = request.subject();
    require_playlist_update(request, c, playlist);
    BodyFields body(request);
    const auto list = request.json().getArray("entities");
    if (!list)
        body.invalid("entities", "Field required");
    else if (list->size() == 0) // AddEntitiesToPlaylistSchema: min_length=1
        body.invalid("entities", "List should have at least 1 item after validation, not 0");
    body.check();
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
    return json_reply(200,
                      engine::services::add_entities_to_playlist(c, playlist.id, entries, request.caller().person_id));
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
/// download name, stored (not deflated), streamed from a temporary file. The route loads the
/// playlist and checks the reader rule (its row in playlist_routes).
Reply download_zip(Request& request, Services& services) {
    std::vector<std::pair<std::filesystem::path, std::string>> entries;
    std::string name;
    {
        auto connection = services.pool.acquire();
        auto& c = *connection;
        const auto& playlist = request.subject();
        require_playlist_access(request, c, playlist, true);
        // Each entry's preview, then every preview of its revision (Zou's full=True), in order.
        for (const auto& preview : engine::services::playlist_entry_previews(c, playlist.id, true)) {
            const std::string& id = preview.id;
            const auto path = stored_preview(services, id, preview.extension);
            const auto parts = engine::services::preview_name_parts(c, id);
            if (!path || !parts)
                continue;
            std::string file_name = parts->slugify ? filetree::slugify(parts->base) : parts->base;
            if (parts->position > 1)
                file_name.append("-").append(std::to_string(parts->position));
            file_name.append(".").append(parts->extension);
            entries.emplace_back(*path, file_name);
        }
        name = download_stem(c, playlist.id) + ".zip";
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
    using engine::access::Check;
    using engine::access::SubjectKind;
    RouteList routes;
    auto add = [&routes](Method method, std::string path, Access access, Handler handler) {
        routes.push_back(Route{method, std::move(path), access, std::move(handler)});
    };
    add(Method::get, "/data/projects/{project_id}/playlists", Access::jwt,
        [](Request& r, Services& s) { return list_playlists(r, s, false); });
    add(Method::get, "/data/projects/{project_id}/episodes/{episode_id}/playlists", Access::jwt,
        [](Request& r, Services& s) { return list_playlists(r, s, true); });
    routes.push_back(
        Route{Method::get, "/data/projects/{project_id}/playlists/all", Access::admin, all_playlists}.loads(
            SubjectKind::project, "project_id"));
    add(Method::get, "/data/projects/{project_id}/playlists/{playlist_id}", Access::jwt, get_playlist);
    routes.push_back(
        Route{Method::get, "/data/playlists/entities/{entity_id}/preview-files", Access::jwt, entity_previews}.loads(
            SubjectKind::entity, "entity_id", Check::entity_access));
    routes.push_back(Route{Method::post, "/actions/playlists/{playlist_id}/add-entity", Access::jwt, add_entity}.loads(
        SubjectKind::playlist, "playlist_id"));
    routes.push_back(
        Route{Method::post, "/actions/playlists/{playlist_id}/add-entities", Access::jwt, add_entities}.loads(
            SubjectKind::playlist, "playlist_id"));
    routes.push_back(Route{Method::get, "/data/playlists/{playlist_id}/download/zip", Access::jwt, download_zip}.loads(
        SubjectKind::playlist, "playlist_id", Check::reader));
    add(Method::post, "/data/projects/{project_id}/playlists/temp", Access::jwt, temporary_playlist);
    return routes;
}

} // namespace slate::api
