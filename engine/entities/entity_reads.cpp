#include "engine/entities/entity_reads.h"
#include "engine/people/person_name.h"

#include "engine/db/connection.h"
#include "engine/json.h"
#include "engine/production/production_common.h"
#include "engine/serialize.h"

#include <cstdint>

namespace slate::engine::entities {
namespace {

const char* const temporal_types = "('Shot', 'Sequence', 'Scene', 'Edit', 'Concept', 'Episode')";

/// The condition on the task's entity `e` for a scope ($1 is the entity id).
std::string scope_condition(TaskScope scope) {
    switch (scope) {
    case TaskScope::entity: return "e.id = $1::uuid";
    case TaskScope::children: return "e.parent_id = $1::uuid";
    case TaskScope::grandchildren:
        return "e.parent_id IN (SELECT s.id FROM entity s WHERE s.parent_id = $1::uuid)";
    case TaskScope::episode_assets:
        return std::string("e.source_id = $1::uuid AND et.name NOT IN ") + temporal_types;
    case TaskScope::episode_edits: return "e.parent_id = $1::uuid AND et.name = 'Edit'";
    }
    return "false";
}

} // namespace

std::string entity_tasks_json(db::Connection& c, TaskScope scope, const std::string& entity_id, bool relations,
                              const std::optional<std::string>& assigned_to) {
    std::string sql = production::select_model_sql("task", relations);
    sql.insert(sql.rfind(" FROM "), ", p.name AS project_name, tt.name AS task_type_name, "
                                    "ts.name AS task_status_name, et.name AS entity_type_name, e.name AS entity_name");
    sql += R"( JOIN project p ON p.id = t.project_id JOIN task_type tt ON tt.id = t.task_type_id
        JOIN task_status ts ON ts.id = t.task_status_id JOIN entity e ON e.id = t.entity_id
        JOIN entity_type et ON et.id = e.entity_type_id WHERE )" +
           scope_condition(scope);
    db::Params params{entity_id};
    if (assigned_to) {
        sql += " AND EXISTS (SELECT 1 FROM task_person_link a WHERE a.task_id = t.id AND a.person_id = $2::uuid)";
        params.push_back(*assigned_to);
    }
    sql += " ORDER BY t.name, p.name, tt.name, et.name, e.name";
    return rows_json(c.exec(sql, params), "Task");
}

std::string entity_task_types_json(db::Connection& c, TaskScope scope, const std::string& entity_id) {
    const std::string sql = production::select_model_sql("task_type", false) +
                            R"( WHERE t.id IN (SELECT x.task_type_id FROM task x JOIN entity e ON e.id = x.entity_id
                                JOIN entity_type et ON et.id = e.entity_type_id WHERE )" +
                            scope_condition(scope) + ") ORDER BY t.name";
    return rows_json(c.exec(sql, {entity_id}), "TaskType");
}

std::string entity_versions_json(db::Connection& c, const std::string& entity_id, const std::string& type) {
    return rows_json(c.exec(production::select_model_sql("entity_version", false) +
                                " WHERE t.entity_id = $1::uuid ORDER BY t.created_at DESC",
                            {entity_id}),
                     type);
}

std::string entity_preview_files_json(db::Connection& c, const std::string& entity_id) {
    return rows_array_json(c.exec(R"(SELECT p.id, p.name, p.original_name, p.extension, p.revision, p.position,
            p.file_size, p.status, p.validation_status, p.task_id, p.person_id, p.created_at, p.token_in, p.token_out
        FROM preview_file p JOIN task t ON t.id = p.task_id JOIN task_type tt ON tt.id = t.task_type_id
        WHERE t.entity_id = $1::uuid ORDER BY tt.name, p.revision DESC, p.position)",
                                  {entity_id}));
}

std::string entity_time_spents_json(db::Connection& c, const std::string& entity_id) {
    return rows_json(c.exec(production::select_model_sql("time_spent", false) +
                                " JOIN task x ON x.id = t.task_id WHERE x.entity_id = $1::uuid ORDER BY t.date DESC",
                            {entity_id}),
                     "TimeSpent");
}

std::string entity_news_json(db::Connection& c, const std::string& entity_id) {
    constexpr int64_t limit = 2000;
    const auto rows = c.exec(R"(SELECT n.id, n.author_id, n.comment_id, n.task_id, t.task_type_id, cm.task_status_id,
            t.entity_id AS task_entity_id, n.preview_file_id, pf.extension AS preview_file_extension,
            pf.revision AS preview_file_revision, p.id AS project_id, p.name AS project_name, n.created_at, n.change,
            CASE WHEN et.name = 'Shot' THEN
                     CASE WHEN par.id IS NULL THEN e.name
                          WHEN par.parent_id IS NULL OR gp.id IS NULL THEN par.name || ' / ' || e.name
                          ELSE gp.name || ' / ' || par.name || ' / ' || e.name END
                 WHEN et.name = 'Episode' THEN e.name
                 WHEN et.name = 'Sequence' THEN
                     CASE WHEN par.id IS NULL THEN e.name ELSE par.name || ' / ' || e.name END
                 ELSE et.name || ' / ' || e.name END AS full_entity_name,
            CASE WHEN et.name = 'Shot' THEN gp.id WHEN et.name = 'Episode' THEN NULL
                 WHEN et.name = 'Sequence' THEN par.id ELSE e.source_id END AS episode_id,
            e.preview_file_id AS entity_preview_file_id,
            au.id AS person_id, au.first_name, au.last_name, au.has_avatar, au.role,
            count(*) OVER () AS total
        FROM news n JOIN task t ON t.id = n.task_id JOIN project p ON p.id = t.project_id
        JOIN entity e ON e.id = t.entity_id JOIN entity_type et ON et.id = e.entity_type_id
        LEFT JOIN comment cm ON cm.id = n.comment_id LEFT JOIN preview_file pf ON pf.id = n.preview_file_id
        LEFT JOIN entity par ON par.id = e.parent_id LEFT JOIN entity gp ON gp.id = par.parent_id
        LEFT JOIN person au ON au.id = n.author_id
        WHERE e.id = $1::uuid ORDER BY n.created_at DESC LIMIT 2000)",
                             {entity_id});
    const int person = rows.column_index("person_id");
    const int64_t total = rows.rows() > 0 ? rows.get_int(0, "total") : 0;
    JsonWriter out;
    out.begin_object().key("data").begin_array();
    for (int row = 0; row < rows.rows(); ++row) {
        out.begin_object().field("type", "News");
        for (int column = 0; column < person; ++column) {
            out.key(rows.column_name(column));
            write_value(out, rows, row, column);
        }
        out.key("person");
        if (rows.is_null(row, person)) {
            out.null();
        } else {
            const std::string first(rows.get(row, "first_name")), last(rows.get(row, "last_name"));
            out.begin_object()
                .field("id", rows.get(row, "person_id"))
                .field("first_name", first)
                .field("last_name", last)
                .field("full_name", people::full_name(first, last))
                .field("has_avatar", rows.get_bool(row, "has_avatar"))
                .field("role", rows.get(row, "role"))
                .end_object();
        }
        out.end_object();
    }
    out.end_array()
        .field("total", total)
        .field("nb_pages", (total + limit - 1) / limit)
        .field("limit", limit)
        .field("offset", int64_t(0))
        .field("page", 1)
        .end_object();
    return out.take();
}

} // namespace slate::engine::entities
