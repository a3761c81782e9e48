// engine/production/news.cpp: the SQL of a production's news feed.
#include "engine/production/news.h"
#include "engine/people/person_name.h"

#include "engine/crud/values.h"
#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/json.h"
#include "engine/people/entity_names.h"
#include "engine/serialize.h"
#include "engine/uuid.h"

#include <algorithm>
#include <cmath>

namespace slate::engine::production {
namespace {

/// WHERE terms shared by the list and the stats (_apply_news_filters), numbered after `params`.
std::string news_where(const NewsFilters& f, db::Params& params) {
    std::string where;
    const auto add = [&](const std::string& term, const std::string& value, const char* cast) {
        params.push_back(value);
        where += " AND " + term + "$" + std::to_string(params.size()) + cast;
    };
    if (f.episode_id)
        add("e.parent_id IN (SELECT id FROM entity WHERE parent_id = ", *f.episode_id, "::uuid)");
    if (f.task_status_id)
        add("cm.task_status_id = ", *f.task_status_id, "::uuid");
    if (f.task_type_id)
        add("t.task_type_id = ", *f.task_type_id, "::uuid");
    if (f.person_id)
        add("n.author_id = ", *f.person_id, "::uuid");
    if (f.only_preview)
        where += " AND n.preview_file_id IS NOT NULL";
    if (f.after)
        add("n.created_at > ", *f.after, "::timestamp");
    if (f.before)
        add("n.created_at < ", *f.before, "::timestamp");
    return where;
}

constexpr const char* news_from = R"( FROM news n JOIN task t ON t.id = n.task_id JOIN project p ON p.id = t.project_id
    JOIN entity e ON e.id = t.entity_id LEFT JOIN comment cm ON cm.id = n.comment_id
    LEFT JOIN preview_file pf ON pf.id = n.preview_file_id)";

/// The list's rows: one per news, with what the feed shows of it (names as
/// names_service.get_full_entity_names, the author as build_short_person).
db::Result news_rows(db::Connection& c, const std::string& where, const db::Params& params, const std::string& tail) {
    return c.exec(std::string("SELECT n.id, n.author_id, n.comment_id, n.task_id, t.task_type_id, cm.task_status_id, "
                              "t.entity_id AS task_entity_id, n.preview_file_id, "
                              "pf.extension AS preview_file_extension, pf.revision AS preview_file_revision, "
                              "p.id AS project_id, p.name AS project_name, n.created_at, n.change, ") +
                      user::full_entity_name_sql +
                      " AS full_entity_name, CASE WHEN et.name = 'Shot' THEN gpar.id WHEN et.name = 'Sequence' "
                      "THEN par.id WHEN et.name = 'Episode' THEN NULL ELSE e.source_id END AS episode_id, "
                      "e.preview_file_id AS entity_preview_file_id, "
                      "CASE WHEN au.id IS NULL THEN NULL ELSE jsonb_build_object('id', au.id, 'first_name', "
                      "au.first_name, 'last_name', au.last_name, 'full_name', " + people::full_name_sql("au") + ", "
                      "'has_avatar', au.has_avatar, 'role', au.role) END AS person, "
                      "CASE WHEN $1::bool THEN COALESCE((SELECT jsonb_agg(jsonb_build_object('id', op.id, 'name', "
                      "op.name, 'extension', op.extension, 'revision', op.revision, 'position', op.position, "
                      "'status', op.status) ORDER BY op.position) FROM preview_file op WHERE op.task_id = n.task_id "
                      "AND op.revision = pf.revision), '[]'::jsonb) END AS preview_files" +
                      news_from + user::entity_name_joins + " LEFT JOIN person au ON au.id = n.author_id WHERE " +
                      where + tail,
                  params);
}

/// Writes the rows as the feed's objects ("type" after "id"; "preview_files" only when asked).
void write_news(JsonWriter& out, const db::Result& rows, bool only_preview) {
    out.begin_array();
    for (int row = 0; row < rows.rows(); ++row) {
        out.begin_object();
        for (int column = 0; column < rows.columns(); ++column) {
            const auto name = rows.column_name(column);
            if (name == "preview_files" && !only_preview)
                continue;
            out.key(name);
            write_value(out, rows, row, column);
            if (name == "id")
                out.field("type", "News");
        }
        out.end_object();
    }
    out.end_array();
}

} // namespace

