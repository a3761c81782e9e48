#include "engine/production/metadata.h"

#include "engine/crud/queries.h"
#include "engine/crud/values.h"
#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/json.h"
#include "engine/people/auth_service.h"
#include "engine/production/production_common.h"
#include "engine/serialize.h"
#include "engine/uuid.h"

#include <algorithm>
#include <map>
#include <set>

namespace slate::engine::production {
namespace {

/// The entity types that are not assets (Zou's get_temporal_type_ids), by name.
constexpr const char* temporal_types = "('Shot', 'Scene', 'Sequence', 'Episode', 'Edit', 'Concept')";

struct Descriptor {
    std::string id, project_id, entity_type, field_name;
    std::optional<std::string> task_type_id;
};

/// The rows a descriptor's values are stored in, as a condition on the table aliased "x":
/// the production itself, its tasks of the descriptor's task type, or its entities (shots,
/// assets, edits; every entity for the other kinds, as Zou's rename does).
struct StoredIn {
    std::string table;
    std::string condition; ///< over {project} and, for tasks, {task_type}
    bool by_task_type = false;

    /// The condition, its project (and task type) appended to `params` as placeholders.
    std::string bind(const Descriptor& descriptor, db::Params& params) const;
};

StoredIn stored_in(const std::string& entity_type, bool removing) {
    if (entity_type == "Project")
        return {"project", "x.id = {project}"};
    if (entity_type == "Task")
        return {"task", "x.project_id = {project} AND x.task_type_id = {task_type}", true};
    // Deleting a descriptor strips its field from every entity of the production (Zou's
    // _remove_stored_values_for_metadata_descriptor does not look at the entity type).
    if (removing || (entity_type != "Shot" && entity_type != "Asset" && entity_type != "Edit"))
        return {"entity", "x.project_id = {project}"};
    const std::string type_names =
        entity_type == "Asset" ? std::string("NOT IN ") + temporal_types : "= '" + entity_type + "'";
    return {"entity", "x.project_id = {project} AND x.entity_type_id IN (SELECT et.id FROM entity_type et "
                      "WHERE et.name " +
                          type_names + ")"};
}

std::string StoredIn::bind(const Descriptor& descriptor, db::Params& params) const {
    auto replace = [](std::string text, const std::string& token, const std::string& value) {
        const auto at = text.find(token);
        return at == std::string::npos ? text : text.replace(at, token.size(), value);
    };
    params.push_back(descriptor.project_id);
    std::string sql = replace(condition, "{project}", placeholder(params.size()) + "::uuid");
    if (by_task_type) {
        params.push_back(descriptor.task_type_id);
        sql = replace(sql, "{task_type}", placeholder(params.size()) + "::uuid");
    }
    return sql;
}

std::optional<Descriptor> find_descriptor(db::Connection& c, const std::string& id) {
    if (!is_uuid(id))
        return std::nullopt;
    const auto row = c.exec("SELECT id, project_id, entity_type, field_name, task_type_id FROM metadata_descriptor "
                            "WHERE id = $1::uuid",
                            {id});
    if (row.rows() == 0)
        return std::nullopt;
    return Descriptor{std::string(row.get(0, "id")), std::string(row.get(0, "project_id")),
                      std::string(row.get(0, "entity_type")), std::string(row.get(0, "field_name")),
                      row.optional(0, "task_type_id")};
}

Descriptor descriptor_of_project(db::Connection& c, const std::string& project_id, const std::string& id) {
    auto descriptor = find_descriptor(c, id);
    if (!descriptor || descriptor->project_id != project_id)
        throw_not_found(not_found_message);
    return *descriptor;
}

/// Department ids as Zou resolves them: a malformed one is a 404, an unknown one is dropped.
std::vector<std::string> existing_departments(db::Connection& c, const std::vector<std::string>& ids) {
    for (const auto& id : ids)
        if (!is_uuid(id))
            throw_not_found(not_found_message);
    std::vector<std::string> found;
    const auto rows = c.exec("SELECT id FROM department WHERE id = ANY($1::uuid[])", {crud::array_literal(ids)});
    for (int row = 0; row < rows.rows(); ++row)
        found.emplace_back(rows.get(row, "id"));
    return found;
}

void set_departments(db::Connection& c, const std::string& descriptor_id, const std::vector<std::string>& ids) {
    c.exec("DELETE FROM department_metadata_descriptor_link WHERE metadata_descriptor_id = $1::uuid", {descriptor_id});
    c.exec(R"(INSERT INTO department_metadata_descriptor_link (metadata_descriptor_id, department_id)
              SELECT $1::uuid, d FROM unnest($2::uuid[]) AS d ON CONFLICT DO NOTHING)",
           {descriptor_id, crud::array_literal(ids)});
}

std::string serialized(db::Connection& c, const std::string& id, bool relations) {
    return row_json(c.exec(select_model_sql("metadata_descriptor", relations) + " WHERE t.id = $1::uuid", {id}), 0,
                    "MetadataDescriptor");
}

void descriptor_event(db::Connection& c, const std::string& action, const std::string& user_id,
                      const Descriptor& descriptor) {
    emit_project_event(c, "metadata-descriptor:" + action, user_id, descriptor.project_id,
                       {{"metadata_descriptor_id", descriptor.id}});
}

/// A name or field name taken is Zou's "already exists"; other refusals pass through.
template <typename Body>
auto unique_or_400(Body body) {
    try {
        return body();
    } catch (const db::DbError& e) {
        if (e.sqlstate() == "23505")
            throw_wrong_parameter("Metadata descriptor already exists.");
        throw;
    }
}

void rename_stored_values(db::Connection& c, const Descriptor& descriptor, const std::string& new_field) {
    const StoredIn target = stored_in(descriptor.entity_type, false);
    db::Params params{descriptor.field_name, new_field};
    const std::string condition = target.bind(descriptor, params);
    // A null value is left where it is, as Zou's migration skips it.
    c.exec("UPDATE " + target.table + R"( x SET data = (x.data - $1) || jsonb_build_object($2::text, x.data -> $1),
                updated_at = now() AT TIME ZONE 'utc'
            WHERE )" +
               condition +
               " AND jsonb_typeof(x.data) = 'object' AND x.data ? $1 AND jsonb_typeof(x.data -> $1) <> 'null'",
           params);
}

