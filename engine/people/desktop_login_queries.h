#pragma once
// engine/people/desktop_login_queries.h: the desktop apps' login records (Zou's desktop_login_log)
// and the monthly presence they add up to.

#include "engine/db/connection.h"

#include <optional>
#include <string>
#include <vector>

namespace slate::engine::queries {

/// A person's desktop login logs, newest first (every column, for DesktopLoginLog JSON).
db::Result desktop_login_logs(db::Connection& c, const std::string& person_id);

/// Writes a log at `date` (YYYY-MM-DDTHH:MM:SS; now in UTC when absent), sets the person's
/// last presence (the later of the last desktop login's day and the last time spent) with a
/// person:update event, in one transaction; answers the new row. Throws bad_request
/// "Invalid date." when PostgreSQL refuses the date (2021-02-30 and the like).
db::Result add_desktop_login_log(db::Connection& c, const std::string& person_id,
                                 const std::optional<std::string>& date);

/// A line of the presence sheet: an active, non-guest person and the days of the month on
/// which they logged in from a desktop app.
struct PresenceRow {
    std::string first_name, last_name; ///< empty when null
    std::vector<int> days;             ///< 1-based days of the month, ascending
};

/// The presence of a month: its number of days and one row per active, non-guest person,
/// ordered by first then last name. `month` is 1..12.
struct MonthPresence {
    int days_in_month = 0;
    std::vector<PresenceRow> rows;
};
MonthPresence month_presence(db::Connection& c, int year, int month);

} // namespace slate::engine::queries
