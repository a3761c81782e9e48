// engine/people/user_context.cpp: the caller's open productions and the web app's context.
#include "engine/people/user_context.h"
#include "engine/people/person_name.h"

#include "engine/crud/queries.h"
#include "engine/db/change_feed.h"
#include "engine/db/connection.h"
#include "engine/json.h"
#include "engine/models/catalog.h"
#include "engine/people/user_filters.h"
#include "engine/serialize.h"

#include <algorithm>
#include <map>
#include <memory>
#include <vector>

namespace slate::engine::user {
namespace {

using services::Identity;

/// Zou's open status is the project status named "Open".
constexpr const char* open_status_sql = "(SELECT s.id FROM project_status s WHERE s.name = 'Open')";

/// The side maps of each production, as JSON text keyed by project id.
struct ProjectExtras {
    std::map<std::string, std::string> descriptors, task_types_priority, task_statuses_link, first_episode_id;
};

std::map<std::string, std::string> by_project(const db::Result& rows) {
    std::map<std::string, std::string> out;
    for (int row = 0; row < rows.rows(); ++row)
        out.emplace(std::string(rows.get(row, 0)), std::string(rows.get(row, 1)));
    return out;
}

ProjectExtras project_extras(db::Connection& c, const Identity& caller, const std::string& ids_literal) {
    ProjectExtras extras;
    // Clients see only the descriptors published to them; vendors those of their departments
    // or of none (Zou's _fetch_metadata_descriptors_by_project).
    std::string descriptor_filter;
    if (caller.role == "client")
        descriptor_filter = " AND d.for_client = true";
    else if (caller.role == "vendor")
        descriptor_filter = " AND (NOT EXISTS (SELECT 1 FROM department_metadata_descriptor_link x "
                            "WHERE x.metadata_descriptor_id = d.id) OR EXISTS (SELECT 1 FROM "
                            "department_metadata_descriptor_link x JOIN department_link p ON p.department_id = "
                            "x.department_id WHERE x.metadata_descriptor_id = d.id AND p.person_id = $2::uuid))";
    const db::Params params =
        caller.role == "vendor" ? db::Params{ids_literal, caller.person_id} : db::Params{ids_literal};
    extras.descriptors = by_project(c.exec(
        "SELECT d.project_id, json_agg(json_build_object('id', d.id, 'name', d.name, 'field_name', d.field_name, "
        "'data_type', d.data_type, 'choices', d.choices, 'for_client', COALESCE(d.for_client, false), "
        "'entity_type', d.entity_type, 'task_type_id', d.task_type_id, 'position', d.position, 'departments', "
        "COALESCE((SELECT json_agg(x.department_id) FROM department_metadata_descriptor_link x "
        "WHERE x.metadata_descriptor_id = d.id), '[]'::json)))::text FROM metadata_descriptor d "
        "WHERE d.project_id = ANY($1::uuid[])" +
            descriptor_filter + " GROUP BY d.project_id",
        params));
    extras.task_types_priority = by_project(
        c.exec("SELECT project_id, json_object_agg(task_type_id, priority)::text FROM project_task_type_link "
               "WHERE project_id = ANY($1::uuid[]) GROUP BY project_id",
               {ids_literal}));
    extras.task_statuses_link =
        by_project(c.exec("SELECT project_id, json_object_agg(task_status_id, json_build_object('priority', priority, "
                          "'roles_for_board', COALESCE(to_json(roles_for_board), '[]'::json)))::text "
                          "FROM project_task_status_link WHERE project_id = ANY($1::uuid[]) GROUP BY project_id",
                          {ids_literal}));
    // A TV show opens on its first running episode by name, else its first episode.
    extras.first_episode_id =
        by_project(c.exec("SELECT DISTINCT ON (e.project_id) e.project_id, e.id FROM entity e "
                          "JOIN entity_type t ON t.id = e.entity_type_id AND t.name = 'Episode' "
                          "JOIN project p ON p.id = e.project_id AND p.production_type = 'tvshow' "
                          "WHERE e.project_id = ANY($1::uuid[]) "
                          "ORDER BY e.project_id, (e.status = 'running') DESC, e.name",
                          {ids_literal}));
    return extras;
}

void write_projects(JsonWriter& out, db::Connection& c, const Identity& caller,
                    const std::optional<std::string>& name) {
    queries::Where where;
    where.add("t.project_status_id = " + std::string(open_status_sql));
    if (name)
        where.add("t.name = " + where.param(*name));
    if (caller.role != "admin")
        where.add("t.id IN (SELECT l.project_id FROM project_person_link l WHERE l.person_id = " +
                  where.param(caller.person_id) + "::uuid)");
    const auto rows = queries::select_rows(c, models::table("project"), true, where, std::nullopt);
    out.begin_array();
    if (rows.rows() == 0) {
        out.end_array();
        return;
    }
    std::string ids = "{";
    for (int row = 0; row < rows.rows(); ++row)
        ids += (row ? "," : "") + std::string(rows.get(row, "id"));
    ids += "}";
    const auto extras = project_extras(c, caller, ids);
    auto raw_or = [](const std::map<std::string, std::string>& map, const std::string& id, const char* fallback) {
        auto it = map.find(id);
        return it == map.end() ? std::string(fallback) : it->second;
    };
    for (int row = 0; row < rows.rows(); ++row) {
        const std::string id(rows.get(row, "id"));
        out.begin_object();
        write_row_fields(out, rows, row);
        out.field("type", "Project");
        out.key("descriptors").raw(raw_or(extras.descriptors, id, "[]"));
        out.key("task_types_priority").raw(raw_or(extras.task_types_priority, id, "{}"));
        out.key("task_statuses_link").raw(raw_or(extras.task_statuses_link, id, "{}"));
        if (auto it = extras.first_episode_id.find(id); it != extras.first_episode_id.end())
            out.field("first_episode_id", it->second);
        out.end_object();
    }
    out.end_array();
}

/// Every row of a table as serialize() without relations (Zou's serialize_models).
void write_table(JsonWriter& out, db::Connection& c, const char* table, const char* type, bool relations = false,
                 const std::string& condition = "") {
    queries::Where where;
    if (!condition.empty())
        where.add(condition);
    const auto rows = queries::select_rows(c, models::table(table), relations, where, std::nullopt);
    out.begin_array();
    for (int row = 0; row < rows.rows(); ++row) {
        out.begin_object();
        write_row_fields(out, rows, row);
        out.field("type", type);
        out.end_object();
    }
    out.end_array();
}

/// Persons but guests: the full safe serialisation for managers, present_minimal otherwise.
void write_persons(JsonWriter& out, db::Connection& c, bool full) {
    queries::Where where;
    where.add("t.is_guest = false");
    const auto rows = queries::select_rows(c, models::table("person"), true, where, std::nullopt);
    // The columns are looked up once: a studio has hundreds of persons.
    const int first_name = rows.column_index("first_name"), last_name = rows.column_index("last_name");
    std::vector<std::pair<const char*, int>> minimal;
    for (const char* column : {"id", "first_name", "last_name", "has_avatar", "active", "departments", "studio_id",
                               "role", "desktop_login", "is_bot"})
        minimal.emplace_back(column, rows.column_index(column));
    out.begin_array();
    for (int row = 0; row < rows.rows(); ++row) {
        const std::string full_name = people::full_name(rows.get(row, first_name), rows.get(row, last_name));
        out.begin_object();
        if (full) {
            write_row_fields(out, rows, row,
                             {"password", "totp_secret", "email_otp_secret", "otp_recovery_codes", "fido_credentials",
                              "jti", "login_failed_attemps", "last_login_failed"});
        } else {
            for (const auto& [column, index] : minimal) {
                out.key(column);
                write_value(out, rows, row, index);
            }
        }
        out.field("full_name", full_name);
        out.field("type", "Person");
        out.end_object();
    }
    out.end_array();
}

} // namespace

std::string open_projects_json(db::Connection& c, const Identity& caller, const std::optional<std::string>& name) {
    JsonWriter out;
    write_projects(out, c, caller, name);
    return out.take();
}

namespace {

/// The parts of the context every caller of a kind gets alike: the studio's settings and its
/// persons. They are read once and kept until one of their tables changes (db::ChangeFeed):
/// the persons alone are most of the answer's bytes.
struct StudioContext {
    std::string asset_types, custom_actions, status_automations, departments, studios, persons, project_status,
        task_types, task_status, preview_background_files, plugins;
};

template <class Write>
std::string fragment(Write&& write) {
    JsonWriter out;
    write(out);
    return out.take();
}

StudioContext read_studio_context(db::Connection& c, bool full_persons) {
    StudioContext studio;
    studio.asset_types = fragment([&](JsonWriter& out) {
        write_table(out, c, "entity_type", "AssetType", true,
                    "t.name NOT IN ('Shot', 'Sequence', 'Episode', 'Edit', 'Scene', 'Concept')");
    });
    studio.custom_actions = fragment([&](JsonWriter& out) { write_table(out, c, "custom_action", "CustomAction"); });
    studio.status_automations =
        fragment([&](JsonWriter& out) { write_table(out, c, "status_automation", "StatusAutomation"); });
    studio.departments = fragment([&](JsonWriter& out) { write_table(out, c, "department", "Department"); });
    studio.studios = fragment([&](JsonWriter& out) { write_table(out, c, "studio", "Studio"); });
    studio.persons = fragment([&](JsonWriter& out) { write_persons(out, c, full_persons); });
    studio.project_status = fragment([&](JsonWriter& out) { write_table(out, c, "project_status", "ProjectStatus"); });
    studio.task_types = fragment([&](JsonWriter& out) { write_table(out, c, "task_type", "TaskType"); });
    studio.task_status = fragment([&](JsonWriter& out) { write_table(out, c, "task_status", "TaskStatus"); });
    studio.preview_background_files =
        fragment([&](JsonWriter& out) { write_table(out, c, "preview_background_file", "PreviewBackgroundFile"); });
    studio.plugins = fragment([&](JsonWriter& out) {
        // Plugin.present(): a fixed subset, no type.
        const auto plugins = c.exec("SELECT id, plugin_id, name, description, version, maintainer_name, "
                                    "maintainer_email, frontend_project_enabled, frontend_studio_enabled, icon "
                                    "FROM plugin");
        out.begin_array();
        for (int row = 0; row < plugins.rows(); ++row) {
            out.begin_object();
            write_row_fields(out, plugins, row);
            out.end_object();
        }
        out.end_array();
    });
    return studio;
}

/// The tables read_studio_context reads: its tables and those of their relations.
const std::vector<std::string>& studio_context_tables() {
    static const std::vector<std::string> tables = [] {
        std::vector<std::string> names;
        for (const char* name : {"entity_type", "custom_action", "status_automation", "department", "studio",
                                 "person", "project_status", "task_type", "task_status", "preview_background_file",
                                 "plugin"}) {
            names.emplace_back(name);
            for (const auto& relation : models::table(name).relations)
                names.push_back(relation.link_table.empty() ? relation.target : relation.link_table);
        }
        std::sort(names.begin(), names.end());
        names.erase(std::unique(names.begin(), names.end()), names.end());
        return names;
    }();
    return tables;
}

std::shared_ptr<const StudioContext> studio_context(db::Connection& c, bool full_persons) {
    auto load = [&] { return std::make_shared<const StudioContext>(read_studio_context(c, full_persons)); };
    db::ChangeFeed* feed = c.change_feed();
    if (!feed)
        return load();
    using Cache = db::VersionedCache<std::shared_ptr<const StudioContext>>;
    return feed->slot<Cache>().get(feed, full_persons ? "full" : "minimal", studio_context_tables(), load);
}

} // namespace

std::string context_json(db::Connection& c, const Identity& caller, int64_t user_limit) {
    const bool manager = caller.role == "admin" || caller.role == "manager";
    const auto studio = studio_context(c, manager);
    JsonWriter out;
    out.begin_object();
    out.key("asset_types").raw(studio->asset_types);
    out.key("custom_actions").raw(studio->custom_actions);
    out.key("status_automations").raw(studio->status_automations);
    out.key("departments").raw(studio->departments);
    out.key("studios").raw(studio->studios);
    out.field(
        "notification_count",
        c.exec("SELECT count(*) AS n FROM notification WHERE person_id = $1::uuid AND read = false", {caller.person_id})
            .get_int(0, "n"));
    out.key("persons").raw(studio->persons);
    out.key("project_status").raw(studio->project_status);
    // The roles the caller holds explicitly on productions; inherited ones are left out.
    out.key("project_roles").begin_object();
    const auto roles = c.exec("SELECT project_id, role FROM project_person_link WHERE person_id = $1::uuid "
                              "AND role IS NOT NULL",
                              {caller.person_id});
    for (int row = 0; row < roles.rows(); ++row)
        out.field(roles.get(row, 0), roles.get(row, 1));
    out.end_object();
    out.key("projects");
    write_projects(out, c, caller, std::nullopt);
    out.key("task_types").raw(studio->task_types);
    out.key("task_status").raw(studio->task_status);
    out.key("search_filters").raw(filters_json(c, caller));
    out.key("search_filter_groups").raw(filter_groups_json(c, caller));
    out.key("preview_background_files").raw(studio->preview_background_files);
    out.key("plugins").raw(studio->plugins);
    if (caller.role == "admin")
        out.field("user_limit", user_limit);
    out.end_object();
    return out.take();
}

} // namespace slate::engine::user
