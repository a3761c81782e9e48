// api/areas/projects/schedule_versions.cpp: a production schedule version's task links, and
// the actions that fill them (from the production or another version) and apply them.

#include "api/areas/projects/project_bodies.h"
#include "api/areas/projects/project_routes.h"

#include "engine/access.h"
#include "engine/db/pool.h"
#include "engine/error.h"
#include "engine/people/auth_service.h"
#include "engine/production/production_common.h"
#include "engine/production/schedule_versions.h"
#include "engine/uuid.h"

#include <algorithm>

namespace slate::api::projects {
namespace {

using engine::access::Check;
using engine::access::SubjectKind;
namespace production = engine::production;

/// The version of the path (404 when absent or malformed) and the check on its production.
std::string version_project(Request& request, engine::db::Connection& c, Check check) {
    const std::string id = request.param("production_schedule_version_id");
    if (!engine::is_uuid(id))
        throw_not_found(not_found_message);
    const auto project =
        engine::access::load_subject(c, SubjectKind::project, production::schedule_version_project(c, id));
    engine::access::check_subject(request.caller(), c, project, check);
    return project.id;
}

Reply task_links(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    const std::string project = version_project(request, *lease, Check::project_access);
    const std::string role = engine::access::effective_role(request.caller(), *lease, project);
    if (role == "vendor" || role == "client")
        throw_forbidden();
    auto task_type = request.query_value("task_type_id");
    if (task_type)
        check_id_parameter(*task_type);
    std::string relations = request.query_value("relations").value_or("false");
    std::transform(relations.begin(), relations.end(), relations.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    return json_reply(200, production::schedule_version_task_links_json(*lease,
                                                                        request.param("production_schedule_version_id"),
                                                                        task_type, relations == "true"));
}

Reply from_production(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    version_project(request, *lease, Check::manager);
    return json_reply(
        200, production::set_task_links_from_production(*lease, request.param("production_schedule_version_id")));
}

Reply from_version(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    const std::string project = version_project(request, *lease, Check::manager);
    BodyFields body(request);
    const std::string other = body.required_text("production_schedule_version_id");
    body.check();
    if (!engine::is_uuid(other) || production::schedule_version_project(*lease, other) != project) {
        if (!engine::is_uuid(other))
            throw_not_found(not_found_message);
        throw_wrong_parameter("Production schedule versions must belong to the same project.");
    }
    return json_reply(200,
                      production::set_task_links_from_version(*lease, request.caller().person_id,
                                                              request.param("production_schedule_version_id"), other));
}

Reply apply_to_production(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    version_project(request, *lease, Check::manager);
    return json_reply(200, production::apply_schedule_version(*lease, request.caller().person_id,
                                                              request.param("production_schedule_version_id")));
}

} // namespace

RouteList schedule_version_routes() {
    const std::string actions = "/actions/production-schedule-versions/{production_schedule_version_id}";
    RouteList routes;
    auto add = [&routes](Method method, std::string path, Handler handler) {
        routes.push_back(Route{method, std::move(path), Access::jwt, std::move(handler)});
    };
    add(Method::get, "/data/production-schedule-versions/{production_schedule_version_id}/task-links", task_links);
    add(Method::post, actions + "/set-task-links-from-production", from_production);
    add(Method::post, actions + "/set-task-links-from-production-schedule-version", from_version);
    add(Method::post, actions + "/apply-to-production", apply_to_production);
    return routes;
}

} // namespace slate::api::projects
