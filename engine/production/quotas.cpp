#include "engine/production/quotas.h"

#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/json.h"
#include "engine/production/production_common.h"
#include "engine/uuid.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>

namespace slate::engine::production {
namespace {

/// One period's counters.
struct Counter {
    int64_t frames = 0;
    double seconds = 0;
    int64_t count = 0;
    int64_t drawings = 0;
};

/// A person's (or task type's) quotas: counters per day, ISO week, month and year, and how
/// many days each month holds, weeks and months each year holds.
struct QuotaEntry {
    std::map<std::string, Counter> day, week, month, year;
    std::map<std::string, int64_t> day_entries, week_entries, month_entries;
};

using Quotas = std::map<std::string, QuotaEntry>;

/// Zou's _add_quota_entry for one shot on one local day (`week`: its ISO week number).
void add_quota_entry(Quotas& quotas, const std::string& entry_id, const std::string& day, int week_number,
                     int64_t frames, int64_t drawings, double fps) {
    QuotaEntry& entry = quotas[entry_id];
    const std::string year = day.substr(0, 4);
    const std::string month = day.substr(0, 7);
    const std::string week = year + "-" + std::to_string(week_number);
    if (!entry.day.count(day))
        ++entry.day_entries[month];
    if (!entry.week.count(week))
        ++entry.week_entries[year];
    if (!entry.month.count(month))
        ++entry.month_entries[year];
    for (Counter* counter : {&entry.day[day], &entry.week[week], &entry.month[month], &entry.year[year]}) {
        counter->frames += frames;
        counter->seconds += double(frames) / fps;
        counter->drawings += drawings;
        counter->count += 1;
    }
}

void write_period(JsonWriter& out, const std::map<std::string, Counter>& counters,
                  const std::map<std::string, int64_t>* entries) {
    out.begin_object();
    out.key("frames").begin_object();
    for (const auto& [key, counter] : counters)
        out.field(key, counter.frames);
    out.end_object().key("seconds").begin_object();
    for (const auto& [key, counter] : counters)
        out.key(key).number(counter.seconds);
    out.end_object().key("count").begin_object();
    for (const auto& [key, counter] : counters)
        out.field(key, counter.count);
    out.end_object();
    if (entries) {
        out.key("entries").begin_object();
        for (const auto& [key, number] : *entries)
            out.field(key, number);
        out.end_object();
    }
    out.key("drawings").begin_object();
    for (const auto& [key, counter] : counters)
        out.field(key, counter.drawings);
    out.end_object().end_object();
}

std::string quotas_text(const Quotas& quotas) {
    JsonWriter out;
    out.begin_object();
    for (const auto& [id, entry] : quotas) {
        out.key(id).begin_object();
        out.key("day");
        write_period(out, entry.day, &entry.day_entries);
        out.key("week");
        write_period(out, entry.week, &entry.week_entries);
        out.key("month");
        write_period(out, entry.month, &entry.month_entries);
        out.key("year");
        write_period(out, entry.year, nullptr);
        out.end_object();
    }
    out.end_object();
    return out.take();
}

/// get_project_fps: the production's fps, 25 when unset.
double project_fps(db::Connection& c, const std::string& project_id) {
    const auto rows = c.exec("SELECT fps FROM project WHERE id = $1::uuid", {project_id});
    if (rows.rows() == 0)
        throw_not_found(not_found_message);
    const std::string fps = rows.optional(0, "fps").value_or("");
    char* end = nullptr;
    const double value = std::strtod(fps.c_str(), &end);
    return fps.empty() || end == fps.c_str() || value == 0 ? 25.0 : value;
}

// The shot tasks of the production ($1), as a query's FROM and WHERE: $4 the studio (null:
// any; a studio without people filters nothing, as Zou's empty or_() does).
constexpr const char* shot_task_joins = R"(
    FROM task t
    JOIN entity e ON e.id = t.entity_id
    JOIN project p ON p.id = t.project_id )";
constexpr const char* shot_task_filters = R"(
    WHERE t.project_id = $1::uuid
      AND e.entity_type_id = (SELECT id FROM entity_type WHERE name = 'Shot' LIMIT 1)
      AND ($4::uuid IS NULL OR NOT EXISTS (SELECT 1 FROM person s WHERE s.studio_id = $4::uuid)
           OR EXISTS (SELECT 1 FROM task_person_link sa JOIN person s ON s.id = sa.person_id
                      WHERE sa.task_id = t.id AND s.studio_id = $4::uuid)) )";

