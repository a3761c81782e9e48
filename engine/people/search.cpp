// engine/people/search.cpp: the SQL of the studio search and of the login logs.
#include "engine/people/search.h"
#include "engine/people/person_name.h"

#include "engine/crud/values.h"
#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/json.h"
#include "engine/people/auth_service.h"
#include "engine/production/production_common.h"
#include "engine/serialize.h"
#include "engine/uuid.h"

#include <algorithm>

namespace slate::engine::user {
namespace {

/// The query as a tsquery of prefixes: every word must start a word of the document.
constexpr const char* query_sql = R"((SELECT to_tsquery('simple', COALESCE(string_agg(quote_literal(w) || ':*', ' & '),
        '')) FROM regexp_split_to_table(lower($1), '[^[:alnum:]]+') AS w WHERE w <> ''))";

/// The fields of an entity document that matched: name, description, metadata keys.
constexpr const char* matched_sql = R"(ARRAY(SELECT f FROM (
        SELECT 'name' AS f, doc_name AS v UNION ALL SELECT 'description', coalesce(e.description, '')
        UNION ALL SELECT d.key, d.value FROM jsonb_each_text(CASE WHEN jsonb_typeof(e.data) = 'object' THEN e.data
            ELSE '{}'::jsonb END) d WHERE d.key NOT IN ('frame_in', 'frame_out', 'fps', 'handle_in', 'handle_out'))
        fields WHERE to_tsvector('simple', v) @@ q.query))";

/// created_at and updated_at as Zou writes dates (to_jsonb keeps the microseconds).
std::string zou_times(const std::string& alias) {
    return "jsonb_build_object('created_at', to_char(" + alias +
           ".created_at, 'YYYY-MM-DD\"T\"HH24:MI:SS'), "
           "'updated_at', to_char(" +
           alias + ".updated_at, 'YYYY-MM-DD\"T\"HH24:MI:SS'))";
}

bool asked(const SearchRequest& r, const char* index) {
    return std::find(r.index_names.begin(), r.index_names.end(), index) != r.index_names.end();
}

std::string persons_json(db::Connection& c, const SearchRequest& r, bool minimal) {
    const std::string fields =
        minimal
            ? std::string(
                  "jsonb_build_object('id', p.id, 'type', 'Person', 'first_name', p.first_name, 'last_name', "
                  "p.last_name, 'full_name', " + people::full_name_sql("p") + ", 'has_avatar', p.has_avatar, 'active', "
                  "p.active, 'departments', '[]'::jsonb, 'studio_id', p.studio_id, 'role', p.role, 'desktop_login', "
                  "p.desktop_login, 'is_bot', p.is_bot, 'matched_terms', jsonb_build_array('name'))")
            : "(to_jsonb(p) - 'password' - 'totp_secret' - 'email_otp_secret' - 'fido_credentials' - "
              "'otp_recovery_codes' - 'jti' || " +
                  zou_times("p") +
                  " || jsonb_build_object('type', 'Person', 'full_name', " + people::full_name_sql("p") + ", 'departments', COALESCE((SELECT jsonb_agg(dl.department_id) FROM "
                  "department_link dl WHERE dl.person_id = p.id), '[]'::jsonb), 'matched_terms', "
                  "jsonb_build_array('name')))";
    const auto rows = c.exec("SELECT COALESCE(jsonb_agg(hit ORDER BY name), '[]'::jsonb)::text FROM (SELECT " + fields +
                                 " AS hit, p.first_name || ' ' || p.last_name AS name FROM person p, " + query_sql +
                                 " AS q(query) WHERE p.active AND to_tsvector('simple', p.first_name || ' ' || "
                                 "p.last_name) @@ q.query ORDER BY name LIMIT $2::bigint OFFSET $3::bigint) found",
                             {r.query, std::to_string(r.limit), std::to_string(r.offset)});
    return std::string(rows.get(0, 0));
}

