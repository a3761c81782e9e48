// engine/production/entity_links.cpp: a production's entity links (Zou's entities_service:
// get_entity_links_for_project, get_entity_link, remove_entity_link).
#include "engine/production/casting.h"

#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/json.h"
#include "engine/production/production_common.h"
#include "engine/serialize.h"
#include "engine/uuid.h"

#include <cmath>

namespace slate::engine::production {
namespace {

constexpr long long records_per_page = 100; // NB_RECORDS_PER_PAGE

/// Python's isoformat(): microseconds written only when there are some.
std::string iso_milliseconds(const std::string& column) {
    return "CASE WHEN extract(microseconds FROM " + column + ")::bigint % 1000000 = 0 THEN to_char(" + column +
           ", 'YYYY-MM-DD\"T\"HH24:MI:SS') ELSE to_char(" + column + ", 'YYYY-MM-DD\"T\"HH24:MI:SS.US') END";
}

constexpr const char* project_links = " FROM entity_link l JOIN entity e ON e.id = l.entity_in_id"
                                      " WHERE e.project_id = $1::uuid";

} // namespace

std::string project_entity_links_json(db::Connection& c, const std::string& project_id, long long page, long long limit,
                                      const std::optional<std::string>& cursor_created_at) {
    if (page > 0) {
        const long long size = limit < 1 ? records_per_page : limit;
        const long long total =
            c.exec("SELECT count(*)" + std::string(project_links), {project_id}).get_int(0, "count");
        const long long offset = (page - 1) * size;
        const auto rows = c.exec("SELECT l.*" + std::string(project_links) +
                                     " ORDER BY l.created_at, l.id LIMIT $2::bigint OFFSET $3::bigint",
                                 {project_id, std::to_string(size), std::to_string(offset)});
        JsonWriter out;
        out.begin_object().key("data");
        out.raw(total < offset ? "[]" : rows_json(rows, "EntityLink"));
        out.field("total", int64_t(total < offset ? 0 : total))
            .field("nb_pages", int64_t(std::ceil(double(total) / double(size))))
            .field("limit", int64_t(size))
            .field("offset", int64_t(offset))
            .field("page", int64_t(page))
            .end_object();
        return out.take();
    }
    if (cursor_created_at) {
        const long long size = limit < 1 ? records_per_page : limit;
        const long long total =
            c.exec("SELECT count(*)" + std::string(project_links), {project_id}).get_int(0, "count");
        const auto rows =
            c.exec("SELECT l.id, l.entity_in_id, l.entity_out_id, l.data, l.nb_occurences, l.label, " +
                       iso_milliseconds("l.created_at") + " AS created_at, " + iso_milliseconds("l.updated_at") +
                       " AS updated_at, 'EntityLink' AS type" + project_links +
                       " AND l.created_at > $2::timestamp ORDER BY l.created_at, l.updated_at, l.id LIMIT $3::bigint",
                   {project_id, *cursor_created_at, std::to_string(size)});
        JsonWriter out;
        out.begin_object().key("data").raw(rows_array_json(rows));
        out.field("total", int64_t(total)).field("limit", int64_t(size)).end_object();
        return out.take();
    }
    std::string sql = "SELECT l.id, l.entity_in_id, l.entity_out_id, l.nb_occurences, l.label, l.data, "
                      "to_char(l.created_at, 'YYYY-MM-DD\"T\"HH24:MI:SS.US') AS created_at, 'EntityLink' AS type" +
                      std::string(project_links) + " ORDER BY l.created_at, l.id";
    db::Params params{project_id};
    if (limit > 0) {
        params.emplace_back(std::to_string(limit));
        sql += " LIMIT $2::bigint";
    }
    return rows_array_json(c.exec(sql, params));
}

std::pair<std::string, std::string> entity_link_or_404(db::Connection& c, const std::string& link_id) {
    if (!is_uuid(link_id))
        throw_not_found(not_found_message);
    const auto row = c.exec("SELECT l.id, e.project_id FROM entity_link l JOIN entity e ON e.id = l.entity_in_id"
                            " WHERE l.id = $1::uuid",
                            {link_id});
    if (row.rows() == 0)
        throw_not_found(not_found_message);
    return {std::string(row.get(0, 0)), std::string(row.get(0, 1))};
}

std::string remove_entity_link(db::Connection& c, const std::string& link_id) {
    const auto rows = c.exec("DELETE FROM entity_link WHERE id = $1::uuid RETURNING *", {link_id});
    if (rows.rows() == 0)
        throw_not_found(not_found_message);
    return row_json(rows, 0, "EntityLink");
}

} // namespace slate::engine::production