/// A timestamp read in the timezone $5: its local day and ISO week.
std::string local_day(const std::string& timestamp) {
    const std::string local = "((" + timestamp + ") AT TIME ZONE 'UTC' AT TIME ZONE $5::text)";
    return "to_char(" + local + ", 'YYYY-MM-DD') AS day, extract(week FROM " + local + ")::int AS week";
}

/// The entry a row counts for: its person, or its task type for one person's quotas.
std::string entry_of(const QuotaScope& scope, const db::Result& rows, int row) {
    return std::string(scope.person_id ? rows.get(row, "task_type_id") : rows.get(row, "person_id"));
}

void add_twice(Quotas& quotas, const std::string& entry, const db::Result& rows, int row, int64_t frames,
               int64_t drawings, double fps) {
    const std::string day(rows.get(row, "day"));
    const int week = int(rows.get_int(row, "week"));
    for (const std::string& id : {entry, std::string("total")})
        add_quota_entry(quotas, id, day, week, frames, drawings, fps);
}

/// Weighted, tasks with time spents: each time spent's share of the task's duration counts on
/// its day, for the person who logged it.
void add_time_spent_shares(db::Connection& c, const QuotaScope& scope, const db::Params& params,
                           const std::string& date_column, double fps, Quotas& quotas) {
    const auto rows = c.exec(std::string(R"(
        SELECT t.task_type_id::text AS task_type_id, COALESCE(t.nb_drawings, 0) AS nb_drawings,
               COALESCE(t.duration, 0) AS task_duration, COALESCE(e.nb_frames, 0) AS nb_frames,
               ts.date::text AS day, extract(week FROM ts.date)::int AS week, ts.duration,
               COALESCE(ts.person_id::text, 'None') AS person_id, $5::text AS zone)") +
                                 shot_task_joins + " JOIN time_spent ts ON ts.task_id = t.id " + shot_task_filters +
                                 R"( AND ($2::uuid IS NULL OR t.task_type_id = $2::uuid)
                                     AND ($3::uuid IS NULL OR ts.person_id = $3::uuid)
                                     AND t.)" +
                                 date_column + " IS NOT NULL ORDER BY ts.date, t.id, ts.id",
                             params);
    for (int row = 0; row < rows.rows(); ++row) {
        const double task_duration = std::strtod(std::string(rows.get(row, "task_duration")).c_str(), nullptr);
        if (!(task_duration > 0))
            continue;
        const double share = std::strtod(std::string(rows.get(row, "duration")).c_str(), nullptr) / task_duration;
        add_twice(quotas, entry_of(scope, rows, row), rows, row,
                  python_round(double(rows.get_int(row, "nb_frames")) * share),
                  python_round(double(rows.get_int(row, "nb_drawings")) * share), fps);
    }
}

/// Weighted, tasks without time spents: the frames divided by the business days the task took
/// count on each weekday from the feedback date on, as many days as the task took, for each
/// assignee. Zou filters these on the task type even when none is given (then on a null one).
void add_spread_tasks(db::Connection& c, const QuotaScope& scope, const db::Params& params,
                      const std::string& date_column, double fps, Quotas& quotas) {
    const std::string finish = "t." + date_column;
    const std::string span = "floor(extract(epoch FROM (" + finish + " - t.real_start_date)) / 86400)";
    const std::string day = finish + " + g.n * interval '1 day'";
    const auto rows = c.exec("SELECT t.task_type_id::text AS task_type_id, COALESCE(t.nb_drawings, 0) AS nb_drawings,"
                             " e.nb_frames, a.person_id::text AS person_id, t.real_start_date::text AS started,"
                             " " +
                                 finish + "::text AS finished, extract(isodow FROM " + day + ")::int AS weekday, " +
                                 local_day(day) + shot_task_joins +
                                 " JOIN task_person_link a ON a.task_id = t.id"
                                 " CROSS JOIN LATERAL generate_series(0, (" +
                                 span + ")::int) AS g(n) " + shot_task_filters +
                                 R"( AND t.task_type_id IS NOT DISTINCT FROM $2::uuid
                                     AND t.real_start_date IS NOT NULL
                                     AND NOT EXISTS (SELECT 1 FROM time_spent ts WHERE ts.task_id = t.id)
                                     AND ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM task_person_link pa
                                          WHERE pa.task_id = t.id AND pa.person_id = $3::uuid))
                                     AND )" +
                                 finish + " IS NOT NULL ORDER BY t.id, a.person_id, g.n",
                             params);
    for (int row = 0; row < rows.rows(); ++row) {
        if (rows.get_int(row, "weekday") > 5)
            continue;
        const int64_t days =
            business_days(naive_seconds(rows.get(row, "started")), naive_seconds(rows.get(row, "finished"))) + 1;
        const auto nb_frames = rows.optional(row, "nb_frames");
        const int64_t frames = nb_frames ? python_round(std::strtod(nb_frames->c_str(), nullptr) / double(days)) : 0;
        add_twice(quotas, entry_of(scope, rows, row), rows, row, frames, rows.get_int(row, "nb_drawings"), fps);
    }
}

