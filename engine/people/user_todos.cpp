// engine/people/user_todos.cpp: the SQL of the to-do lists: one query, the extra columns
// prefixed "x_" so that the task's own columns are told apart.
#include "engine/people/user_todos.h"

#include "engine/access.h"
#include "engine/db/connection.h"
#include "engine/json.h"
#include "engine/serialize.h"
#include "engine/uuid.h"

#include <algorithm>

#include <string_view>

namespace slate::engine::user {
namespace {

constexpr const char* tasks_sql = R"(
SELECT t.*, p.name AS x_project_name, p.has_avatar AS x_project_has_avatar, e.id AS x_entity_id,
       e.name AS x_entity_name, e.description AS x_entity_description, e.data AS x_entity_data,
       e.preview_file_id AS x_entity_preview_file_id, et.name AS x_entity_type_name, e.canceled AS x_entity_canceled,
       e.parent_id AS x_entity_parent_id, e.source_id AS x_entity_source_id, sq.name AS x_sequence_name,
       ep.id AS x_episode_id, ep.name AS x_episode_name,
       (SELECT s.name FROM entity s JOIN entity_type st ON st.id = s.entity_type_id AND st.name = 'Episode'
        WHERE s.id = e.source_id) AS x_source_episode_name,
       tt.name AS x_task_type_name, tt.for_entity AS x_task_type_for_entity, ts.name AS x_task_status_name,
       tt.color AS x_task_type_color, ts.color AS x_task_status_color, ts.short_name AS x_task_status_short_name,
       COALESCE((SELECT array_agg(l.person_id::text) FROM task_person_link l WHERE l.task_id = t.id), '{}')
           AS x_assignees,
       lc.text AS x_last_comment_text, lc.created_at AS x_last_comment_date, lc.person_id AS x_last_comment_person,
       %CASTING%
FROM %TASKS%
JOIN project p ON p.id = t.project_id
JOIN task_type tt ON tt.id = t.task_type_id
JOIN task_status ts ON ts.id = t.task_status_id
JOIN entity e ON e.id = t.entity_id
JOIN entity_type et ON et.id = e.entity_type_id
LEFT JOIN entity sq ON sq.id = e.parent_id
LEFT JOIN entity ep ON ep.id = sq.parent_id
LEFT JOIN LATERAL (
    SELECT c.text, c.created_at, c.person_id FROM comment c JOIN person a ON a.id = c.person_id
    LEFT JOIN project_person_link r ON r.person_id = a.id AND r.project_id = t.project_id
    WHERE c.object_id = t.id AND COALESCE(r.role, a.role) <> 'client'
    ORDER BY c.created_at DESC LIMIT 1) lc ON true
%CAST_JOIN%WHERE )";

/// The episodes an asset is cast in, by name (todo lists only): one lookup of the links for both
/// arrays.
constexpr const char* casting_join =
    "LEFT JOIN LATERAL (SELECT array_agg(x.id::text ORDER BY x.name) AS ids, array_agg(x.name ORDER BY x.name) "
    "AS names FROM entity_link k JOIN entity x ON x.id = k.entity_in_id JOIN entity_type xt ON xt.id = "
    "x.entity_type_id AND xt.name = 'Episode' WHERE k.entity_out_id = e.id) cast_in ON true\n";

/// Open productions whose team holds person $1.
constexpr const char* related_projects_sql =
    "t.project_id IN (SELECT l.project_id FROM project_person_link l JOIN project lp ON lp.id = l.project_id "
    "JOIN project_status ls ON ls.id = lp.project_status_id WHERE l.person_id = $1::uuid AND ls.name = 'Open')";

/// A person's tasks read from their assignations, each by its key. OFFSET 0 keeps the subquery
/// from being flattened into the join: the planner then costs the few hundred key lookups above a
/// scan of every task and hashes the whole table (35 ms against 23 on the spec production).
constexpr const char* assigned_tasks =
    "task_person_link assigned CROSS JOIN LATERAL (SELECT * FROM task WHERE task.id = assigned.task_id OFFSET 0) t";

/// `tasks`: where the rows come from; a person's lists start from their assignations, so that
/// the plan reads their few hundred tasks by key instead of joining the production's all.
std::string query_text(bool casting, const std::string& where, const char* tasks = "task t") {
    std::string sql = tasks_sql;
    sql.replace(sql.find("%CASTING%"), 9,
                casting ? "cast_in.ids AS x_cast_episode_ids, cast_in.names AS x_cast_episode_names"
                        : "NULL AS x_cast_episode_ids");
    sql.replace(sql.find("%CAST_JOIN%"), 11, casting ? casting_join : "");
    sql.replace(sql.find("%TASKS%"), 7, tasks);
    return sql + where;
}

/// `open`: the open-tasks shape (type_name, status_name, ... and no last comment).
void write_tasks(JsonWriter& out, const db::Result& rows, bool open = false) {
    auto column = [&rows](std::string_view name) { return rows.column_index(name); };
    auto text = [&rows](int row, std::string_view name) -> std::optional<std::string> {
        return rows.optional(row, name);
    };
    out.begin_array();
    for (int row = 0; row < rows.rows(); ++row) {
        out.begin_object();
        for (int index = 0; index < rows.columns(); ++index) {
            const std::string_view name = rows.column_name(index);
            if (name.substr(0, 2) == "x_")
                break;
            if (name == "project_id" || name == "entity_id")
                continue; // written below, with the others Zou sets last
            out.key(name);
            write_value(out, rows, row, index);
        }
        out.field("type", "Task");
        auto copy = [&](const char* key, const char* from) {
            out.key(key);
            write_value(out, rows, row, column(from));
        };
        // Zou's episode: the sequence's parent; else the asset's source episode ("MP" when the
        // source is no episode); a sequence's own parent episode wins over both.
        const auto source = text(row, "x_entity_source_id");
        std::optional<std::string> episode_id = text(row, "x_episode_id");
        std::optional<std::string> episode_name = text(row, "x_episode_name");
        if (!episode_id) {
            episode_id = source.value_or("");
            if (source)
                episode_name = text(row, "x_source_episode_name").value_or("MP");
        }
        if (rows.get(row, "x_entity_type_name") == "Sequence" && text(row, "x_entity_parent_id")) {
            episode_id = text(row, "x_entity_parent_id");
            episode_name = text(row, "x_sequence_name");
        }
        copy("project_name", "x_project_name");
        copy("project_id", "project_id");
        copy("project_has_avatar", "x_project_has_avatar");
        copy("entity_id", "x_entity_id");
        copy("entity_name", "x_entity_name");
        copy("entity_description", "x_entity_description");
        copy("entity_data", "x_entity_data");
        out.field("entity_preview_file_id", text(row, "x_entity_preview_file_id").value_or(""));
        out.field("entity_source_id", source.value_or(""));
        copy("entity_type_name", "x_entity_type_name");
        copy("entity_canceled", "x_entity_canceled");
        copy("sequence_name", "x_sequence_name");
        out.field("episode_id", *episode_id);
        if (episode_name)
            out.field("episode_name", *episode_name);
        else
            out.field_null("episode_name");
        copy("task_type_for_entity", "x_task_type_for_entity");
        if (open) {
            copy("type_name", "x_task_type_name");
            copy("status_name", "x_task_status_name");
            copy("type_color", "x_task_type_color");
            copy("status_color", "x_task_status_color");
            copy("status_short_name", "x_task_status_short_name");
            copy("assignees", "x_assignees");
            out.end_object();
            continue;
        }
        copy("task_estimation", "estimation");
        copy("task_duration", "duration");
        copy("task_start_date", "start_date");
        copy("task_due_date", "due_date");
        copy("task_type_name", "x_task_type_name");
        copy("task_status_name", "x_task_status_name");
        copy("task_type_color", "x_task_type_color");
        copy("task_status_color", "x_task_status_color");
        copy("task_status_short_name", "x_task_status_short_name");
        if (!rows.is_null(row, column("x_cast_episode_ids"))) {
            copy("episode_ids", "x_cast_episode_ids");
            copy("episode_names", "x_cast_episode_names");
        }
        copy("assignees", "x_assignees");
        out.key("last_comment").begin_object();
        if (!rows.is_null(row, column("x_last_comment_date"))) {
            copy("text", "x_last_comment_text");
            copy("date", "x_last_comment_date");
            copy("person_id", "x_last_comment_person");
        }
        out.end_object();
        out.end_object();
    }
    out.end_array();
}

} // namespace

