// api/areas/entities/sequences.cpp: sequences and episodes (Zou's shots blueprint): listings,
// one of them, creation per production, deletion, and their tasks and task types.

#include "api/areas/entities/entity_common.h"
#include "api/areas/projects/project_bodies.h"

#include "engine/access.h"
#include "engine/config.h"
#include "engine/db/pool.h"
#include "engine/entities/entity_reads.h"
#include "engine/error.h"
#include "engine/storage/deleted_files.h"
#include "engine/uuid.h"

namespace slate::api::entity_area {
namespace {

namespace ent = engine::entities;
using engine::access::Check;
using engine::access::SubjectKind;

/// GET /data/sequences: an episode_id criterion becomes its project and parent.
Reply all_sequences(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    auto found = criteria(request);
    if (auto episode_id = found.find("episode_id"); episode_id != found.end()) {
        const auto episode = ent::load(*lease, Kind::episode, episode_id->second);
        found.erase(episode_id);
        found.erase("project_id");
        found.erase("parent_id");
        found.emplace("project_id", episode.project_id);
        found.emplace("parent_id", episode.id);
    }
    const auto project_id = criteria_project(found);
    require_criteria_access(request, *lease, project_id);
    if (role_on(request, *lease, project_id) == "vendor")
        return json_reply(200, project_id ? ent::assigned_sequences_json(*lease, project_id, std::nullopt,
                                                                         request.caller().person_id)
                                          : "[]");
    return json_reply(200, ent::criteria_json(*lease, request.caller(), Kind::sequence, found));
}

Reply all_episodes(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    const auto found = criteria(request);
    const auto project_id = criteria_project(found);
    require_criteria_access(request, *lease, project_id);
    if (role_on(request, *lease, project_id) == "vendor")
        return json_reply(200, project_id ? ent::assigned_episodes_json(*lease, *project_id, request.caller().person_id)
                                          : "[]");
    return json_reply(200, ent::criteria_json(*lease, request.caller(), Kind::episode, found));
}

Reply get_one(Request& request, Services& services, Kind kind, const std::string& param) {
    auto lease = services.pool.acquire();
    const auto entity = readable(request, *lease, kind, param);
    return json_reply(200, ent::full_entity_json(*lease, kind, entity.id, request.caller().person_id));
}

/// Tasks of the entity or of those under it; vendors only see theirs (Zou answers them
/// user_service.get_tasks_for_entity) or are refused the wider lists.
Reply tasks_of(Request& request, Services& services, Kind kind, const std::string& param, ent::TaskScope scope,
               bool vendor_refused, bool with_relations) {
    const bool relations = with_relations && flag_of(request, "relations");
    auto lease = services.pool.acquire();
    const auto entity = readable(request, *lease, kind, param);
    const bool vendor = role_on(request, *lease, entity.project_id) == "vendor";
    if (vendor && vendor_refused)
        throw_forbidden();
    return json_reply(200, ent::entity_tasks_json(*lease, scope, entity.id, relations,
                                                  vendor ? std::optional(request.caller().person_id) : std::nullopt));
}

Reply task_types_of(Request& request, Services& services, Kind kind, const std::string& param, ent::TaskScope scope) {
    auto lease = services.pool.acquire();
    const auto entity = readable(request, *lease, kind, param);
    return json_reply(200, ent::entity_task_types_json(*lease, scope, entity.id));
}

/// GET /data/episodes/<id>/sequences: a malformed id is an empty list; project access only.
Reply episode_sequences(Request& request, Services& services) {
    if (!engine::is_uuid(request.param("episode_id")))
        return json_reply(200, "[]");
    auto lease = services.pool.acquire();
    const auto episode = ent::load(*lease, Kind::episode, request.param("episode_id"));
    engine::access::require_project_access(request.caller(), *lease, episode.project_id);
    if (role_on(request, *lease, episode.project_id) == "vendor")
        return json_reply(200, ent::assigned_sequences_json(*lease, std::nullopt, episode.id,
                                                            request.caller().person_id));
    auto found = criteria(request);
    found.erase("parent_id");
    found.emplace("parent_id", episode.id);
    return json_reply(200, ent::criteria_json(*lease, request.caller(), Kind::sequence, found));
}

/// GET /data/sequences/<id>/shots: project access only; vendors see their assigned shots.
Reply sequence_shots(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    const auto sequence = ent::load(*lease, Kind::sequence, request.param("sequence_id"));
    engine::access::require_project_access(request.caller(), *lease, sequence.project_id);
    auto found = criteria(request);
    found.erase("parent_id");
    found.emplace("parent_id", sequence.id);
    const bool vendor = role_on(request, *lease, sequence.project_id) == "vendor";
    return json_reply(200, ent::criteria_json(*lease, request.caller(), Kind::shot, found,
                                              vendor ? std::optional(request.caller().person_id) : std::nullopt));
}

Reply children_of(Request& request, Services& services, Kind parent_kind, const std::string& param, Kind kind,
                  bool with_relations) {
    const bool relations = with_relations && flag_of(request, "relations");
    auto lease = services.pool.acquire();
    const auto parent = readable(request, *lease, parent_kind, param);
    const bool vendor = role_on(request, *lease, parent.project_id) == "vendor";
    return json_reply(200, ent::children_json(*lease, kind, parent.id, relations,
                                              vendor ? std::optional(request.caller().person_id) : std::nullopt));
}

/// DELETE /data/sequences/<id>: Zou 1.0.67 inverts the creator test here: the creator must
/// manage the project, anyone else passes (check_belong_to_project raises nothing).
Reply delete_sequence(Request& request, Services& services) {
    const bool force = force_of(request);
    auto lease = services.pool.acquire();
    const auto sequence = ent::load(*lease, Kind::sequence, request.param("sequence_id"));
    if (sequence.created_by && *sequence.created_by == request.caller().person_id)
        engine::access::check_subject(request.caller(), *lease,
                                      engine::access::load_subject(*lease, SubjectKind::project, sequence.project_id),
                                      Check::manager);
    engine::storage::DeletedFiles deleted;
    ent::remove_entity(*lease, request.caller().person_id, Kind::sequence, sequence.id, force, deleted);
    engine::storage::remove_deleted_files(services.files, deleted, services.config.remove_files);
    return projects::no_content();
}

} // namespace

RouteList sequence_routes() {
    using M = Method;
    using S = ent::TaskScope;
    const auto loads_project = [](Route&& route) {
        return std::move(route).loads(SubjectKind::project, "project_id", Check::project_access);
    };
    RouteList routes;
    routes.push_back(Route{M::get, "/data/sequences", Access::jwt, all_sequences});
    routes.push_back(Route{M::get, "/data/sequences/{sequence_id}", Access::jwt,
                           [](Request& r, Services& s) { return get_one(r, s, Kind::sequence, "sequence_id"); }});
    routes.push_back(Route{M::del, "/data/sequences/{sequence_id}", Access::jwt, delete_sequence});
    routes.push_back(Route{M::get, "/data/sequences/{sequence_id}/scenes", Access::jwt, [](Request& r, Services& s) {
                               return children_of(r, s, Kind::sequence, "sequence_id", Kind::scene, false);
                           }});
    routes.push_back(Route{M::get, "/data/sequences/{sequence_id}/shot-tasks", Access::jwt, [](Request& r, Services& s) {
                               return tasks_of(r, s, Kind::sequence, "sequence_id", S::children, true, true);
                           }});
    routes.push_back(Route{M::get, "/data/sequences/{sequence_id}/shots", Access::jwt, sequence_shots});
    routes.push_back(Route{M::get, "/data/sequences/{sequence_id}/task-types", Access::jwt,
                           [](Request& r, Services& s) {
                               return task_types_of(r, s, Kind::sequence, "sequence_id", S::children);
                           }});
    routes.push_back(Route{M::get, "/data/sequences/{sequence_id}/tasks", Access::jwt, [](Request& r, Services& s) {
                               return tasks_of(r, s, Kind::sequence, "sequence_id", S::entity, false, true);
                           }});
    routes.push_back(loads_project(Route{M::get, "/data/projects/{project_id}/sequences", Access::jwt,
                                         [](Request& r, Services& s) { return project_entities(r, s, Kind::sequence); }}));
    routes.push_back(Route{M::post, "/data/projects/{project_id}/sequences", Access::jwt,
                           [](Request& r, Services& s) { return create_project_entity(r, s, Kind::sequence); }});

    routes.push_back(Route{M::get, "/data/episodes", Access::jwt, all_episodes});
    routes.push_back(Route{M::get, "/data/episodes/{episode_id}", Access::jwt,
                           [](Request& r, Services& s) { return get_one(r, s, Kind::episode, "episode_id"); }});
    routes.push_back(Route{M::del, "/data/episodes/{episode_id}", Access::jwt,
                           [](Request& r, Services& s) { return delete_entity(r, s, Kind::episode, "episode_id"); }});
    routes.push_back(Route{M::get, "/data/episodes/{episode_id}/asset-tasks", Access::jwt, [](Request& r, Services& s) {
                               return tasks_of(r, s, Kind::episode, "episode_id", S::episode_assets, true, true);
                           }});
    routes.push_back(Route{M::get, "/data/episodes/{episode_id}/sequences", Access::jwt, episode_sequences});
    routes.push_back(Route{M::get, "/data/episodes/{episode_id}/shot-tasks", Access::jwt, [](Request& r, Services& s) {
                               return tasks_of(r, s, Kind::episode, "episode_id", S::grandchildren, true, true);
                           }});
    routes.push_back(Route{M::get, "/data/episodes/{episode_id}/shots", Access::jwt, [](Request& r, Services& s) {
                               return children_of(r, s, Kind::episode, "episode_id", Kind::shot, true);
                           }});
    routes.push_back(Route{M::get, "/data/episodes/{episode_id}/task-types", Access::jwt, [](Request& r, Services& s) {
                               return task_types_of(r, s, Kind::episode, "episode_id", S::grandchildren);
                           }});
    routes.push_back(Route{M::get, "/data/episodes/{episode_id}/tasks", Access::jwt, [](Request& r, Services& s) {
                               return tasks_of(r, s, Kind::episode, "episode_id", S::entity, false, false);
                           }});
    routes.push_back(Route{M::get, "/data/episodes/{episode_id}/edit-tasks", Access::jwt, [](Request& r, Services& s) {
                               return tasks_of(r, s, Kind::episode, "episode_id", S::episode_edits, true, true);
                           }});
    routes.push_back(Route{M::get, "/data/episodes/{episode_id}/edits", Access::jwt, [](Request& r, Services& s) {
                               return children_of(r, s, Kind::episode, "episode_id", Kind::edit, true);
                           }});
    routes.push_back(loads_project(Route{M::get, "/data/projects/{project_id}/episodes", Access::jwt,
                                         [](Request& r, Services& s) { return project_entities(r, s, Kind::episode); }}));
    routes.push_back(Route{M::post, "/data/projects/{project_id}/episodes", Access::jwt,
                           [](Request& r, Services& s) { return create_project_entity(r, s, Kind::episode); }});
    return routes;
}

} // namespace slate::api::entity_area
