#include "engine/production/templates.h"

#include "engine/crud/crud_service.h"
#include "engine/crud/queries.h"
#include "engine/crud/values.h"
#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/json.h"
#include "engine/production/production_common.h"
#include "engine/serialize.h"
#include "engine/uuid.h"

namespace slate::engine::production {
namespace {

/// Where a template list lives: the studio table, Zou's model and its label in messages, the
/// link table and its column, and the body field naming the row.
struct ListTables {
    const char* table;
    const char* model;
    const char* label;
    const char* link_table;
    const char* link_column;
};

ListTables tables_of(TemplateList list) {
    switch (list) {
    case TemplateList::task_type:
        return {"task_type", "TaskType", "Task type", "project_template_task_type_link", "task_type_id"};
    case TemplateList::task_status:
        return {"task_status", "TaskStatus", "Task status", "project_template_task_status_link", "task_status_id"};
    case TemplateList::asset_type:
        return {"entity_type", "EntityType", "Asset type", "project_template_asset_type_link", "asset_type_id"};
    case TemplateList::status_automation:
        return {"status_automation", "StatusAutomation", "Status automation", "project_template_status_automation_link",
                "status_automation_id"};
    case TemplateList::preview_background_file:
        return {"preview_background_file", "PreviewBackgroundFile", "Preview background file",
                "project_template_preview_background_file_link", "preview_background_file_id"};
    }
    throw Error(ErrorKind::internal, "unknown template list");
}

[[noreturn]] void template_not_found() {
    throw Error(ErrorKind::not_found, "Project template not found");
}

void require_template(db::Connection& c, const std::string& template_id) {
    if (!is_uuid(template_id) ||
        c.exec("SELECT 1 FROM project_template WHERE id = $1::uuid", {template_id}).rows() == 0)
        template_not_found();
}

void notify_template_change(db::Connection& c, const std::string& user_id, const std::string& template_id,
                            const char* action = "update") {
    JsonWriter data;
    data.begin_object().field("project_template_id", template_id).end_object();
    queries::insert_event(c, std::string("project-template:") + action, user_id, std::nullopt, data.take());
}

std::string template_json(db::Connection& c, const std::string& template_id) {
    std::string json = crud::serialize_by_id(c, "project-templates", template_id, false);
    if (json.empty())
        template_not_found();
    return json;
}

/// _check_required_id: a UUID naming an existing row.
void require_row(db::Connection& c, const ListTables& tables, const std::string& id) {
    if (id.empty() || !is_uuid(id))
        throw_wrong_parameter(std::string(tables.link_column) + " is required and must be a valid UUID");
    if (c.exec("SELECT 1 FROM " + db::quote_identifier(tables.table) + " WHERE id = $1::uuid", {id}).rows() == 0)
        throw_wrong_parameter(std::string(tables.label) + " " + id + " does not exist");
}

/// The {id, name[, is_default]} entry Zou answers for asset types and backgrounds.
void write_entry(JsonWriter& out, const db::Result& rows, int row, TemplateList list) {
    out.begin_object().field("id", rows.get(row, "id")).field("name", rows.get(row, "name"));
    if (list == TemplateList::preview_background_file)
        out.field("is_default",
                  !rows.is_null(row, rows.column_index("is_default")) && rows.get_bool(row, "is_default"));
    out.end_object();
}

std::string link_json(db::Connection& c, const ListTables& tables, const std::string& template_id,
                      const std::string& id) {
    const auto rows = c.exec("SELECT * FROM " + db::quote_identifier(tables.link_table) +
                                 " WHERE project_template_id = $1::uuid AND " +
                                 db::quote_identifier(tables.link_column) + " = $2::uuid",
                             {template_id, id});
    const bool is_type = std::string(tables.link_table) == "project_template_task_type_link";
    return row_json(rows, 0, is_type ? "ProjectTemplateTaskTypeLink" : "ProjectTemplateTaskStatusLink");
}

/// The task type or status link, created or updated with the fields given.
void upsert_ranked_link(db::Connection& c, TemplateList list, const std::string& template_id, const std::string& id,
                        const TemplateLinkFields& fields) {
    const db::Param priority = fields.priority ? db::Param(std::to_string(*fields.priority)) : std::nullopt;
    if (list == TemplateList::task_type) {
        c.exec(R"(INSERT INTO project_template_task_type_link (id, project_template_id, task_type_id, priority,
                                                                created_at, updated_at)
                  VALUES ($1::uuid, $2::uuid, $3::uuid, $4::integer, now() AT TIME ZONE 'utc',
                          now() AT TIME ZONE 'utc')
                  ON CONFLICT (project_template_id, task_type_id) DO UPDATE
                  SET priority = COALESCE(EXCLUDED.priority, project_template_task_type_link.priority),
                      updated_at = CASE WHEN EXCLUDED.priority IS NULL
                                        THEN project_template_task_type_link.updated_at
                                        ELSE EXCLUDED.updated_at END)",
               {new_uuid(), template_id, id, priority});
        return;
    }
    // A new status link without roles takes the model's default board roles.
    const db::Param roles =
        fields.roles_for_board ? db::Param(crud::array_literal(*fields.roles_for_board)) : std::nullopt;
    c.exec(R"(INSERT INTO project_template_task_status_link (id, project_template_id, task_status_id, priority,
                                                              roles_for_board, created_at, updated_at)
              VALUES ($1::uuid, $2::uuid, $3::uuid, $4::integer,
                      COALESCE($5::varchar[], '{user,admin,supervisor,manager,vendor}'),
                      now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc')
              ON CONFLICT (project_template_id, task_status_id) DO UPDATE
              SET priority = COALESCE(EXCLUDED.priority, project_template_task_status_link.priority),
                  roles_for_board = CASE WHEN $5::varchar[] IS NULL
                                         THEN project_template_task_status_link.roles_for_board
                                         ELSE EXCLUDED.roles_for_board END,
                  updated_at = CASE WHEN EXCLUDED.priority IS NULL AND $5::varchar[] IS NULL
                                    THEN project_template_task_status_link.updated_at
                                    ELSE EXCLUDED.updated_at END)",
           {new_uuid(), template_id, id, priority, roles});
}

} // namespace