void remove_stored_values(db::Connection& c, const Descriptor& descriptor) {
    const StoredIn target = stored_in(descriptor.entity_type, true);
    db::Params params{descriptor.field_name};
    const std::string condition = target.bind(descriptor, params);
    c.exec("UPDATE " + target.table + " x SET data = x.data - $1, updated_at = now() AT TIME ZONE 'utc' WHERE " +
               condition + " AND jsonb_typeof(x.data) = 'object' AND x.data ? $1",
           params);
}

std::string ordered_descriptors_json(db::Connection& c, const std::string& condition, const db::Params& params) {
    return rows_json(
        c.exec(select_model_sql("metadata_descriptor", true) + " WHERE " + condition + " ORDER BY t.position, t.name",
               params),
        "MetadataDescriptor");
}

/// Writes positions and answers nothing: reorder_descriptors' work without its answer.
void write_positions(db::Connection& c, const std::string& project_id, const std::string& entity_type,
                     const std::vector<std::string>& descriptor_ids) {
    const auto rows = c.exec("SELECT id, name FROM metadata_descriptor WHERE project_id = $1::uuid "
                             "AND entity_type = $2",
                             {project_id, entity_type});
    std::map<std::string, std::string> name_of;
    for (int row = 0; row < rows.rows(); ++row)
        name_of[std::string(rows.get(row, "id"))] = rows.get(row, "name");
    for (const auto& id : descriptor_ids)
        if (!name_of.count(id))
            throw_wrong_parameter("Descriptor " + id + " not found for project " + project_id + " and entity type " +
                            entity_type);
    std::map<std::string, int> position;
    int next = 0;
    for (const auto& id : descriptor_ids)
        position[id] = ++next;                               // a repeated id keeps its last place, as in Zou
    std::vector<std::pair<std::string, std::string>> others; // (name, id), sorted as Python sorts names
    for (const auto& [id, name] : name_of)
        if (!std::count(descriptor_ids.begin(), descriptor_ids.end(), id))
            others.emplace_back(name, id);
    std::stable_sort(others.begin(), others.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    next = static_cast<int>(descriptor_ids.size());
    for (const auto& other : others)
        position[other.second] = ++next;
    for (const auto& [id, place] : position)
        c.exec("UPDATE metadata_descriptor SET position = $2::integer, updated_at = now() AT TIME ZONE 'utc' "
               "WHERE id = $1::uuid",
               {id, std::to_string(place)});
}

} // namespace

