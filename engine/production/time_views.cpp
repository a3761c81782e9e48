#include "engine/production/time_views.h"

#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/json.h"
#include "engine/production/production_common.h"
#include "engine/serialize.h"

#include <map>
#include <vector>

namespace slate::engine::production {
namespace {

/// Runs a query whose dates PostgreSQL casts: a date it cannot read is Zou's 400.
template <typename Body>
auto reading_dates(const std::optional<std::string>& start_date, const std::optional<std::string>& end_date,
                   Body body) {
    try {
        return body();
    } catch (const db::DbError& e) {
        if (e.sqlstate().rfind("22", 0) != 0) // data exceptions: invalid or out-of-range dates
            throw;
        throw_wrong_parameter("Wrong date format for " + start_date.value_or("None") + " and/or " +
                        end_date.value_or("None"));
    }
}

/// Writes rows grouped by a column, in the rows' order: {"<key>": [serialize(), ...]}.
std::string grouped_json(const db::Result& rows, std::string_view key_column, std::string_view type,
                         std::initializer_list<std::string_view> skip_for_others = {}, const std::string& viewer = "",
                         bool everything = true) {
    std::vector<std::string> order;
    std::map<std::string, std::vector<int>> by_key;
    for (int row = 0; row < rows.rows(); ++row) {
        const std::string key(rows.get(row, key_column));
        if (!by_key.count(key))
            order.push_back(key);
        by_key[key].push_back(row);
    }
    JsonWriter out;
    out.begin_object();
    for (const auto& key : order) {
        out.key(key).begin_array();
        for (int row : by_key[key]) {
            out.begin_object();
            if (everything || key == viewer)
                write_row_fields(out, rows, row);
            else
                write_row_fields(out, rows, row, skip_for_others);
            out.field("type", type).end_object();
        }
        out.end_array();
    }
    out.end_object();
    return out.take();
}

} // namespace

std::string project_time_spents_json(db::Connection& c, const std::string& project_id) {
    return rows_json(
        c.exec(select_model_sql("time_spent", false) + " JOIN task k ON k.id = t.task_id WHERE k.project_id = $1::uuid",
               {project_id}),
        "TimeSpent");
}

std::string task_type_time_spents_json(db::Connection& c, const std::string& project_id,
                                       const std::string& task_type_id, const std::optional<std::string>& start_date,
                                       const std::optional<std::string>& end_date) {
    const auto rows = reading_dates(start_date, end_date, [&] {
        return c.exec(select_model_sql("time_spent", false) + R"( JOIN task k ON k.id = t.task_id
            WHERE k.project_id = $1::uuid AND k.task_type_id = $2::uuid
              AND ($3::date IS NULL OR t.date >= $3::date) AND ($4::date IS NULL OR t.date <= $4::date)
            ORDER BY t.date DESC)",
                      {project_id, task_type_id, start_date, end_date});
    });
    return grouped_json(rows, "person_id", "TimeSpent");
}

std::string team_day_offs_json(db::Connection& c, const std::string& project_id,
                               const std::optional<std::string>& start_date, const std::optional<std::string>& end_date,
                               bool with_description, const std::string& viewer_id) {
    const auto rows = reading_dates(start_date, end_date, [&] {
        return c.exec(select_model_sql("day_off", false) + R"(
            WHERE t.person_id IN (SELECT l.person_id FROM project_person_link l WHERE l.project_id = $1::uuid)
              AND ($2::date IS NULL OR $2::date <= t.end_date) AND ($3::date IS NULL OR $3::date >= t.date)
            ORDER BY t.date)",
                      {project_id, start_date, end_date});
    });
    // Zou's serialize_safe drops the description of other people's days off.
    return grouped_json(rows, "person_id", "DayOff", {"description"}, viewer_id, with_description);
}

std::string month_time_spents_json(db::Connection& c, const std::string& project_id, const std::string& viewer_id) {
    // Babel formats the date as midnight UTC seen from the viewer's zone (a zone west of UTC
    // counts the first of a month in the month before).
    const auto rows = c.exec(R"(SELECT tt.department_id::text AS department_id, ts.person_id::text AS person_id,
            to_char((ts.date::timestamp AT TIME ZONE 'UTC') AT TIME ZONE
                    COALESCE(NULLIF((SELECT p.timezone FROM person p WHERE p.id = $2::uuid), ''), 'UTC'),
                    'YYYY-MM') AS month,
            ts.duration
        FROM time_spent ts JOIN task k ON k.id = ts.task_id JOIN task_type tt ON tt.id = k.task_type_id
        JOIN department d ON d.id = tt.department_id
        WHERE k.project_id = $1::uuid ORDER BY ts.date)",
                             {project_id, viewer_id});
    struct Totals {
        double total = 0;
        std::vector<std::string> order; ///< months in first-seen order
        std::map<std::string, double> by_month;
    };
    struct Department {
        double total = 0;
        std::vector<std::string> order; ///< persons in first-seen order
        std::map<std::string, Totals> persons;
    };
    std::vector<std::string> order;
    std::map<std::string, Department> departments;
    for (int row = 0; row < rows.rows(); ++row) {
        const std::string department_id(rows.get(row, "department_id")), person_id(rows.get(row, "person_id")),
            month(rows.get(row, "month"));
        const double duration = std::stod(std::string(rows.get(row, "duration")));
        if (!departments.count(department_id))
            order.push_back(department_id);
        Department& department = departments[department_id];
        if (!department.persons.count(person_id))
            department.order.push_back(person_id);
        Totals& person = department.persons[person_id];
        if (!person.by_month.count(month))
            person.order.push_back(month);
        person.by_month[month] += duration;
        person.total += duration;
        department.total += duration;
    }
    JsonWriter out;
    out.begin_object();
    for (const auto& department_id : order) {
        const Department& department = departments[department_id];
        out.key(department_id).begin_object().key("total").number(department.total);
        for (const auto& person_id : department.order) {
            const Totals& person = department.persons.at(person_id);
            out.key(person_id).begin_object().key("total").number(person.total);
            for (const auto& month : person.order)
                out.key(month).number(person.by_month.at(month));
            out.end_object();
        }
        out.end_object();
    }
    out.end_object();
    return out.take();
}

} // namespace slate::engine::production
