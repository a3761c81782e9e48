#pragma once
// engine/people/person_time.h: a person's time sheets and days off as the persons routes read
// them (Zou's time_spents_service: get_*_time_spents, get_time_spents_for_month, the day, week,
// month and year tables, get_day_offs_between and its period variants). Periods are computed
// here as Zou's date_helpers do (ISO weeks, [start, end[ intervals); a period Python's datetime
// refuses (month 13, week 54, year 0) throws WrongPeriod.

#include "engine/fwd.h"
#include "engine/people/user_time.h"

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace slate::engine::person_time {

/// A year, month, week or day that names no period, or a date PostgreSQL refuses.
using WrongPeriod = user::WrongDate;

/// A [start, end[ interval of dates, as YYYY-MM-DD.
struct Period {
    std::string start;
    std::string end;
};

Period year_period(const std::string& year);
Period month_period(const std::string& year, const std::string& month);
/// ISO week `week` of `year` (Monday to Monday): week 53 only in years that have one.
Period week_period(const std::string& year, const std::string& week);
Period day_period(const std::string& year, const std::string& month, const std::string& day);

/// What a reader may see of time spents: nullopt fields do not filter. `project_ids` set but
/// empty matches nothing, as Zou's `in_([])`.
struct Scope {
    std::optional<std::string> person_id;
    std::optional<std::vector<std::string>> project_ids;
    std::vector<std::string> department_ids; ///< empty: any department
    std::optional<std::string> studio_id;
};

/// Zou's _get_project_department_ids_for_person_access: admins and the person themselves read
/// everything; managers and supervisors the productions whose team they are in (supervisors of
/// their departments only); anyone else gets a 403.
Scope person_reader_scope(db::Connection& c, const services::Identity& caller, const std::string& person_id);

/// The same scope narrowed to the `project_id` of the query string (403 when outside it), as
/// PersonDurationTimeSpentsResource does.
Scope narrowed(Scope scope, const std::optional<std::string>& project_id);

/// TimeSpentDurationResource's arguments for the tables: admins any filter; managers and
/// supervisors their productions (supervisors their departments: another department is a 400
/// "Supervisor not allowed to access this department"); anyone else only their own time.
Scope table_scope(db::Connection& c, const services::Identity& caller, const std::optional<std::string>& project_id,
                  const std::optional<std::string>& department_id, const std::optional<std::string>& studio_id);

/// The person's time per task over the period: [{task_id, task_type_id, project_id,
/// project_name, entity_name, entity_type_name, sequence_name, episode_name, duration}].
std::string interval_time_spents_json(db::Connection& c, const std::string& person_id, const Period& period,
                                      const Scope& scope);

/// The time spent rows of the period, serialized, within the scope.
std::string period_time_spents_json(db::Connection& c, const Period& period, const Scope& scope);

/// The person's time spents of one date (any form PostgreSQL reads; else WrongPeriod), within
/// the scope's productions and departments.
std::string date_time_spents_json(db::Connection& c, const std::string& person_id, const std::string& date,
                                  const Scope& scope);

/// Zou's time tables: {"<unit>": {"<person_id>": total}} where unit is the day of the month
/// ("day", over a month period), the ISO week number ("week"), the month ("month") or the year
/// ("year", over every date when `period` is nullopt).
std::string time_table_json(db::Connection& c, const std::string& unit, const std::optional<Period>& period,
                            const Scope& scope);

/// Days off overlapping [first, last] (both included), of one person when given.
std::string day_offs_between_json(db::Connection& c, const std::optional<std::string>& first,
                                  const std::optional<std::string>& last, const std::optional<std::string>& person_id);

/// The last day of a [start, end[ period.
std::string last_day(const Period& period);

} // namespace slate::engine::person_time