std::string project_news_json(db::Connection& c, const std::string& project_id, const NewsFilters& filters) {
    return news_of_projects_json(c, {project_id}, filters);
}

std::string open_projects_news_json(db::Connection& c, const services::Identity& caller,
                                    const std::optional<std::string>& project_id, const NewsFilters& filters) {
    // The open productions the caller sees (admins: every open one), or the one asked for when
    // it is among them (otherwise the filter is ignored, as in Zou).
    const bool admin = caller.role == "admin";
    const auto open = c.exec(std::string(R"(SELECT p.id::text FROM project p
        JOIN project_status s ON s.id = p.project_status_id
        WHERE )") + (admin ? "s.name IN ('Active', 'open', 'Open') AND $1::uuid IS NOT NULL"
                         : "s.name = 'Open' AND EXISTS (SELECT 1 FROM project_person_link m "
                           "WHERE m.project_id = p.id AND m.person_id = $1::uuid)"),
                             {caller.person_id});
    std::vector<std::string> ids;
    for (int row = 0; row < open.rows(); ++row)
        ids.emplace_back(open.get(row, 0));
    if (project_id && std::find(ids.begin(), ids.end(), *project_id) != ids.end())
        ids = {*project_id};
    return news_of_projects_json(c, ids, filters);
}

std::string news_of_projects_json(db::Connection& c, const std::vector<std::string>& project_ids,
                                  const NewsFilters& filters) {
    if (filters.limit <= 0 || filters.page < 1)
        throw_bad_request("Invalid page or limit.");
    db::Params params{filters.only_preview ? "true" : "false", crud::array_literal(project_ids)};
    const std::string where = "p.id = ANY($2::uuid[]) AND $1::bool IS NOT NULL" + news_where(filters, params);
    const auto count =
        c.exec(std::string("SELECT count(n.id)") + news_from + user::entity_name_joins + " WHERE " + where, params);
    const long long total = count.get_int(0, "count");
    const long long offset = (filters.page - 1) * filters.limit;
    const auto rows = news_rows(c, where, params,
                                " ORDER BY n.created_at DESC LIMIT " + std::to_string(filters.limit) + " OFFSET " +
                                    std::to_string(offset));
    // The stats count status changes whose comment is still there (the inner join of Zou).
    const auto stats =
        c.exec(std::string("SELECT cm.task_status_id, count(e.id)") + news_from + user::entity_name_joins +
                   " WHERE cm.id IS NOT NULL AND n.change AND " + where + " GROUP BY cm.task_status_id",
               params);
    JsonWriter out;
    out.begin_object().key("data");
    write_news(out, rows, filters.only_preview);
    out.field("total", int64_t(total))
        .field("nb_pages", int64_t(std::ceil(double(total) / double(filters.limit))))
        .field("limit", int64_t(filters.limit))
        .field("offset", int64_t(offset))
        .field("page", int64_t(filters.page));
    out.key("stats").begin_object();
    for (int row = 0; row < stats.rows(); ++row)
        if (!stats.is_null(row, 0))
            out.key(stats.get(row, 0)).number(int64_t(stats.get_int(row, "count")));
    out.end_object().end_object();
    return out.take();
}

std::optional<std::string> single_news_json(db::Connection& c, const std::string& project_id,
                                            const std::string& news_id) {
    if (!is_uuid(news_id))
        return std::nullopt;
    const auto rows =
        news_rows(c, "p.id = $2::uuid AND n.id = $3::uuid AND NOT $1::bool", {"false", project_id, news_id}, "");
    if (rows.rows() == 0)
        return std::nullopt;
    JsonWriter out;
    write_news(out, rows, false);
    std::string list = out.take();
    return list.substr(1, list.size() - 2);
}

} // namespace slate::engine::production
