#include "report_routes.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <stdexcept>

namespace slate::bench {

namespace {

std::string one(engine::db::Connection& c, const std::string& sql, const engine::db::Params& params = {}) {
    const auto result = c.exec(sql, params);
    if (result.rows() == 0)
        throw std::runtime_error("the sample production lacks: " + sql);
    return std::string(result.get(0, 0));
}

} // namespace

std::vector<RouteCase> report_routes(engine::db::Connection& c, const std::string& project_id,
                                     const std::string& artist_email) {
    const std::string artist = one(c, "SELECT id FROM person WHERE email = $1", {artist_email});
    const std::string manager =
        one(c, "SELECT p.id FROM person p JOIN project_person_link l ON l.person_id = p.id WHERE l.project_id = "
               "$1::uuid AND p.role = 'manager' ORDER BY p.email LIMIT 1",
            {project_id});
    const std::string task =
        one(c, "SELECT t.id FROM task t JOIN task_person_link a ON a.task_id = t.id JOIN task_status s ON s.id = "
               "t.task_status_id WHERE a.person_id = $1::uuid AND s.short_name = 'wip' ORDER BY t.id LIMIT 1",
            {artist});
    // The artist's tasks in progress, commented in turn: comments that do not queue on one row.
    std::vector<std::string> comment_turns;
    const auto tasks = c.exec("SELECT t.id FROM task t JOIN task_person_link a ON a.task_id = t.id JOIN task_status s "
                              "ON s.id = t.task_status_id WHERE a.person_id = $1::uuid AND NOT s.is_done "
                              "ORDER BY t.id LIMIT 100",
                              {artist});
    for (int row = 0; row < tasks.rows(); ++row)
        comment_turns.push_back("/actions/tasks/" + std::string(tasks.get(row, 0)) + "/comment");
    if (comment_turns.empty())
        throw std::runtime_error("the sample production lacks tasks in progress for its artist");
    const std::string sequence =
        one(c, "SELECT e.id FROM entity e JOIN entity_type t ON t.id = e.entity_type_id WHERE t.name = 'Sequence' "
               "AND e.project_id = $1::uuid ORDER BY e.name, e.id LIMIT 1",
            {project_id});
    const std::string animation = one(c, "SELECT id FROM task_type WHERE name = 'Animation' AND for_entity = 'Shot'");
    const std::string wip = one(c, "SELECT id FROM task_status WHERE short_name = 'wip' AND NOT for_concept");
    const std::string wfa = one(c, "SELECT id FROM task_status WHERE short_name = 'wfa' AND NOT for_concept");
    const std::string comment_body = R"({"task_status_id": ")" + wip + R"(", "comment": "Benchmark note"})";
    const std::string comment_floor =
        "INSERT INTO comment (id, object_id, object_type, task_status_id, person_id, text, replies, created_at, "
        "updated_at) VALUES (gen_random_uuid(), $1::uuid, 'Task', $2::uuid, $3::uuid, 'Benchmark note', '[]', "
        "now(), now())";
    char today[16];
    const std::time_t now = std::time(nullptr);
    std::strftime(today, sizeof today, "%Y-%m-%d", std::gmtime(&now));
    const std::string p = "project_id=" + project_id;
    return {
        {"user context (first load)", "GET", "/data/user/context", "", Asker::manager,
         "SELECT p.* FROM project p JOIN project_person_link l ON l.project_id = p.id WHERE l.person_id = $1::uuid",
         {manager}},
        {"open projects (first load)", "GET", "/data/projects/open", "", Asker::manager,
         "SELECT p.* FROM project p JOIN project_status s ON s.id = p.project_status_id WHERE s.name = 'Open'", {}},
        {"shots with tasks", "GET", "/data/shots/with-tasks?" + p, "", Asker::manager,
         "SELECT e.*, t.* FROM entity e JOIN entity_type et ON et.id = e.entity_type_id AND et.name = 'Shot' "
         "LEFT JOIN task t ON t.entity_id = e.id WHERE e.project_id = $1::uuid",
         {project_id}},
        {"assets with tasks", "GET", "/data/assets/with-tasks?" + p, "", Asker::manager,
         "SELECT e.*, t.* FROM entity e JOIN project_asset_type_link l ON l.asset_type_id = e.entity_type_id AND "
         "l.project_id = e.project_id LEFT JOIN task t ON t.entity_id = e.id WHERE e.project_id = $1::uuid",
         {project_id}},
        {"a production's casting", "GET", "/data/projects/" + project_id + "/sequences/all/casting", "",
         Asker::manager,
         "SELECT l.* FROM entity_link l JOIN entity s ON s.id = l.entity_in_id WHERE s.project_id = $1::uuid",
         {project_id}},
        {"a sequence's casting", "GET", "/data/projects/" + project_id + "/sequences/" + sequence + "/casting", "",
         Asker::manager,
         "SELECT l.* FROM entity_link l JOIN entity s ON s.id = l.entity_in_id WHERE s.parent_id = $1::uuid",
         {sequence}},
        {"artist: my tasks", "GET", "/data/user/tasks", "", Asker::artist,
         "SELECT t.* FROM task t JOIN task_person_link a ON a.task_id = t.id JOIN task_status s ON s.id = "
         "t.task_status_id WHERE a.person_id = $1::uuid AND NOT s.is_done",
         {artist}},
        {"artist: a task's page", "GET", "/data/tasks/" + task + "/full", "", Asker::artist,
         "SELECT t.*, e.name FROM task t JOIN entity e ON e.id = t.entity_id WHERE t.id = $1::uuid", {task}},
        {"artist: a task's comments", "GET", "/data/tasks/" + task + "/comments", "", Asker::artist,
         "SELECT * FROM comment WHERE object_id = $1::uuid ORDER BY created_at DESC", {task}},
        {"filtered task list", "GET", "/data/tasks?" + p + "&task_type_id=" + animation + "&task_status_id=" + wfa, "",
         Asker::manager,
         "SELECT * FROM task WHERE project_id = $1::uuid AND task_type_id = $2::uuid AND task_status_id = $3::uuid",
         {project_id, animation, wfa}},
        {"comment with a status change", "POST", "/actions/tasks/" + task + "/comment", comment_body, Asker::artist,
         comment_floor, {task, wip, artist}, true},
        {"comments on 100 tasks in turn", "POST", comment_turns.front(), comment_body, Asker::artist, comment_floor,
         {task, wip, artist}, true, comment_turns},
        {"time spent", "POST", "/actions/tasks/" + task + "/time-spents/" + today + "/persons/" + artist,
         R"({"duration": 60})", Asker::artist,
         "INSERT INTO time_spent (id, duration, date, task_id, person_id, created_at, updated_at) VALUES "
         "(gen_random_uuid(), 60, $1::date, $2::uuid, $3::uuid, now(), now()) ON CONFLICT (person_id, task_id, "
         "date) DO UPDATE SET duration = EXCLUDED.duration",
         {today, task, artist}, true},
    };
}

double floor_ms(engine::db::Connection& c, const RouteCase& route) {
    const engine::db::Params params(route.floor_params.begin(), route.floor_params.end());
    std::vector<double> times;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    for (int run = 0; run < 31 && (run < 3 || std::chrono::steady_clock::now() < deadline); ++run) {
        if (route.writes)
            c.exec("BEGIN");
        const auto start = std::chrono::steady_clock::now();
        c.exec(route.floor_sql, params);
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        if (route.writes)
            c.exec("ROLLBACK");
        if (run > 0) // the first run plans and warms the cache
            times.push_back(ms);
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

} // namespace slate::bench
