#pragma once
// engine/production/quotas.h: how many shots (frames, seconds, drawings) people delivered per
// day, week, month and year (Zou's shots_service quota functions), and which shots counted
// for a person over a period. A shot task counts at its feedback date (`feedback`: end_date)
// or its approval date (done_date). Weighted counting spreads a task over its time spents
// (each share of the task's duration counting on its day) or, without time spents, counts it
// on each business day from the feedback date on, divided by the business days it took;
// raw counting puts the whole shot on that date. Dates that are instants are read in the
// caller's timezone; time spent days are taken as they are.

#include "engine/fwd.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace slate::engine::production {

/// What a quota count covers.
struct QuotaScope {
    std::string project_id;
    std::optional<std::string> task_type_id; ///< Zou filters on it (null: task types that are null)
    std::optional<std::string> person_id;    ///< one person's quotas, keyed by task type
    std::optional<std::string> studio_id;    ///< tasks assigned to someone of that studio
    bool weighted = true;
    bool feedback = true;
    std::string timezone; ///< the caller's (user_timezone)
};

/// {"<person or task type id>" and "total": {"day"|"week"|"month": {"frames", "seconds",
/// "count", "entries", "drawings"}, "year": {...without entries}}}, as Zou answers it.
std::string quotas_json(db::Connection& c, const QuotaScope& scope);

/// The shots that counted for a person in [start, end) (local naive "YYYY-MM-DD HH:MM:SS"),
/// each serialized as an Entity with its "full_name" and "weight", by full name. Zou scopes
/// them to one production and task type: without them nothing matches.
struct QuotaShotsQuery {
    std::string person_id;
    std::optional<std::string> project_id;
    std::optional<std::string> task_type_id;
    bool weighted = true;
    bool feedback = true;
    std::string timezone;
    std::string start, end;
};
std::string quota_shots_json(db::Connection& c, const QuotaShotsQuery& query);

/// Zou's date_helpers intervals, as local naive "YYYY-MM-DD 00:00:00" bounds [start, end):
/// a month, an ISO week (Monday on), a day. The path's texts must be integers of a valid date,
/// else 400 "Invalid month or year.".
struct Period {
    std::string start, end;
};
Period month_period(const std::string& year, const std::string& month);
Period week_period(const std::string& year, const std::string& week);
Period day_period(const std::string& year, const std::string& month, const std::string& day);

/// Zou's check_person_is_not_bot on the person a quota route names: 404 when unknown, 403
/// for a bot.
void require_person_not_bot(db::Connection& c, const std::string& person_id);

/// The person's timezone, else `fallback` (DEFAULT_TIMEZONE); an unknown zone name is the
/// fallback too.
std::string user_timezone(db::Connection& c, const std::string& person_id, const std::string& fallback);

/// Python's round(x): to the nearest integer, halves to even.
int64_t python_round(double value);
/// Python's round(x, 2).
double python_round2(double value);
/// Seconds since 1970 of a naive "YYYY-MM-DD[ HH:MM:SS]" (0 when unreadable).
int64_t naive_seconds(std::string_view timestamp);
/// Zou's date_helpers.get_business_days: the weekdays among the whole days after `start` up
/// to `end` (seconds as naive_seconds gives them).
int64_t business_days(int64_t start, int64_t end);

} // namespace slate::engine::production
