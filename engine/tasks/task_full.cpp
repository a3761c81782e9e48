// engine/tasks/task_full.cpp: the full task, each part read with its own small query.
#include "engine/tasks/task_full.h"
#include "engine/people/person_name.h"

#include "engine/crud/queries.h"
#include "engine/db/connection.h"
#include "engine/json.h"
#include "engine/models/catalog.h"
#include "engine/serialize.h"

namespace slate::engine::tasks {
namespace {

/// Row `id` of `table` as serialize() (the relation id lists with `relations`), or nothing.
bool write_row(JsonWriter& out, db::Connection& c, const char* table, const std::optional<std::string>& id,
               const char* type, bool relations = false, std::initializer_list<std::string_view> skip = {}) {
    if (!id)
        return false;
    const auto row = queries::select_by_id(c, models::table(table), *id, relations);
    if (row.rows() == 0)
        return false;
    out.begin_object();
    write_row_fields(out, row, 0, skip);
    if (std::string_view(table) == "person")
        out.field("full_name", people::full_name(row.get(0, "first_name"), row.get(0, "last_name")));
    out.field("type", type);
    out.end_object();
    return true;
}

/// Person.serialize_safe(): every column but the secrets.
const std::initializer_list<std::string_view> person_secrets = {
    "password",         "totp_secret", "email_otp_secret",     "otp_recovery_codes",
    "fido_credentials", "jti",         "login_failed_attemps", "last_login_failed"};

} // namespace

std::string full_task_json(db::Connection& c, const std::string& task_id, const std::string& caller_id) {
    const auto task = queries::select_by_id(c, models::table("task"), task_id, true);
    if (task.rows() == 0)
        throw_not_found(not_found_message);
    const auto facts = c.exec(
        "SELECT e.id AS entity_id, e.parent_id, et.name AS entity_type_name, e.entity_type_id, "
        "(SELECT s.parent_id FROM entity s WHERE s.id = e.parent_id) AS grand_parent_id, "
        "EXISTS (SELECT 1 FROM subscription s WHERE s.task_id = $1::uuid AND s.person_id = $2::uuid) AS subscribed "
        "FROM task t JOIN entity e ON e.id = t.entity_id JOIN entity_type et ON et.id = e.entity_type_id "
        "WHERE t.id = $1::uuid",
        {task_id, caller_id});
    JsonWriter out;
    out.begin_object();
    write_row_fields(out, task, 0);
    out.field("type", "Task");
    out.key("entity");
    if (!facts.rows() || !write_row(out, c, "entity", facts.optional(0, "entity_id"), "Entity"))
        out.null();
    out.key("entity_type");
    if (!facts.rows() || !write_row(out, c, "entity_type", facts.optional(0, "entity_type_id"), "EntityType"))
        out.null();
    out.field("is_subscribed", facts.rows() > 0 && facts.get_bool(0, "subscribed"));
    out.key("persons").begin_array();
    const auto assignees = c.exec("SELECT person_id FROM task_person_link WHERE task_id = $1::uuid", {task_id});
    for (int row = 0; row < assignees.rows(); ++row)
        write_row(out, c, "person", std::string(assignees.get(row, 0)), "Person", false, person_secrets);
    out.end_array();
    out.key("project");
    write_row(out, c, "project", task.optional(0, "project_id"), "Project");
    out.key("task_status");
    if (!write_row(out, c, "task_status", task.optional(0, "task_status_id"), "TaskStatus"))
        out.null();
    out.key("task_type");
    write_row(out, c, "task_type", task.optional(0, "task_type_id"), "TaskType");
    // The assigner is left out when the person is gone.
    if (const auto assigner = task.optional(0, "assigner_id")) {
        JsonWriter person;
        if (write_row(person, c, "person", assigner, "Person", true, person_secrets))
            out.key("assigner").raw(person.text());
    }
    if (facts.rows() && facts.optional(0, "parent_id")) {
        const std::string type(facts.get(0, "entity_type_name"));
        std::optional<std::string> episode;
        if (type == "Sequence") {
            out.key("sequence");
            write_row(out, c, "entity", facts.optional(0, "entity_id"), "Entity");
            episode = facts.optional(0, "parent_id");
        } else if (type == "Shot" || type == "Scene") {
            out.key("sequence");
            write_row(out, c, "entity", facts.optional(0, "parent_id"), "Sequence");
            episode = facts.optional(0, "grand_parent_id");
        }
        if (episode) {
            JsonWriter part;
            if (write_row(part, c, "entity", episode, "Episode"))
                out.key("episode").raw(part.text());
        }
    }
    out.end_object();
    return out.take();
}

} // namespace slate::engine::tasks
