// api/areas/projects/quotas.cpp: a production's episode stats and retake stats, its quotas per
// task type and per person (Zou's shots blueprint), and the shots that counted for a person's
// quota over a month, week or day (Zou's persons blueprint).

#include "api/areas/areas.h"

#include "engine/access.h"
#include "engine/config.h"
#include "engine/db/pool.h"
#include "engine/error.h"
#include "engine/people/auth_service.h"
#include "engine/production/episode_stats.h"
#include "engine/production/production_common.h"
#include "engine/production/quotas.h"
#include "engine/uuid.h"

#include <functional>

namespace slate::api {
namespace {

using engine::access::Check;
using engine::access::SubjectKind;

/// A vendor sees the counts of the tasks assigned to them.
std::optional<std::string> vendor_scope(Request& request, engine::db::Connection& c) {
    const std::string& project_id = request.subject().project_id;
    if (engine::access::effective_role(request.caller(), c, project_id) == "vendor")
        return request.caller().person_id;
    return std::nullopt;
}

Reply episode_stats(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    return json_reply(200, engine::production::episode_stats_json(*lease, request.subject().project_id,
                                                                  vendor_scope(request, *lease)));
}

Reply episode_retake_stats(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    return json_reply(200, engine::production::episode_retake_stats_json(*lease, request.subject().project_id,
                                                                         vendor_scope(request, *lease)));
}

/// count_mode: weighted (default), weighteddone, feedback or done; Zou's message spells one
/// of them as the route names it.
void read_count_mode(Request& request, const std::string& message, bool& weighted, bool& feedback) {
    const std::string mode = request.query_value("count_mode").value_or("weighted");
    if (mode != "weighted" && mode != "weighteddone" && mode != "feedback" && mode != "done")
        throw_wrong_parameter(message);
    feedback = mode.find("done") == std::string::npos;
    weighted = mode.find("weighted") != std::string::npos;
}

const char* const project_mode_message = "count_mode must be equal to weighted, weigtheddone, feedback, or done"; // sic

engine::production::QuotaScope quota_scope(Request& request, Services& services, engine::db::Connection& c) {
    engine::production::QuotaScope scope;
    scope.project_id = request.subject().project_id;
    read_count_mode(request, project_mode_message, scope.weighted, scope.feedback);
    scope.studio_id = request.query_value("studio_id");
    scope.timezone = engine::production::user_timezone(c, request.caller().person_id, services.config.default_timezone);
    return scope;
}

Reply project_quotas(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    auto scope = quota_scope(request, services, *lease);
    scope.task_type_id = request.param("task_type_id");
    return json_reply(200, engine::production::quotas_json(*lease, scope));
}

/// Admins, and managers or supervisors of the production, read anyone's quotas there; others
/// only their own.
void require_person_or_production_lead(Request& request, engine::db::Connection& c, const std::string& person_id) {
    const auto& caller = request.caller();
    const std::string role = engine::access::effective_role(caller, c, request.subject().project_id);
    if (role == "admin" || role == "manager" || role == "supervisor")
        engine::access::require_project_access(caller, c, request.subject().project_id);
    else if (caller.role != "admin" && caller.person_id != person_id)
        throw_forbidden();
}

Reply project_person_quotas(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    const std::string& person_id = request.param("person_id");
    require_person_or_production_lead(request, *lease, person_id);
    auto scope = quota_scope(request, services, *lease);
    scope.person_id = person_id;
    return json_reply(200, engine::production::quotas_json(*lease, scope));
}

/// PersonQuotaMixin: the person (404; a bot is refused), the arguments, then the caller: an
/// admin, a manager of the production named, or the person themself.
using PeriodOf = std::function<engine::production::Period(Request&)>;

Handler quota_shots(PeriodOf period_of) {
    return [period_of](Request& request, Services& services) {
        auto lease = services.pool.acquire();
        const std::string& person_id = request.param("person_id");
        engine::production::require_person_not_bot(*lease, person_id);
        engine::production::QuotaShotsQuery query;
        query.person_id = person_id;
        query.project_id = request.query_value("project_id");
        query.task_type_id = request.query_value("task_type_id");
        read_count_mode(request, "count_mode must be equal to weighted, weighteddone, feedback, or done",
                        query.weighted, query.feedback);
        const auto& caller = request.caller();
        std::string role = caller.role;
        if (query.project_id) {
            const auto project = engine::access::load_subject(*lease, SubjectKind::project, *query.project_id);
            role = engine::access::effective_role(caller, *lease, project.id);
        }
        if (role == "admin" || role == "manager") {
            if (caller.role != "admin" &&
                !(query.project_id && engine::access::has_project_access(caller, *lease, *query.project_id)))
                throw_forbidden();
        } else if (caller.role != "admin" && caller.person_id != person_id) {
            throw_forbidden();
        }
        const auto period = period_of(request);
        query.start = period.start;
        query.end = period.end;
        query.timezone = engine::production::user_timezone(*lease, caller.person_id, services.config.default_timezone);
        return json_reply(200, engine::production::quota_shots_json(*lease, query));
    };
}

} // namespace

RouteList stats_quota_routes() {
    const std::string project = "/data/projects/{project_id}";
    RouteList routes;
    auto project_route = [&](std::string path, Handler handler, Check check) {
        routes.push_back(Route{Method::get, project + path, Access::jwt, std::move(handler)}.loads(
            SubjectKind::project, "project_id", check));
    };
    project_route("/episodes/stats", episode_stats, Check::project_access);
    project_route("/episodes/retake-stats", episode_retake_stats, Check::project_access);
    project_route("/quotas/{task_type_id}", project_quotas, Check::project_access);
    project_route("/quotas/persons/{person_id}", project_person_quotas, Check::none);
    const std::string shots = "/data/persons/{person_id}/quota-shots";
    routes.push_back(Route{Method::get, shots + "/month/{year}/{month}", Access::jwt, quota_shots([](Request& r) {
                               return engine::production::month_period(r.param("year"), r.param("month"));
                           })});
    routes.push_back(Route{Method::get, shots + "/week/{year}/{week}", Access::jwt, quota_shots([](Request& r) {
                               return engine::production::week_period(r.param("year"), r.param("week"));
                           })});
    routes.push_back(Route{Method::get, shots + "/day/{year}/{month}/{day}", Access::jwt, quota_shots([](Request& r) {
                               return engine::production::day_period(r.param("year"), r.param("month"), r.param("day"));
                           })});
    return routes;
}

} // namespace slate::api
