// engine/people/person_time.cpp: the periods and SQL of a person's time sheets and days off.
#include "engine/people/person_time.h"

#include "engine/crud/values.h"
#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/json.h"
#include "engine/people/auth_service.h"
#include "engine/serialize.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace slate::engine::person_time {
namespace {

namespace chr = std::chrono;

/// Python's int() of a path segment: optional sign and digits, nothing else.
int whole_number(const std::string& text) {
    std::size_t at = (!text.empty() && (text[0] == '+' || text[0] == '-')) ? 1 : 0;
    if (at == text.size() || text.size() - at > 9)
        throw WrongPeriod();
    for (std::size_t i = at; i < text.size(); ++i)
        if (text[i] < '0' || text[i] > '9')
            throw WrongPeriod();
    return std::stoi(text);
}

/// A date datetime accepts (years 1 to 9999).
chr::year_month_day checked(chr::year_month_day date) {
    if (!date.ok() || int(date.year()) < 1 || int(date.year()) > 9999)
        throw WrongPeriod();
    return date;
}

chr::year_month_day make_date(int year, int month, int day) {
    if (month < 1 || month > 12 || day < 1 || day > 31)
        throw WrongPeriod();
    return checked(chr::year_month_day{chr::year{year}, chr::month{unsigned(month)}, chr::day{unsigned(day)}});
}

std::string text_of(chr::year_month_day date) {
    char out[16];
    std::snprintf(out, sizeof out, "%04d-%02u-%02u", int(date.year()), unsigned(date.month()), unsigned(date.day()));
    return out;
}

Period between(chr::year_month_day start, chr::year_month_day end) {
    return Period{text_of(start), text_of(checked(end))};
}

chr::year_month_day plus_days(chr::year_month_day date, int days) {
    return chr::year_month_day{chr::sys_days{date} + chr::days{days}};
}

/// The Monday of ISO week 1: the week holding January 4th.
chr::sys_days iso_week_one(int year) {
    const chr::sys_days fourth{chr::year{year} / chr::January / 4};
    const unsigned weekday = chr::weekday{fourth}.iso_encoding(); // Monday 1 .. Sunday 7
    return fourth - chr::days(int(weekday) - 1);
}

/// WHERE terms and parameters of a scope, appended after `params`' own.
struct Filters {
    std::string joins;
    std::string where;
    db::Params params;

    void add(const std::string& term, const std::string& value) {
        params.push_back(value);
        where += " AND " + term + "$" + std::to_string(params.size());
    }
};

Filters scope_filters(const Scope& scope, db::Params params, bool task_joined) {
    Filters f{"", "", std::move(params)};
    if (scope.person_id)
        f.add("ts.person_id = ", *scope.person_id);
    if (!task_joined && (scope.project_ids || !scope.department_ids.empty()))
        f.joins += " JOIN task t ON t.id = ts.task_id";
    if (scope.project_ids) {
        f.add("t.project_id = ANY(", crud::array_literal(*scope.project_ids));
        f.where += "::uuid[])";
    }
    if (!scope.department_ids.empty()) {
        f.joins += " JOIN task_type tt ON tt.id = t.task_type_id";
        f.add("tt.department_id = ANY(", crud::array_literal(scope.department_ids));
        f.where += "::uuid[])";
    }
    if (scope.studio_id) {
        f.joins += " JOIN person pe ON pe.id = ts.person_id";
        f.add("pe.studio_id = ", *scope.studio_id);
        f.where += "::uuid";
    }
    return f;
}

using user::casting;

std::vector<std::string> column_of(const db::Result& rows) {
    std::vector<std::string> out;
    for (int row = 0; row < rows.rows(); ++row)
        out.emplace_back(rows.get(row, 0));
    return out;
}

/// The productions whose team the caller is in (user_service.get_projects: any status).
std::vector<std::string> team_projects(db::Connection& c, const std::string& person_id) {
    return column_of(c.exec("SELECT project_id FROM project_person_link WHERE person_id = $1::uuid", {person_id}));
}

std::vector<std::string> departments(db::Connection& c, const std::string& person_id) {
    return column_of(c.exec("SELECT department_id FROM department_link WHERE person_id = $1::uuid", {person_id}));
}

} // namespace

