// engine/production/template_apply.cpp: a template made from a production, a template applied
// to a production, and the Project descriptors a new production copies (the two ways a new
// production starts from others' configuration, as Zou's project creation does it).

#include "engine/production/templates.h"

#include "engine/crud/crud_service.h"
#include "engine/crud/queries.h"
#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/json.h"
#include "engine/production/metadata.h"
#include "engine/production/production_common.h"
#include "engine/uuid.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <set>
#include <algorithm>
#include <sstream>

namespace slate::engine::production {
namespace {

/// Zou's PRODUCTION_SETTING_FIELDS: what a template and a production share.
constexpr const char* setting_fields[] = {"fps",
                                          "ratio",
                                          "resolution",
                                          "production_type",
                                          "production_style",
                                          "max_retakes",
                                          "is_clients_isolated",
                                          "is_preview_download_allowed",
                                          "is_set_preview_automated",
                                          "is_publish_default_for_artists",
                                          "homepage",
                                          "hd_bitrate_compression",
                                          "ld_bitrate_compression"};

/// The snapshot of a production's descriptors, in Zou's JSONB shape.
std::string descriptors_snapshot(db::Connection& c, const std::string& project_id) {
    const auto rows = c.exec(R"(
        SELECT d.name, d.field_name, d.entity_type, d.task_type_id::text AS task_type_id, d.data_type,
               COALESCE(d.choices, '[]'::jsonb)::text AS choices, COALESCE(d.for_client, false) AS for_client,
               d.position,
               COALESCE((SELECT json_agg(l.department_id::text) FROM department_metadata_descriptor_link l
                         WHERE l.metadata_descriptor_id = d.id), '[]')::text AS departments
        FROM metadata_descriptor d WHERE d.project_id = $1::uuid ORDER BY d.position, d.name, d.id)",
                             {project_id});
    JsonWriter out;
    out.begin_array();
    for (int row = 0; row < rows.rows(); ++row) {
        auto optional_text = [&](const char* column) {
            const auto value = rows.optional(row, column);
            value ? out.key(column).string(*value) : out.key(column).null();
        };
        out.begin_object().field("name", rows.get(row, "name")).field("field_name", rows.get(row, "field_name"));
        optional_text("entity_type");
        optional_text("task_type_id");
        optional_text("data_type");
        const std::string choices(rows.get(row, "choices"));
        out.key("choices").raw(choices == "null" ? "[]" : choices);
        out.field("for_client", rows.get_bool(row, "for_client"));
        out.key("departments").raw(rows.get(row, "departments"));
        const auto position = rows.optional(row, "position");
        position ? out.key("position").raw(*position) : out.key("position").null();
        out.end_object();
    }
    out.end_array();
    return out.take();
}

std::string text_of(const Poco::JSON::Object& object, const std::string& key) {
    if (!object.has(key) || object.isNull(key))
        return {};
    return object.get(key).toString();
}

/// _create_descriptor_from_snapshot: skipped without a name or entity type, for a Task without
/// task type, when the production already has it, or when it is refused as a duplicate.
void create_descriptor_from_snapshot(db::Connection& c, const std::string& user_id, const std::string& project_id,
                                     const Poco::JSON::Object& descriptor) {
    DescriptorFields fields;
    fields.name = text_of(descriptor, "name");
    fields.entity_type = text_of(descriptor, "entity_type");
    const std::string task_type_id = text_of(descriptor, "task_type_id");
    if (fields.name->empty() || fields.entity_type.empty() || (fields.entity_type == "Task" && task_type_id.empty()))
        return;
    if (!task_type_id.empty()) {
        if (!is_uuid(task_type_id))
            return;
        fields.task_type_id = task_type_id;
    }
    if (c.exec(R"(SELECT 1 FROM metadata_descriptor WHERE project_id = $1::uuid AND entity_type = $2 AND name = $3
                  AND task_type_id IS NOT DISTINCT FROM $4::uuid)",
               {project_id, fields.entity_type, *fields.name, fields.task_type_id})
            .rows() > 0)
        return;
    // The field name is the snapshot's: made from the name when the snapshot was taken.
    fields.field_name = text_of(descriptor, "field_name");
    if (fields.field_name.empty())
        return;
    const std::string data_type = text_of(descriptor, "data_type");
    fields.data_type = data_type.empty() ? "string" : data_type;
    if (descriptor.has("choices") && descriptor.getArray("choices")) {
        std::ostringstream choices;
        descriptor.getArray("choices")->stringify(choices);
        fields.choices_json = choices.str();
    }
    fields.for_client = descriptor.has("for_client") && descriptor.get("for_client").isBoolean() &&
                        descriptor.getValue<bool>("for_client");
    if (const auto departments = descriptor.getArray("departments"))
        for (const auto& department : *departments)
            if (!department.isEmpty())
                fields.departments.push_back(department.toString());
    try {
        add_descriptor(c, user_id, project_id, fields);
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::bad_request)
            throw;
    }
}

} // namespace

