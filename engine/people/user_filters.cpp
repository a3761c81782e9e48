// engine/people/user_filters.cpp: the SQL and rules of saved search filters and filter groups.
#include "engine/people/user_filters.h"

#include "engine/access.h"
#include "engine/crud/queries.h"
#include "engine/db/connection.h"
#include "engine/json.h"
#include "engine/serialize.h"
#include "engine/uuid.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <vector>

namespace slate::engine::user {
namespace {

using services::Identity;

bool is_manager(const Identity& caller) {
    return caller.role == "admin" || caller.role == "manager";
}

/// Zou's has_manager_project_access: an admin, or a team member managing the production.
bool manages_project(db::Connection& c, const Identity& caller, const std::optional<std::string>& project_id) {
    if (!project_id)
        return false;
    if (caller.role == "admin")
        return true;
    if (!is_uuid(*project_id) || !access::has_project_access(caller, c, *project_id))
        return false;
    const std::string role = access::effective_role(caller, c, *project_id);
    return role == "manager" || role == "admin";
}

/// Filters or groups visible to the caller, grouped as {list_type: {project or "all": [...]}}.
/// Groups list a list type even when the department rule then hides its rows, as Zou does.
std::string grouped_json(db::Connection& c, const Identity& caller, const char* table, const char* type,
                         bool list_type_first) {
    const auto rows = c.exec(std::string("SELECT t.* FROM ") + table +
                                 " t LEFT JOIN project p ON p.id = t.project_id "
                                 "LEFT JOIN project_status s ON s.id = p.project_status_id "
                                 "WHERE (t.person_id = $1::uuid OR t.is_shared = true) "
                                 "AND (s.name = 'Open' OR t.project_id IS NULL) ORDER BY t.created_at DESC",
                             {caller.person_id});
    const auto departments =
        c.exec("SELECT department_id::text FROM department_link WHERE person_id = $1::uuid", {caller.person_id});
    std::vector<std::string> own_departments;
    for (int row = 0; row < departments.rows(); ++row)
        own_departments.emplace_back(departments.get(row, 0));
    // list type → project key → serialised rows, in the order met.
    std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::vector<std::string>>>>> groups;
    auto slot = [&groups](const std::string& list_type) -> auto& {
        for (auto& group : groups)
            if (group.first == list_type)
                return group.second;
        groups.push_back({list_type, {}});
        return groups.back().second;
    };
    for (int row = 0; row < rows.rows(); ++row) {
        const std::string list_type(rows.get(row, "list_type"));
        if (list_type_first)
            slot(list_type);
        const auto department = rows.optional(row, "department_id");
        const bool visible =
            !department || is_manager(caller) ||
            std::find(own_departments.begin(), own_departments.end(), *department) != own_departments.end();
        if (!visible)
            continue;
        auto& projects = slot(list_type);
        const std::string project = rows.optional(row, "project_id").value_or("all");
        auto it = std::find_if(projects.begin(), projects.end(), [&](const auto& p) { return p.first == project; });
        if (it == projects.end()) {
            projects.push_back({project, {}});
            it = std::prev(projects.end());
        }
        it->second.push_back(row_json(rows, row, type));
    }
    JsonWriter out;
    out.begin_object();
    for (const auto& [list_type, projects] : groups) {
        out.key(list_type).begin_object();
        for (const auto& [project, items] : projects) {
            out.key(project).begin_array();
            for (const auto& item : items)
                out.raw(item);
            out.end_array();
        }
        out.end_object();
    }
    out.end_object();
    return out.take();
}

/// The row `id` of `table` the caller may change: their own, or anyone's for an admin.
db::Result own_row(db::Connection& c, const Identity& caller, const char* table, const std::string& id) {
    if (!is_uuid(id))
        throw_not_found(not_found_message);
    auto row =
        c.exec(std::string("SELECT * FROM ") + table + " WHERE id = $1::uuid AND (person_id = $2::uuid OR $3::boolean)",
               {id, caller.person_id, caller.role == "admin" ? "true" : "false"});
    if (row.rows() == 0)
        throw_not_found(not_found_message);
    return row;
}

void check_department(db::Connection& c, const std::optional<std::optional<std::string>>& department_id) {
    if (!department_id || !*department_id)
        return;
    if (!is_uuid(**department_id) ||
        c.exec("SELECT 1 FROM department WHERE id = $1::uuid", {**department_id}).rows() == 0)
        throw_not_found(not_found_message);
}

void check_project_id(const std::optional<std::optional<std::string>>& project_id) {
    if (project_id && *project_id && !is_uuid(**project_id))
        throw_bad_request("Invalid UUID format for project_id: " + **project_id);
}

/// A filter's group must exist and share as the filter does.
void check_group(db::Connection& c, const std::string& group_id, bool is_shared) {
    if (!is_uuid(group_id))
        throw_not_found(not_found_message);
    const auto group = c.exec("SELECT is_shared FROM search_filter_group WHERE id = $1::uuid", {group_id});
    if (group.rows() == 0)
        throw_not_found(not_found_message);
    if (group.get_bool(0, "is_shared") != is_shared)
        throw_bad_request("A search filter should have the same value for is_shared than its search filter group.");
}

/// Zou's _deny_sharing_without_manager_access: a change of sharing asked without a managed
/// production in the body is turned into "not shared".
void deny_sharing(db::Connection& c, const Identity& caller, FilterFields& fields, bool current) {
    if (fields.is_shared && *fields.is_shared != current) {
        const std::optional<std::string> project = fields.project_id ? *fields.project_id : std::nullopt;
        if (!manages_project(c, caller, project))
            fields.is_shared = false;
    }
}

/// The SET list and parameters of an update (updated_at always).
std::string set_clause(const FilterFields& fields, db::Params& params, bool group) {
    std::string sql = "updated_at = now() AT TIME ZONE 'utc'";
    auto set = [&](const char* column, const db::Param& value, const char* cast) {
        params.push_back(value);
        sql += std::string(", ") + column + " = $" + std::to_string(params.size()) + cast;
    };
    if (fields.name)
        set("name", *fields.name, "");
    if (fields.query && !group)
        set("search_query", *fields.query, "");
    if (fields.color && group)
        set("color", *fields.color, "");
    if (fields.is_shared)
        set("is_shared", *fields.is_shared ? "true" : "false", "::boolean");
    if (fields.project_id)
        set("project_id", *fields.project_id, "::uuid");
    if (fields.department_id)
        set("department_id", *fields.department_id, "::uuid");
    if (fields.search_filter_group_id && !group)
        set("search_filter_group_id", *fields.search_filter_group_id, "::uuid");
    return sql;
}

db::Param optional_param(const std::optional<std::optional<std::string>>& value) {
    return value ? *value : std::nullopt;
}

} // namespace

std::string filters_json(db::Connection& c, const Identity& caller) {
    return grouped_json(c, caller, "search_filter", "SearchFilter", false);
}

std::string filter_groups_json(db::Connection& c, const Identity& caller) {
    return grouped_json(c, caller, "search_filter_group", "SearchFilterGroup", true);
}

std::string create_filter(db::Connection& c, const Identity& caller, const FilterFields& fields) {
    check_project_id(fields.project_id);
    const auto project = optional_param(fields.project_id);
    const bool shared = fields.is_shared.value_or(false) && manages_project(c, caller, project);
    if (const auto group = optional_param(fields.search_filter_group_id))
        check_group(c, *group, shared);
    check_department(c, fields.department_id);
    const std::string id = new_uuid();
    c.exec("INSERT INTO search_filter (id, list_type, name, search_query, project_id, person_id, entity_type, "
           "is_shared, search_filter_group_id, department_id, created_at, updated_at) VALUES ($1::uuid, $2, $3, $4, "
           "$5::uuid, $6::uuid, $7, $8::boolean, $9::uuid, $10::uuid, now() AT TIME ZONE 'utc', "
           "now() AT TIME ZONE 'utc')",
           {id, fields.list_type.value_or("todo"), fields.name.value_or(""), fields.query.value_or(""), project,
            caller.person_id, fields.entity_type, shared ? "true" : "false",
            optional_param(fields.search_filter_group_id), optional_param(fields.department_id)});
    return row_json(c.exec("SELECT * FROM search_filter WHERE id = $1::uuid", {id}), 0, "SearchFilter");
}

std::string update_filter(db::Connection& c, const Identity& caller, const std::string& id, FilterFields fields) {
    const auto current = own_row(c, caller, "search_filter", id);
    check_department(c, fields.department_id);
    check_project_id(fields.project_id);
    deny_sharing(c, caller, fields, current.get_bool(0, "is_shared"));
    const std::optional<std::string> group =
        fields.search_filter_group_id ? *fields.search_filter_group_id : current.optional(0, "search_filter_group_id");
    if (group)
        check_group(c, *group, fields.is_shared.value_or(current.get_bool(0, "is_shared")));
    db::Params params;
    const std::string set = set_clause(fields, params, false);
    params.push_back(id);
    c.exec("UPDATE search_filter SET " + set + " WHERE id = $" + std::to_string(params.size()) + "::uuid", params);
    return row_json(c.exec("SELECT * FROM search_filter WHERE id = $1::uuid", {id}), 0, "SearchFilter");
}

void remove_filter(db::Connection& c, const Identity& caller, const std::string& id) {
    own_row(c, caller, "search_filter", id);
    c.exec("DELETE FROM search_filter WHERE id = $1::uuid", {id});
}

std::string create_filter_group(db::Connection& c, const Identity& caller, const FilterFields& fields) {
    check_project_id(fields.project_id);
    const auto project = optional_param(fields.project_id);
    const bool shared = fields.is_shared.value_or(false) && manages_project(c, caller, project);
    check_department(c, fields.department_id);
    const std::string id = new_uuid();
    c.exec("INSERT INTO search_filter_group (id, list_type, name, color, project_id, person_id, entity_type, "
           "is_shared, department_id, created_at, updated_at) VALUES ($1::uuid, $2, $3, $4, $5::uuid, $6::uuid, $7, "
           "$8::boolean, $9::uuid, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc')",
           {id, fields.list_type.value_or("todo"), fields.name.value_or(""), fields.color.value_or(""), project,
            caller.person_id, fields.entity_type, shared ? "true" : "false", optional_param(fields.department_id)});
    return filter_group(c, caller, id);
}

std::string filter_group(db::Connection& c, const Identity& caller, const std::string& id) {
    return row_json(own_row(c, caller, "search_filter_group", id), 0, "SearchFilterGroup");
}

std::string update_filter_group(db::Connection& c, const Identity& caller, const std::string& id, FilterFields fields) {
    const auto current = own_row(c, caller, "search_filter_group", id);
    check_project_id(fields.project_id);
    check_department(c, fields.department_id);
    deny_sharing(c, caller, fields, current.get_bool(0, "is_shared"));
    db::Transaction transaction(c);
    db::Params params;
    const std::string set = set_clause(fields, params, true);
    params.push_back(id);
    c.exec("UPDATE search_filter_group SET " + set + " WHERE id = $" + std::to_string(params.size()) + "::uuid",
           params);
    // The filters follow the group's sharing, or no change to them would pass check_group.
    if (fields.is_shared)
        c.exec("UPDATE search_filter SET is_shared = $1::boolean WHERE search_filter_group_id = $2::uuid",
               {*fields.is_shared ? "true" : "false", id});
    transaction.commit();
    return filter_group(c, caller, id);
}

void remove_filter_group(db::Connection& c, const Identity& caller, const std::string& id) {
    own_row(c, caller, "search_filter_group", id);
    db::Transaction transaction(c);
    c.exec("DELETE FROM search_filter WHERE search_filter_group_id = $1::uuid", {id});
    c.exec("DELETE FROM search_filter_group WHERE id = $1::uuid", {id});
    transaction.commit();
}

} // namespace slate::engine::user
