// api/areas/assets/instances.cpp: asset instances of assets, scenes and shots (Zou's
// Asset*AssetInstancesResource, SceneAssetInstancesResource, SceneCameraInstancesResource,
// ShotAssetInstancesResource, RemoveShotAssetInstanceResource).

#include "api/areas/assets/asset_routes.h"
#include "api/areas/projects/project_bodies.h"
#include "api/body_fields.h"

#include "engine/access.h"
#include "engine/db/pool.h"
#include "engine/production/asset_instances.h"
#include "engine/production/assets.h"
#include "engine/uuid.h"

namespace slate::api::assets {
namespace {

namespace production = engine::production;

/// The asset of the path, with project access (these routes check no entity access).
std::string asset_with_access(Request& request, engine::db::Connection& c) {
    const auto asset = production::asset_or_404(c, request.param("asset_id"));
    engine::access::require_project_access(request.caller(), c, asset.project_id);
    return asset.id;
}

/// The shot or scene of the path, with project access and, when `entity_access`, entity access.
std::string typed_with_access(Request& request, engine::db::Connection& c, const std::string& param,
                              const std::string& type_name, bool entity_access) {
    const std::string& id = request.param(param);
    const std::string project = production::project_of_typed_entity(c, id, type_name);
    engine::access::require_project_access(request.caller(), c, project);
    if (entity_access)
        engine::access::require_entity_access(request.caller(), c, project, id);
    return id;
}

/// A required UUID field of the body ("Field required" / "Input should be a valid UUID").
std::string required_uuid(BodyFields& body, const std::string& name) {
    const auto value = body.optional_text(name);
    if (!value)
        body.invalid(name, "Field required");
    else if (!engine::is_uuid(*value))
        body.invalid(name, "Input should be a valid UUID");
    return value.value_or("");
}

Reply asset_asset_instances(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    return json_reply(200, production::asset_instances_for_asset_json(*lease, asset_with_access(request, *lease)));
}

Reply new_asset_asset_instance(Request& request, Services& services) {
    BodyFields body(request);
    const std::string instantiated = required_uuid(body, "asset_to_instantiate_id");
    const auto description = body.optional_text("description");
    body.check();
    auto lease = services.pool.acquire();
    const std::string asset = asset_with_access(request, *lease);
    return json_reply(201, production::add_asset_instance(*lease, request.caller().person_id, instantiated, asset,
                                                          std::nullopt, description));
}

Reply shot_asset_instances_of_asset(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    return json_reply(200, production::shot_asset_instances_for_asset_json(*lease, asset_with_access(request, *lease)));
}

Reply scene_asset_instances_of_asset(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    return json_reply(200,
                      production::scene_asset_instances_for_asset_json(*lease, asset_with_access(request, *lease)));
}

Reply scene_asset_instances(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    const std::string scene = typed_with_access(request, *lease, "scene_id", "Scene", true);
    return json_reply(200, production::scene_asset_instances_json(*lease, scene));
}

Reply new_scene_asset_instance(Request& request, Services& services) {
    BodyFields body(request);
    const std::string asset = required_uuid(body, "asset_id");
    const auto description = body.optional_text("description");
    body.check();
    auto lease = services.pool.acquire();
    const std::string scene = typed_with_access(request, *lease, "scene_id", "Scene", false);
    return json_reply(201, production::add_asset_instance(*lease, request.caller().person_id, asset, std::nullopt,
                                                          scene, description));
}

Reply scene_camera_instances(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    const std::string scene = typed_with_access(request, *lease, "scene_id", "Scene", true);
    return json_reply(200, production::scene_camera_instances_json(*lease, request.caller().person_id, scene));
}

Reply shot_asset_instances(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    const std::string shot = typed_with_access(request, *lease, "shot_id", "Shot", true);
    return json_reply(200, production::shot_asset_instances_json(*lease, shot));
}

Reply add_shot_asset_instance(Request& request, Services& services) {
    BodyFields body(request);
    const std::string instance = required_uuid(body, "asset_instance_id");
    body.check();
    auto lease = services.pool.acquire();
    const std::string shot = typed_with_access(request, *lease, "shot_id", "Shot", false);
    return json_reply(201, production::add_asset_instance_to_shot(*lease, request.caller().person_id, shot, instance));
}

Reply remove_shot_asset_instance(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    const std::string shot = typed_with_access(request, *lease, "shot_id", "Shot", false);
    production::remove_asset_instance_from_shot(*lease, request.caller().person_id, shot,
                                                request.param("asset_instance_id"));
    return projects::no_content();
}

} // namespace

RouteList asset_instance_routes() {
    const std::string asset = "/data/assets/{asset_id}";
    return {
        Route{Method::get, asset + "/asset-asset-instances", Access::jwt, asset_asset_instances},
        Route{Method::post, asset + "/asset-asset-instances", Access::jwt, new_asset_asset_instance},
        Route{Method::get, asset + "/shot-asset-instances", Access::jwt, shot_asset_instances_of_asset},
        Route{Method::get, asset + "/scene-asset-instances", Access::jwt, scene_asset_instances_of_asset},
        Route{Method::get, "/data/scenes/{scene_id}/asset-instances", Access::jwt, scene_asset_instances},
        Route{Method::post, "/data/scenes/{scene_id}/asset-instances", Access::jwt, new_scene_asset_instance},
        Route{Method::get, "/data/scenes/{scene_id}/camera-instances", Access::jwt, scene_camera_instances},
        Route{Method::get, "/data/shots/{shot_id}/asset-instances", Access::jwt, shot_asset_instances},
        Route{Method::post, "/data/shots/{shot_id}/asset-instances", Access::jwt, add_shot_asset_instance},
        Route{Method::del, "/data/shots/{shot_id}/asset-instances/{asset_instance_id}", Access::jwt,
              remove_shot_asset_instance},
    };
}

} // namespace slate::api::assets
