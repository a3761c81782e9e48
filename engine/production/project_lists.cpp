#include "engine/production/project_lists.h"

#include "engine/crud/values.h"
#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/json.h"
#include "engine/people/auth_service.h"
#include "engine/production/production_common.h"
#include "engine/serialize.h"

#include <map>
#include <vector>

namespace slate::engine::production {
namespace {

using RowsByProject = std::map<std::string, std::vector<int>>;

RowsByProject group_by_project(const db::Result& rows) {
    RowsByProject grouped;
    for (int row = 0; row < rows.rows(); ++row)
        grouped[std::string(rows.get(row, "project_id"))].push_back(row);
    return grouped;
}

std::vector<std::string> ids_of(const db::Result& projects) {
    std::vector<std::string> ids;
    for (int row = 0; row < projects.rows(); ++row)
        ids.emplace_back(projects.get(row, "id"));
    return ids;
}

/// Who sees which descriptors in the open list: everyone all of them, clients those for
/// clients, vendors those of no department or of one of theirs. Zou reads the global role
/// there (no project is resolved yet).
struct DescriptorScope {
    bool for_client = false;
    std::optional<std::string> vendor_person;
};

db::Result descriptors_of(db::Connection& c, const std::vector<std::string>& project_ids, const DescriptorScope& scope,
                          bool project_level_only) {
    std::string sql = R"(SELECT d.id, d.project_id, d.name, d.field_name, d.data_type, d.choices,
            COALESCE(d.for_client, false) AS for_client, d.entity_type, d.task_type_id, d.position,
            COALESCE((SELECT array_agg(l.department_id::text) FROM department_metadata_descriptor_link l
                      WHERE l.metadata_descriptor_id = d.id), '{}'::text[]) AS departments
        FROM metadata_descriptor d WHERE d.project_id = ANY($1::uuid[]))";
    db::Params params{crud::array_literal(project_ids)};
    if (project_level_only)
        sql += " AND d.entity_type = 'Project'";
    if (scope.for_client)
        sql += " AND d.for_client";
    else if (scope.vendor_person) {
        params.push_back(*scope.vendor_person);
        sql += R"( AND (NOT EXISTS (SELECT 1 FROM department_metadata_descriptor_link l
                                     WHERE l.metadata_descriptor_id = d.id)
                   OR EXISTS (SELECT 1 FROM department_metadata_descriptor_link l
                              JOIN department_link p ON p.department_id = l.department_id
                              WHERE l.metadata_descriptor_id = d.id AND p.person_id = $2::uuid)))";
    }
    return c.exec(sql, params);
}

/// Zou's _serialize_descriptor: the short shape of a descriptor inside a project.
void write_descriptors(JsonWriter& out, const db::Result& rows, const std::vector<int>* indexes) {
    out.key("descriptors").begin_array();
    if (indexes)
        for (int row : *indexes) {
            out.begin_object();
            write_row_fields(out, rows, row, {"project_id"});
            out.end_object();
        }
    out.end_array();
}

struct OpenExtras {
    db::Result descriptors, task_types, task_statuses, first_episodes;
    RowsByProject descriptors_of, task_types_of, task_statuses_of;
    std::map<std::string, std::string> first_episode_of;
};

OpenExtras open_extras(db::Connection& c, const db::Result& projects, const DescriptorScope& scope) {
    OpenExtras extras;
    const std::vector<std::string> ids = ids_of(projects);
    const std::string id_array = crud::array_literal(ids);
    extras.descriptors = descriptors_of(c, ids, scope, false);
    extras.descriptors_of = group_by_project(extras.descriptors);
    extras.task_types = c.exec("SELECT project_id, task_type_id, priority FROM project_task_type_link "
                               "WHERE project_id = ANY($1::uuid[])",
                               {id_array});
    extras.task_types_of = group_by_project(extras.task_types);
    extras.task_statuses = c.exec("SELECT project_id, task_status_id, priority, roles_for_board "
                                  "FROM project_task_status_link WHERE project_id = ANY($1::uuid[])",
                                  {id_array});
    extras.task_statuses_of = group_by_project(extras.task_statuses);
    // A tv show opens on its first running episode by name, else on its first episode.
    extras.first_episodes = c.exec(R"(SELECT DISTINCT ON (e.project_id) e.project_id, e.id
        FROM entity e JOIN entity_type et ON et.id = e.entity_type_id AND et.name = 'Episode'
        JOIN project p ON p.id = e.project_id AND p.production_type = 'tvshow'
        WHERE e.project_id = ANY($1::uuid[])
        ORDER BY e.project_id, (e.status = 'running') IS TRUE DESC, e.name)",
                                   {id_array});
    for (int row = 0; row < extras.first_episodes.rows(); ++row)
        extras.first_episode_of[std::string(extras.first_episodes.get(row, "project_id"))] =
            extras.first_episodes.get(row, "id");
    return extras;
}