std::string person_tasks_json(db::Connection& c, const std::string& person_id, bool done,
                              const std::optional<std::string>& scope_person_id) {
    std::string where = "assigned.person_id = $1::uuid AND ";
    db::Params params{person_id};
    if (scope_person_id) {
        std::string related = related_projects_sql;
        related.replace(related.find("$1"), 2, "$2");
        where += related;
        params.push_back(*scope_person_id);
    } else {
        where += "p.project_status_id IN (SELECT s.id FROM project_status s WHERE s.name = 'Open')";
    }
    where += done ? " AND ts.is_done = true ORDER BY t.end_date DESC, tt.name, e.name" : " AND ts.is_done = false";
    JsonWriter out;
    // Prepared: planning this many joins costs more than reading a person's tasks.
    write_tasks(out, c.exec_prepared(query_text(true, where, assigned_tasks), params));
    return out.take();
}

std::string tasks_to_check_json(db::Connection& c, const services::Identity& caller) {
    std::string where = "ts.is_feedback_request = true AND ";
    if (caller.role == "admin") {
        where += "p.project_status_id IN (SELECT s.id FROM project_status s WHERE s.name = 'Open') "
                 "AND $1::uuid IS NOT NULL";
    } else if (caller.role == "manager") {
        where += related_projects_sql;
    } else if (caller.role == "supervisor") {
        // Supervisors without a department check every task type.
        where += std::string(related_projects_sql) + " AND " +
                 access::supervises_department_sql("$1::uuid", "tt.department_id");
    } else {
        return "[]";
    }
    JsonWriter out;
    write_tasks(out, c.exec(query_text(false, where), {caller.person_id}));
    return out.take();
}