bool valid_descriptor_entity_type(const std::string& entity_type, bool with_task) {
    for (const char* name : {"Asset", "Shot", "Edit", "Episode", "Sequence", "Project"})
        if (entity_type == name)
            return true;
    return with_task && entity_type == "Task";
}

bool task_type_exists(db::Connection& c, const std::string& task_type_id) {
    return is_uuid(task_type_id) && c.exec("SELECT 1 FROM task_type WHERE id = $1::uuid", {task_type_id}).rows() > 0;
}

bool valid_descriptor_data_type(const std::string& data_type) {
    for (const char* name :
         {"string", "number", "list", "taglist", "boolean", "checklist", "date", "url", "textarea", "person"})
        if (data_type == name)
            return true;
    return false;
}

void require_all_departments_access(db::Connection& c, const services::Identity& caller, const std::string& project_id,
                                    const std::vector<std::string>& departments) {
    if (caller.role == "admin")
        return;
    const auto role = queries::project_role(c, project_id, caller.person_id);
    if (role == std::optional<std::string>("manager"))
        return;
    if (role == std::optional<std::string>("supervisor") && !departments.empty()) {
        const auto mine =
            c.exec("SELECT department_id::text FROM department_link WHERE person_id = $1::uuid", {caller.person_id});
        bool all_listed = true;
        for (int row = 0; row < mine.rows(); ++row)
            all_listed =
                all_listed && std::count(departments.begin(), departments.end(), std::string(mine.get(row, 0)));
        if (all_listed)
            return;
    }
    throw_forbidden();
}

std::string descriptors_json(db::Connection& c, const std::string& project_id, bool for_client) {
    return ordered_descriptors_json(
        c, for_client ? "t.project_id = $1::uuid AND t.for_client" : "t.project_id = $1::uuid", {project_id});
}

std::string descriptor_json(db::Connection& c, const std::string& project_id, const std::string& descriptor_id) {
    const Descriptor descriptor = descriptor_of_project(c, project_id, descriptor_id);
    return serialized(c, descriptor.id, true);
}

std::vector<std::string> descriptor_departments(db::Connection& c, const std::string& project_id,
                                                const std::string& descriptor_id) {
    const Descriptor descriptor = descriptor_of_project(c, project_id, descriptor_id);
    const auto rows = c.exec("SELECT department_id::text FROM department_metadata_descriptor_link "
                             "WHERE metadata_descriptor_id = $1::uuid",
                             {descriptor.id});
    std::vector<std::string> ids;
    for (int row = 0; row < rows.rows(); ++row)
        ids.emplace_back(rows.get(row, 0));
    return ids;
}

