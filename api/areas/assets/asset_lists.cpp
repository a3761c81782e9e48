// api/areas/assets/asset_lists.cpp: asset types, the asset lists (all, a production's, of a
// type, with their tasks), and shared assets (Zou's AssetTypesResource, AllAssetsResource,
// AssetsAndTasksResource, ProjectAssetsResource, SetShared*AssetsResource,
// Project*AssetsSharedUsedResource).

#include "api/areas/assets/asset_routes.h"
#include "api/areas/projects/project_bodies.h"
#include "api/body_fields.h"
#include "api/streamed_reply.h"

#include "engine/access.h"
#include "engine/crud/permissions.h"
#include "engine/db/pool.h"
#include "engine/production/asset_instances.h"
#include "engine/production/assets.h"
#include "engine/production/assets_with_tasks.h"
#include "engine/production/production_common.h"
#include "engine/uuid.h"

namespace slate::api::assets {
namespace {

namespace production = engine::production;
using engine::access::Check;
using engine::access::SubjectKind;
using production::Criterions;

/// The query as Zou's get_query_criterions_from_request reads it: one value per key.
Criterions criterions_of(const Request& request) {
    Criterions criterions;
    for (const auto& [key, value] : request.query)
        if (key != "page" && !criterions.count(key))
            criterions.emplace(key, value);
    return criterions;
}

std::optional<std::string> criterion(const Criterions& criterions, const std::string& key) {
    const auto it = criterions.find(key);
    return it == criterions.end() ? std::nullopt : std::optional<std::string>(it->second);
}

/// check_criterion_access: access to the production of ?project_id, or of ?episode_id's.
std::optional<std::string> criterion_project(const Request& request, engine::db::Connection& c,
                                             const Criterions& criterions) {
    std::optional<std::string> project = criterion(criterions, "project_id");
    if (!project) {
        if (const auto episode = criterion(criterions, "episode_id"))
            project = production::project_of_typed_entity(c, *episode, "Episode");
    }
    if (project) {
        if (!engine::is_uuid(*project))
            throw_not_found(not_found_message);
        engine::access::require_project_access(request.caller(), c, *project);
    }
    return project;
}

std::optional<std::string> vendor_scope(const Request& request, engine::db::Connection& c,
                                        const std::optional<std::string>& project) {
    if (is_vendor(request, c, project))
        return request.caller().person_id;
    return std::nullopt;
}

Reply asset_types(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    return json_reply(200, production::asset_types_json(*lease, criterions_of(request)));
}

Reply asset_type(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    return json_reply(200, production::asset_type_json(*lease, request.param("asset_type_id")));
}

/// The route loads the project and checks project access.
Reply project_asset_types(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    return json_reply(200, production::project_asset_types_json(*lease, request.subject().project_id));
}

Reply shot_asset_types(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    const std::string project = production::project_of_typed_entity(*lease, request.param("shot_id"), "Shot");
    engine::access::require_project_access(request.caller(), *lease, project);
    return json_reply(200, production::shot_asset_types_json(*lease, request.param("shot_id")));
}

/// AllAssetsResource: every asset the caller may see, filtered by the query.
Reply all_assets(Request& request, Services& services) {
    const Criterions criterions = criterions_of(request);
    auto lease = services.pool.acquire();
    const auto project = criterion_project(request, *lease, criterions);
    const auto vendor = vendor_scope(request, *lease, project);
    auto assigned_to = vendor;
    if (criterions.count("assigned_to"))
        assigned_to = request.caller().person_id;
    const bool admin = request.caller().role == "admin";
    return json_reply(
        200, production::assets_json(*lease, criterions, assigned_to,
                                     admin ? std::nullopt : std::optional<std::string>(request.caller().person_id),
                                     vendor));
}

/// ProjectAssetsResource and ProjectAssetTypeAssetsResource: the route loads the project and
/// checks project access.
Reply project_assets(Request& request, Services& services) {
    Criterions criterions = criterions_of(request);
    criterions.erase("project_id");
    criterions.emplace("project_id", request.subject().project_id);
    if (request.path_params.count("asset_type_id")) {
        criterions.erase("entity_type_id");
        criterions.emplace("entity_type_id", request.param("asset_type_id"));
    }
    auto lease = services.pool.acquire();
    const auto vendor = vendor_scope(request, *lease, request.subject().project_id);
    auto assigned_to = vendor;
    if (criterions.count("assigned_to"))
        assigned_to = request.caller().person_id;
    return json_reply(200, production::assets_json(*lease, criterions, assigned_to, std::nullopt, vendor));
}

/// AssetsAndTasksResource: the plain array, or with ?compact=true / ?stream=true the compact
/// object or NDJSON; always written as it is read.
Reply assets_with_tasks(Request& request, Services& services) {
    const Criterions criterions = criterions_of(request);
    const bool stream = request.query_value("stream") == std::optional<std::string>("true");
    const bool compact = request.query_value("compact") == std::optional<std::string>("true");
    for (const char* field : {"id", "project_id", "episode_id"}) { // check_criterion_id_format
        const auto value = criterion(criterions, field);
        if (!value || (std::string(field) == "episode_id" && (*value == "all" || *value == "main")))
            continue;
        if (!engine::is_uuid(*value))
            throw_wrong_parameter("Invalid UUID format for " + std::string(field) + ": " + *value);
    }
    auto lease = services.pool.acquire();
    production::AssetsWithTasksQuery query;
    query.id = criterion(criterions, "id");
    query.project_id = criterion(criterions, "project_id");
    query.episode_id = criterion(criterions, "episode_id");
    const auto project = criterion_project(request, *lease, criterions);
    query.assigned_to = query.vendor = vendor_scope(request, *lease, project);
    if (criterions.count("assigned_to"))
        query.assigned_to = request.caller().person_id;
    if (request.caller().role != "admin")
        query.team_of = request.caller().person_id;
    const auto form =
        stream ? (compact ? production::ListingForm::ndjson_compact : production::ListingForm::ndjson_objects)
               : (compact ? production::ListingForm::compact : production::ListingForm::plain);
    const std::string me = request.caller().person_id;
    return streamed_reply(stream ? "application/x-ndjson" : "application/json",
                          [&pool = services.pool, query, me, form](const BodySink& sink) {
                              auto listing_lease = pool.acquire();
                              production::write_assets_with_tasks(*listing_lease, query, me, form, sink);
                          });
}

/// SetSharedAssetsSchema: is_shared (true when absent or null), asset_ids.
struct ShareBody {
    bool is_shared = true;
    std::vector<std::string> asset_ids;
};

ShareBody share_body(Request& request) {
    BodyFields body(request);
    ShareBody share;
    share.is_shared = projects::optional_bool(request, body, "is_shared", true);
    share.asset_ids = body.uuid_list("asset_ids", false);
    body.check();
    return share;
}

Reply share_project_assets(Request& request, Services& services) {
    const ShareBody body = share_body(request);
    auto lease = services.pool.acquire();
    engine::crud::require_manager_project_access(request.caller(), *lease, request.param("project_id"));
    std::optional<std::vector<std::string>> ids;
    if (!body.asset_ids.empty())
        ids = body.asset_ids;
    return json_reply(
        200, production::set_shared_assets(*lease, body.is_shared, request.param("project_id"), std::nullopt, ids));
}

Reply share_asset_type_assets(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    engine::crud::require_manager_project_access(request.caller(), *lease, request.param("project_id"));
    const ShareBody body = share_body(request);
    if (!engine::is_uuid(request.param("asset_type_id")))
        throw_not_found(not_found_message);
    return json_reply(200, production::set_shared_assets(*lease, body.is_shared, request.param("project_id"),
                                                         request.param("asset_type_id"), std::nullopt));
}

Reply share_assets(Request& request, Services& services) {
    const ShareBody body = share_body(request);
    auto lease = services.pool.acquire();
    for (const auto& project : production::projects_of_assets(*lease, body.asset_ids))
        engine::crud::require_manager_project_access(request.caller(), *lease, project);
    return json_reply(
        200, production::set_shared_assets(*lease, body.is_shared, std::nullopt, std::nullopt, body.asset_ids));
}

/// The route loads the project and checks project access.
Reply shared_used(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    std::optional<std::string> episode;
    if (request.path_params.count("episode_id"))
        episode = request.param("episode_id");
    return json_reply(200, production::shared_assets_used_json(*lease, request.subject().project_id, episode));
}

} // namespace

RouteList asset_list_routes() {
    RouteList routes;
    auto add = [&routes](Method method, std::string path, Handler handler) {
        routes.push_back(Route{method, std::move(path), Access::jwt, std::move(handler)});
    };
    auto project_route = [&routes](std::string path, Handler handler) {
        routes.push_back(Route{Method::get, std::move(path), Access::jwt, std::move(handler)}.loads(
            SubjectKind::project, "project_id", Check::project_access));
    };
    add(Method::get, "/data/asset-types", asset_types);
    add(Method::get, "/data/asset-types/{asset_type_id}", asset_type);
    project_route("/data/projects/{project_id}/asset-types", project_asset_types);
    add(Method::get, "/data/shots/{shot_id}/asset-types", shot_asset_types);
    add(Method::get, "/data/assets", all_assets);
    add(Method::get, "/data/assets/all", all_assets);
    add(Method::get, "/data/assets/with-tasks", assets_with_tasks);
    project_route("/data/projects/{project_id}/assets", project_assets);
    project_route("/data/projects/{project_id}/asset-types/{asset_type_id}/assets", project_assets);
    project_route("/data/projects/{project_id}/assets/shared-used", shared_used);
    project_route("/data/projects/{project_id}/episodes/{episode_id}/assets/shared-used", shared_used);
    add(Method::post, "/actions/assets/share", share_assets);
    add(Method::post, "/actions/projects/{project_id}/assets/share", share_project_assets);
    add(Method::post, "/actions/projects/{project_id}/asset-types/{asset_type_id}/assets/share",
        share_asset_type_assets);
    return routes;
}

} // namespace slate::api::assets