std::string open_tasks_json(db::Connection& c, const services::Identity& caller, const OpenTaskFilters& filters) {
    for (const auto& [value, field] : {std::pair{&filters.project_id, "project_id"},
                                       {&filters.task_type_id, "task_type_id"},
                                       {&filters.task_status_id, "task_status_id"},
                                       {&filters.studio_id, "studio_id"},
                                       {&filters.department_id, "department_id"}})
        if (*value && !is_uuid(**value))
            throw_bad_request(std::string("Invalid UUID format for ") + field + ": " + **value);
    db::Params params{caller.person_id};
    auto param = [&params](const std::string& value) {
        params.push_back(value);
        return "$" + std::to_string(params.size());
    };
    std::string where;
    if (filters.project_id) {
        access::require_project_access(caller, c, *filters.project_id);
        where = "t.project_id = " + param(*filters.project_id) + "::uuid";
    } else if (caller.role == "admin") {
        where = "p.project_status_id IN (SELECT s.id FROM project_status s WHERE s.name = 'Open') "
                "AND $1::uuid IS NOT NULL";
    } else {
        where = related_projects_sql;
    }
    if (filters.task_type_id)
        where += " AND t.task_type_id = " + param(*filters.task_type_id) + "::uuid";
    if (filters.task_status_id)
        where += " AND t.task_status_id = " + param(*filters.task_status_id) + "::uuid";
    if (filters.person_id && *filters.person_id == "unassigned") {
        where += " AND NOT EXISTS (SELECT 1 FROM task_person_link a WHERE a.task_id = t.id)";
    } else if (filters.person_id) {
        std::string ids = "{";
        std::size_t start = 0;
        while (start <= filters.person_id->size()) {
            const auto comma = filters.person_id->find(',', start);
            const std::string id =
                filters.person_id->substr(start, comma == std::string::npos ? std::string::npos : comma - start);
            if (!is_uuid(id))
                throw_bad_request("Invalid UUID format for person_id: " + id);
            ids += (ids.size() > 1 ? "," : "") + id;
            if (comma == std::string::npos)
                break;
            start = comma + 1;
        }
        where += " AND EXISTS (SELECT 1 FROM task_person_link a WHERE a.task_id = t.id AND a.person_id = ANY(" +
                 param(ids + "}") + "::uuid[]))";
    }
    if (filters.studio_id)
        where += " AND EXISTS (SELECT 1 FROM task_person_link a JOIN person x ON x.id = a.person_id "
                 "WHERE a.task_id = t.id AND x.studio_id = " +
                 param(*filters.studio_id) + "::uuid)";
    if (filters.department_id)
        where += " AND EXISTS (SELECT 1 FROM task_person_link a JOIN department_link d ON d.person_id = a.person_id "
                 "WHERE a.task_id = t.id AND d.department_id = " +
                 param(*filters.department_id) + "::uuid)";
    if (filters.start_date)
        where += " AND t.start_date >= " + param(*filters.start_date) + "::timestamp";
    if (filters.due_date)
        where += " AND t.due_date <= " + param(*filters.due_date) + "::timestamp";
    if (filters.priority)
        where += " AND tt.priority = " + param(*filters.priority) + "::integer";
    // Zou leaves concept tasks out of the list, not out of its figures, unless a task type is given.
    const std::string listed = where + (filters.task_type_id ? "" : " AND tt.for_entity <> 'Concept'");
    const int64_t offset = filters.page > 0 ? (filters.page - 1) * filters.limit : 0;
    db::Result rows, totals, statuses, count;
    try {
        rows =
            c.exec(query_text(false, listed) + " ORDER BY p.name, ep.name, sq.name, et.name, e.name, tt.name LIMIT " +
                       std::to_string(filters.limit) + " OFFSET " + std::to_string(offset),
                   params);
        const std::string from = " FROM task t JOIN project p ON p.id = t.project_id "
                                 "JOIN task_type tt ON tt.id = t.task_type_id "
                                 "JOIN task_status ts ON ts.id = t.task_status_id "
                                 "JOIN entity e ON e.id = t.entity_id WHERE ";
        count = c.exec("SELECT count(*) AS n" + from + listed, params);
        totals = c.exec(
            "SELECT sum(t.duration) AS total_duration, sum(t.estimation) AS total_estimation" + from + where, params);
        statuses =
            c.exec("SELECT t.task_status_id, count(*) AS amount" + from + where + " GROUP BY t.task_status_id", params);
    } catch (const db::DbError& e) {
        if (e.kind() != ErrorKind::bad_request)
            throw;
        throw_bad_request("Wrong date format or priority.");
    }
    const int64_t page = filters.page > 0 ? filters.page : 1;
    JsonWriter out;
    out.begin_object();
    if (rows.rows() == 0) {
        out.key("data").begin_array().end_array();
        out.key("stats").begin_object().field("total_duration", 0).field("total_estimation", 0).field("total", 0);
        out.key("status").begin_array().end_array();
        out.end_object();
    } else {
        out.key("data");
        write_tasks(out, rows, true);
        out.key("stats").begin_object();
        out.key("total_duration");
        write_value(out, totals, 0, totals.column_index("total_duration"));
        out.key("total_estimation");
        write_value(out, totals, 0, totals.column_index("total_estimation"));
        // Zou counts the list after its offset.
        out.field("total", std::max<int64_t>(0, count.get_int(0, "n") - offset));
        out.key("status").begin_array();
        for (int row = 0; row < statuses.rows(); ++row) {
            out.begin_object();
            write_row_fields(out, statuses, row);
            out.end_object();
        }
        out.end_array().end_object();
    }
    out.field("limit", filters.limit);
    out.field("is_more", rows.rows() > 0 && rows.rows() == filters.limit);
    out.field("page", page);
    out.end_object();
    return out.take();
}

} // namespace slate::engine::user
