// api/areas/playlist_sharing.cpp: share links of a playlist (Zou's playlist_sharing_service):
// listed, made (a uuid token, an optional bcrypt-hashed password, an expiry), revoked, and
// mailed to reviewers.

#include "api/areas/areas.h"
#include "api/body_fields.h"

#include "engine/auth/password.h"
#include "engine/config.h"
#include "engine/crud/permissions.h"
#include "engine/db/pool.h"
#include "engine/json.h"
#include "engine/mail.h"
#include "engine/serialize.h"
#include "engine/services/auth_service.h"
#include "engine/uuid.h"

#include <regex>

namespace slate::api {
namespace {

using engine::db::Connection;

std::string escaped(const std::string& text) {
    std::string out;
    for (char ch : text) {
        switch (ch) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        default: out += ch;
        }
    }
    return out;
}

/// Zou's checks: a manager (global role), and a manager of the playlist's project.
std::string managed_playlist(Request& request, Connection& c) {
    const auto& caller = request.caller();
    if (caller.role != "admin" && caller.role != "manager")
        throw_forbidden();
    const std::string id = request.param("playlist_id");
    if (!engine::is_uuid(id))
        throw_not_found(not_found_message);
    const auto playlist = c.exec("SELECT project_id FROM playlist WHERE id = $1::uuid", {id});
    if (playlist.rows() == 0)
        throw_not_found(not_found_message);
    engine::crud::require_manager_project_access(caller, c, std::string(playlist.get(0, "project_id")));
    return id;
}

/// A link as Zou serialises it: the password hash never leaves, has_password says if there is one.
void write_link(engine::JsonWriter& out, const engine::db::Result& rows, int row) {
    out.begin_object();
    engine::write_row_fields(out, rows, row, {"password"});
    out.field("type", "PlaylistShareLink");
    out.field("has_password", rows.optional(row, "password").value_or("") != "");
    out.end_object();
}

Reply list_links(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const std::string playlist = managed_playlist(request, c);
    const auto links = c.exec("SELECT * FROM playlist_share_link WHERE playlist_id = $1::uuid AND is_active "
                              "ORDER BY created_at",
                              {playlist});
    engine::JsonWriter out;
    out.begin_array();
    for (int row = 0; row < links.rows(); ++row)
        write_link(out, links, row);
    out.end_array();
    return json_reply(200, out.take());
}

Reply create_link(Request& request, Services& services) {
    BodyFields body(request);
    auto expiration = body.optional_text("expiration_date");
    const bool can_comment = body.boolean("can_comment", true);
    auto password = body.optional_text("password");
    body.check();
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const std::string playlist = managed_playlist(request, c);
    // A day names the whole day: the link works until its last second.
    std::optional<std::string> expires;
    if (expiration && !expiration->empty()) {
        static const std::regex day(R"(^\d{4}-\d{2}-\d{2}$)");
        try {
            expires = std::regex_match(*expiration, day)
                          ? std::string(c.exec("SELECT ($1::date + interval '1 day' - interval '1 microsecond')::text",
                                               {*expiration}).get(0, 0))
                          : std::string(c.exec("SELECT $1::timestamp::text", {*expiration}).get(0, 0));
        } catch (const Error&) {
            throw_bad_request(*expiration + " is not a valid ISO 8601 date");
        }
    }
    const std::string hash = password && !password->empty()
                                 ? engine::auth::hash_password(*password, services.config.bcrypt_rounds) : "";
    const auto link = c.exec(R"(INSERT INTO playlist_share_link (id, token, playlist_id, created_by, expiration_date,
                                    is_active, can_comment, password, created_at, updated_at)
                                VALUES ($1::uuid, $2, $3::uuid, $4::uuid, $5::timestamp, true, $6::boolean, $7,
                                        now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc') RETURNING *)",
                             {engine::new_uuid(), engine::new_uuid(), playlist, request.caller().person_id, expires,
                              can_comment ? "true" : "false",
                              hash.empty() ? std::nullopt : std::optional<std::string>(hash)});
    engine::JsonWriter out;
    write_link(out, link, 0);
    return json_reply(201, out.take());
}

/// The link of the path, which must belong to the playlist of the path (404 otherwise).
engine::db::Result link_of(Request& request, Connection& c, const std::string& playlist) {
    auto link = c.exec("SELECT * FROM playlist_share_link WHERE token = $1", {request.param("token")});
    if (link.rows() == 0 || link.get(0, "playlist_id") != playlist)
        throw_not_found(not_found_message);
    return link;
}

Reply revoke_link(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const std::string playlist = managed_playlist(request, c);
    const auto link = link_of(request, c, playlist);
    const auto revoked = c.exec(R"(UPDATE playlist_share_link SET is_active = false, updated_at = now() AT TIME ZONE 'utc'
                                   WHERE id = $1::uuid RETURNING *)",
                                {std::string(link.get(0, "id"))});
    engine::JsonWriter out;
    write_link(out, revoked, 0);
    return json_reply(200, out.take());
}

