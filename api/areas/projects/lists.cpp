// api/areas/projects/lists.cpp: the production lists gazu and the Kitsu web app start from.
// Literal segments beat the generic /data/projects/{instance_id}, so "open" and "all" are
// never read as ids.

#include "api/areas/projects/project_routes.h"

#include "engine/db/pool.h"
#include "engine/production/project_lists.h"

namespace slate::api::projects {
namespace {

Reply open_projects(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    return json_reply(200,
                      engine::production::open_projects_json(*lease, request.caller(), request.query_value("name")));
}

Reply all_projects(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    return json_reply(200,
                      engine::production::all_projects_json(*lease, request.caller(), request.query_value("name")));
}

} // namespace

RouteList list_routes() {
    return {
        Route{Method::get, "/data/projects/open", Access::jwt, open_projects},
        Route{Method::get, "/data/projects/all", Access::jwt, all_projects},
    };
}

} // namespace slate::api::projects