bool is_production_setting(std::string_view field) {
    return std::find(std::begin(setting_fields), std::end(setting_fields), field) != std::end(setting_fields);
}

std::string create_template_from_project(db::Connection& c, const std::string& user_id, const std::string& project_id,
                                         const std::string& name, const std::optional<std::string>& description) {
    if (!is_uuid(project_id) || c.exec("SELECT 1 FROM project WHERE id = $1::uuid", {project_id}).rows() == 0)
        throw Error(ErrorKind::not_found, "Project not found");
    std::string columns, values;
    for (const char* field : setting_fields) {
        columns.append(", ").append(field);
        values.append(", p.").append(field);
    }
    const std::string template_id = new_uuid();
    db::Transaction tx(c);
    try {
        db::Transaction insert(c);
        c.exec("INSERT INTO project_template (id, name, description, file_tree, data, metadata_descriptors,"
               " default_preview_background_file_id, is_single_preview_per_revision, revision_padding,"
               " is_frame_in_numbering, created_at, updated_at" +
                   columns +
                   ") SELECT $1::uuid, $2, $3, NULLIF(p.file_tree, '{}'::jsonb), NULLIF(p.data, '{}'::jsonb),"
                   " $5::jsonb, p.default_preview_background_file_id, false, 0, false,"
                   " now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'" +
                   values + " FROM project p WHERE p.id = $4::uuid",
               {template_id, name, description, project_id, descriptors_snapshot(c, project_id)});
        insert.commit();
    } catch (const db::DbError& e) {
        if (e.sqlstate() == "23505")
            throw_wrong_parameter("A project template with this name already exists");
        throw;
    }
    c.exec(R"(INSERT INTO project_template_task_type_link (id, project_template_id, task_type_id, priority,
                                                            created_at, updated_at)
              SELECT gen_random_uuid(), $1::uuid, task_type_id, priority, now() AT TIME ZONE 'utc',
                     now() AT TIME ZONE 'utc'
              FROM project_task_type_link WHERE project_id = $2::uuid)",
           {template_id, project_id});
    c.exec(R"(INSERT INTO project_template_task_status_link (id, project_template_id, task_status_id, priority,
                                                              roles_for_board, created_at, updated_at)
              SELECT gen_random_uuid(), $1::uuid, task_status_id, priority, roles_for_board,
                     now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
              FROM project_task_status_link WHERE project_id = $2::uuid)",
           {template_id, project_id});
    for (const auto& [table, column] :
         {std::pair{"asset_type", "asset_type_id"}, std::pair{"status_automation", "status_automation_id"},
          std::pair{"preview_background_file", "preview_background_file_id"}})
        c.exec(std::string("INSERT INTO project_template_") + table + "_link (project_template_id, " + column +
                   ") SELECT DISTINCT $1::uuid, " + column + " FROM project_" + table +
                   "_link WHERE project_id = $2::uuid",
               {template_id, project_id});
    JsonWriter data;
    data.begin_object().field("project_template_id", template_id).end_object();
    queries::insert_event(c, "project-template:new", user_id, std::nullopt, data.take());
    std::string answer = crud::serialize_by_id(c, "project-templates", template_id, false);
    tx.commit();
    return answer;
}

