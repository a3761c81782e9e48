// engine/tasks/time_spents.cpp: the SQL of a task's time spents.
#include "engine/tasks/time_spents.h"

#include "engine/access.h"
#include "engine/crud/queries.h"
#include "engine/db/connection.h"
#include "engine/json.h"
#include "engine/people/person_queries.h"
#include "engine/serialize.h"
#include "engine/uuid.h"

#include <algorithm>
#include <iterator>
#include <vector>

namespace slate::engine::tasks {
namespace {

using services::Identity;

void emit(db::Connection& c, const Identity& caller, const std::string& name, const std::string& project_id,
          const char* key, const std::string& id) {
    JsonWriter data;
    data.begin_object().field(key, id).field("project_id", project_id).end_object();
    queries::insert_event(c, name, caller.person_id, project_id, data.take());
}

/// The task's duration becomes the sum of its time spents; task:update.
void refresh_duration(db::Connection& c, const Identity& caller, const std::string& task_id,
                      const std::string& project_id) {
    c.exec("UPDATE task SET duration = COALESCE((SELECT sum(duration) FROM time_spent WHERE task_id = $1::uuid), 0), "
           "updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid",
           {task_id});
    emit(c, caller, "task:update", project_id, "task_id", task_id);
}

std::string project_of(db::Connection& c, const std::string& task_id) {
    const auto project = queries::project_of_task(c, task_id);
    if (!project)
        throw_not_found(not_found_message);
    return *project;
}

} // namespace

std::string task_time_spents_json(db::Connection& c, const std::string& task_id,
                                  const std::optional<std::string>& date) {
    db::Result rows;
    try {
        rows = c.exec("SELECT * FROM time_spent WHERE task_id = $1::uuid AND ($2::date IS NULL OR date = $2::date) "
                      "ORDER BY created_at",
                      {task_id, date});
    } catch (const db::DbError& e) {
        if (e.kind() != ErrorKind::bad_request)
            throw;
        throw_bad_request("Wrong date format.");
    }
    double total = 0;
    std::vector<std::pair<std::string, std::vector<std::string>>> by_person;
    for (int row = 0; row < rows.rows(); ++row) {
        const std::string person = rows.optional(row, "person_id").value_or("None");
        auto it = std::find_if(by_person.begin(), by_person.end(), [&](const auto& p) { return p.first == person; });
        if (it == by_person.end()) {
            by_person.push_back({person, {}});
            it = std::prev(by_person.end());
        }
        it->second.push_back(row_json(rows, row, "TimeSpent"));
        total += std::stod(std::string(rows.get(row, "duration")));
    }
    JsonWriter out;
    out.begin_object();
    // Zou's total starts as the integer 0 and becomes a float with the first time spent.
    if (rows.rows() == 0)
        out.field("total", 0);
    else
        out.key("total").number(total);
    for (const auto& [person, items] : by_person) {
        out.key(person).begin_array();
        for (const auto& item : items)
            out.raw(item);
        out.end_array();
    }
    out.end_object();
    return out.take();
}

void require_time_spent_access(db::Connection& c, const Identity& caller, const std::string& task_id,
                               const std::string& person_id) {
    const std::string project = project_of(c, task_id);
    const bool assigned =
        is_uuid(person_id) &&
        c.exec("SELECT 1 FROM task_person_link WHERE task_id = $1::uuid AND person_id = $2::uuid", {task_id, person_id})
                .rows() > 0;
    const bool allowed =
        assigned &&
        (caller.person_id == person_id || caller.role == "admin" ||
         (access::has_project_access(caller, c, project) && access::effective_role(caller, c, project) == "manager"));
    if (!allowed)
        throw_forbidden();
}

std::string set_time_spent(db::Connection& c, const Identity& caller, const std::string& task_id,
                           const std::string& person_id, const std::string& date, double duration, bool add) {
    const std::string project = project_of(c, task_id);
    db::Transaction transaction(c);
    auto row = c.exec(std::string("UPDATE time_spent SET duration = ") + (add ? "duration + " : "") +
                          "$4::float8, updated_at = now() AT TIME ZONE 'utc' WHERE task_id = $1::uuid "
                          "AND person_id = $2::uuid AND date = $3::date RETURNING *",
                      {task_id, person_id, date, std::to_string(duration)});
    if (row.rows() > 0) {
        emit(c, caller, "time-spent:update", project, "time_spent_id", std::string(row.get(0, "id")));
    } else {
        row = c.exec("INSERT INTO time_spent (id, task_id, person_id, date, duration, created_at, updated_at) "
                     "VALUES ($1::uuid, $2::uuid, $3::uuid, $4::date, $5::float8, now() AT TIME ZONE 'utc', "
                     "now() AT TIME ZONE 'utc') RETURNING *",
                     {new_uuid(), task_id, person_id, date, std::to_string(duration)});
        // The person's last presence: their latest desktop login or time spent day.
        c.exec("UPDATE person SET last_presence = GREATEST("
               "(SELECT max(date)::date FROM desktop_login_log WHERE person_id = $1::uuid), "
               "(SELECT max(date) FROM time_spent WHERE person_id = $1::uuid)), "
               "updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid",
               {person_id});
        queries::insert_person_event(c, "person:update", person_id, caller.person_id);
        emit(c, caller, "time-spent:new", project, "time_spent_id", std::string(row.get(0, "id")));
    }
    refresh_duration(c, caller, task_id, project);
    transaction.commit();
    return row_json(row, 0, "TimeSpent");
}

std::string delete_time_spent(db::Connection& c, const Identity& caller, const std::string& task_id,
                              const std::string& person_id, const std::string& date) {
    const std::string project = project_of(c, task_id);
    db::Transaction transaction(c);
    auto row = c.exec("DELETE FROM time_spent WHERE task_id = $1::uuid AND person_id = $2::uuid AND date = $3::date "
                      "RETURNING id, 0::float8 AS duration, date, task_id, person_id, created_at, updated_at",
                      {task_id, person_id, date});
    if (row.rows() == 0)
        throw_not_found(not_found_message);
    emit(c, caller, "time-spent:delete", project, "time_spent_id", std::string(row.get(0, "id")));
    refresh_duration(c, caller, task_id, project);
    transaction.commit();
    return row_json(row, 0, "TimeSpent");
}

} // namespace slate::engine::tasks