std::string add_descriptor(db::Connection& c, const std::string& user_id, const std::string& project_id,
                           const DescriptorFields& fields) {
    const auto departments = existing_departments(c, fields.departments);
    return unique_or_400([&] {
        db::Transaction tx(c);
        Descriptor descriptor{new_uuid(), project_id, fields.entity_type, fields.field_name, fields.task_type_id};
        c.exec(R"(INSERT INTO metadata_descriptor (id, project_id, entity_type, task_type_id, name, data_type,
                      field_name, choices, for_client, created_at, updated_at)
                  VALUES ($1::uuid, $2::uuid, $3, $4::uuid, $5, $6, $7, $8::jsonb, $9::boolean,
                          now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'))",
               {descriptor.id, project_id, fields.entity_type, fields.task_type_id, fields.name.value_or(""),
                fields.data_type, fields.field_name, fields.choices_json, fields.for_client ? "true" : "false"});
        set_departments(c, descriptor.id, departments);
        descriptor_event(c, "new", user_id, descriptor);
        std::string answer = serialized(c, descriptor.id, false);
        tx.commit();
        return answer;
    });
}

std::string update_descriptor(db::Connection& c, const std::string& user_id, const std::string& descriptor_id,
                              const DescriptorFields& fields) {
    const auto descriptor = find_descriptor(c, descriptor_id);
    if (!descriptor)
        throw_not_found(not_found_message);
    const auto departments = existing_departments(c, fields.departments);
    const bool renamed = fields.name && !fields.name->empty();
    return unique_or_400([&] {
        db::Transaction tx(c);
        if (renamed && fields.field_name != descriptor->field_name)
            rename_stored_values(c, *descriptor, fields.field_name);
        c.exec(R"(UPDATE metadata_descriptor SET name = COALESCE($2, name), field_name = COALESCE($3, field_name),
                      data_type = $4, choices = $5::jsonb, for_client = $6::boolean,
                      updated_at = now() AT TIME ZONE 'utc'
                  WHERE id = $1::uuid)",
               {descriptor->id, renamed ? fields.name : std::nullopt,
                renamed ? db::Param(fields.field_name) : std::nullopt, fields.data_type, fields.choices_json,
                fields.for_client ? "true" : "false"});
        set_departments(c, descriptor->id, departments);
        descriptor_event(c, "update", user_id, *descriptor);
        std::string answer = serialized(c, descriptor->id, false);
        tx.commit();
        return answer;
    });
}

void remove_descriptor(db::Connection& c, const std::string& user_id, const std::string& descriptor_id) {
    const auto descriptor = find_descriptor(c, descriptor_id);
    if (!descriptor)
        throw_not_found(not_found_message);
    db::Transaction tx(c);
    remove_stored_values(c, *descriptor);
    c.exec("DELETE FROM department_metadata_descriptor_link WHERE metadata_descriptor_id = $1::uuid", {descriptor->id});
    c.exec("DELETE FROM metadata_descriptor WHERE id = $1::uuid", {descriptor->id});
    descriptor_event(c, "delete", user_id, *descriptor);
    tx.commit();
}

std::string reorder_descriptors(db::Connection& c, const std::string& project_id, const std::string& entity_type,
                                const std::vector<std::string>& descriptor_ids) {
    db::Transaction tx(c);
    write_positions(c, project_id, entity_type, descriptor_ids);
    std::string answer =
        ordered_descriptors_json(c, "t.project_id = $1::uuid AND t.entity_type = $2", {project_id, entity_type});
    tx.commit();
    return answer;
}

std::vector<std::string> managed_open_project_ids(db::Connection& c, const services::Identity& caller) {
    const auto rows = caller.role == "admin"
                          ? c.exec(R"(SELECT p.id FROM project p JOIN project_status s ON s.id = p.project_status_id
                        WHERE s.name IN ('Active', 'open', 'Open') ORDER BY p.name)")
                          : c.exec(R"(SELECT p.id FROM project p JOIN project_status s ON s.id = p.project_status_id
                        JOIN project_person_link l ON l.project_id = p.id AND l.person_id = $1::uuid
                        JOIN person me ON me.id = l.person_id
                        WHERE s.name = 'Open' AND COALESCE(NULLIF(l.role, ''), me.role) = 'manager'
                        ORDER BY p.name)",
                                   {caller.person_id});
    std::vector<std::string> ids;
    for (int row = 0; row < rows.rows(); ++row)
        ids.emplace_back(rows.get(row, "id"));
    return ids;
}