/// Raw: the whole shot counts on its date, for each assignee.
void add_whole_tasks(db::Connection& c, const QuotaScope& scope, const db::Params& params,
                     const std::string& date_column, double fps, Quotas& quotas) {
    const std::string finish = "t." + date_column;
    const auto rows = c.exec("SELECT t.task_type_id::text AS task_type_id, COALESCE(t.nb_drawings, 0) AS nb_drawings,"
                             " COALESCE(e.nb_frames, 0) AS nb_frames, a.person_id::text AS person_id, " +
                                 local_day(finish) + shot_task_joins + " JOIN task_person_link a ON a.task_id = t.id" +
                                 shot_task_filters +
                                 R"( AND ($2::uuid IS NULL OR t.task_type_id = $2::uuid)
                                     AND ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM task_person_link pa
                                          WHERE pa.task_id = t.id AND pa.person_id = $3::uuid))
                                     AND )" +
                                 finish + " IS NOT NULL ORDER BY " + finish + ", t.id, a.person_id",
                             params);
    for (int row = 0; row < rows.rows(); ++row)
        add_twice(quotas, entry_of(scope, rows, row), rows, row, rows.get_int(row, "nb_frames"),
                  rows.get_int(row, "nb_drawings"), fps);
}

} // namespace

std::string quotas_json(db::Connection& c, const QuotaScope& scope) {
    for (const auto* id : {&scope.task_type_id, &scope.person_id, &scope.studio_id})
        if (*id && !is_uuid(**id))
            throw_wrong_parameter("Wrong UUID format.");
    if (scope.person_id && c.exec("SELECT 1 FROM person WHERE id = $1::uuid", {*scope.person_id}).rows() == 0)
        throw_not_found(not_found_message);
    const double fps = project_fps(c, scope.project_id);
    const db::Params params{scope.project_id, scope.task_type_id, scope.person_id, scope.studio_id, scope.timezone};
    const std::string date_column = scope.feedback ? "end_date" : "done_date";
    Quotas quotas;
    if (scope.weighted) {
        add_time_spent_shares(c, scope, params, date_column, fps, quotas);
        add_spread_tasks(c, scope, params, date_column, fps, quotas);
    } else {
        add_whole_tasks(c, scope, params, date_column, fps, quotas);
    }
    return quotas_text(quotas);
}

void require_person_not_bot(db::Connection& c, const std::string& person_id) {
    const auto person =
        is_uuid(person_id) ? c.exec("SELECT is_bot FROM person WHERE id = $1::uuid", {person_id}) : db::Result();
    if (!is_uuid(person_id) || person.rows() == 0)
        throw_not_found(not_found_message);
    if (!person.is_null(0, 0) && person.get_bool(0, "is_bot"))
        throw_forbidden();
}

std::string user_timezone(db::Connection& c, const std::string& person_id, const std::string& fallback) {
    const auto rows = c.exec(R"(SELECT p.timezone FROM person p JOIN pg_timezone_names z ON z.name = p.timezone
                                WHERE p.id = $1::uuid)",
                             {person_id});
    return rows.rows() > 0 ? std::string(rows.get(0, "timezone")) : fallback;
}

