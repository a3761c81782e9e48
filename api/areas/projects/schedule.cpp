// api/areas/projects/schedule.cpp: a production's schedule items and milestones, and the time
// spent on it and its team's days off as the schedule and budget pages read them.

#include "api/areas/projects/project_bodies.h"
#include "api/areas/projects/project_routes.h"

#include "engine/access.h"
#include "engine/db/pool.h"
#include "engine/error.h"
#include "engine/people/auth_service.h"
#include "engine/production/metadata.h"
#include "engine/production/schedule.h"
#include "engine/production/time_views.h"

namespace slate::api::projects {
namespace {

using engine::access::Check;
using engine::access::SubjectKind;
using engine::production::ScheduleLevel;
namespace production = engine::production;

/// The route loads the project and checks reader access (no vendors).
Reply schedule_items(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    return json_reply(200, production::schedule_items_json(*lease, request.subject().project_id));
}

Reply task_type_items(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    return json_reply(200, production::task_type_schedule_items_json(*lease, request.caller().person_id,
                                                                     request.subject().project_id));
}

/// ArgsMixin.get_id_parameter("episode"): ?episode_id=, checked when not empty.
std::optional<std::string> episode_parameter(const Request& request) {
    auto episode = request.query_value("episode_id");
    if (!episode || episode->empty())
        return std::nullopt;
    check_id_parameter(*episode);
    return episode;
}

Handler level_items(ScheduleLevel level) {
    return [level](Request& request, Services& services) {
        const std::string task_type_id = request.param("task_type_id");
        check_id_parameter(task_type_id);
        const auto episode = episode_parameter(request);
        auto lease = services.pool.acquire();
        // Items are made for the task type: one that does not exist is not found.
        if (!production::task_type_exists(*lease, task_type_id))
            throw_not_found(not_found_message);
        return json_reply(200, production::entity_schedule_items_json(*lease, request.caller().person_id,
                                                                      request.subject().project_id, task_type_id, level,
                                                                      episode));
    };
}

/// The route loads the project and checks project access.
Reply milestones(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    return json_reply(200, production::milestones_json(*lease, request.subject().project_id));
}

Reply time_spents(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    return json_reply(200, production::project_time_spents_json(*lease, request.subject().project_id));
}

/// ArgsMixin.get_args(["start_date", "end_date"]): the query's values, as strings.
std::optional<std::string> date_argument(const Request& request, const std::string& name) {
    return request.query_value(name);
}

/// The route loads the project and checks manager access.
Reply task_type_time_spents(Request& request, Services& services) {
    const std::string task_type_id = request.param("task_type_id");
    check_id_parameter(task_type_id);
    auto lease = services.pool.acquire();
    return json_reply(200, production::task_type_time_spents_json(*lease, request.subject().project_id, task_type_id,
                                                                  date_argument(request, "start_date"),
                                                                  date_argument(request, "end_date")));
}

/// The route loads the project and checks project access; clients and vendors are refused.
Reply day_offs(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    const std::string& project = request.subject().project_id;
    const std::string role = engine::access::effective_role(request.caller(), *lease, project);
    if (role == "client" || role == "vendor")
        throw_forbidden();
    return json_reply(200,
                      production::team_day_offs_json(*lease, project, date_argument(request, "start_date"),
                                                     date_argument(request, "end_date"),
                                                     role == "admin" || role == "manager", request.caller().person_id));
}

/// Admins only (the route's row); a malformed id is Zou's 400, an unknown one an empty object.
Reply month_time_spents(Request& request, Services& services) {
    check_id_parameter(request.param("project_id"));
    auto lease = services.pool.acquire();
    return json_reply(
        200, production::month_time_spents_json(*lease, request.param("project_id"), request.caller().person_id));
}

} // namespace

RouteList schedule_routes() {
    const std::string project = "/data/projects/{project_id}";
    const std::string items = project + "/schedule-items";
    RouteList routes;
    auto add = [&routes](std::string path, Handler handler, Check check) {
        routes.push_back(Route{Method::get, std::move(path), Access::jwt, std::move(handler)}.loads(
            SubjectKind::project, "project_id", check));
    };
    add(items, schedule_items, Check::reader);
    add(items + "/task-types", task_type_items, Check::reader);
    add(items + "/{task_type_id}/asset-types", level_items(ScheduleLevel::asset_type), Check::reader);
    add(items + "/{task_type_id}/episodes", level_items(ScheduleLevel::episode), Check::reader);
    add(items + "/{task_type_id}/sequences", level_items(ScheduleLevel::sequence), Check::reader);
    add(items + "/{task_type_id}/edits", level_items(ScheduleLevel::edit), Check::reader);
    add(project + "/milestones", milestones, Check::project_access);
    add(project + "/time-spents", time_spents, Check::project_access);
    add(project + "/task-types/{task_type_id}/time-spents", task_type_time_spents, Check::manager);
    add(project + "/day-offs", day_offs, Check::project_access);
    routes.push_back(Route{Method::get, project + "/budgets/time-spents", Access::admin, month_time_spents});
    return routes;
}

} // namespace slate::api::projects
