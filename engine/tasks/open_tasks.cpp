// engine/tasks/open_tasks.cpp: the SQL of the open productions' task figures.
#include "engine/tasks/open_tasks.h"

#include "engine/crud/queries.h"
#include "engine/db/connection.h"
#include "engine/json.h"
#include "engine/serialize.h"

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

} // namespace slate::engine::tasks
