// engine/review/comment_edits.cpp: PUT /data/comments/<id>, its rules and its follow-ups.
#include "engine/review/comment_edits.h"

#include "engine/access.h"
#include "engine/crud/queries.h"
#include "engine/crud/values.h"
#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/json.h"
#include "engine/review/comment_followups.h"
#include "engine/review/comment_rights.h"
#include "engine/review/comments.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>


namespace slate::engine::services {
namespace {

using db::Connection;

bool differs(Connection& c, const Poco::JSON::Object& body, const char* key, const db::Result& row) {
    if (!body.has(key))
        return false;
    const auto value = body.get(key);
    if (std::string_view(key) == "checklist") // compared as Python compares lists of dicts
        return c.exec("SELECT $1::jsonb IS DISTINCT FROM $2::jsonb AS changed",
                      {crud::json_text(value), row.optional(0, "checklist")})
            .get_bool(0, "changed");
    const auto current = row.optional(0, key);
    if (value.isEmpty())
        return current.has_value();
    if (value.isBoolean())
        return !current || (value.extract<bool>() ? "t" : "f") != *current;
    return !current || value.toString() != *current;
}

/// Whether the new checklist only ticks or unticks the boxes of the current one: same items,
/// every key but "checked" unchanged (Zou refuses that alone to people outside the task).
bool only_ticks(const Poco::Dynamic::Var& sent, const std::string& current_json) {
    Poco::JSON::Array::Ptr updated = sent.type() == typeid(Poco::JSON::Array::Ptr)
                                         ? sent.extract<Poco::JSON::Array::Ptr>()
                                         : Poco::JSON::Array::Ptr();
    Poco::JSON::Parser parser;
    const auto parsed = parser.parse(current_json.empty() ? "[]" : current_json);
    if (!updated || parsed.type() != typeid(Poco::JSON::Array::Ptr))
        return false;
    const auto current = parsed.extract<Poco::JSON::Array::Ptr>();
    if (updated->size() != current->size())
        return false;
    for (unsigned i = 0; i < current->size(); ++i) {
        const auto before = current->getObject(i);
        const auto after = updated->getObject(i);
        if (!before)
            continue;
        for (const auto& [key, value] : *before)
            if (key != "checked" && (!after || !after->has(key) || crud::json_text(after->get(key)) != crud::json_text(value)))
                return false;
    }
    return true;
}

} // namespace

void require_comment_update(Connection& c, const Identity& caller, const std::string& comment_id,
                            const Poco::JSON::Object& body) {
    if (caller.role == "admin")
        return;
    const auto comment = c.exec(R"(SELECT cm.person_id, cm.object_id, cm.task_status_id, cm.pinned, cm.for_client,
            cm.checklist::text AS checklist, t.project_id,
            EXISTS (SELECT 1 FROM task_person_link a WHERE a.task_id = t.id AND a.person_id = $2::uuid) AS assigned,
            )" + access::supervises_department_sql("$2::uuid", "tt.department_id") + R"( AS in_department
        FROM comment cm JOIN task t ON t.id = cm.object_id JOIN task_type tt ON tt.id = t.task_type_id
        WHERE cm.id = $1::uuid)",
                                {comment_id, caller.person_id});
    if (comment.rows() == 0)
        throw_not_found(not_found_message);
    const std::string project_id(comment.get(0, "project_id"));
    const auto role = queries::project_role(c, project_id, caller.person_id);
    if (!role)
        throw_forbidden();
    if (*role == "manager")
        return;
    if (differs(c, body, "for_client", comment)) // only managers publish to clients
        throw_forbidden();
    const bool supervisor = *role == "supervisor";
    const bool in_department = comment.get_bool(0, "in_department");
    const bool assigned = comment.get_bool(0, "assigned");
    const bool author = comment.optional(0, "person_id") == caller.person_id;
    if (differs(c, body, "pinned", comment) && (!supervisor || !in_department))
        throw_forbidden();
    if (differs(c, body, "checklist", comment) && !author &&
        ((supervisor && !(in_department || assigned)) || (!supervisor && !assigned)) &&
        only_ticks(body.get("checklist"), comment.optional(0, "checklist").value_or("[]")))
        throw_forbidden();
    if (!author)
        for (const auto& [key, value] : body)
            if (key != "pinned" && key != "checklist")
                throw_forbidden();
    if (body.has("person_id") && body.get("person_id").toString() != caller.person_id)
        throw_forbidden();
    if (differs(c, body, "object_id", comment))
        throw_forbidden();
    if (body.has("task_status_id")) {
        if (differs(c, body, "task_status_id", comment))
            access::require_task_action_access(caller, c, std::string(comment.get(0, "object_id")));
        require_task_status_access(c, *role, body.get("task_status_id").toString());
    }
}

std::vector<std::string> follow_comment_update(Connection& c, const std::string& comment_id,
                                               const std::string& previous_status_id, const std::string& caller_id) {
    const auto comment = c.exec(R"(SELECT cm.object_id, cm.person_id, cm.task_status_id, cm.text, t.project_id
        FROM comment cm JOIN task t ON t.id = cm.object_id WHERE cm.id = $1::uuid)",
                                {comment_id});
    if (comment.rows() == 0) // a comment on something else than a task: nothing follows
        return {};
    const std::string task_id(comment.get(0, "object_id"));
    const std::string project_id(comment.get(0, "project_id"));
    const std::string status(comment.get(0, "task_status_id"));
    write_mentions(c, comment_id, project_id, comment.optional(0, "text").value_or(""));
    if (status != previous_status_id) { // Zou announces the comment's new status, whatever the task's
        reset_task_data(c, task_id);
        JsonWriter data;
        data.begin_object()
            .field("task_id", task_id)
            .field("new_task_status_id", status)
            .field("previous_task_status_id", previous_status_id)
            .field("person_id", comment.optional(0, "person_id").value_or(""))
            .end_object();
        queries::insert_event(c, "task:status-changed", caller_id, project_id, data.take());
    }
    auto notified = renotify_mentions(c, comment_id, task_id, project_id);
    JsonWriter data;
    data.begin_object().field("comment_id", comment_id).field("task_id", task_id).end_object();
    queries::insert_event(c, "comment:update", caller_id, project_id, data.take());
    return notified;
}

} // namespace slate::engine::services