std::string template_list_json(db::Connection& c, const std::string& template_id, TemplateList list) {
    require_template(c, template_id);
    const ListTables tables = tables_of(list);
    const std::string from = " FROM " + db::quote_identifier(tables.link_table) + " l JOIN " +
                             db::quote_identifier(tables.table) + " x ON x.id = l." +
                             db::quote_identifier(tables.link_column) + " WHERE l.project_template_id = $1::uuid";
    JsonWriter out;
    out.begin_array();
    if (list == TemplateList::task_type || list == TemplateList::task_status) {
        const bool statuses = list == TemplateList::task_status;
        const auto rows = c.exec("SELECT x.*, l.priority AS link_priority" +
                                     std::string(statuses ? ", l.roles_for_board AS link_roles" : "") + from +
                                     " ORDER BY COALESCE(l.priority, 0), x.name",
                                 {template_id});
        const int priority = rows.column_index("link_priority");
        const int roles = rows.column_index("link_roles");
        for (int row = 0; row < rows.rows(); ++row) {
            out.begin_object();
            write_row_fields(out, rows, row, {"priority", "roles_for_board", "link_priority", "link_roles"});
            out.key("type").string(tables.model).key("priority");
            write_value(out, rows, row, priority);
            if (statuses) {
                out.key("roles_for_board");
                if (rows.is_null(row, roles))
                    out.begin_array().end_array();
                else
                    write_value(out, rows, row, roles);
            }
            out.end_object();
        }
    } else {
        const auto rows = c.exec("SELECT x.*" + from + " ORDER BY x.created_at, x.id", {template_id});
        for (int row = 0; row < rows.rows(); ++row)
            if (list == TemplateList::status_automation)
                out.raw(row_json(rows, row, tables.model));
            else
                write_entry(out, rows, row, list);
    }
    out.end_array();
    return out.take();
}