Reply invite(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const std::string playlist = managed_playlist(request, c);
    const auto link = link_of(request, c, playlist);
    if (link.optional(0, "is_active") != std::optional<std::string>("t"))
        throw_not_found(not_found_message);
    const auto& body = request.json();
    std::vector<std::string> recipients;
    static const std::regex address(R"(^[^@\s]+@[^@\s]+\.[^@\s]+$)");
    auto add = [&](std::string email) {
        if (!std::regex_match(email, address))
            throw Error(ErrorKind::bad_request, "The email address is not valid.",
                        R"({"error":"The email address is not valid. It must have exactly one @-sign."})");
        std::string lower = email;
        for (auto& ch : lower)
            ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        for (const auto& known : recipients) {
            std::string other = known;
            for (auto& ch : other)
                ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
            if (other == lower)
                return;
        }
        recipients.push_back(std::move(email));
    };
    if (const auto emails = body.getArray("emails"))
        for (const auto& email : *emails)
            add(email.toString());
    if (const auto people = body.getArray("person_ids"))
        for (const auto& person : *people) {
            const std::string id = person.toString();
            if (!engine::is_uuid(id))
                continue;
            const auto found = c.exec("SELECT email FROM person WHERE id = $1::uuid", {id});
            if (found.rows() && found.optional(0, "email"))
                add(*found.optional(0, "email"));
        }
    const std::string message = engine::optional_string(body, "message");
    const auto facts = c.exec(R"(SELECT pl.name AS playlist, pr.name AS project,
            (SELECT first_name || ' ' || last_name FROM person WHERE id = $2::uuid) AS author
        FROM playlist pl JOIN project pr ON pr.id = pl.project_id WHERE pl.id = $1::uuid)",
                              {playlist, request.caller().person_id});
    const std::string url = services.config.domain_protocol + "://" + services.config.domain_name +
                            "/playlists/shared/" + std::string(link.get(0, "token"));
    engine::JsonWriter out;
    out.begin_object().key("sent").begin_array();
    for (const auto& email : recipients) {
        engine::Mail mail;
        mail.to = email;
        mail.subject = std::string(facts.get(0, "author")) + " invites you to review " + std::string(facts.get(0, "playlist")) +
                       " (" + std::string(facts.get(0, "project")) + ")";
        mail.text = mail.subject + "\n\n" + (message.empty() ? "" : message + "\n\n") + url + "\n";
        mail.html = "<p>" + escaped(mail.subject) + "</p>" + (message.empty() ? "" : "<p>" + escaped(message) + "</p>") +
                    "<p><a href=\"" + escaped(url) + "\">" + escaped(url) + "</a></p>";
        services.mailer.send(mail);
        out.string(email);
    }
    out.end_array().end_object();
    return json_reply(200, out.take());
}

} // namespace

RouteList playlist_sharing_routes() {
    RouteList routes;
    const std::string share = "/data/playlists/{playlist_id}/share";
    routes.push_back(Route{Method::get, share, Access::jwt, list_links});
    routes.push_back(Route{Method::post, share, Access::jwt, create_link});
    routes.push_back(Route{Method::del, share + "/{token}", Access::jwt, revoke_link});
    routes.push_back(Route{Method::post, share + "/{token}/invite", Access::jwt, invite});
    return routes;
}

} // namespace slate::api
