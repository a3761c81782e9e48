// engine/system/event_log.cpp: the SQL of the event log.
#include "engine/system/event_log.h"

#include "engine/access.h"
#include "engine/crud/values.h"
#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/json.h"
#include "engine/serialize.h"
#include "engine/uuid.h"

#include <algorithm>
#include <regex>

namespace slate::engine::system {
namespace {

/// Event names are "<object>:<action>" of lowercase words, digits and dashes: a part is put in
/// a LIKE pattern only when it is one of those (no % or _ wildcards).
void check_name_parts(const std::vector<std::string>& parts, const std::string& parameter) {
    static const std::regex allowed("[a-z0-9-]+");
    for (const auto& part : parts)
        if (!std::regex_match(part, allowed))
            throw_bad_request("The " + parameter + " parameter contains an invalid value");
}

} // namespace

void check_event_date(const std::string& text) {
    static const std::regex date(R"(\d{4}-\d{1,2}-\d{1,2}(T\d{1,2}:\d{1,2}:\d{1,2})?)");
    if (!std::regex_match(text, date))
        throw_bad_request("Wrong date format for before argument.Expected format: 2020-01-05T13:23:10 or 2020-01-05");
}

std::string last_events_json(db::Connection& c, const services::Identity& caller, const EventLogQuery& query) {
    if (query.project_id && !is_uuid(*query.project_id))
        throw_bad_request("The project_id parameter is not a valid id");
    // The role is read on the production asked for (a manager of it only), before any other
    // parameter is checked: a caller without the right never learns more than a denial.
    const auto manages = [](const std::string& role) { return role == "admin" || role == "manager"; };
    const std::string role = query.project_id && !manages(caller.role)
                                 ? access::effective_role(caller, c, *query.project_id)
                                 : caller.role;
    if (!manages(role))
        throw_forbidden();
    const bool scoped = caller.role != "admin";
    if (scoped && query.project_id && !access::has_project_access(caller, c, *query.project_id))
        throw_forbidden();
    db::Params params;
    auto param = [&params](const db::Param& value) {
        params.push_back(value);
        return "$" + std::to_string(params.size());
    };
    std::string sql = "SELECT id, created_at, name, user_id, project_id, data FROM api_event WHERE true";
    for (const auto* bound : {&query.after, &query.before})
        if (*bound) {
            check_event_date(**bound);
            sql += std::string(" AND created_at ") + (bound == &query.after ? ">" : "<") + " " + param(**bound) +
                   "::timestamp";
        }
    if (query.cursor_event_id && !is_uuid(*query.cursor_event_id))
        throw_bad_request("The cursor_event_id parameter is not a valid id");
    if (query.only_files)
        sql += " AND name IN ('preview-file:add-file', 'organisation:set-thumbnail', 'person:set-thumbnail',"
               " 'project:set-thumbnail')";
    if (query.project_id)
        sql += " AND project_id = " + param(*query.project_id) + "::uuid";
    if (scoped)
        sql += " AND project_id IN (SELECT project_id FROM project_person_link WHERE person_id = " +
               param(caller.person_id) + "::uuid)";
    if (!query.person_ids.empty()) {
        if (!std::all_of(query.person_ids.begin(), query.person_ids.end(), is_uuid))
            throw_bad_request("The person_ids parameter contains an invalid id");
        sql += " AND user_id = ANY(" + param(crud::array_literal(query.person_ids)) + "::uuid[])";
    }
    if (query.name)
        sql += " AND name = " + param(*query.name);
    check_name_parts(query.name_prefixes, "name_prefixes");
    check_name_parts(query.name_suffixes, "name_suffixes");
    auto any_like = [&](const std::vector<std::string>& parts, bool prefix) {
        if (parts.empty())
            return;
        std::string alternatives;
        for (const auto& part : parts)
            alternatives += (alternatives.empty() ? "" : " OR ") + std::string("name LIKE ") +
                            param(prefix ? part + ":%" : "%:" + part);
        sql += " AND (" + alternatives + ")";
    };
    any_like(query.name_prefixes, true);
    any_like(query.name_suffixes, false);
    if (query.cursor_event_id) {
        const auto cursor = c.exec("SELECT created_at FROM api_event WHERE id = $1::uuid", {*query.cursor_event_id});
        if (cursor.rows() == 0)
            throw_bad_request("No event found with id: " + *query.cursor_event_id);
        sql += " AND created_at < " + param(std::string(cursor.get(0, 0))) + "::timestamp";
    }
    sql += " ORDER BY created_at DESC LIMIT " + std::to_string(std::clamp<int64_t>(query.limit, 0, 1000));
    return rows_array_json(c.exec(sql, params));
}

std::string event_names_json(db::Connection& c, const services::Identity& caller) {
    if (caller.role != "admin" && caller.role != "manager")
        throw_forbidden();
    // A walk down the name index, one step per name: a studio's log holds millions of events
    // and a few dozen names (DISTINCT would read them all).
    const auto names = c.exec("WITH RECURSIVE walk AS ((SELECT name FROM api_event WHERE name IS NOT NULL ORDER BY "
                              "name LIMIT 1) UNION ALL SELECT (SELECT e.name FROM api_event e WHERE e.name > "
                              "walk.name ORDER BY e.name LIMIT 1) FROM walk WHERE walk.name IS NOT NULL) "
                              "SELECT name FROM walk WHERE name IS NOT NULL");
    JsonWriter out;
    out.begin_array();
    for (int row = 0; row < names.rows(); ++row)
        out.string(names.get(row, 0));
    out.end_array();
    return out.take();
}

} // namespace slate::engine::system
