#include "engine/crud/queries.h"

#include "engine/db/change_feed.h"

#include "engine/models/catalog.h"
#include "engine/error.h"
#include "engine/storage/deleted_files.h"
#include "engine/uuid.h"

namespace slate::engine::queries {

using db::quote_identifier;
using models::Relation;
using models::Table;

namespace {
/// "$n". Built by appending: GCC 12 warns falsely on "$" + std::to_string(n).
std::string placeholder(std::size_t n) {
    std::string text(1, '$');
    text.append(std::to_string(n));
    return text;
}
} // namespace

std::string Where::param(db::Param value) {
    m_params.push_back(std::move(value));
    return placeholder(m_params.size());
}

void Where::add(std::string condition) {
    m_conditions.push_back(std::move(condition));
}

std::string Where::sql() const {
    std::string sql;
    for (std::size_t i = 0; i < m_conditions.size(); ++i)
        sql += (i == 0 ? " WHERE " : " AND ") + m_conditions[i];
    return sql;
}

namespace {

std::string relation_column(const Relation& r) {
    std::string ids;
    if (r.kind == Relation::Kind::many_to_many)
        ids = "SELECT array_agg(l." + quote_identifier(r.other_column) + "::text) FROM " +
              quote_identifier(r.link_table) + " l WHERE l." + quote_identifier(r.own_column) + " = t.id";
    else
        ids = "SELECT array_agg(x.id::text) FROM " + quote_identifier(r.target) + " x WHERE x." +
              quote_identifier(r.foreign_key) + " = t.id";
    return "COALESCE((" + ids + "), '{}'::text[]) AS " + quote_identifier(r.field);
}

std::string select_list(const Table& table, bool relations) {
    std::string sql = "SELECT t.*";
    if (relations)
        for (const auto& r : table.relations)
            if (r.kind != Relation::Kind::many_to_one) // the related row is read apart (row_json)
                sql += ", " + relation_column(r);
    return sql + " FROM " + quote_identifier(table.name) + " t";
}

/// The cast of a parameter: the column's type without a length, so that an over-long value
/// is refused by the column (an explicit cast to varchar(n) would silently truncate it).
std::string cast(const models::Column& column) {
    std::string type = column.sql_type;
    if (type.rfind("character varying(", 0) == 0)
        type.erase(17, type.find(')') - 16);
    return "::" + type;
}

} // namespace

db::Result select_rows(db::Connection& c, const Table& table, bool relations, const Where& where,
                       const std::optional<Page>& page, int64_t cap) {
    std::string sql = select_list(table, relations) + where.sql();
    db::Params params = where.params();
    if (page) {
        // Zou's paginated order.
        const bool dated = table.column("updated_at") && table.column("created_at");
        sql += dated ? " ORDER BY t.updated_at DESC, t.created_at DESC, t.id" : " ORDER BY t.id";
    }
    if (page && page->limit > 0) {
        params.push_back(std::to_string(page->limit));
        sql += " LIMIT " + placeholder(params.size());
        params.push_back(std::to_string(page->offset));
        sql += " OFFSET " + placeholder(params.size());
    } else if (cap > 0) {
        params.push_back(std::to_string(cap));
        sql += " LIMIT " + placeholder(params.size());
    }
    return c.exec(sql, params);
}

int64_t count_rows(db::Connection& c, const Table& table, const Where& where) {
    const std::string sql = "SELECT count(*) AS n FROM " + quote_identifier(table.name) + " t" + where.sql();
    auto count = [&] { return c.exec(sql, where.params()).get_int(0, "n"); };
    db::ChangeFeed* feed = c.change_feed();
    if (!feed)
        return count();
    std::string key = sql;
    for (const auto& param : where.params())
        key.append(1, '\0').append(param ? *param : std::string("\1null"));
    std::vector<std::string> tables = where.tables();
    tables.push_back(table.name);
    using Counts = db::VersionedCache<int64_t>;
    return feed->slot<Counts>().get(feed, key, tables, count);
}

db::Result select_by_id(db::Connection& c, const Table& table, const std::string& id, bool relations) {
    return c.exec(select_list(table, relations) + " WHERE t.id = $1::uuid", {id});
}

void insert_row(db::Connection& c, const Table& table, const Assignments& values, const Expressions& expressions) {
    std::string columns, placeholders;
    db::Params params;
    auto separate = [&] {
        if (!columns.empty()) {
            columns += ", ";
            placeholders += ", ";
        }
    };
    for (const auto& [name, value] : values) {
        separate();
        params.push_back(value);
        columns += quote_identifier(name);
        placeholders += placeholder(params.size()) + cast(*table.column(name));
    }
    for (const auto& [name, sql] : expressions) {
        separate();
        columns += quote_identifier(name);
        placeholders += sql;
    }
    c.exec("INSERT INTO " + quote_identifier(table.name) + " (" + columns + ") VALUES (" + placeholders + ")", params);
}

void update_row(db::Connection& c, const Table& table, const std::string& id, const Assignments& values) {
    db::Params params{id};
    std::string sets;
    for (const auto& [name, value] : values) {
        params.push_back(value);
        sets += (sets.empty() ? "" : ", ") + quote_identifier(name) + " = " + placeholder(params.size()) +
                cast(*table.column(name));
    }
    if (table.column("updated_at"))
        sets += std::string(sets.empty() ? "" : ", ") + "updated_at = now() AT TIME ZONE 'utc'";
    if (sets.empty())
        return;
    c.exec("UPDATE " + quote_identifier(table.name) + " SET " + sets + " WHERE id = $1::uuid", params);
}

bool delete_row(db::Connection& c, const Table& table, const std::string& id) {
    for (const auto& r : table.relations)
        if (r.kind == Relation::Kind::many_to_many)
            c.exec("DELETE FROM " + quote_identifier(r.link_table) + " WHERE " + quote_identifier(r.own_column) +
                       " = $1::uuid",
                   {id});
    return c.exec("DELETE FROM " + quote_identifier(table.name) + " WHERE id = $1::uuid", {id}).affected() > 0;
}

namespace {

std::string uuid_array(const std::vector<std::string>& ids) {
    std::string literal = "{";
    for (std::size_t i = 0; i < ids.size(); ++i)
        literal += (i ? "," : "") + ids[i];
    return literal + "}";
}

void cascade(db::Connection& c, const Table& table, const std::vector<std::string>& ids, int depth,
             storage::DeletedFiles& deleted) {
    if (ids.empty())
        return;
    if (depth > 16)
        throw Error(ErrorKind::internal, "dependency chain too deep while deleting " + table.name);
    gather_stored_files(c, table.name, ids, deleted);
    const std::string array = uuid_array(ids);
    if (table.name == "task") {
        const auto comments = c.exec("SELECT id FROM comment WHERE object_id = ANY($1::uuid[])", {array});
        std::vector<std::string> comment_ids;
        for (int row = 0; row < comments.rows(); ++row)
            comment_ids.emplace_back(comments.get(row, 0));
        cascade(c, models::table("comment"), comment_ids, depth + 1, deleted);
    }
    for (const Table& dependant : models::all_tables()) {
        for (const auto& column : dependant.columns) {
            if (column.references != table.name)
                continue;
            const std::string where = " WHERE " + quote_identifier(column.name) + " = ANY($1::uuid[])";
            const bool owned = !column.nullable || column.name == table.name + "_id";
            if (dependant.name == table.name && column.nullable) {
                // A self-reference (entity.parent_id): detach the children.
                c.exec("UPDATE " + quote_identifier(dependant.name) + " SET " + quote_identifier(column.name) +
                           " = NULL" + where,
                       {array});
            } else if (!owned) {
                c.exec("UPDATE " + quote_identifier(dependant.name) + " SET " + quote_identifier(column.name) +
                           " = NULL" + where,
                       {array});
            } else if (dependant.column("id")) {
                const auto rows = c.exec("SELECT id FROM " + quote_identifier(dependant.name) + where, {array});
                std::vector<std::string> dependant_ids;
                for (int row = 0; row < rows.rows(); ++row)
                    dependant_ids.emplace_back(rows.get(row, 0));
                cascade(c, dependant, dependant_ids, depth + 1, deleted);
            } else {
                c.exec("DELETE FROM " + quote_identifier(dependant.name) + where, {array});
            }
        }
    }
    c.exec("DELETE FROM " + quote_identifier(table.name) + " WHERE id = ANY($1::uuid[])", {array});
}

} // namespace

void delete_cascade(db::Connection& c, const Table& table, const std::vector<std::string>& ids,
                    storage::DeletedFiles& deleted) {
    cascade(c, table, ids, 0, deleted);
}

void gather_stored_files(db::Connection& c, std::string_view table, const std::vector<std::string>& ids,
                         storage::DeletedFiles& deleted) {
    if (ids.empty() || (table != "preview_file" && table != "attachment_file" && table != "build_job"))
        return;
    const auto rows = c.exec("SELECT id" + std::string(table == "preview_file" ? ", COALESCE(extension, '')" : "") +
                                 " FROM " + quote_identifier(table) + " WHERE id = ANY($1::uuid[])",
                             {uuid_array(ids)});
    for (int row = 0; row < rows.rows(); ++row) {
        std::string id(rows.get(row, 0));
        if (table == "preview_file")
            deleted.previews.emplace_back(std::move(id), std::string(rows.get(row, 1)));
        else
            (table == "attachment_file" ? deleted.attachments : deleted.builds).push_back(std::move(id));
    }
}

void replace_links(db::Connection& c, const Relation& r, const std::string& id, const std::vector<std::string>& ids) {
    const std::string literal = uuid_array(ids);
    if (r.kind == Relation::Kind::one_to_many) {
        c.exec("UPDATE " + quote_identifier(r.target) + " SET " + quote_identifier(r.foreign_key) +
                   " = $1::uuid WHERE id = ANY($2::uuid[])",
               {id, literal});
        return;
    }
    const std::string link = quote_identifier(r.link_table);
    const std::string own = quote_identifier(r.own_column);
    const std::string other = quote_identifier(r.other_column);
    c.exec("DELETE FROM " + link + " WHERE " + own + " = $1::uuid", {id});
    const auto* link_table = models::find_table(r.link_table);
    // Link tables with their own id column (entity_link) get one, as Zou's models do.
    const bool has_id = link_table && link_table->column("id");
    c.exec("INSERT INTO " + link + " (" + own + ", " + other + (has_id ? ", id" : "") + ") SELECT $1::uuid, x.id" +
               (has_id ? ", gen_random_uuid()" : "") + " FROM " + quote_identifier(r.target) +
               " x WHERE x.id = ANY($2::uuid[]) ON CONFLICT DO NOTHING",
           {id, literal});
}

void insert_event(db::Connection& c, const std::string& name, const std::optional<std::string>& user_id,
                  const std::optional<std::string>& project_id, const std::string& data_json) {
    // As Zou's emit: the production is part of the event's data too (clients and the relay read
    // it there). One prepared statement writes the row and announces it (every write emits a
    // few). NOTIFY payloads stop at 8000 bytes: a larger event is announced by its row's id,
    // which the event feeds read back.
    c.exec_prepared(R"(INSERT INTO api_event (id, name, user_id, project_id, data, created_at, updated_at)
              VALUES ($1::uuid, $2::text, $3::uuid, $4::uuid,
                      CASE WHEN $4::uuid IS NULL OR jsonb_typeof($5::jsonb) <> 'object' OR $5::jsonb ? 'project_id'
                           THEN $5::jsonb ELSE $5::jsonb || jsonb_build_object('project_id', $4::text) END,
                      now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc')
              RETURNING pg_notify('slate_events',
                 CASE WHEN octet_length(data::text) + octet_length($2::text) > 7000
                      THEN json_build_object('name', $2::text, 'event_id', $1::text)::text
                      ELSE json_build_object('name', $2::text, 'data', data)::text END))",
                    {new_uuid(), name, user_id, project_id, data_json});
}

void signal_event(db::Connection& c, const std::string& name, const std::string& project_id,
                  const std::string& data_json) {
    c.exec_prepared("SELECT pg_notify('slate_events', json_build_object('name', $1::text, 'data', $2::jsonb, "
                    "'project_id', $3::text)::text)",
                    {name, data_json, project_id});
}

std::optional<std::string> project_role(db::Connection& c, const std::string& project_id,
                                        const std::string& person_id) {
    // Asked by nearly every production route: kept while the team links and persons stand.
    using TeamRoles = db::VersionedCache<std::optional<std::string>>;
    db::ChangeFeed* feed = c.change_feed();
    auto read = [&]() -> std::optional<std::string> {
        const auto found = c.exec_prepared(R"(SELECT COALESCE(NULLIF(l.role, ''), p.role) AS role
            FROM project_person_link l JOIN person p ON p.id = l.person_id
            WHERE l.project_id = $1::uuid AND l.person_id = $2::uuid)",
                                           {project_id, person_id});
        if (found.rows() == 0)
            return std::nullopt;
        return std::string(found.get(0, 0));
    };
    if (!feed)
        return read();
    return feed->slot<TeamRoles>().get(feed, project_id + "/" + person_id, {"project_person_link", "person"}, read);
}

