// api/areas/projects/team.cpp: a production's team: who is in it and their role there.
// Writes read their body first, then load the project and check the caller, in Zou's order.

#include "api/areas/projects/project_bodies.h"
#include "api/areas/projects/project_routes.h"

#include "engine/access.h"
#include "engine/db/pool.h"
#include "engine/people/auth_service.h"
#include "engine/production/team.h"

namespace slate::api::projects {
namespace {

using engine::access::Check;
using engine::access::SubjectKind;

// admin is a global role only: a team link cannot carry it.
const std::vector<std::string> project_roles = {"user", "supervisor", "manager", "client", "vendor"};

/// The project of the path, checked for manager access (404 when absent, 403 when refused).
engine::access::Subject managed_project(Request& request, engine::db::Connection& c) {
    auto project = engine::access::load_subject(c, SubjectKind::project, request.param("project_id"));
    engine::access::check_subject(request.caller(), c, project, Check::manager);
    return project;
}

/// The route loads the project and checks project access.
Reply get_team(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    const std::string role = engine::access::effective_role(request.caller(), *lease, request.subject().project_id);
    return json_reply(
        200, engine::production::team_json(*lease, request.subject().project_id, role == "admin" || role == "manager"));
}

Reply add_member(Request& request, Services& services) {
    BodyFields body(request);
    const std::string person_id = body.required_text("person_id");
    const auto role = optional_choice(request, body, "role", project_roles);
    body.check();
    auto lease = services.pool.acquire();
    const auto project = managed_project(request, *lease);
    return json_reply(
        201, engine::production::add_team_member(*lease, request.caller().person_id, project.id, person_id, role));
}

Reply set_member_role(Request& request, Services& services) {
    BodyFields body(request);
    const auto role = optional_choice(request, body, "role", project_roles);
    body.check();
    auto lease = services.pool.acquire();
    const auto project = managed_project(request, *lease);
    return json_reply(200, engine::production::set_team_member_role(*lease, request.caller().person_id, project.id,
                                                                    request.param("person_id"), role));
}

Reply remove_member(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    const auto project = managed_project(request, *lease);
    check_id_parameter(request.param("person_id"));
    engine::production::remove_team_member(*lease, request.caller().person_id, project.id, request.param("person_id"));
    return no_content();
}

} // namespace

RouteList team_routes() {
    const std::string team = "/data/projects/{project_id}/team";
    RouteList routes;
    routes.push_back(Route{Method::get, team, Access::jwt, get_team}.loads(SubjectKind::project, "project_id",
                                                                           Check::project_access));
    routes.push_back(Route{Method::post, team, Access::jwt, add_member});
    routes.push_back(Route{Method::put, team + "/{person_id}", Access::jwt, set_member_role});
    routes.push_back(Route{Method::del, team + "/{person_id}", Access::jwt, remove_member});
    return routes;
}

} // namespace slate::api::projects