std::string apply_template_to_project(db::Connection& c, const std::string& user_id, const std::string& project_id,
                                      const std::string& template_id, const std::set<std::string>& kept_fields) {
    if (!is_uuid(project_id) || c.exec("SELECT 1 FROM project WHERE id = $1::uuid", {project_id}).rows() == 0)
        throw Error(ErrorKind::not_found, "Project not found");
    if (!is_uuid(template_id) ||
        c.exec("SELECT 1 FROM project_template WHERE id = $1::uuid", {template_id}).rows() == 0)
        throw Error(ErrorKind::not_found, "Project template not found");
    db::Transaction tx(c);
    // The template's settings, where it has one and the caller did not choose the field.
    std::string assignments;
    for (const char* field : setting_fields)
        if (!kept_fields.count(field))
            assignments.append(field).append(" = COALESCE(t.").append(field).append(", p.").append(field).append("), ");
    for (const char* field : {"file_tree", "data"})
        if (!kept_fields.count(field))
            assignments.append(field).append(" = COALESCE(t.").append(field).append(", p.").append(field).append("), ");
    c.exec("UPDATE project p SET " + assignments +
               "updated_at = now() AT TIME ZONE 'utc' FROM project_template t"
               " WHERE p.id = $1::uuid AND t.id = $2::uuid",
           {project_id, template_id});
    c.exec(R"(INSERT INTO project_task_type_link (id, project_id, task_type_id, priority, created_at, updated_at)
              SELECT gen_random_uuid(), $1::uuid, l.task_type_id, l.priority, now() AT TIME ZONE 'utc',
                     now() AT TIME ZONE 'utc'
              FROM project_template_task_type_link l WHERE l.project_template_id = $2::uuid
              AND NOT EXISTS (SELECT 1 FROM project_task_type_link x
                              WHERE x.project_id = $1::uuid AND x.task_type_id = l.task_type_id))",
           {project_id, template_id});
    c.exec(R"(INSERT INTO project_task_status_link (id, project_id, task_status_id, priority, roles_for_board,
                                                     created_at, updated_at)
              SELECT gen_random_uuid(), $1::uuid, l.task_status_id, l.priority, l.roles_for_board,
                     now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
              FROM project_template_task_status_link l WHERE l.project_template_id = $2::uuid
              AND NOT EXISTS (SELECT 1 FROM project_task_status_link x
                              WHERE x.project_id = $1::uuid AND x.task_status_id = l.task_status_id))",
           {project_id, template_id});
    for (const auto& [table, column] :
         {std::pair{"asset_type", "asset_type_id"}, std::pair{"status_automation", "status_automation_id"},
          std::pair{"preview_background_file", "preview_background_file_id"}})
        c.exec(std::string("INSERT INTO project_") + table + "_link (project_id, " + column + ") SELECT $1::uuid, l." +
                   column + " FROM project_template_" + table + "_link l WHERE l.project_template_id = $2::uuid" +
                   " AND NOT EXISTS (SELECT 1 FROM project_" + table + "_link x WHERE x.project_id = $1::uuid AND x." +
                   column + " = l." + column + ")",
               {project_id, template_id});
    if (!kept_fields.count("default_preview_background_file_id"))
        c.exec(R"(UPDATE project p SET default_preview_background_file_id = t.default_preview_background_file_id,
                      updated_at = now() AT TIME ZONE 'utc'
                  FROM project_template t
                  WHERE p.id = $1::uuid AND t.id = $2::uuid AND p.default_preview_background_file_id IS NULL
                    AND t.default_preview_background_file_id IS NOT NULL)",
               {project_id, template_id});
    const auto snapshot = c.exec("SELECT COALESCE(metadata_descriptors, '[]'::jsonb)::text AS d FROM project_template "
                                 "WHERE id = $1::uuid",
                                 {template_id});
    Poco::JSON::Parser parser;
    const auto parsed = parser.parse(std::string(snapshot.get(0, "d")));
    if (const auto list =
            parsed.type() == typeid(Poco::JSON::Array::Ptr) ? parsed.extract<Poco::JSON::Array::Ptr>() : nullptr)
        for (unsigned index = 0; index < list->size(); ++index)
            if (const auto descriptor = list->getObject(index))
                create_descriptor_from_snapshot(c, user_id, project_id, *descriptor);
    emit_project_update(c, user_id, project_id);
    std::string answer = project_json(c, project_id);
    tx.commit();
    return answer;
}

void copy_project_metadata_descriptors(db::Connection& c, const std::string& user_id, const std::string& project_id) {
    // One per field name, the first by position then name, of the open productions' Project
    // descriptors, skipping the field names the production owns.
    const auto rows = c.exec(R"(
        SELECT d.name, d.field_name, d.data_type, COALESCE(d.choices, '[]'::jsonb)::text AS choices,
               COALESCE(d.for_client, false) AS for_client,
               COALESCE((SELECT json_agg(l.department_id::text) FROM department_metadata_descriptor_link l
                         WHERE l.metadata_descriptor_id = d.id), '[]')::text AS departments
        FROM metadata_descriptor d
        JOIN project p ON p.id = d.project_id
        JOIN project_status s ON s.id = p.project_status_id
        WHERE s.name IN ('Active', 'open', 'Open') AND d.entity_type = 'Project' AND d.project_id <> $1::uuid
        ORDER BY d.position NULLS LAST, d.name)",
                             {project_id});
    std::set<std::string> owned;
    const auto own = c.exec("SELECT field_name FROM metadata_descriptor WHERE project_id = $1::uuid "
                            "AND entity_type = 'Project'",
                            {project_id});
    for (int row = 0; row < own.rows(); ++row)
        owned.emplace(own.get(row, "field_name"));
    for (int row = 0; row < rows.rows(); ++row) {
        const std::string field_name(rows.get(row, "field_name"));
        if (!owned.insert(field_name).second)
            continue;
        DescriptorFields fields;
        fields.entity_type = "Project";
        fields.name = std::string(rows.get(row, "name"));
        fields.field_name = field_name;
        fields.data_type = rows.optional(row, "data_type").value_or("string");
        const std::string choices(rows.get(row, "choices"));
        fields.choices_json = choices == "null" ? "[]" : choices;
        fields.for_client = rows.get_bool(row, "for_client");
        Poco::JSON::Parser parser;
        for (const auto& department :
             *parser.parse(std::string(rows.get(row, "departments"))).extract<Poco::JSON::Array::Ptr>())
            fields.departments.push_back(department.toString());
        add_descriptor(c, user_id, project_id, fields);
    }
}

} // namespace slate::engine::production
