// api/areas/user/time_sheets.cpp: the caller's own time spents and days off (Zou's
// TimeSpentsResource, DateTimeSpentsResource, TaskTimeSpentResource, DayOffResource).

#include "api/areas/user/user_areas.h"

#include "engine/db/pool.h"
#include "engine/people/user_time.h"

namespace slate::api {
namespace {

namespace user = engine::user;

Reply time_spents(Request& request, Services& services) {
    const auto start = request.query_value("start_date");
    const auto end = request.query_value("end_date");
    auto connection = services.pool.acquire();
    const std::string& me = request.caller().person_id;
    if ((!start || start->empty()) && (!end || end->empty()))
        return json_reply(200, user::time_spents_of_day(*connection, me, std::nullopt));
    if (!start || !end)
        throw_bad_request("If querying for a range of dates, both a `start_date` and an `end_date` must be given.");
    try {
        return json_reply(200, user::time_spents_between(*connection, me, *start, *end));
    } catch (const user::WrongDate&) {
        throw_bad_request("Wrong date format for " + *start + " and/or " + *end);
    }
}

/// Runs a read of one date; a date PostgreSQL refuses is Zou's "Wrong date format.".
template <typename Read>
Reply dated(Read read) {
    try {
        return json_reply(200, read());
    } catch (const user::WrongDate&) {
        throw_bad_request("Wrong date format.");
    }
}

Reply day_time_spents(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    return dated(
        [&] { return user::time_spents_of_day(*connection, request.caller().person_id, request.param("date")); });
}

Reply task_time_spent(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    return dated([&] {
        return user::time_spent_of_task(*connection, request.caller().person_id, request.param("task_id"),
                                        request.param("date"));
    });
}

Reply day_off(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    return dated([&] { return user::day_off_of(*connection, request.caller().person_id, request.param("date")); });
}

} // namespace

RouteList user_time_routes() {
    return {
        Route{Method::get, "/data/user/time-spents", Access::jwt, time_spents},
        Route{Method::get, "/data/user/time-spents/{date}", Access::jwt, day_time_spents},
        Route{Method::get, "/data/user/tasks/{task_id}/time-spents/{date}", Access::jwt, task_time_spent},
        Route{Method::get, "/data/user/day-offs/{date}", Access::jwt, day_off},
    };
}

} // namespace slate::api
