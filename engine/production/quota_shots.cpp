// engine/production/quota_shots.cpp: the shots that counted for a person over a period
// (Zou's get_weighted_quota_shots_between and get_raw_quota_shots_between).

#include "engine/production/quotas.h"

#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/json.h"
#include "engine/people/entity_names.h"
#include "engine/production/production_common.h"
#include "engine/serialize.h"
#include "engine/uuid.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <vector>

namespace slate::engine::production {
namespace {

/// A listed shot: its serialized columns (without the closing brace), full name and weight.
struct QuotaShot {
    std::string columns;
    std::string full_name;
    double weight = 0;
    bool integral = false; ///< the weight is Python's int 0 or 1, written without a fraction
};

// $1 person, $2 project, $3 task type, $4 local start, $5 local end, $6 timezone. The local
// bounds in UTC, for the task dates that are instants.
constexpr const char* utc_start = "(($4::timestamp AT TIME ZONE $6::text) AT TIME ZONE 'UTC')";
constexpr const char* utc_end = "(($5::timestamp AT TIME ZONE $6::text) AT TIME ZONE 'UTC')";

std::string shots_sql(const std::string& extra_columns, const std::string& joins, const std::string& filters) {
    return std::string("SELECT e.*, ") + user::full_entity_name_sql + " AS quota_full_name" + extra_columns +
           " FROM entity e JOIN task t ON e.id = t.entity_id JOIN project p ON p.id = t.project_id" + joins +
           user::entity_name_joins +
           " WHERE e.entity_type_id = (SELECT id FROM entity_type WHERE name = 'Shot' LIMIT 1)"
           " AND t.project_id = $2::uuid AND t.task_type_id = $3::uuid" +
           filters;
}

constexpr const char* assigned = " AND EXISTS (SELECT 1 FROM task_person_link a WHERE a.task_id = t.id"
                                 " AND a.person_id = $1::uuid)";

QuotaShot shot_of(const db::Result& rows, int row) {
    JsonWriter out;
    out.begin_object();
    write_row_fields(out, rows, row,
                     {"quota_full_name", "task_duration", "spent", "spent_id", "task_start", "task_end", "zone"});
    out.field("type", "Entity");
    std::string columns = out.take(); // the object stays open: full name and weight follow
    return QuotaShot{std::move(columns), std::string(rows.get(row, "quota_full_name"))};
}

double number(const db::Result& rows, int row, const char* column) {
    return std::strtod(std::string(rows.get(row, column)).c_str(), nullptr);
}

void weighted_shots(db::Connection& c, const QuotaShotsQuery& query, const db::Params& params,
                    std::vector<QuotaShot>& shots) {
    const std::string date_column = query.feedback ? "t.end_date" : "t.done_date";
    std::map<std::string, std::size_t> listed;
    // Time spents of the person in the period: each adds its share of the task's duration.
    const auto spent = c.exec(
        shots_sql(", COALESCE(t.duration, 0) AS task_duration, ts.duration AS spent, ts.id AS spent_id,"
                  " $6::text AS zone",
                  " JOIN time_spent ts ON t.id = ts.task_id",
                  " AND ts.person_id = $1::uuid AND ts.date >= $4::timestamp::date AND ts.date < $5::timestamp::date"
                  " AND " +
                      date_column + " IS NOT NULL ORDER BY ts.date, ts.id"),
        params);
    for (int row = 0; row < spent.rows(); ++row) {
        const double task_duration = number(spent, row, "task_duration");
        const double share = task_duration > 0 ? python_round2(number(spent, row, "spent") / task_duration) : 0;
        const std::string id(spent.get(row, "id"));
        if (const auto found = listed.find(id); found != listed.end()) {
            shots[found->second].weight += share;
            shots[found->second].integral = false;
            continue;
        }
        QuotaShot shot = shot_of(spent, row);
        shot.weight = share;
        shot.integral = share == 0; // `round(...) or 0`
        listed.emplace(id, shots.size());
        shots.push_back(std::move(shot));
    }
    // Tasks without time spents that ran during the period: the share of their business days
    // inside it.
    const auto spread =
        c.exec(shots_sql(", t.real_start_date::text AS task_start, " + date_column + "::text AS task_end",
                         " LEFT JOIN time_spent ts ON ts.task_id = t.id",
                         std::string(" AND t.real_start_date IS NOT NULL") + assigned + " AND ts.id IS NULL AND " +
                             date_column + " IS NOT NULL AND t.real_start_date <= " + utc_end + " AND " + date_column +
                             " >= " + utc_start + " ORDER BY t.real_start_date, t.id"),
               params);
    const int64_t start = naive_seconds(query.start);
    const int64_t end = naive_seconds(query.end);
    for (int row = 0; row < spread.rows(); ++row) {
        const std::string id(spread.get(row, "id"));
        if (listed.count(id))
            continue;
        const int64_t task_start = naive_seconds(spread.get(row, "task_start"));
        const int64_t task_end = naive_seconds(spread.get(row, "task_end"));
        const int64_t days = business_days(task_start, task_end) + 1;
        // Zou compares the UTC task dates with the local bounds, as written here.
        int64_t multiplicator = 1;
        if (task_start >= start && task_end <= end)
            multiplicator = days;
        else if (task_start >= start)
            multiplicator = business_days(task_start, end) + 1;
        else if (task_end <= end)
            multiplicator = business_days(start, task_end) + 1;
        QuotaShot shot = shot_of(spread, row);
        shot.weight = python_round2(double(multiplicator) / double(days));
        listed.emplace(id, shots.size());
        shots.push_back(std::move(shot));
    }
}

void raw_shots(db::Connection& c, const QuotaShotsQuery& query, const db::Params& params,
               std::vector<QuotaShot>& shots) {
    const std::string date_column = query.feedback ? "t.end_date" : "t.done_date";
    const auto rows = c.exec(shots_sql("", "",
                                       std::string(assigned) + " AND " + date_column + " BETWEEN " + utc_start +
                                           " AND " + utc_end + " ORDER BY " + date_column + ", t.id"),
                             params);
    for (int row = 0; row < rows.rows(); ++row) {
        QuotaShot shot = shot_of(rows, row);
        shot.weight = 1;
        shot.integral = true;
        shots.push_back(std::move(shot));
    }
}

} // namespace

std::string quota_shots_json(db::Connection& c, const QuotaShotsQuery& query) {
    std::vector<QuotaShot> shots;
    // Zou filters on the production and task type as given: without them nothing matches.
    const bool scoped =
        query.project_id && query.task_type_id && is_uuid(*query.project_id) && is_uuid(*query.task_type_id);
    if (scoped) {
        const db::Params params{query.person_id, query.project_id, query.task_type_id,
                                query.start,     query.end,        query.timezone};
        if (query.weighted)
            weighted_shots(c, query, params, shots);
        else
            raw_shots(c, query, params, shots);
    }
    std::stable_sort(shots.begin(), shots.end(),
                     [](const QuotaShot& a, const QuotaShot& b) { return a.full_name < b.full_name; });
    JsonWriter out;
    out.begin_array();
    for (const auto& shot : shots) {
        JsonWriter tail;
        tail.begin_object().field("full_name", shot.full_name).key("weight");
        shot.integral ? tail.number(int64_t(shot.weight)) : tail.number(shot.weight);
        tail.end_object();
        // The open columns object takes the full name and weight, and closes with them.
        out.raw(shot.columns + "," + tail.text().substr(1));
    }
    out.end_array();
    return out.take();
}

} // namespace slate::engine::production
