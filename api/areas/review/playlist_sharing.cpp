// api/areas/review/playlist_sharing.cpp: share links of a playlist (Zou's playlist_sharing_service):
// listed, made (a uuid token, an optional bcrypt-hashed password, an expiry), revoked, and
// mailed to reviewers.

#include "api/areas/areas.h"
#include "api/body_fields.h"

#include "engine/access.h"
#include "engine/auth/password.h"
#include "engine/config.h"
#include "engine/crud/permissions.h"
#include "engine/db/pool.h"
#include "engine/json.h"
#include "engine/mail.h"
#include "engine/people/auth_service.h"
#include "engine/review/playlist_notifications.h"
#include "engine/review/playlist_share_links.h"
#include "engine/uuid.h"

#include <Poco/Exception.h>

#include <regex>

namespace slate::api {
namespace {

using engine::db::Connection;

/// Zou's checks: a manager (global role), and a manager of the playlist's project. The global
/// role comes first (a 403 before the 404), so these routes load their playlist here, not on
/// their rows.
std::string managed_playlist(Request& request, Connection& c) {
    const auto& caller = request.caller();
    if (caller.role != "admin" && caller.role != "manager")
        throw_forbidden();
    const auto playlist =
        engine::access::load_subject(c, engine::access::SubjectKind::playlist, request.param("playlist_id"));
    engine::crud::require_manager_project_access(caller, c, playlist.project_id);
    return playlist.id;
}

Reply list_links(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const std::string playlist = managed_playlist(request, c);
    return json_reply(200, engine::services::share_links_json(c, playlist));
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
    std::optional<std::string> expires;
    if (expiration && !expiration->empty())
        expires = engine::services::share_link_expiry(c, *expiration);
    std::optional<std::string> hash;
    if (password && !password->empty())
        hash = engine::auth::hash_password(*password, services.config.bcrypt_rounds);
    return json_reply(
        201, engine::services::create_share_link(c, playlist, request.caller().person_id, expires, can_comment, hash));
}

/// The link of the path, which must belong to the playlist of the path (404 otherwise).
engine::services::ShareLink link_of(Request& request, Connection& c, const std::string& playlist) {
    auto link = engine::services::find_share_link(c, request.param("token"));
    if (!link || link->playlist_id != playlist)
        throw_not_found(not_found_message);
    return *link;
}

Reply revoke_link(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const std::string playlist = managed_playlist(request, c);
    const auto link = link_of(request, c, playlist);
    return json_reply(200, engine::services::revoke_share_link(c, link.id));
}

Reply invite(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const std::string playlist = managed_playlist(request, c);
    const auto link = link_of(request, c, playlist);
    if (!link.is_active)
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
            if (const auto email = engine::services::person_email(c, id))
                add(*email);
        }
    const std::string message = engine::optional_string(body, "message");
    const auto facts = engine::services::share_invitation(c, playlist, request.caller().person_id);
    const std::string url =
        services.config.domain_protocol + "://" + services.config.domain_name + "/playlists/shared/" + link.token;
    engine::JsonWriter out;
    out.begin_object().key("sent").begin_array();
    for (const auto& email : recipients) {
        engine::Mail mail;
        mail.to = email;
        mail.subject = facts.author + " invites you to review " + facts.playlist + " (" + facts.project + ")";
        mail.text = mail.subject + "\n\n" + (message.empty() ? "" : message + "\n\n") + url + "\n";
        mail.html = "<p>" + engine::html_escape(mail.subject) + "</p>" +
                    (message.empty() ? "" : "<p>" + engine::html_escape(message) + "</p>") + "<p><a href=\"" +
                    engine::html_escape(url) + "\">" + engine::html_escape(url) + "</a></p>";
        services.mailer.send(mail);
        out.string(email);
    }
    out.end_array().end_object();
    return json_reply(200, out.take());
}

/// The playlist's address in Kitsu, as Zou's mail builds it.
std::string playlist_url(const Services& services, const std::string& playlist_id,
                         const engine::services::PlaylistNotice& playlist) {
    std::string url = services.config.domain_protocol + "://" + services.config.domain_name + "/productions/" +
                      playlist.project_id + "/";
    if (playlist.episode_id)
        url += "episodes/" + *playlist.episode_id + "/playlists/" + playlist_id;
    else if (playlist.production_type == std::optional<std::string>("tvshow") &&
             playlist.for_entity == std::optional<std::string>("asset"))
        url += std::string(playlist.is_for_all ? "episodes/all" : "episodes/main") + "/playlists/" + playlist_id;
    else
        url += "playlists/" + playlist_id;
    return url;
}

/// POST /data/playlists/<id>/notify-clients: each client of the project (optionally of a studio
/// or a department) gets a playlist-ready notification (notification:new, a live signal only)
/// and, when they want notifications, a mail with the playlist's link. The route loads the
/// playlist and checks the caller manages its project (its row in playlist_sharing_routes).
Reply notify_clients(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const std::string& id = request.subject().id;
    const auto playlist = engine::services::find_playlist_notice(c, id, request.caller().person_id);
    if (!playlist)
        throw_not_found(not_found_message);
    std::optional<std::string> studio, department;
    BodyFields fields(request);
    try {
        const auto& body = request.json();
        for (auto [name, target] : {std::pair{"studio_id", &studio}, std::pair{"department_id", &department}})
            if (body.has(name) && !body.isNull(name) && !body.get(name).toString().empty()) {
                *target = body.get(name).toString();
                if (!engine::is_uuid(**target))
                    fields.invalid(name, "Input should be a valid UUID");
            }
    } catch (const Poco::Exception&) {
    }
    fields.check();
    const auto mail_to = engine::services::notify_playlist_clients(c, id, playlist->project_id,
                                                                   request.caller().person_id, studio, department);
    const std::string url = playlist_url(services, id, *playlist);
    const std::string& name = playlist->name;
    const std::string& project = playlist->project;
    const std::string episode = playlist->episode ? "the episode " + *playlist->episode + " of " : "";
    const std::string& author = playlist->author;
    for (const auto& email : mail_to) {
        engine::Mail mail;
        mail.to = email;
        mail.subject = "[Kitsu] The playlist " + name + " in project " + project + " is ready for review";
        mail.text = author + " notifies you that playlist " + name + " is ready for a review under " + episode +
                    "the project " + project + ".\n\n" + url + "\n";
        mail.html = "<p><strong>" + engine::html_escape(author) + "</strong> notifies you that playlist <a href=\"" +
                    engine::html_escape(url) + "\">" + engine::html_escape(name) + "</a> is ready for a review under " +
                    engine::html_escape(episode) + "the project " + engine::html_escape(project) + ".</p>";
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
    routes.push_back(
        Route{Method::post, "/data/playlists/{playlist_id}/notify-clients", Access::jwt, notify_clients}.loads(
            engine::access::SubjectKind::playlist, "playlist_id", engine::access::Check::manager));
    return routes;
}

} // namespace slate::api
