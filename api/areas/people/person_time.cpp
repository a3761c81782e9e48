// api/areas/people/person_time.cpp: a person's time sheets and days off, and the studio's time
// tables (Zou's TimeSpentsResource, DateTimeSpentsResource, Person{Year,Month,MonthAll,Week,Day}
// TimeSpentsResource, TimeSpent{Years,Months,Week,Month}Resource, DayOffResource,
// PersonDayOffResource, Person{Week,Month,Year}DayOffResource, DayOffForMonthResource) and
// gazu 1.1.12's /time-spents/by-date.

#include "api/areas/areas.h"

#include "engine/db/pool.h"
#include "engine/people/person_time.h"
#include "engine/people/user_time.h"
#include "engine/tasks/assignments.h"

namespace slate::api {
namespace {

namespace pt = engine::person_time;

/// check_person_is_not_bot: 404 for an unknown person, 403 for a bot.
void require_person_not_bot(engine::db::Connection& c, const std::string& person_id) {
    try {
        engine::tasks::require_not_bot(c, person_id, std::nullopt);
    } catch (const engine::tasks::AssigneeMissing&) {
        throw_not_found(not_found_message);
    }
}

/// check_person_access: admins, or the person themselves.
void require_person_access(const Request& request) {
    if (request.caller().role != "admin" && request.caller().person_id != request.param("person_id"))
        throw_forbidden();
}

/// Runs a read over a period; a period Python's datetime refuses is a 400 with `message`.
template <typename Read>
Reply in_period(const std::string& message, Read read) {
    try {
        return json_reply(200, read());
    } catch (const pt::WrongPeriod&) {
        throw_bad_request(message);
    }
}

const std::string invalid_month = "Invalid month or year.";
const std::string invalid_date = "Invalid date format.";

Reply all_time_spents(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    const std::string& person = request.param("person_id");
    require_person_not_bot(*connection, person);
    const auto start = request.query_value("start_date");
    const auto end = request.query_value("end_date");
    if ((!start || start->empty()) && (!end || end->empty()))
        return json_reply(200, engine::user::time_spents_of_day(*connection, person, std::nullopt));
    if (!start || !end)
        throw_bad_request("If querying for a range of dates, both a `start_date` and an `end_date` must be given.");
    return in_period("Wrong date format for " + *start + " and/or " + *end,
                     [&] { return engine::user::time_spents_between(*connection, person, *start, *end); });
}

/// DateTimeSpentsResource, and gazu's by-date (the date in the query string).
Reply date_time_spents(Request& request, Services& services, const std::string& date) {
    auto connection = services.pool.acquire();
    const std::string& person = request.param("person_id");
    require_person_not_bot(*connection, person);
    const auto scope = pt::person_reader_scope(*connection, request.caller(), person);
    return in_period(invalid_month, [&] { return pt::date_time_spents_json(*connection, person, date, scope); });
}

/// The Person*TimeSpentsResource family: time per task over a period, within what the caller
/// may read of that person.
using PeriodOf = std::function<pt::Period(const Request&)>;
Handler person_period(PeriodOf period_of, std::string message) {
    return [period_of = std::move(period_of), message = std::move(message)](Request& request, Services& services) {
        auto connection = services.pool.acquire();
        const std::string& person = request.param("person_id");
        require_person_not_bot(*connection, person);
        const auto scope = pt::narrowed(pt::person_reader_scope(*connection, request.caller(), person),
                                        request.query_value("project_id"));
        return in_period(message,
                         [&] { return pt::interval_time_spents_json(*connection, person, period_of(request), scope); });
    };
}

Reply month_all_time_spents(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    const std::string& person = request.param("person_id");
    require_person_not_bot(*connection, person);
    require_person_access(request);
    pt::Scope scope;
    scope.person_id = person;
    return in_period(invalid_month, [&] {
        return pt::period_time_spents_json(*connection, pt::month_period(request.param("year"), request.param("month")),
                                           scope);
    });
}

/// The TimeSpent*Resource tables.
Handler table(std::string unit, std::function<std::optional<pt::Period>(const Request&)> period_of) {
    return [unit = std::move(unit), period_of = std::move(period_of)](Request& request, Services& services) {
        auto connection = services.pool.acquire();
        const auto scope = pt::table_scope(*connection, request.caller(), request.query_value("project_id"),
                                           request.query_value("department_id"), request.query_value("studio_id"));
        return in_period(invalid_month,
                         [&] { return pt::time_table_json(*connection, unit, period_of(request), scope); });
    };
}

Reply day_off(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    const std::string& person = request.param("person_id");
    require_person_not_bot(*connection, person);
    require_person_access(request);
    return in_period(invalid_date,
                     [&] { return engine::user::day_off_of(*connection, person, request.param("date")); });
}

/// The Person*DayOffResource family: the person's days off overlapping a period (every one
/// when `period_of` is null).
Handler person_day_offs(PeriodOf period_of) {
    return [period_of = std::move(period_of)](Request& request, Services& services) {
        auto connection = services.pool.acquire();
        const std::string& person = request.param("person_id");
        require_person_not_bot(*connection, person);
        require_person_access(request);
        return in_period(invalid_month, [&] {
            if (!period_of)
                return pt::day_offs_between_json(*connection, std::nullopt, std::nullopt, person);
            const auto period = period_of(request);
            return pt::day_offs_between_json(*connection, period.start, pt::last_day(period), person);
        });
    };
}

/// DayOffForMonthResource: every day off of the month for admins, one's own for the others.
Reply month_day_offs(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    const auto& caller = request.caller();
    const auto person = caller.role == "admin" ? std::nullopt : std::optional<std::string>(caller.person_id);
    return in_period(invalid_month, [&] {
        const auto period = pt::month_period(request.param("year"), request.param("month"));
        return pt::day_offs_between_json(*connection, period.start, pt::last_day(period), person);
    });
}

pt::Period year_of(const Request& r) {
    return pt::year_period(r.param("year"));
}
pt::Period month_of(const Request& r) {
    return pt::month_period(r.param("year"), r.param("month"));
}
pt::Period week_of(const Request& r) {
    return pt::week_period(r.param("year"), r.param("week"));
}
pt::Period day_of(const Request& r) {
    return pt::day_period(r.param("year"), r.param("month"), r.param("day"));
}

} // namespace

RouteList person_time_routes() {
    const std::string person = "/data/persons/{person_id}";
    return {
        Route{Method::get, person + "/time-spents", Access::admin, all_time_spents},
        Route{Method::get, person + "/time-spents/{date}", Access::jwt,
              [](Request& r, Services& s) { return date_time_spents(r, s, r.param("date")); }},
        Route{Method::get, person + "/time-spents/by-date", Access::jwt,
              [](Request& r, Services& s) { return date_time_spents(r, s, r.query_value("date").value_or("")); }},
        Route{Method::get, person + "/time-spents/year/{year}", Access::jwt, person_period(year_of, invalid_date)},
        Route{Method::get, person + "/time-spents/month/{year}/{month}", Access::jwt,
              person_period(month_of, invalid_date)},
        Route{Method::get, person + "/time-spents/month/all/{year}/{month}", Access::jwt, month_all_time_spents},
        Route{Method::get, person + "/time-spents/week/{year}/{week}", Access::jwt,
              person_period(week_of, invalid_month)},
        Route{Method::get, person + "/time-spents/day/{year}/{month}/{day}", Access::jwt,
              person_period(day_of, invalid_month)},
        Route{Method::get, "/data/persons/time-spents/year-table", Access::jwt,
              table("year", [](const Request&) { return std::optional<pt::Period>(); })},
        Route{Method::get, "/data/persons/time-spents/month-table/{year}", Access::jwt,
              table("month", [](const Request& r) { return std::optional<pt::Period>(year_of(r)); })},
        Route{Method::get, "/data/persons/time-spents/week-table/{year}", Access::jwt,
              table("week", [](const Request& r) { return std::optional<pt::Period>(year_of(r)); })},
        Route{Method::get, "/data/persons/time-spents/day-table/{year}/{month}", Access::jwt,
              table("day", [](const Request& r) { return std::optional<pt::Period>(month_of(r)); })},
        Route{Method::get, person + "/day-offs", Access::jwt, person_day_offs(nullptr)},
        Route{Method::get, person + "/day-offs/{date}", Access::jwt, day_off},
        Route{Method::get, person + "/day-offs/week/{year}/{week}", Access::jwt, person_day_offs(week_of)},
        Route{Method::get, person + "/day-offs/month/{year}/{month}", Access::jwt, person_day_offs(month_of)},
        Route{Method::get, person + "/day-offs/year/{year}", Access::jwt, person_day_offs(year_of)},
        Route{Method::get, "/data/persons/day-offs/{year}/{month}", Access::jwt, month_day_offs},
    };
}

} // namespace slate::api