namespace {

/// Python's int() of a path segment.
std::optional<long long> integer_of(const std::string& text) {
    std::size_t start = (!text.empty() && (text[0] == '+' || text[0] == '-')) ? 1 : 0;
    if (text.size() == start || text.size() > 10)
        return std::nullopt;
    for (std::size_t index = start; index < text.size(); ++index)
        if (text[index] < '0' || text[index] > '9')
            return std::nullopt;
    return std::stoll(text);
}

[[noreturn]] void invalid_period() {
    throw_wrong_parameter("Invalid month or year.");
}

int64_t days_of(long long year, long long month, long long day) {
    char text[32];
    std::snprintf(text, sizeof text, "%lld-%lld-%lld", year, month, day);
    return naive_seconds(text) / 86400;
}

/// "YYYY-MM-DD 00:00:00" of a day number (Howard Hinnant's civil_from_days).
std::string midnight(int64_t days) {
    days += 719468;
    const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const int64_t day_of_era = days - era * 146097;
    const int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    const int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    const int64_t mp = (5 * day_of_year + 2) / 153;
    const int64_t day = day_of_year - (153 * mp + 2) / 5 + 1;
    const int64_t month = mp < 10 ? mp + 3 : mp - 9;
    const int64_t year = year_of_era + era * 400 + (month <= 2);
    char text[40];
    std::snprintf(text, sizeof text, "%04lld-%02lld-%02lld 00:00:00", (long long)year, (long long)month,
                  (long long)day);
    return text;
}

bool valid_date(long long year, long long month, long long day) {
    static const int lengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1)
        return false;
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return day <= lengths[month - 1] + (month == 2 && leap ? 1 : 0);
}

} // namespace

Period month_period(const std::string& year_text, const std::string& month_text) {
    const auto year = integer_of(year_text), month = integer_of(month_text);
    if (!year || !month || !valid_date(*year, *month, 1) || (*year == 9999 && *month == 12))
        invalid_period();
    const long long next_year = *month == 12 ? *year + 1 : *year, next_month = *month == 12 ? 1 : *month + 1;
    return {midnight(days_of(*year, *month, 1)), midnight(days_of(next_year, next_month, 1))};
}

Period week_period(const std::string& year_text, const std::string& week_text) {
    const auto year = integer_of(year_text), week = integer_of(week_text);
    if (!year || !week || *year < 1 || *year > 9999 || *week < 1 || *week > 53)
        invalid_period();
    // Week 1 holds January 4th; a week exists when its Thursday is in the year.
    const int64_t january_4 = days_of(*year, 1, 4);
    const int64_t weekday = ((january_4 + 3) % 7 + 7) % 7;
    const int64_t monday = january_4 - weekday + 7 * (*week - 1);
    if (midnight(monday + 3).substr(0, 4) != midnight(january_4).substr(0, 4))
        invalid_period();
    return {midnight(monday), midnight(monday + 7)};
}

Period day_period(const std::string& year_text, const std::string& month_text, const std::string& day_text) {
    const auto year = integer_of(year_text), month = integer_of(month_text), day = integer_of(day_text);
    if (!year || !month || !day || !valid_date(*year, *month, *day))
        invalid_period();
    const int64_t days = days_of(*year, *month, *day);
    return {midnight(days), midnight(days + 1)};
}

int64_t python_round(double value) {
    return static_cast<int64_t>(std::nearbyint(value));
}

double python_round2(double value) {
    char text[64];
    std::snprintf(text, sizeof text, "%.2f", value);
    return std::strtod(text, nullptr);
}

int64_t naive_seconds(std::string_view timestamp) {
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    const std::string text(timestamp);
    if (std::sscanf(text.c_str(), "%d-%d-%d %d:%d:%d", &year, &month, &day, &hour, &minute, &second) < 3)
        return 0;
    // Days from civil (Howard Hinnant's algorithm).
    year -= month <= 2;
    const int era = (year >= 0 ? year : year - 399) / 400;
    const int year_of_era = year - era * 400;
    const int day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const int day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    const int64_t days = int64_t(era) * 146097 + day_of_era - 719468;
    return days * 86400 + hour * 3600 + minute * 60 + second;
}

int64_t business_days(int64_t start, int64_t end) {
    const auto floor_div = [](int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); };
    const int64_t span = floor_div(end - start, 86400);
    const int64_t first_day = floor_div(start, 86400);
    int64_t count = 0;
    for (int64_t k = 1; k <= span; ++k) {
        const int64_t weekday = ((first_day + k + 3) % 7 + 7) % 7; // 1970-01-01 was a Thursday
        if (weekday < 5)
            ++count;
    }
    return count;
}

} // namespace slate::engine::production
