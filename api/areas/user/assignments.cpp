// api/areas/user/assignments.cpp: what is assigned to the caller, production by production and
// entity by entity (Zou's AssetTasksResource, ShotTaskTypesResource, ProjectSequencesResource,
// SequenceShotsResource, ...). Zou checks no access here: each answer holds only the caller's
// own assignments, in open productions; an unknown path id is a 404.

#include "api/areas/user/user_areas.h"

#include "engine/db/pool.h"
#include "engine/people/user_assignments.h"

namespace slate::api {
namespace {

namespace user = engine::user;
using user::EntityKind;

Handler entity_tasks(EntityKind kind, std::string param) {
    return [kind, param](Request& request, Services& services) {
        auto connection = services.pool.acquire();
        user::require_entity(*connection, request.param(param), kind);
        return json_reply(200, user::tasks_for_entity(*connection, request.caller().person_id, request.param(param)));
    };
}

Handler entity_task_types(EntityKind kind, std::string param) {
    return [kind, param](Request& request, Services& services) {
        auto connection = services.pool.acquire();
        user::require_entity(*connection, request.param(param), kind);
        return json_reply(200,
                          user::task_types_for_entity(*connection, request.caller().person_id, request.param(param)));
    };
}

Handler sequence_children(EntityKind kind) {
    return [kind](Request& request, Services& services) {
        auto connection = services.pool.acquire();
        const std::string& sequence = request.param("sequence_id");
        user::require_entity(*connection, sequence, EntityKind::sequence);
        return json_reply(200, user::children_of_sequence(*connection, request.caller().person_id, sequence, kind));
    };
}

using ProjectList = std::string (*)(engine::db::Connection&, const std::string&, const std::string&);

Handler project_list(ProjectList answer) {
    return [answer](Request& request, Services& services) {
        auto connection = services.pool.acquire();
        const std::string& project = request.param("project_id");
        user::require_project(*connection, project);
        return json_reply(200, answer(*connection, request.caller().person_id, project));
    };
}

Reply asset_type_assets(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    const std::string& project = request.param("project_id");
    const std::string& asset_type = request.param("asset_type_id");
    user::require_project(*connection, project);
    user::require_asset_type(*connection, asset_type);
    return json_reply(200, user::assets_for_asset_type(*connection, request.caller().person_id, project, asset_type));
}

} // namespace

RouteList user_assignment_routes() {
    return {
        Route{Method::get, "/data/user/assets/{asset_id}/tasks", Access::jwt,
              entity_tasks(EntityKind::asset, "asset_id")},
        Route{Method::get, "/data/user/shots/{shot_id}/tasks", Access::jwt, entity_tasks(EntityKind::shot, "shot_id")},
        Route{Method::get, "/data/user/scenes/{scene_id}/tasks", Access::jwt,
              entity_tasks(EntityKind::scene, "scene_id")},
        Route{Method::get, "/data/user/sequences/{sequence_id}/tasks", Access::jwt,
              entity_tasks(EntityKind::sequence, "sequence_id")},
        Route{Method::get, "/data/user/assets/{asset_id}/task-types", Access::jwt,
              entity_task_types(EntityKind::asset, "asset_id")},
        Route{Method::get, "/data/user/shots/{shot_id}/task-types", Access::jwt,
              entity_task_types(EntityKind::shot, "shot_id")},
        Route{Method::get, "/data/user/scenes/{scene_id}/task-types", Access::jwt,
              entity_task_types(EntityKind::scene, "scene_id")},
        Route{Method::get, "/data/user/sequences/{sequence_id}/task-types", Access::jwt,
              entity_task_types(EntityKind::sequence, "sequence_id")},
        Route{Method::get, "/data/user/sequences/{sequence_id}/shots", Access::jwt,
              sequence_children(EntityKind::shot)},
        Route{Method::get, "/data/user/sequences/{sequence_id}/scenes", Access::jwt,
              sequence_children(EntityKind::scene)},
        Route{Method::get, "/data/user/projects/{project_id}/asset-types", Access::jwt,
              project_list(user::asset_types_for_project)},
        Route{Method::get, "/data/user/projects/{project_id}/sequences", Access::jwt,
              project_list(user::sequences_for_project)},
        Route{Method::get, "/data/user/projects/{project_id}/episodes", Access::jwt,
              project_list(user::episodes_for_project)},
        Route{Method::get, "/data/user/projects/{project_id}/asset-types/{asset_type_id}/assets", Access::jwt,
              asset_type_assets},
    };
}

} // namespace slate::api