std::string add_descriptor_to_projects(db::Connection& c, const std::string& user_id,
                                       const std::vector<std::string>& project_ids, const DescriptorFields& fields) {
    db::Transaction tx(c);
    JsonWriter out;
    out.begin_array();
    for (const auto& project_id : project_ids) {
        const bool exists = c.exec("SELECT 1 FROM metadata_descriptor WHERE project_id = $1::uuid "
                                   "AND entity_type = $2 AND field_name = $3",
                                   {project_id, fields.entity_type, fields.field_name})
                                .rows() > 0;
        if (!exists)
            out.raw(add_descriptor(c, user_id, project_id, fields));
    }
    out.end_array();
    tx.commit();
    return out.take();
}

namespace {

std::vector<Descriptor> descriptors_by_field(db::Connection& c, const std::vector<std::string>& project_ids,
                                             const std::string& entity_type, const std::string& field_name) {
    const auto rows = c.exec("SELECT id FROM metadata_descriptor WHERE project_id = ANY($1::uuid[]) "
                             "AND entity_type = $2 AND field_name = $3",
                             {crud::array_literal(project_ids), entity_type, field_name});
    std::vector<Descriptor> found;
    for (int row = 0; row < rows.rows(); ++row)
        found.push_back(*find_descriptor(c, std::string(rows.get(row, "id"))));
    return found;
}

} // namespace

std::string update_descriptor_on_projects(db::Connection& c, const std::string& user_id,
                                          const std::vector<std::string>& project_ids, const std::string& field_name,
                                          const DescriptorFields& fields) {
    db::Transaction tx(c);
    JsonWriter out;
    out.begin_array();
    for (const auto& descriptor : descriptors_by_field(c, project_ids, fields.entity_type, field_name))
        out.raw(update_descriptor(c, user_id, descriptor.id, fields));
    out.end_array();
    tx.commit();
    return out.take();
}

std::string remove_descriptor_from_projects(db::Connection& c, const std::string& user_id,
                                            const std::vector<std::string>& project_ids, const std::string& entity_type,
                                            const std::string& field_name) {
    db::Transaction tx(c);
    JsonWriter out;
    out.begin_array();
    for (const auto& descriptor : descriptors_by_field(c, project_ids, entity_type, field_name)) {
        remove_descriptor(c, user_id, descriptor.id);
        out.string(descriptor.id);
    }
    out.end_array();
    tx.commit();
    return out.take();
}

std::string reorder_descriptors_on_projects(db::Connection& c, const std::vector<std::string>& project_ids,
                                            const std::string& entity_type,
                                            const std::vector<std::string>& field_order) {
    db::Transaction tx(c);
    JsonWriter out;
    out.begin_array();
    for (const auto& project_id : project_ids) {
        const auto rows = c.exec("SELECT id, field_name FROM metadata_descriptor WHERE project_id = $1::uuid "
                                 "AND entity_type = $2",
                                 {project_id, entity_type});
        std::map<std::string, std::string> id_of_field;
        for (int row = 0; row < rows.rows(); ++row)
            id_of_field[std::string(rows.get(row, "field_name"))] = rows.get(row, "id");
        std::vector<std::string> ordered;
        for (const auto& field : field_order)
            if (const auto it = id_of_field.find(field); it != id_of_field.end())
                ordered.push_back(it->second);
        if (ordered.empty())
            continue;
        write_positions(c, project_id, entity_type, ordered);
        const auto reordered =
            c.exec(select_model_sql("metadata_descriptor", true) +
                       " WHERE t.project_id = $1::uuid AND t.entity_type = $2 ORDER BY t.position, t.name",
                   {project_id, entity_type});
        for (int row = 0; row < reordered.rows(); ++row)
            out.raw(row_json(reordered, row, "MetadataDescriptor"));
    }
    out.end_array();
    tx.commit();
    return out.take();
}

} // namespace slate::engine::production