Scope person_reader_scope(db::Connection& c, const services::Identity& caller, const std::string& person_id) {
    if (caller.role == "admin" || caller.person_id == person_id)
        return {};
    if (caller.role != "manager" && caller.role != "supervisor")
        throw_forbidden();
    Scope scope;
    scope.project_ids = team_projects(c, caller.person_id);
    if (caller.role == "supervisor")
        scope.department_ids = departments(c, caller.person_id);
    return scope;
}

Scope narrowed(Scope scope, const std::optional<std::string>& project_id) {
    if (!project_id)
        return scope;
    if (scope.project_ids &&
        std::find(scope.project_ids->begin(), scope.project_ids->end(), *project_id) == scope.project_ids->end())
        throw_forbidden();
    scope.project_ids = std::vector<std::string>{*project_id};
    return scope;
}

Scope table_scope(db::Connection& c, const services::Identity& caller, const std::optional<std::string>& project_id,
                  const std::optional<std::string>& department_id, const std::optional<std::string>& studio_id) {
    Scope scope;
    scope.studio_id = studio_id;
    if (department_id)
        scope.department_ids = {*department_id};
    if (project_id)
        scope.project_ids = std::vector<std::string>{*project_id};
    if (caller.role == "admin")
        return scope;
    if (caller.role != "manager" && caller.role != "supervisor") {
        scope.person_id = caller.person_id;
        return scope;
    }
    scope =
        narrowed(Scope{std::nullopt, team_projects(c, caller.person_id), scope.department_ids, studio_id}, project_id);
    if (caller.role == "supervisor") {
        const auto mine = departments(c, caller.person_id);
        if (department_id) {
            if (std::find(mine.begin(), mine.end(), *department_id) == mine.end())
                throw_bad_request("Supervisor not allowed to access this department");
        } else {
            scope.department_ids = mine;
        }
    }
    return scope;
}

Period year_period(const std::string& year) {
    const auto start = make_date(whole_number(year), 1, 1);
    return between(start, chr::year_month_day{start.year() + chr::years{1}, chr::January, chr::day{1}});
}

Period month_period(const std::string& year, const std::string& month) {
    const auto start = make_date(whole_number(year), whole_number(month), 1);
    const auto next = chr::year_month{start.year(), start.month()} + chr::months{1};
    return between(start, chr::year_month_day{next.year(), next.month(), chr::day{1}});
}

Period week_period(const std::string& year, const std::string& week) {
    const int y = whole_number(year);
    const int w = whole_number(week);
    if (y < 1 || y > 9999 || w < 1 || w > 53)
        throw WrongPeriod();
    const auto weeks_in_year = (iso_week_one(y + 1) - iso_week_one(y)).count() / 7;
    if (w > weeks_in_year)
        throw WrongPeriod();
    const chr::year_month_day start{iso_week_one(y) + chr::days{7 * (w - 1)}};
    return between(checked(start), plus_days(start, 7));
}

Period day_period(const std::string& year, const std::string& month, const std::string& day) {
    const auto start = make_date(whole_number(year), whole_number(month), whole_number(day));
    return between(start, plus_days(start, 1));
}

std::string last_day(const Period& period) {
    const int y = std::stoi(period.end.substr(0, 4));
    const int m = std::stoi(period.end.substr(5, 2));
    const int d = std::stoi(period.end.substr(8, 2));
    return text_of(plus_days(chr::year_month_day{chr::year{y}, chr::month{unsigned(m)}, chr::day{unsigned(d)}}, -1));
}

