// api/areas/entities/with_tasks.cpp: the listings the Kitsu web app loads first, each kind with
// its tasks (Zou's ShotsAndTasksResource, SequenceAndTasksResource, ...), streamed.

#include "api/areas/entities/entity_common.h"

#include "engine/db/pool.h"
#include "engine/error.h"

namespace slate::api::entity_area {
namespace {

namespace ent = engine::entities;

Reply with_tasks(Request& request, Services& services, Kind kind) {
    if (kind == Kind::shot || kind == Kind::edit)
        check_criterion_ids(request, {"id", "project_id", "episode_id"});
    else if (kind == Kind::concept_art)
        check_criterion_ids(request, {"id", "project_id"});
    else
        check_criterion_ids(request, {"project_id", "episode_id"});
    ent::WithTasksQuery query;
    query.kind = kind;
    query.caller_id = request.caller().person_id;
    query.project_id = request.query_value("project_id");
    query.episode_id = request.query_value("episode_id");
    if (kind == Kind::shot || kind == Kind::edit || kind == Kind::concept_art)
        query.id = request.query_value("id");
    if (kind == Kind::shot) { // Zou's shots listing alone takes these, compared case-sensitively
        query.stream = request.query_value("stream").value_or("false") == "true";
        query.compact = request.query_value("compact").value_or("false") == "true";
    }
    {
        auto lease = services.pool.acquire();
        require_criteria_access(request, *lease, query.project_id);
        const std::string role = role_on(request, *lease, query.project_id);
        if (role == "vendor" && kind == Kind::scene)
            throw_forbidden();
        if ((role == "vendor" || role == "client") && kind == Kind::concept_art)
            throw_forbidden();
        if (role == "vendor")
            query.assigned_to = request.caller().person_id;
    }
    return with_tasks_reply(request, services, query);
}

} // namespace

RouteList with_tasks_routes() {
    const auto route = [](const char* path, Kind kind) {
        return Route{Method::get, path, Access::jwt,
                     [kind](Request& r, Services& s) { return with_tasks(r, s, kind); }};
    };
    return {route("/data/shots/with-tasks", Kind::shot),         route("/data/sequences/with-tasks", Kind::sequence),
            route("/data/episodes/with-tasks", Kind::episode),   route("/data/scenes/with-tasks", Kind::scene),
            route("/data/edits/with-tasks", Kind::edit),         route("/data/concepts/with-tasks", Kind::concept_art)};
}

} // namespace slate::api::entity_area