std::string add_to_template(db::Connection& c, const std::string& user_id, const std::string& template_id,
                            TemplateList list, const std::string& id, const TemplateLinkFields& fields) {
    const ListTables tables = tables_of(list);
    require_row(c, tables, id);
    require_template(c, template_id);
    db::Transaction tx(c);
    std::string answer;
    if (list == TemplateList::task_type || list == TemplateList::task_status) {
        upsert_ranked_link(c, list, template_id, id, fields);
        answer = link_json(c, tables, template_id, id);
    } else {
        c.exec("INSERT INTO " + db::quote_identifier(tables.link_table) + " (project_template_id, " +
                   db::quote_identifier(tables.link_column) + ") VALUES ($1::uuid, $2::uuid) ON CONFLICT DO NOTHING",
               {template_id, id});
        const auto rows = c.exec("SELECT * FROM " + db::quote_identifier(tables.table) + " WHERE id = $1::uuid", {id});
        if (list == TemplateList::status_automation)
            answer = row_json(rows, 0, tables.model);
        else {
            JsonWriter out;
            write_entry(out, rows, 0, list);
            answer = out.take();
        }
    }
    notify_template_change(c, user_id, template_id);
    tx.commit();
    return answer;
}

void remove_from_template(db::Connection& c, const std::string& user_id, const std::string& template_id,
                          TemplateList list, const std::string& id) {
    const bool ranked = list == TemplateList::task_type || list == TemplateList::task_status;
    if (!ranked)
        require_template(c, template_id);
    if (!is_uuid(template_id) || !is_uuid(id))
        throw_wrong_parameter("Wrong UUID format.");
    const ListTables tables = tables_of(list);
    db::Transaction tx(c);
    c.exec("DELETE FROM " + db::quote_identifier(tables.link_table) + " WHERE project_template_id = $1::uuid AND " +
               db::quote_identifier(tables.link_column) + " = $2::uuid",
           {template_id, id});
    if (list == TemplateList::preview_background_file)
        c.exec(R"(UPDATE project_template SET default_preview_background_file_id = NULL,
                      updated_at = now() AT TIME ZONE 'utc'
                  WHERE id = $1::uuid AND default_preview_background_file_id = $2::uuid)",
               {template_id, id});
    notify_template_change(c, user_id, template_id);
    tx.commit();
}

std::string reorder_template(db::Connection& c, const std::string& user_id, const std::string& template_id,
                             TemplateList list, const std::vector<std::string>& ids) {
    db::Transaction tx(c);
    JsonWriter out;
    out.begin_array();
    long long priority = 0;
    for (const auto& id : ids)
        out.raw(add_to_template(c, user_id, template_id, list, id, TemplateLinkFields{++priority, std::nullopt}));
    out.end_array();
    tx.commit();
    return out.take();
}

std::string set_template_default_background(db::Connection& c, const std::string& user_id,
                                            const std::string& template_id, const std::optional<std::string>& id) {
    require_template(c, template_id);
    if (id && (!is_uuid(*id) || c.exec(R"(SELECT 1 FROM project_template_preview_background_file_link
                                           WHERE project_template_id = $1::uuid
                                             AND preview_background_file_id = $2::uuid)",
                                       {template_id, *id})
                                        .rows() == 0))
        throw_wrong_parameter("Preview background file is not linked to this template");
    db::Transaction tx(c);
    c.exec(R"(UPDATE project_template SET default_preview_background_file_id = $2::uuid,
                  updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid)",
           {template_id, id});
    notify_template_change(c, user_id, template_id);
    std::string answer = template_json(c, template_id);
    tx.commit();
    return answer;
}

std::string set_template_descriptors(db::Connection& c, const std::string& user_id, const std::string& template_id,
                                     const std::string& descriptors_json) {
    require_template(c, template_id);
    db::Transaction tx(c);
    c.exec(R"(UPDATE project_template SET metadata_descriptors = $2::jsonb,
                  updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid)",
           {template_id, descriptors_json});
    notify_template_change(c, user_id, template_id);
    std::string answer = template_json(c, template_id);
    tx.commit();
    return answer;
}

} // namespace slate::engine::production
