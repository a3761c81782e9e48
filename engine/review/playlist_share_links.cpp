#include "engine/review/playlist_share_links.h"

#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/json.h"
#include "engine/serialize.h"
#include "engine/uuid.h"

#include <regex>

namespace slate::engine::services {
namespace {

using db::Connection;

/// A link as Zou serialises it: the password hash never leaves, has_password says if there is one.
void write_link(JsonWriter& out, const db::Result& rows, int row) {
    out.begin_object();
    write_row_fields(out, rows, row, {"password"});
    out.field("type", "PlaylistShareLink");
    out.field("has_password", rows.optional(row, "password").value_or("") != "");
    out.end_object();
}

std::string link_json(const db::Result& rows) {
    JsonWriter out;
    write_link(out, rows, 0);
    return out.take();
}

} // namespace

std::string share_links_json(Connection& c, const std::string& playlist_id) {
    const auto links = c.exec("SELECT * FROM playlist_share_link WHERE playlist_id = $1::uuid AND is_active "
                              "ORDER BY created_at",
                              {playlist_id});
    JsonWriter out;
    out.begin_array();
    for (int row = 0; row < links.rows(); ++row)
        write_link(out, links, row);
    out.end_array();
    return out.take();
}

std::string share_link_expiry(Connection& c, const std::string& expiration_date) {
    static const std::regex day(R"(^\d{4}-\d{2}-\d{2}$)");
    try {
        // PostgreSQL parses both forms as Python's fromisoformat would accept them.
        return std::regex_match(expiration_date, day)
                   ? std::string(c.exec("SELECT ($1::date + interval '1 day' - interval '1 microsecond')::text",
                                        {expiration_date})
                                     .get(0, 0))
                   : std::string(c.exec("SELECT $1::timestamp::text", {expiration_date}).get(0, 0));
    } catch (const Error&) {
        throw_bad_request(expiration_date + " is not a valid ISO 8601 date");
    }
}

std::string create_share_link(Connection& c, const std::string& playlist_id, const std::string& caller_id,
                              const std::optional<std::string>& expires, bool can_comment,
                              const std::optional<std::string>& password_hash) {
    return link_json(c.exec(
        R"(INSERT INTO playlist_share_link (id, token, playlist_id, created_by, expiration_date,
                                    is_active, can_comment, password, created_at, updated_at)
                                VALUES ($1::uuid, $2, $3::uuid, $4::uuid, $5::timestamp, true, $6::boolean, $7,
                                        now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc') RETURNING *)",
        {new_uuid(), new_uuid(), playlist_id, caller_id, expires, can_comment ? "true" : "false", password_hash}));
}

std::optional<ShareLink> find_share_link(Connection& c, const std::string& token) {
    const auto link =
        c.exec("SELECT id, token, playlist_id, is_active FROM playlist_share_link WHERE token = $1", {token});
    if (link.rows() == 0)
        return std::nullopt;
    return ShareLink{std::string(link.get(0, "id")), std::string(link.get(0, "token")),
                     link.optional(0, "playlist_id").value_or(""),
                     link.optional(0, "is_active") == std::optional<std::string>("t")};
}

std::string revoke_share_link(Connection& c, const std::string& link_id) {
    return link_json(c.exec(R"(UPDATE playlist_share_link SET is_active = false, updated_at = now() AT TIME ZONE 'utc'
                               WHERE id = $1::uuid RETURNING *)",
                            {link_id}));
}

ShareInvitation share_invitation(Connection& c, const std::string& playlist_id, const std::string& caller_id) {
    const auto facts = c.exec(R"(SELECT pl.name AS playlist, pr.name AS project,
            (SELECT first_name || ' ' || last_name FROM person WHERE id = $2::uuid) AS author
        FROM playlist pl JOIN project pr ON pr.id = pl.project_id WHERE pl.id = $1::uuid)",
                              {playlist_id, caller_id});
    return {std::string(facts.get(0, "playlist")), std::string(facts.get(0, "project")),
            std::string(facts.get(0, "author"))};
}

std::optional<std::string> person_email(Connection& c, const std::string& person_id) {
    const auto found = c.exec("SELECT email FROM person WHERE id = $1::uuid", {person_id});
    if (found.rows() == 0)
        return std::nullopt;
    return found.optional(0, "email");
}

} // namespace slate::engine::services
