// engine/tasks/open_tasks.cpp: the SQL of the open productions' task figures.
#include "engine/tasks/open_tasks.h"

#include "engine/crud/queries.h"
#include "engine/db/connection.h"
#include "engine/json.h"
#include "engine/serialize.h"

#include <algorithm>
#include <iterator>
#include <string_view>
#include <vector>

namespace slate::engine::tasks {

std::string open_tasks_stats_json(db::Connection& c, const services::Identity& caller) {
    const bool admin = caller.role == "admin";
    const std::string scope = admin ? "ps.name = 'Open' AND $1::uuid IS NOT NULL"
                                    : "t.project_id IN " + queries::open_team_projects_sql("$1");
    const auto rows =
        c.exec("SELECT t.project_id::text AS project_id, t.task_type_id, t.task_status_id, count(*) AS amount, "
               "count(CASE WHEN ts.is_done THEN t.id END) AS amount_done, sum(t.duration) AS total_duration, "
               "sum(t.estimation) AS total_estimation FROM task t "
               "JOIN task_type tt ON tt.id = t.task_type_id JOIN task_status ts ON ts.id = t.task_status_id "
               "JOIN entity e ON e.id = t.entity_id JOIN entity_type et ON et.id = e.entity_type_id "
               "JOIN project p ON p.id = t.project_id JOIN project_status ps ON ps.id = p.project_status_id "
               "WHERE tt.for_entity <> 'Concept' AND " +
                   scope + " GROUP BY t.project_id, t.task_type_id, t.task_status_id ORDER BY t.project_id",
               {caller.person_id});
    JsonWriter out;
    out.begin_object();
    int first = 0;
    while (first < rows.rows()) {
        const std::string_view project = rows.get(first, "project_id");
        int last = first;
        int64_t amount = 0, done = 0;
        double duration = 0, estimation = 0;
        while (last < rows.rows() && rows.get(last, "project_id") == project) {
            amount += rows.get_int(last, "amount");
            done += rows.get_int(last, "amount_done");
            duration += std::stod(std::string(rows.get(last, "total_duration")));
            estimation += std::stod(std::string(rows.get(last, "total_estimation")));
            ++last;
        }
        out.key(project).begin_object();
        out.field("amount", amount).field("amount_done", done);
        out.key("total_duration").number(duration);
        out.key("total_estimation").number(estimation);
        out.key("task_types").begin_array();
        for (int row = first; row < last; ++row) {
            out.begin_object();
            write_row_fields(out, rows, row);
            out.end_object();
        }
        out.end_array().end_object();
        first = last;
    }
    out.end_object();
    return out.take();
}

namespace {

/// Python's str() of a timestamp read as PostgreSQL's text, "None" for null.
std::string python_str(const db::Result& rows, int row, std::string_view column) {
    const auto value = rows.optional(row, column);
    return value ? *value : "None";
}

} // namespace

std::string persons_task_dates_json(db::Connection& c, const services::Identity& caller,
                                    const std::optional<std::string>& project_id) {
    const std::string open = "(SELECT p.id FROM project p JOIN project_status s ON s.id = p.project_status_id "
                             "WHERE s.name = 'Open')";
    std::string scope;
    db::Params params;
    bool busy = false;
    if (project_id) {
        scope = "$1::uuid";
        params.push_back(*project_id);
    } else if (caller.role == "admin") {
        scope = open;
    } else {
        scope = queries::open_team_projects_sql("$1");
        params.push_back(caller.person_id);
        busy = true;
    }
    const auto dates = c.exec("SELECT a.person_id::text AS person_id, min(t.start_date) AS min_date, "
                              "max(t.due_date) AS max_date FROM task t JOIN task_person_link a ON a.task_id = t.id "
                              "JOIN person x ON x.id = a.person_id AND x.active WHERE t.project_id IN (" +
                                  scope + ") GROUP BY a.person_id",
                              params);
    struct Entry {
        std::string min_date, max_date;
        std::vector<std::pair<std::string, std::string>> busy;
    };
    std::vector<std::pair<std::string, Entry>> entries;
    for (int row = 0; row < dates.rows(); ++row)
        entries.push_back({std::string(dates.get(row, "person_id")),
                           Entry{python_str(dates, row, "min_date"), python_str(dates, row, "max_date"), {}}});
    if (busy) {
        // The other open productions: date pairs only, merged where they overlap.
        const auto periods =
            c.exec("SELECT a.person_id::text AS person_id, t.start_date, t.due_date FROM task t "
                   "JOIN task_person_link a ON a.task_id = t.id JOIN person x ON x.id = a.person_id AND x.active "
                   "WHERE t.project_id IN " +
                       open + " AND t.project_id NOT IN " + queries::open_team_projects_sql("$1") +
                       " AND t.start_date IS NOT NULL AND t.due_date IS NOT NULL ORDER BY a.person_id, t.start_date, "
                       "t.due_date",
                   {caller.person_id});
        for (int row = 0; row < periods.rows(); ++row) {
            const std::string person(periods.get(row, "person_id"));
            auto it = std::find_if(entries.begin(), entries.end(), [&](const auto& e) { return e.first == person; });
            if (it == entries.end()) {
                entries.push_back({person, Entry{"", "", {}}});
                it = std::prev(entries.end());
            }
            const std::string start(periods.get(row, "start_date")), end(periods.get(row, "due_date"));
            auto& merged = it->second.busy;
            // Same-shaped timestamps compare as text.
            if (!merged.empty() && start <= merged.back().second)
                merged.back().second = std::max(merged.back().second, end);
            else
                merged.emplace_back(start, end);
        }
    }
    JsonWriter out;
    out.begin_array();
    for (const auto& [person, entry] : entries) {
        out.begin_object().field("person_id", person);
        if (entry.min_date.empty()) { // only busy periods
            out.field_null("min_date").field_null("max_date");
        } else {
            out.field("min_date", entry.min_date).field("max_date", entry.max_date);
        }
        out.key("busy_periods").begin_array();
        for (const auto& [start, end] : entry.busy)
            out.begin_object().field("start_date", start).field("end_date", end).end_object();
        out.end_array().end_object();
    }
    out.end_array();
    return out.take();
}

} // namespace slate::engine::tasks
