// api/areas/entities/edits_concepts.cpp: edits and concepts (Zou's edits and concepts
// blueprints): listings, one of them, creation per production, deletion, and their tasks,
// task types, previews and versions. Clients are kept out of concepts.

#include "api/areas/entities/entity_common.h"

#include "engine/db/pool.h"
#include "engine/entities/entity_reads.h"
#include "engine/error.h"

#include <tuple>

namespace slate::api::entity_area {
namespace {

namespace ent = engine::entities;
using engine::access::Check;
using engine::access::SubjectKind;

/// The entity readable by the caller; concepts also refuse clients.
ent::Loaded readable_of(Request& request, engine::db::Connection& c, Kind kind, const std::string& param) {
    auto entity = readable(request, c, kind, param);
    if (kind == Kind::concept_art && role_on(request, c, entity.project_id) == "client")
        throw_forbidden();
    return entity;
}

Reply all_of(Request& request, Services& services, Kind kind) {
    auto lease = services.pool.acquire();
    const auto found = criteria(request);
    const auto project_id = criteria_project(found);
    require_criteria_access(request, *lease, project_id);
    const std::string role = role_on(request, *lease, project_id);
    if (kind == Kind::concept_art && (role == "vendor" || role == "client"))
        throw_forbidden();
    return json_reply(200, ent::criteria_json(*lease, request.caller(), kind, found,
                                              role == "vendor" ? std::optional(request.caller().person_id)
                                                               : std::nullopt));
}

Reply get_one(Request& request, Services& services, Kind kind, const std::string& param) {
    auto lease = services.pool.acquire();
    const auto entity = readable_of(request, *lease, kind, param);
    return json_reply(200, ent::full_entity_json(*lease, kind, entity.id, request.caller().person_id));
}

Reply task_types_of(Request& request, Services& services, Kind kind, const std::string& param) {
    auto lease = services.pool.acquire();
    const auto entity = readable_of(request, *lease, kind, param);
    return json_reply(200, ent::entity_task_types_json(*lease, ent::TaskScope::entity, entity.id));
}

Reply tasks_of(Request& request, Services& services, Kind kind, const std::string& param) {
    const bool relations = flag_of(request, "relations");
    auto lease = services.pool.acquire();
    const auto entity = readable_of(request, *lease, kind, param);
    return json_reply(200, ent::entity_tasks_json(*lease, ent::TaskScope::entity, entity.id, relations));
}

Reply edit_versions(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    const auto edit = readable(request, *lease, Kind::edit, "edit_id");
    return json_reply(200, ent::entity_versions_json(*lease, edit.id, "EditVersion"));
}

} // namespace

RouteList edit_concept_routes() {
    using M = Method;
    const auto loads_project = [](Route&& route) {
        return std::move(route).loads(SubjectKind::project, "project_id", Check::project_access);
    };
    RouteList routes;
    for (const auto& [kind, plural, param] : {std::tuple{Kind::edit, std::string("edits"), std::string("edit_id")},
                                              std::tuple{Kind::concept_art, std::string("concepts"),
                                                         std::string("concept_id")}}) {
        const std::string one = "/data/" + plural + "/{" + param + "}";
        const Kind k = kind;
        const std::string p = param;
        routes.push_back(Route{M::get, "/data/" + plural, Access::jwt,
                               [k](Request& r, Services& s) { return all_of(r, s, k); }});
        routes.push_back(Route{M::get, one, Access::jwt, [k, p](Request& r, Services& s) { return get_one(r, s, k, p); }});
        routes.push_back(Route{M::del, one, Access::jwt,
                               [k, p](Request& r, Services& s) { return delete_entity(r, s, k, p); }});
        routes.push_back(Route{M::get, one + "/preview-files", Access::jwt,
                               [k, p](Request& r, Services& s) { return entity_previews(r, s, k, p); }});
        routes.push_back(Route{M::get, one + "/task-types", Access::jwt,
                               [k, p](Request& r, Services& s) { return task_types_of(r, s, k, p); }});
        routes.push_back(Route{M::get, one + "/tasks", Access::jwt,
                               [k, p](Request& r, Services& s) { return tasks_of(r, s, k, p); }});
        routes.push_back(loads_project(Route{M::get, "/data/projects/{project_id}/" + plural, Access::jwt,
                                             [k](Request& r, Services& s) { return project_entities(r, s, k); }}));
        routes.push_back(Route{M::post, "/data/projects/{project_id}/" + plural, Access::jwt,
                               [k](Request& r, Services& s) { return create_project_entity(r, s, k); }});
    }
    routes.push_back(Route{M::get, "/data/edits/all", Access::jwt,
                           [](Request& r, Services& s) { return all_of(r, s, Kind::edit); }});
    routes.push_back(Route{M::get, "/data/edits/{edit_id}/versions", Access::jwt, edit_versions});
    return routes;
}

} // namespace slate::api::entity_area
