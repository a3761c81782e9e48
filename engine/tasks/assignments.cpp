// engine/tasks/assignments.cpp: the SQL and rules of task assignations.
#include "engine/tasks/assignments.h"

#include "engine/access.h"
#include "engine/crud/queries.h"
#include "engine/people/notification_writer.h"
#include "engine/db/connection.h"
#include "engine/json.h"
#include "engine/models/catalog.h"
#include "engine/serialize.h"
#include "engine/uuid.h"

#include <algorithm>

namespace slate::engine::tasks {
namespace {

using services::Identity;

std::vector<std::string> departments_of(db::Connection& c, const std::string& person_id) {
    const auto rows = c.exec("SELECT department_id::text FROM department_link WHERE person_id = $1::uuid", {person_id});
    std::vector<std::string> ids;
    for (int row = 0; row < rows.rows(); ++row)
        ids.emplace_back(rows.get(row, 0));
    return ids;
}

bool contains(const std::vector<std::string>& list, const std::optional<std::string>& value) {
    return value && std::find(list.begin(), list.end(), *value) != list.end();
}

struct TaskFacts {
    std::string project_id;
    std::optional<std::string> department_id;
};

std::optional<TaskFacts> task_facts(db::Connection& c, const std::string& task_id) {
    if (!is_uuid(task_id))
        return std::nullopt;
    const auto row = c.exec("SELECT t.project_id, tt.department_id FROM task t JOIN task_type tt "
                            "ON tt.id = t.task_type_id WHERE t.id = $1::uuid",
                            {task_id});
    if (row.rows() == 0)
        return std::nullopt;
    return TaskFacts{std::string(row.get(0, "project_id")), row.optional(0, "department_id")};
}

void emit(db::Connection& c, const Identity& caller, const char* name, const std::string& project_id,
          const std::string& task_id, const std::optional<std::string>& person_id) {
    JsonWriter data;
    data.begin_object().field("task_id", task_id);
    if (person_id)
        data.field("person_id", *person_id);
    data.field("project_id", project_id).end_object();
    queries::insert_event(c, name, caller.person_id, project_id, data.take());
}

} // namespace

std::optional<std::string> task_project(db::Connection& c, const std::string& task_id) {
    auto facts = task_facts(c, task_id);
    return facts ? std::optional<std::string>(facts->project_id) : std::nullopt;
}

void require_not_bot(db::Connection& c, const std::string& person_id, const std::optional<std::string>& project_id) {
    if (!is_uuid(person_id))
        throw AssigneeMissing();
    const auto person = c.exec("SELECT is_bot FROM person WHERE id = $1::uuid", {person_id});
    if (person.rows() == 0)
        throw AssigneeMissing();
    if (!person.get_bool(0, "is_bot"))
        return;
    if (project_id &&
        c.exec("SELECT 1 FROM project WHERE id = $1::uuid AND is_bot_collaboration_enabled", {*project_id}).rows())
        return;
    throw_forbidden();
}

namespace {

/// The caller's role on the task's production ("admin" for admins, else the effective role
/// there), as Zou's checks of assignments and priorities start: nothing when there is no such
/// task or the caller is not on its team.
std::optional<std::string> role_on_task(db::Connection& c, const Identity& caller,
                                        const std::optional<TaskFacts>& task) {
    if (!task)
        return std::nullopt;
    if (caller.role == "admin")
        return caller.role;
    if (!access::has_project_access(caller, c, task->project_id))
        return std::nullopt;
    return access::effective_role(caller, c, task->project_id);
}

} // namespace

bool may_assign(db::Connection& c, const Identity& caller, const std::string& task_id, const std::string& person_id) {
    const auto task = task_facts(c, task_id);
    const auto role = role_on_task(c, caller, task);
    if (!role)
        return false;
    if (*role == "admin" || *role == "manager")
        return true;
    const auto mine = departments_of(c, caller.person_id);
    if (*role == "supervisor") {
        if (mine.empty())
            return true;
        if (contains(mine, task->department_id)) {
            for (const auto& department : departments_of(c, person_id))
                if (contains(mine, department))
                    return true;
        }
    }
    // Anyone may take a task of their own department.
    return contains(mine, task->department_id) && person_id == caller.person_id;
}

bool may_unassign(db::Connection& c, const Identity& caller, const std::string& task_id,
                  const std::optional<std::string>& person_id) {
    const auto task = task_facts(c, task_id);
    const auto role = role_on_task(c, caller, task);
    if (!role)
        return false;
    if (*role == "admin" || *role == "manager")
        return true;
    if (*role == "supervisor") {
        const auto mine = departments_of(c, caller.person_id);
        if (mine.empty() || contains(mine, task->department_id))
            return true;
    }
    // An assignee may leave the task.
    return person_id == caller.person_id &&
           c.exec("SELECT 1 FROM task_person_link WHERE task_id = $1::uuid AND person_id = $2::uuid",
                  {task_id, caller.person_id})
                   .rows() > 0;
}

std::string assign(db::Connection& c, const Identity& caller, const std::string& task_id, const std::string& person_id,
                   std::vector<std::string>& notified) {
    db::Transaction transaction(c);
    const auto task = task_facts(c, task_id);
    if (!task)
        throw_not_found(not_found_message);
    c.exec("INSERT INTO task_person_link (task_id, person_id) VALUES ($1::uuid, $2::uuid) ON CONFLICT DO NOTHING",
           {task_id, person_id});
    c.exec("UPDATE task SET assigner_id = $2::uuid, updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid",
           {task_id, caller.person_id});
    emit(c, caller, "task:assign", task->project_id, task_id, person_id);
    emit(c, caller, "task:update", task->project_id, task_id, std::nullopt);
    // The assignee hears of it, unless they assigned themselves.
    if (person_id != caller.person_id) {
        people::NewNotification notification{"assignation", person_id, caller.person_id, task->project_id};
        notification.task_id = task_id;
        notified.push_back(people::write_notification(c, notification));
    }
    const auto row = queries::select_by_id(c, models::table("task"), task_id, true);
    transaction.commit();
    return row_json(row, 0, "Task");
}

std::vector<std::string> assignees_of(db::Connection& c, const std::string& task_id) {
    const auto rows = c.exec("SELECT person_id::text FROM task_person_link WHERE task_id = $1::uuid", {task_id});
    std::vector<std::string> people;
    for (int row = 0; row < rows.rows(); ++row)
        people.emplace_back(rows.get(row, 0));
    return people;
}

std::vector<std::string> announce_assignees_change(db::Connection& c, const Identity& caller,
                                                   const std::string& task_id,
                                                   const std::vector<std::string>& previous) {
    std::vector<std::string> notified;
    const auto task = c.exec("SELECT project_id FROM task WHERE id = $1::uuid", {task_id});
    if (task.rows() == 0)
        return notified;
    const auto project_id = task.optional(0, "project_id");
    const auto now = assignees_of(c, task_id);
    auto announce = [&](const char* name, const std::string& person_id) {
        JsonWriter data;
        data.begin_object().field("task_id", task_id).field("person_id", person_id).end_object();
        queries::insert_event(c, name, caller.person_id, project_id, data.take());
    };
    for (const auto& person : now) {
        if (contains(previous, person))
            continue;
        announce("task:assign", person);
        if (person == caller.person_id)
            continue;
        people::NewNotification notification{"assignation", person, caller.person_id, project_id.value_or("")};
        notification.task_id = task_id;
        notified.push_back(people::write_notification(c, notification));
    }
    for (const auto& person : previous)
        if (!contains(now, person))
            announce("task:unassign", person);
    return notified;
}

void add_team_member(db::Connection& c, const std::string& project_id, const std::string& person_id) {
    c.exec("INSERT INTO project_person_link (project_id, person_id) VALUES ($1::uuid, $2::uuid) "
           "ON CONFLICT DO NOTHING",
           {project_id, person_id});
}

void clear_assignation(db::Connection& c, const std::string& task_id, const std::optional<std::string>& person_id) {
    const auto task = task_facts(c, task_id);
    if (!task)
        return;
    db::Transaction transaction(c);
    std::vector<std::string> removed;
    if (person_id) {
        removed.push_back(*person_id); // Zou announces it even when they were not assigned
        if (is_uuid(*person_id))
            c.exec("DELETE FROM task_person_link WHERE task_id = $1::uuid AND person_id = $2::uuid",
                   {task_id, *person_id});
    } else {
        const auto rows =
            c.exec("DELETE FROM task_person_link WHERE task_id = $1::uuid RETURNING person_id::text", {task_id});
        for (int row = 0; row < rows.rows(); ++row)
            removed.emplace_back(rows.get(row, 0));
    }
    c.exec("UPDATE task SET updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid", {task_id});
    for (const auto& person : removed) {
        JsonWriter data;
        data.begin_object()
            .field("person_id", person)
            .field("task_id", task_id)
            .field("project_id", task->project_id)
            .end_object();
        queries::insert_event(c, "task:unassign", std::nullopt, task->project_id, data.take());
    }
    JsonWriter data;
    data.begin_object().field("task_id", task_id).field("project_id", task->project_id).end_object();
    queries::insert_event(c, "task:update", std::nullopt, task->project_id, data.take());
    transaction.commit();
}

bool may_set_priority(db::Connection& c, const Identity& caller, const std::string& task_id) {
    const auto task = task_facts(c, task_id);
    const auto role = role_on_task(c, caller, task);
    if (!role)
        return false;
    if (*role == "admin" || *role == "manager")
        return true;
    if (*role != "supervisor")
        return false;
    const auto mine = departments_of(c, caller.person_id);
    return mine.empty() || contains(mine, task->department_id);
}

std::string set_priority(db::Connection& c, const Identity& caller, const std::string& task_id, int64_t priority) {
    db::Transaction transaction(c);
    const auto row = c.exec("UPDATE task SET priority = $2::integer, updated_at = now() AT TIME ZONE 'utc' "
                            "WHERE id = $1::uuid RETURNING *",
                            {task_id, std::to_string(priority)});
    if (row.rows() == 0)
        throw_not_found(not_found_message);
    emit(c, caller, "task:update", std::string(row.get(0, "project_id")), task_id, std::nullopt);
    transaction.commit();
    return row_json(row, 0, "Task");
}

} // namespace slate::engine::tasks