void write_open_project(JsonWriter& out, const db::Result& projects, int row, const OpenExtras& extras) {
    const std::string id(projects.get(row, "id"));
    auto rows_of = [&](const RowsByProject& grouped) {
        const auto it = grouped.find(id);
        return it == grouped.end() ? nullptr : &it->second;
    };
    out.begin_object();
    write_row_fields(out, projects, row);
    out.field("type", "Project");
    write_descriptors(out, extras.descriptors, rows_of(extras.descriptors_of));
    out.key("task_types_priority").begin_object();
    if (const auto* links = rows_of(extras.task_types_of))
        for (int link : *links) {
            out.key(extras.task_types.get(link, "task_type_id"));
            write_value(out, extras.task_types, link, extras.task_types.column_index("priority"));
        }
    out.end_object();
    out.key("task_statuses_link").begin_object();
    if (const auto* links = rows_of(extras.task_statuses_of))
        for (int link : *links) {
            const db::Result& rows = extras.task_statuses;
            out.key(rows.get(link, "task_status_id")).begin_object().key("priority");
            write_value(out, rows, link, rows.column_index("priority"));
            out.key("roles_for_board");
            write_value(out, rows, link, rows.column_index("roles_for_board"));
            out.end_object();
        }
    out.end_object();
    if (const auto episode = extras.first_episode_of.find(id); episode != extras.first_episode_of.end())
        out.field("first_episode_id", episode->second);
    out.end_object();
}

} // namespace

std::string open_projects_json(db::Connection& c, const services::Identity& caller,
                               const std::optional<std::string>& name) {
    const bool admin = caller.role == "admin";
    std::string sql = select_model_sql("project", true) + " JOIN project_status s ON s.id = t.project_status_id";
    db::Params params;
    if (admin) {
        sql += " WHERE s.name IN ('Active', 'open', 'Open')";
    } else {
        params.push_back(caller.person_id);
        sql += R"( WHERE s.name = 'Open' AND EXISTS (SELECT 1 FROM project_person_link m
                                                    WHERE m.project_id = t.id AND m.person_id = $1::uuid))";
    }
    if (name) {
        params.push_back(*name);
        sql += " AND t.name = " + placeholder(params.size());
    }
    const auto projects = c.exec(sql + " ORDER BY t.name", params);
    JsonWriter out;
    out.begin_array();
    if (projects.rows() > 0) {
        DescriptorScope scope;
        scope.for_client = caller.role == "client";
        if (caller.role == "vendor")
            scope.vendor_person = caller.person_id;
        const OpenExtras extras = open_extras(c, projects, scope);
        for (int row = 0; row < projects.rows(); ++row)
            write_open_project(out, projects, row, extras);
    }
    out.end_array();
    return out.take();
}

std::string all_projects_json(db::Connection& c, const services::Identity& caller,
                              const std::optional<std::string>& name) {
    std::string sql = select_model_sql("project", false) + " JOIN project_status s ON s.id = t.project_status_id";
    db::Params params;
    std::vector<std::string> conditions;
    if (caller.role != "admin") {
        params.push_back(caller.person_id);
        conditions.push_back("EXISTS (SELECT 1 FROM project_person_link m WHERE m.project_id = t.id "
                             "AND m.person_id = $1::uuid)");
    }
    if (name) { // get_project_by_name: case-insensitive (ILIKE, so % and _ match as patterns)
        params.push_back(*name);
        conditions.push_back("t.name ILIKE " + placeholder(params.size()));
    }
    for (std::size_t i = 0; i < conditions.size(); ++i)
        sql += (i == 0 ? " WHERE " : " AND ") + conditions[i];
    if (caller.role == "admin" && !name) {
        const auto projects = c.exec("SELECT t.*, s.name AS project_status_name FROM project t "
                                     "JOIN project_status s ON s.id = t.project_status_id ORDER BY t.name");
        const auto descriptors = descriptors_of(c, ids_of(projects), {}, true);
        const RowsByProject by_project = group_by_project(descriptors);
        JsonWriter out;
        out.begin_array();
        for (int row = 0; row < projects.rows(); ++row) {
            out.begin_object();
            write_row_fields(out, projects, row, {"project_status_name"});
            out.field("type", "Project")
                .field("project_status_name", std::string(projects.get(row, "project_status_name")));
            const auto it = by_project.find(std::string(projects.get(row, "id")));
            write_descriptors(out, descriptors, it == by_project.end() ? nullptr : &it->second);
            out.end_object();
        }
        out.end_array();
        return out.take();
    }
    const auto projects = c.exec(sql + (name ? " ORDER BY t.name LIMIT 1" : " ORDER BY t.name"), params);
    if (name && projects.rows() == 0)
        throw_not_found(not_found_message);
    return rows_json(projects, "Project");
}

} // namespace slate::engine::production
