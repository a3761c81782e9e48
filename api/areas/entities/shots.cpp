// api/areas/entities/shots.cpp: shots and scenes (Zou's shots blueprint): listings, one shot
// or scene, creation per production, update, deletion, and what a shot's page reads.

#include "api/areas/entities/entity_common.h"
#include "api/areas/projects/project_bodies.h"
#include "api/body_fields.h"

#include "engine/access.h"
#include "engine/config.h"
#include "engine/crud/crud_service.h"
#include "engine/db/pool.h"
#include "engine/entities/entity_reads.h"
#include "engine/error.h"
#include "engine/production/production_common.h"
#include "engine/review/playlists.h"
#include "engine/storage/deleted_files.h"
#include "engine/uuid.h"

namespace slate::api::entity_area {
namespace {

namespace ent = engine::entities;
using engine::access::Check;
using engine::access::SubjectKind;

/// GET /data/shots, /data/shots/all: a sequence_id criterion becomes its project and parent.
Reply all_shots(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    auto found = criteria(request);
    if (auto sequence_id = found.find("sequence_id"); sequence_id != found.end()) {
        const auto sequence = ent::load(*lease, Kind::sequence, sequence_id->second);
        found.erase(sequence_id);
        found.erase("project_id");
        found.erase("parent_id");
        found.emplace("project_id", sequence.project_id);
        found.emplace("parent_id", sequence.id);
    }
    const auto project_id = criteria_project(found);
    require_criteria_access(request, *lease, project_id);
    const bool vendor = role_on(request, *lease, project_id) == "vendor";
    return json_reply(200, ent::criteria_json(*lease, request.caller(), Kind::shot, found,
                                              vendor ? std::optional(request.caller().person_id) : std::nullopt));
}

Reply get_shot(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    const auto shot = readable(request, *lease, Kind::shot, "shot_id");
    return json_reply(200, ent::full_entity_json(*lease, Kind::shot, shot.id, request.caller().person_id));
}

Reply update_shot(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    const auto shot = ent::load(*lease, Kind::shot, request.param("shot_id"));
    engine::access::check_subject(request.caller(), *lease,
                                  engine::access::load_subject(*lease, SubjectKind::project, shot.project_id),
                                  Check::manager);
    if (request.body.empty())
        engine::crud::refuse_empty_data();
    return json_reply(200, ent::update_shot(*lease, request.caller().person_id, shot.id, request.json()));
}

Reply delete_of(Request& request, Services& services, Kind kind, const std::string& param) {
    const bool force = force_of(request);
    auto lease = services.pool.acquire();
    const auto entity = ent::load(*lease, kind, request.param(param));
    require_deleter(request, *lease, entity);
    engine::storage::DeletedFiles deleted;
    ent::remove_entity(*lease, request.caller().person_id, kind, entity.id, force, deleted);
    engine::storage::remove_deleted_files(services.files, deleted, services.config.remove_files);
    return projects::no_content();
}

Reply shot_casting(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    return json_reply(200, ent::casting_json(*lease, readable(request, *lease, Kind::shot, "shot_id").id));
}

Reply previews_of(Request& request, Services& services, Kind kind, const std::string& param) {
    auto lease = services.pool.acquire();
    const auto entity = readable(request, *lease, kind, param);
    if (kind == Kind::concept_art && role_on(request, *lease, entity.project_id) == "client")
        throw_forbidden();
    return json_reply(200, engine::services::entity_previews_json(*lease, entity.id));
}

Reply shot_task_types(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    const auto shot = readable(request, *lease, Kind::shot, "shot_id");
    return json_reply(200, ent::entity_task_types_json(*lease, ent::TaskScope::entity, shot.id));
}

Reply shot_tasks(Request& request, Services& services) {
    const bool relations = flag_of(request, "relations");
    auto lease = services.pool.acquire();
    const auto shot = readable(request, *lease, Kind::shot, "shot_id");
    return json_reply(200, ent::entity_tasks_json(*lease, ent::TaskScope::entity, shot.id, relations));
}

Reply shot_versions(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    const auto shot = readable(request, *lease, Kind::shot, "shot_id");
    return json_reply(200, ent::entity_versions_json(*lease, shot.id, "ShotVersion"));
}

/// GET /data/projects/<id>/<kind>s: the route loaded the project and checked access.
Reply project_list(Request& request, Services& services, Kind kind) {
    auto lease = services.pool.acquire();
    const std::string& project_id = request.subject().id;
    const std::string role = role_on(request, *lease, project_id);
    if (kind == Kind::concept_art && (role == "vendor" || role == "client"))
        throw_forbidden();
    const std::string me = request.caller().person_id;
    if (role == "vendor" && kind == Kind::episode)
        return json_reply(200, ent::assigned_episodes_json(*lease, project_id, me));
    if (role == "vendor" && kind == Kind::sequence)
        return json_reply(200, ent::assigned_sequences_json(*lease, project_id, std::nullopt, me));
    return json_reply(200, ent::project_entities_json(*lease, kind, project_id,
                                                      role == "vendor" ? std::optional(me) : std::nullopt));
}

/// POST /data/projects/<id>/<kind>s: body first, then the project (404), then the caller.
Reply project_create(Request& request, Services& services, Kind kind) {
    const auto fields = new_entity_body(request, kind);
    auto lease = services.pool.acquire();
    std::string project_id;
    if (kind == Kind::concept_art) { // concepts: any team member but vendors and clients
        auto project = engine::access::load_subject(*lease, SubjectKind::project, request.param("project_id"));
        engine::access::check_subject(request.caller(), *lease, project, Check::project_access);
        const std::string role = role_on(request, *lease, project.id);
        if (role == "vendor" || role == "client")
            throw_forbidden();
        project_id = project.id;
    } else {
        project_id = managed_project(request, *lease);
    }
    return json_reply(201, ent::create_entity(*lease, request.caller().person_id, kind, project_id, fields));
}

Reply all_scenes(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    const auto found = criteria(request);
    const auto project_id = criteria_project(found);
    require_criteria_access(request, *lease, project_id);
    if (role_on(request, *lease, project_id) == "vendor")
        throw_forbidden();
    return json_reply(200, ent::criteria_json(*lease, request.caller(), Kind::scene, found));
}

Reply get_scene(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    const auto scene = readable(request, *lease, Kind::scene, "scene_id");
    return json_reply(200, ent::full_entity_json(*lease, Kind::scene, scene.id, request.caller().person_id));
}

Reply scene_shots(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    const auto scene = readable(request, *lease, Kind::scene, "scene_id");
    return json_reply(200, ent::criteria_json(*lease, request.caller(), Kind::shot, {{"source_id", scene.id}}));
}

/// POST /data/scenes/<id>/shots {"shot_id"}: the scene becomes the shot's source.
Reply add_shot_to_scene(Request& request, Services& services) {
    BodyFields body(request);
    const std::string shot_id = body.required_text("shot_id");
    if (!shot_id.empty() && !engine::is_uuid(shot_id))
        body.invalid("shot_id", "Input should be a valid UUID");
    body.check();
    auto lease = services.pool.acquire();
    const auto scene = ent::load(*lease, Kind::scene, request.param("scene_id"));
    engine::access::require_project_access(request.caller(), *lease, scene.project_id);
    return json_reply(201, ent::set_shot_scene(*lease, request.caller().person_id, scene, shot_id, true));
}

Reply remove_shot_from_scene(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    const auto scene = ent::load(*lease, Kind::scene, request.param("scene_id"));
    engine::access::require_project_access(request.caller(), *lease, scene.project_id);
    ent::set_shot_scene(*lease, request.caller().person_id, scene, request.param("shot_id"), false);
    return projects::no_content();
}

Reply scene_task_types(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    const auto scene = readable(request, *lease, Kind::scene, "scene_id");
    return json_reply(200, ent::entity_task_types_json(*lease, ent::TaskScope::entity, scene.id));
}

Reply scene_tasks(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    const auto scene = readable(request, *lease, Kind::scene, "scene_id");
    return json_reply(200, ent::entity_tasks_json(*lease, ent::TaskScope::entity, scene.id, false));
}

Reply set_shot_nb_frames(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    const std::string project_id = request.param("project_id");
    if (engine::is_uuid(project_id)) // Zou checks the caller before the ids
        engine::access::check_subject(request.caller(), *lease,
                                      engine::access::load_subject(*lease, SubjectKind::project, project_id),
                                      Check::manager);
    else if (request.caller().role != "admin")
        throw_forbidden();
    const std::string task_type_id = request.param("task_type_id");
    if (!engine::is_uuid(task_type_id) || !engine::is_uuid(project_id))
        throw_wrong_parameter("Invalid project or task type id");
    auto episode_id = request.query_value("episode_id");
    if (episode_id && !episode_id->empty() && !engine::is_uuid(*episode_id))
        throw_wrong_parameter("Invalid episode id");
    if (episode_id && episode_id->empty())
        episode_id.reset();
    return json_reply(200, ent::set_frames_from_previews(*lease, project_id, task_type_id, episode_id));
}

} // namespace

Reply project_entities(Request& request, Services& services, Kind kind) { return project_list(request, services, kind); }
Reply create_project_entity(Request& request, Services& services, Kind kind) {
    return project_create(request, services, kind);
}
Reply delete_entity(Request& request, Services& services, Kind kind, const std::string& param) {
    return delete_of(request, services, kind, param);
}
Reply entity_previews(Request& request, Services& services, Kind kind, const std::string& param) {
    return previews_of(request, services, kind, param);
}

RouteList shot_routes() {
    using M = Method;
    const auto loads_project = [](Route&& route) {
        return std::move(route).loads(SubjectKind::project, "project_id", Check::project_access);
    };
    RouteList routes;
    routes.push_back(Route{M::get, "/data/shots", Access::jwt, all_shots});
    routes.push_back(Route{M::get, "/data/shots/all", Access::jwt, all_shots});
    routes.push_back(Route{M::get, "/data/shots/{shot_id}", Access::jwt, get_shot});
    routes.push_back(Route{M::put, "/data/shots/{shot_id}", Access::jwt, update_shot});
    routes.push_back(Route{M::del, "/data/shots/{shot_id}", Access::jwt,
                           [](Request& r, Services& s) { return delete_of(r, s, Kind::shot, "shot_id"); }});
    routes.push_back(Route{M::get, "/data/shots/{shot_id}/assets", Access::jwt, shot_casting});
    routes.push_back(Route{M::get, "/data/shots/{shot_id}/preview-files", Access::jwt,
                           [](Request& r, Services& s) { return previews_of(r, s, Kind::shot, "shot_id"); }});
    routes.push_back(Route{M::get, "/data/shots/{shot_id}/task-types", Access::jwt, shot_task_types});
    routes.push_back(Route{M::get, "/data/shots/{shot_id}/tasks", Access::jwt, shot_tasks});
    routes.push_back(Route{M::get, "/data/shots/{shot_id}/versions", Access::jwt, shot_versions});
    routes.push_back(loads_project(Route{M::get, "/data/projects/{project_id}/shots", Access::jwt,
                                         [](Request& r, Services& s) { return project_list(r, s, Kind::shot); }}));
    routes.push_back(Route{M::post, "/data/projects/{project_id}/shots", Access::jwt,
                           [](Request& r, Services& s) { return project_create(r, s, Kind::shot); }});
    routes.push_back(loads_project(Route{M::get, "/data/projects/{project_id}/scenes", Access::jwt,
                                         [](Request& r, Services& s) { return project_list(r, s, Kind::scene); }}));
    routes.push_back(Route{M::post, "/data/projects/{project_id}/scenes", Access::jwt,
                           [](Request& r, Services& s) { return project_create(r, s, Kind::scene); }});
    routes.push_back(Route{M::get, "/data/scenes/all", Access::jwt, all_scenes});
    routes.push_back(Route{M::get, "/data/scenes/{scene_id}", Access::jwt, get_scene});
    routes.push_back(Route{M::del, "/data/scenes/{scene_id}", Access::jwt,
                           [](Request& r, Services& s) { return delete_of(r, s, Kind::scene, "scene_id"); }});
    routes.push_back(Route{M::get, "/data/scenes/{scene_id}/shots", Access::jwt, scene_shots});
    routes.push_back(Route{M::post, "/data/scenes/{scene_id}/shots", Access::jwt, add_shot_to_scene});
    routes.push_back(Route{M::del, "/data/scenes/{scene_id}/shots/{shot_id}", Access::jwt, remove_shot_from_scene});
    routes.push_back(Route{M::get, "/data/scenes/{scene_id}/task-types", Access::jwt, scene_task_types});
    routes.push_back(Route{M::get, "/data/scenes/{scene_id}/tasks", Access::jwt, scene_tasks});
    routes.push_back(Route{M::post, "/actions/projects/{project_id}/task-types/{task_type_id}/set-shot-nb-frames",
                           Access::jwt, set_shot_nb_frames});
    return routes;
}

} // namespace slate::api::entity_area
