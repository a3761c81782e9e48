// api/areas/assets/asset_one.cpp: one asset: its page, creation, deletion, its tasks and task
// types, what it casts (Zou's AssetResource, NewAssetResource, AssetTasksResource,
// AssetTaskTypesResource, AssetAssetsResource).

#include "api/areas/assets/asset_routes.h"
#include "api/areas/projects/project_bodies.h"
#include "api/body_fields.h"

#include "engine/access.h"
#include "engine/config.h"
#include "engine/crud/permissions.h"
#include "engine/db/pool.h"
#include "engine/json.h"
#include "engine/production/assets.h"
#include "engine/storage/deleted_files.h"
#include "engine/uuid.h"

#include <Poco/JSON/Stringifier.h>

#include <sstream>

namespace slate::api::assets {
namespace {

namespace production = engine::production;

/// The body as a JSON object, or null when it is none (a form).
const Poco::JSON::Object* json_body(Request& request) {
    try {
        return &request.json();
    } catch (const Error&) {
        return nullptr;
    }
}

Reply get_asset(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    const auto asset = readable_asset(request, *lease);
    return json_reply(200, production::full_asset_json(*lease, request.caller().person_id, asset.id));
}

Reply delete_asset(Request& request, Services& services) {
    const bool force = query_flag(request, "force");
    auto lease = services.pool.acquire();
    const auto asset = production::asset_or_404(*lease, request.param("asset_id"));
    // The asset's creator needs only to belong to the production; anyone else must manage it.
    if (asset.created_by == request.caller().person_id)
        engine::access::require_project_access(request.caller(), *lease, asset.project_id);
    else
        engine::crud::require_manager_project_access(request.caller(), *lease, asset.project_id);
    engine::storage::DeletedFiles deleted;
    production::remove_asset(*lease, request.caller().person_id, asset.id, force, deleted);
    engine::storage::remove_deleted_files(services.files, deleted, services.config.remove_files);
    return projects::no_content();
}

/// NewAssetSchema: name (required, not empty), description = "", data = {}, is_shared = false,
/// episode_id (a UUID) = None.
Reply new_asset(Request& request, Services& services) {
    BodyFields body(request);
    production::NewAsset asset;
    asset.name = body.required_text("name");
    if (const Poco::JSON::Object* sent = json_body(request);
        !sent || !sent->has("description") || !sent->isNull("description"))
        asset.description = body.text("description", "");
    else
        asset.description = std::nullopt;
    asset.is_shared = projects::optional_bool(request, body, "is_shared", false);
    if (const auto episode = body.optional_text("episode_id")) {
        if (!engine::is_uuid(*episode))
            body.invalid("episode_id", "Input should be a valid UUID");
        asset.episode_id = *episode;
    }
    const Poco::JSON::Object* object = json_body(request);
    if (object && object->has("data") && !object->isNull("data")) {
        const auto data = object->getObject("data");
        if (!data) {
            body.invalid("data", "Input should be a valid dictionary");
        } else {
            std::ostringstream text;
            Poco::JSON::Stringifier::stringify(data, text);
            asset.data_json = text.str();
        }
    }
    body.check();
    auto lease = services.pool.acquire();
    engine::crud::require_manager_project_access(request.caller(), *lease, request.param("project_id"));
    return json_reply(201, production::create_asset(*lease, request.caller().person_id, request.param("project_id"),
                                                    request.param("asset_type_id"), asset));
}

Reply asset_tasks(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    const auto asset = readable_asset(request, *lease);
    return json_reply(200, production::asset_tasks_json(*lease, asset.id, query_flag(request, "relations")));
}

Reply asset_task_types(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    const auto asset = readable_asset(request, *lease);
    return json_reply(200, production::asset_task_types_json(*lease, asset.id));
}

} // namespace

RouteList asset_routes_one() {
    const std::string asset = "/data/assets/{asset_id}";
    return {
        Route{Method::get, asset, Access::jwt, get_asset},
        Route{Method::del, asset, Access::jwt, delete_asset},
        Route{Method::post, "/data/projects/{project_id}/asset-types/{asset_type_id}/assets/new", Access::jwt,
              new_asset},
        Route{Method::get, asset + "/tasks", Access::jwt, asset_tasks},
        Route{Method::get, asset + "/task-types", Access::jwt, asset_task_types},
    };
}

} // namespace slate::api::assets