std::string interval_time_spents_json(db::Connection& c, const std::string& person_id, const Period& period,
                                      const Scope& scope) {
    Scope reader = scope;
    reader.person_id = person_id;
    const auto f = scope_filters(reader, {period.start, period.end}, true);
    return rows_array_json(casting(
        c,
        "SELECT t.id AS task_id, t.task_type_id, p.id AS project_id, p.name AS project_name, e.name AS entity_name, "
        "et.name AS entity_type_name, sq.name AS sequence_name, ep.name AS episode_name, sum(ts.duration) AS duration "
        "FROM task t JOIN entity e ON e.id = t.entity_id JOIN project p ON p.id = t.project_id "
        "JOIN time_spent ts ON ts.task_id = t.id JOIN entity_type et ON et.id = e.entity_type_id "
        "LEFT JOIN entity sq ON sq.id = e.parent_id LEFT JOIN entity ep ON ep.id = sq.parent_id" +
            f.joins + " WHERE ts.date >= $1::date AND ts.date < $2::date" + f.where +
            " GROUP BY t.id, t.task_type_id, p.id, p.name, e.name, et.name, sq.name, ep.name",
        f.params));
}

std::string period_time_spents_json(db::Connection& c, const Period& period, const Scope& scope) {
    const auto f = scope_filters(scope, {period.start, period.end}, false);
    return rows_json(casting(c,
                             "SELECT ts.* FROM time_spent ts" + f.joins +
                                 " WHERE ts.date >= $1::date AND ts.date < $2::date" + f.where,
                             f.params),
                     "TimeSpent");
}

std::string date_time_spents_json(db::Connection& c, const std::string& person_id, const std::string& date,
                                  const Scope& scope) {
    Scope reader = scope;
    reader.person_id = person_id;
    const auto f = scope_filters(reader, {date}, false);
    return rows_json(
        casting(c, "SELECT ts.* FROM time_spent ts" + f.joins + " WHERE ts.date = $1::date" + f.where, f.params),
        "TimeSpent");
}

std::string time_table_json(db::Connection& c, const std::string& unit, const std::optional<Period>& period,
                            const Scope& scope) {
    // extract(week) is the ISO week, as Python's isocalendar()[1].
    const std::string field = unit == "day" ? "day" : unit == "week" ? "week" : unit == "year" ? "year" : "month";
    db::Params params;
    std::string when = "TRUE";
    if (period) {
        params = {period->start, period->end};
        when = "ts.date >= $1::date AND ts.date < $2::date";
    }
    const auto f = scope_filters(scope, std::move(params), false);
    const auto rows = casting(c,
                              "SELECT extract(" + field +
                                  " FROM ts.date)::int AS unit, ts.person_id, "
                                  "sum(ts.duration) AS total FROM time_spent ts" +
                                  f.joins + " WHERE " + when + f.where + " GROUP BY 1, 2 ORDER BY 1, 2",
                              f.params);
    JsonWriter out;
    out.begin_object();
    std::string open;
    for (int row = 0; row < rows.rows(); ++row) {
        const std::string unit_key(rows.get(row, 0));
        if (unit_key != open) {
            if (!open.empty())
                out.end_object();
            open = unit_key;
            out.key(unit_key).begin_object();
        }
        out.key(rows.get(row, 1));
        write_value(out, rows, row, 2);
    }
    if (!open.empty())
        out.end_object();
    out.end_object();
    return out.take();
}

std::string day_offs_between_json(db::Connection& c, const std::optional<std::string>& first,
                                  const std::optional<std::string>& last, const std::optional<std::string>& person_id) {
    return rows_json(
        casting(c,
                "SELECT * FROM day_off WHERE ($1::uuid IS NULL OR person_id = $1::uuid) "
                "AND ($2::date IS NULL OR $2::date <= end_date) AND ($3::date IS NULL OR $3::date >= date)",
                {person_id, first, last}),
        "DayOff");
}

} // namespace slate::engine::person_time