/// Assets or shots matching, within `project_ids` (every production when nullopt); vendors
/// (`vendor_id`) only those they hold a task on.
std::string entities_json(db::Connection& c, const SearchRequest& r, bool shots,
                          const std::optional<std::vector<std::string>>& project_ids,
                          const std::optional<std::string>& vendor_id) {
    // The document's name as the index writes it (prepare_asset, prepare_shot).
    const std::string doc_name =
        shots ? "concat_ws(' ', ep.name, sq.name, e.name || ' ' || translate(e.name, '_-', '  '))"
              : "et.name || ' ' || e.name || ' ' || translate(e.name, '_-', '  ')";
    const std::string kind =
        shots ? "et.name = 'Shot'" : "et.name NOT IN ('Shot', 'Sequence', 'Episode', 'Edit', 'Scene', 'Concept')";
    const std::string extra =
        shots ? "jsonb_build_object('project_name', p.name, 'sequence_name', coalesce(sq.name, ''), "
                "'preview_file_extension', pf.extension) || CASE WHEN p.production_type = 'tvshow' AND ep.id IS NOT "
                "NULL THEN jsonb_build_object('episode', ep.name, 'episode_id', ep.id) ELSE '{}'::jsonb END"
              : "jsonb_build_object('project_name', p.name, 'asset_type_name', et.name, 'preview_file_extension', "
                "pf.extension)";
    const std::string type = shots ? "Shot" : "Asset";
    std::string matched = matched_sql;
    matched.replace(matched.find("doc_name"), 8, "doc.name");
    // A vendor's hits come without the metadata kept to other departments (Zou's scope_to_vendor).
    const std::string masked =
        vendor_id ? " || jsonb_build_object('data', " + production::vendor_visible_data(type, "$5::uuid") + ")" : "";
    const auto rows = c.exec(
        "SELECT COALESCE(jsonb_agg(hit ORDER BY doc_name), '[]'::jsonb)::text FROM (SELECT to_jsonb(e) || " +
            std::string(zou_times("e")) +
            " || "
            "jsonb_build_object('type', '" +
            type + "')" + masked + " || " + extra + " || jsonb_build_object('matched_terms', " + matched +
            ") AS hit, doc.name AS doc_name FROM entity e JOIN entity_type et ON et.id = e.entity_type_id "
            "JOIN project p ON p.id = e.project_id LEFT JOIN entity sq ON sq.id = e.parent_id "
            "LEFT JOIN entity ep ON ep.id = sq.parent_id LEFT JOIN preview_file pf ON pf.id = e.preview_file_id "
            "CROSS JOIN LATERAL (SELECT " +
            doc_name + " AS name) doc, " + query_sql + " AS q(query) WHERE " + kind +
            " AND ($4::uuid[] IS NULL OR e.project_id = ANY($4::uuid[])) AND ($5::uuid IS NULL OR EXISTS (SELECT 1 "
            "FROM task t JOIN task_person_link tl ON tl.task_id = t.id WHERE t.entity_id = e.id AND tl.person_id = "
            "$5::uuid)) AND to_tsvector('simple', doc.name || ' ' || coalesce(e.description, '') || ' ' || "
            "coalesce((SELECT string_agg(d.value, ' ') FROM jsonb_each_text(CASE WHEN jsonb_typeof(e.data) = 'object' "
            "THEN e.data ELSE '{}'::jsonb END) d), '')) @@ q.query ORDER BY doc.name LIMIT $2::bigint OFFSET "
            "$3::bigint) found",
        {r.query, std::to_string(r.limit), std::to_string(r.offset),
         project_ids ? db::Param(crud::array_literal(*project_ids)) : std::nullopt, vendor_id});
    return std::string(rows.get(0, 0));
}

} // namespace

std::string search_json(db::Connection& c, const services::Identity& caller, const SearchRequest& r) {
    if (r.query.size() < 3)
        return "{}";
    const bool admin = caller.role == "admin";
    // The open productions the caller may read (every open one for admins).
    const auto open = c.exec("SELECT p.id FROM project p JOIN project_status ps ON ps.id = p.project_status_id "
                             "WHERE ps.name = 'Open' AND ($1::bool OR EXISTS (SELECT 1 FROM project_person_link l "
                             "WHERE l.project_id = p.id AND l.person_id = $2::uuid))",
                             {admin ? "true" : "false", caller.person_id});
    std::vector<std::string> project_ids;
    for (int row = 0; row < open.rows(); ++row)
        project_ids.emplace_back(open.get(row, 0));
    if (r.project_id && !r.project_id->empty()) {
        const bool readable = std::find(project_ids.begin(), project_ids.end(), *r.project_id) != project_ids.end();
        project_ids = readable ? std::vector<std::string>{*r.project_id} : std::vector<std::string>{};
    }
    // The indexer filters nothing when no production is given: admins then search everywhere.
    const auto scope = project_ids.empty() ? std::optional<std::vector<std::string>>() : project_ids;
    const auto vendor = caller.role == "vendor" ? std::optional<std::string>(caller.person_id) : std::nullopt;
    JsonWriter out;
    out.begin_object();
    if (asked(r, "persons"))
        out.key("persons").raw(persons_json(c, r, !admin));
    for (const bool shots : {false, true}) {
        if (!asked(r, shots ? "shots" : "assets"))
            continue;
        out.key(shots ? "shots" : "assets");
        if (project_ids.empty() && !admin)
            out.raw("[]");
        else
            out.raw(entities_json(c, r, shots, scope, vendor));
    }
    out.end_object();
    return out.take();
}

std::string last_login_logs_json(db::Connection& c, const std::optional<std::string>& after,
                                 const std::optional<std::string>& before, const std::optional<std::string>& cursor,
                                 long long limit, const std::vector<std::string>& person_ids) {
    std::optional<std::string> cursor_time;
    if (cursor) {
        const auto found = c.exec("SELECT created_at FROM login_log WHERE id = $1::uuid", {*cursor});
        if (found.rows() == 0)
            throw_bad_request("No login log found with id: " + *cursor);
        cursor_time = std::string(found.get(0, 0));
    }
    const auto rows = c.exec(
        "SELECT id, created_at, ip_address, person_id, origin FROM login_log WHERE ($1::timestamp IS NULL OR "
        "created_at > $1::timestamp) AND ($2::timestamp IS NULL OR created_at < $2::timestamp) AND ($3::timestamp IS "
        "NULL OR created_at < $3::timestamp) AND ($4::uuid[] IS NULL OR person_id = ANY($4::uuid[])) "
        "ORDER BY created_at DESC LIMIT $5::bigint",
        {after, before, cursor_time, person_ids.empty() ? std::nullopt : db::Param(crud::array_literal(person_ids)),
         std::to_string(limit)});
    return rows_array_json(rows);
}

long long active_user_count(db::Connection& c) {
    return c.exec("SELECT count(*) FROM person WHERE active AND is_bot IS NOT TRUE AND is_guest IS NOT TRUE")
        .get_int(0, "count");
}

} // namespace slate::engine::user