std::string role_in_project(db::Connection& c, const std::string& project_id, const std::string& person_id) {
    if (auto role = project_role(c, project_id, person_id))
        return *role;
    const auto person = c.exec_prepared("SELECT role FROM person WHERE id = $1::uuid", {person_id});
    return person.rows() ? person.optional(0, "role").value_or("") : "";
}

bool assigned_work(db::Connection& c, const std::string& table, const std::string& id, const std::string& person_id) {
    const char* sql =
        table == "task"     ? "SELECT 1 FROM task_person_link a WHERE a.task_id = $1::uuid AND a.person_id = $2::uuid"
        : table == "entity" ? "SELECT 1 FROM task x JOIN task_person_link a ON a.task_id = x.id "
                              "WHERE x.entity_id = $1::uuid AND a.person_id = $2::uuid LIMIT 1"
                            : "SELECT 1 FROM preview_file p JOIN task_person_link a ON a.task_id = p.task_id "
                              "WHERE p.id = $1::uuid AND a.person_id = $2::uuid";
    return c.exec_prepared(sql, {id, person_id}).rows() > 0;
}

std::optional<std::string> project_of_task(db::Connection& c, const std::string& task_id) {
    const auto row = c.exec_prepared("SELECT project_id FROM task WHERE id = $1::uuid", {task_id});
    return row.rows() ? row.optional(0, "project_id") : std::nullopt;
}

std::optional<std::string> project_of_entity(db::Connection& c, const std::string& entity_id) {
    const auto row = c.exec_prepared("SELECT project_id FROM entity WHERE id = $1::uuid", {entity_id});
    return row.rows() ? row.optional(0, "project_id") : std::nullopt;
}

std::string team_projects_sql(const std::string& person) {
    return "(SELECT l.project_id FROM project_person_link l WHERE l.person_id = " + person + "::uuid)";
}

std::string open_team_projects_sql(const std::string& person) {
    return "(SELECT l.project_id FROM project_person_link l JOIN project p ON p.id = l.project_id "
           "JOIN project_status s ON s.id = p.project_status_id WHERE l.person_id = " +
           person + "::uuid AND s.name = 'Open')";
}

} // namespace slate::engine::queries
