#pragma once
// engine/people/user_time.h: the caller's own time sheet reads (Zou's time_spents_service
// get_time_spents, get_time_spents_range, get_time_spent, get_day_off). Dates are cast by
// PostgreSQL, as Zou lets the driver do; a value it refuses throws WrongDate.

#include "engine/db/connection.h"

#include <optional>
#include <stdexcept>
#include <string>

namespace slate::engine::user {

/// PostgreSQL refused a date (or an id) of the request.
struct WrongDate : std::runtime_error {
    WrongDate() : std::runtime_error("wrong date") {}
};

/// Runs a read whose parameters PostgreSQL casts (dates, ids of a query string); a value it
/// refuses is the caller's bad input: WrongDate.
db::Result casting(db::Connection& c, const std::string& sql, const db::Params& params);

/// The person's time spents of `date`. Zou compares with the date even when none is given, so
/// no date matches nothing.
std::string time_spents_of_day(db::Connection& c, const std::string& person_id, const std::optional<std::string>& date);
/// The person's time spents from `start` to `end`, both included.
std::string time_spents_between(db::Connection& c, const std::string& person_id, const std::string& start,
                                const std::string& end);
/// The person's time spent on the task that day, or null.
std::string time_spent_of_task(db::Connection& c, const std::string& person_id, const std::string& task_id,
                               const std::string& date);
/// The person's day off covering `date`, or {}.
std::string day_off_of(db::Connection& c, const std::string& person_id, const std::string& date);

} // namespace slate::engine::user
