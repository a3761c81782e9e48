// api/areas/review/playlist_sharing.cpp: share links of a playlist (Zou's playlist_sharing_service):
// listed, made (a uuid token, an optional bcrypt-hashed password, an expiry), revoked, and
// mailed to reviewers.

#include "api/areas/areas.h"
#include "api/body_fields.h"

#include "engine/auth/password.h"
#include "engine/config.h"
#include "engine/crud/permissions.h"
#include "engine/db/pool.h"
#include "engine/json.h"

#include <Poco/Exception.h>
#include "engine/mail.h"
#include "engine/serialize.h"
#include "engine/people/auth_service.h"
#include "engine/uuid.h"

#include <regex>

namespace slate::api {
namespace {

using engine::db::Connection;

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
        mail.html = "<p>" + engine::html_escape(mail.subject) + "</p>" + (message.empty() ? "" : "<p>" + engine::html_escape(message) + "</p>") +
                    "<p><a href=\"" + engine::html_escape(url) + "\">" + engine::html_escape(url) + "</a></p>";
        services.mailer.send(mail);
        out.string(email);
    }
    out.end_array().end_object();
    return json_reply(200, out.take());
}

/// POST /data/playlists/<id>/notify-clients: each client of the project (optionally of a studio
/// or a department) gets a playlist-ready notification (notification:new, a live signal only)
/// and, when they want notifications, a mail with the playlist's link.
Reply notify_clients(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const std::string id = request.param("playlist_id");
    if (!engine::is_uuid(id))
        throw_not_found(not_found_message);
    const auto playlist = c.exec(R"(SELECT pl.name, pl.project_id, pl.episode_id, pl.for_entity, pl.is_for_all,
            pr.name AS project, pr.production_type, ep.name AS episode,
            (SELECT first_name || ' ' || last_name FROM person WHERE id = $2::uuid) AS author
        FROM playlist pl JOIN project pr ON pr.id = pl.project_id LEFT JOIN entity ep ON ep.id = pl.episode_id
        WHERE pl.id = $1::uuid)",
                                 {id, request.caller().person_id});
    if (playlist.rows() == 0)
        throw_not_found(not_found_message);
    const std::string project_id(playlist.get(0, "project_id"));
    engine::crud::require_manager_project_access(request.caller(), c, project_id);
    std::optional<std::string> studio, department;
    try {
        const auto& body = request.json();
        for (auto [name, target] : {std::pair{"studio_id", &studio}, std::pair{"department_id", &department}})
            if (body.has(name) && !body.isNull(name) && !body.get(name).toString().empty()) {
                *target = body.get(name).toString();
                if (!engine::is_uuid(**target))
                    throw Error(ErrorKind::bad_request, "Validation error.",
                                std::string(R"({"error":true,"message":"Validation error.","data":{"errors":[{"field":")") +
                                    name + R"(","message":"Input should be a valid UUID"}]}})");
            }
    } catch (const Poco::Exception&) {
    }
    const auto clients = c.exec(R"(SELECT DISTINCT p.id, p.email, p.notifications_enabled FROM person p
        JOIN project_person_link l ON l.person_id = p.id
        WHERE l.project_id = $1::uuid AND NOT p.is_bot AND COALESCE(NULLIF(l.role, ''), p.role) = 'client'
          AND ($2::uuid IS NULL OR p.studio_id = $2::uuid)
          AND ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM department_link d
                                           WHERE d.person_id = p.id AND d.department_id = $3::uuid)))",
                                {project_id, studio, department});
    // The playlist's address in Kitsu, as Zou's mail builds it.
    std::string url = services.config.domain_protocol + "://" + services.config.domain_name + "/productions/" +
                      project_id + "/";
    if (playlist.optional(0, "episode_id"))
        url += "episodes/" + *playlist.optional(0, "episode_id") + "/playlists/" + id;
    else if (playlist.optional(0, "production_type") == std::optional<std::string>("tvshow") &&
             playlist.optional(0, "for_entity") == std::optional<std::string>("asset"))
        url += std::string(playlist.optional(0, "is_for_all") == std::optional<std::string>("t") ? "episodes/all"
                                                                                               : "episodes/main") +
               "/playlists/" + id;
    else
        url += "playlists/" + id;
    const std::string name = playlist.optional(0, "name").value_or("");
    const std::string project = playlist.optional(0, "project").value_or("");
    const std::string episode = playlist.optional(0, "episode")
                                    ? "the episode " + *playlist.optional(0, "episode") + " of " : "";
    for (int row = 0; row < clients.rows(); ++row) {
        const std::string client(clients.get(row, "id"));
        const auto notification = c.exec(R"(INSERT INTO notification (id, read, change, type, person_id, author_id,
                                               playlist_id, created_at, updated_at)
                                           VALUES (gen_random_uuid(), false, false, 'playlist-ready', $1::uuid, $2::uuid,
                                                   $3::uuid, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc')
                                           RETURNING id)",
                                         {client, request.caller().person_id, id});
        engine::JsonWriter live;
        live.begin_object()
            .field("notification_id", std::string(notification.get(0, 0)))
            .field("person_id", client)
            .end_object();
        c.exec("SELECT pg_notify('slate_events', json_build_object('name', 'notification:new', 'data', $1::jsonb, "
               "'project_id', $2::text)::text)",
               {live.take(), project_id});
        if (!clients.get_bool(row, "notifications_enabled") || !clients.optional(row, "email"))
            continue;
        engine::Mail mail;
        mail.to = *clients.optional(row, "email");
        mail.subject = "[Kitsu] The playlist " + name + " in project " + project + " is ready for review";
        const std::string author = playlist.optional(0, "author").value_or("");
        mail.text = author + " notifies you that playlist " + name + " is ready for a review under " + episode +
                    "the project " + project + ".\n\n" + url + "\n";
        mail.html = "<p><strong>" + engine::html_escape(author) + "</strong> notifies you that playlist <a href=\"" + engine::html_escape(url) +
                    "\">" + engine::html_escape(name) + "</a> is ready for a review under " + engine::html_escape(episode) + "the project " +
                    engine::html_escape(project) + ".</p>";
        services.mailer.send(mail);
    }
    return json_reply(200, R"({"status":"success"})");
}

} // namespace

RouteList playlist_sharing_routes() {
    RouteList routes;
    const std::string share = "/data/playlists/{playlist_id}/share";
    routes.push_back(Route{Method::get, share, Access::jwt, list_links});
    routes.push_back(Route{Method::post, share, Access::jwt, create_link});
    routes.push_back(Route{Method::del, share + "/{token}", Access::jwt, revoke_link});
    routes.push_back(Route{Method::post, share + "/{token}/invite", Access::jwt, invite});
    routes.push_back(Route{Method::post, "/data/playlists/{playlist_id}/notify-clients", Access::jwt, notify_clients});
    return routes;
}

} // namespace slate::api
