// api/areas/shared_guests.cpp: reviewers without an account on a shared playlist (Zou's shared
// blueprint, guest side): a guest person bound to the link, the project context the shared
// player needs, and the comments guests read and post on the playlist's tasks.

#include "api/areas/areas.h"
#include "api/areas/shared_links.h"
#include "api/body_fields.h"

#include "engine/config.h"
#include "engine/crud/crud_service.h"
#include "engine/crud/values.h"
#include "engine/db/pool.h"
#include "engine/json.h"
#include "engine/queries/crud.h"
#include "engine/queries/persons.h"
#include "engine/serialize.h"
#include "engine/services/comments.h"
#include "engine/services/playlists.h"
#include "engine/uuid.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <sstream>

namespace slate::api {
namespace {

using engine::db::Connection;

/// A guest created through this very link (Zou's get_guest_for_share_link), or nothing.
bool is_guest_of(Connection& c, const std::string& guest_id, const ShareLink& link) {
    return engine::is_uuid(guest_id) &&
           c.exec("SELECT 1 FROM person WHERE id = $1::uuid AND is_guest AND data->>'share_link_id' = $2",
                  {guest_id, link.id}).rows() > 0;
}

/// The tasks of the previews positioned in the playlist.
std::vector<std::string> playlist_task_ids(Connection& c, const std::string& playlist_id) {
    const auto rows = c.exec(R"(SELECT DISTINCT p.task_id::text FROM playlist pl,
            jsonb_array_elements(COALESCE(pl.shots, '[]'::jsonb)) s(shot)
        JOIN preview_file p ON p.id::text = s.shot->>'preview_file_id' WHERE pl.id = $1::uuid)",
                             {playlist_id});
    std::vector<std::string> ids;
    for (int row = 0; row < rows.rows(); ++row)
        ids.emplace_back(rows.get(row, 0));
    return ids;
}

Reply create_guest(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const ShareLink link = valid_share_link(request, c);
    BodyFields body(request);
    std::string first_name = body.optional_text("first_name").value_or("Guest");
    std::string last_name = body.optional_text("last_name").value_or("");
    const auto guest_id = body.optional_text("guest_id");
    body.check();
    if (guest_id && is_guest_of(c, *guest_id, link))
        return json_reply(200, engine::crud::serialize_by_id(c, "persons", *guest_id, false));
    auto trim = [](std::string text) {
        text.erase(0, text.find_first_not_of(" \t"));
        text.erase(text.find_last_not_of(" \t") + 1);
        return text;
    };
    first_name = trim(first_name);
    last_name = trim(last_name);
    if (first_name.empty())
        first_name = "Guest";
    // A guest is reused by name only within the link that made it: no one impersonates a
    // reviewer of another link.
    const auto existing = c.exec(R"(SELECT id FROM person WHERE is_guest AND first_name = $1 AND last_name = $2
                                    AND data->>'share_link_id' = $3 ORDER BY created_at LIMIT 1)",
                                 {first_name, last_name, link.id});
    if (existing.rows())
        return json_reply(200, engine::crud::serialize_by_id(c, "persons", std::string(existing.get(0, 0)), false));
    engine::db::Transaction transaction(c);
    engine::queries::NewPerson guest;
    guest.first_name = first_name;
    guest.last_name = last_name;
    guest.email = "guest-" + engine::new_uuid().substr(0, 8) + "@guest.kitsu";
    guest.role = "client";
    guest.timezone = services.config.default_timezone;
    guest.locale = services.config.default_locale;
    const std::string id = engine::queries::insert_person(c, guest);
    engine::JsonWriter data;
    data.begin_object().field("share_link_id", link.id).end_object();
    c.exec("UPDATE person SET is_guest = true, data = $2::jsonb WHERE id = $1::uuid", {id, data.take()});
    engine::JsonWriter event;
    event.begin_object().field("person_id", id).end_object();
    engine::queries::insert_event(c, "person:new", std::nullopt, std::nullopt, event.take());
    std::string answer = engine::crud::serialize_by_id(c, "persons", id, false);
    transaction.commit();
    return json_reply(201, answer);
}

Reply shared_context(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const ShareLink link = valid_share_link(request, c);
    const auto project = c.exec(R"(SELECT pr.id, pr.name, pr.fps, pr.ratio, pr.resolution FROM playlist pl
                                   JOIN project pr ON pr.id = pl.project_id WHERE pl.id = $1::uuid)",
                                {link.playlist_id});
    const std::string project_id(project.get(0, "id"));
    engine::JsonWriter out;
    out.begin_object().key("project").begin_object();
    engine::write_row_fields(out, project, 0);
    out.key("team").begin_array().end_array().end_object();
    // The project's task types and statuses, as the shared player needs them (no departments).
    const auto types = c.exec(R"(SELECT tt.id, tt.name, tt.color, tt.for_entity FROM task_type tt
        JOIN project_task_type_link l ON l.task_type_id = tt.id WHERE l.project_id = $1::uuid
        ORDER BY l.priority NULLS LAST, tt.name)",
                              {project_id});
    out.key("task_types").begin_array();
    for (int row = 0; row < types.rows(); ++row) {
        out.begin_object();
        engine::write_row_fields(out, types, row);
        out.end_object();
    }
    out.end_array();
    const auto statuses = c.exec(R"(SELECT ts.id, ts.name, ts.short_name, ts.color, ts.is_client_allowed,
            ts.is_default, ts.for_concept FROM task_status ts
        JOIN project_task_status_link l ON l.task_status_id = ts.id WHERE l.project_id = $1::uuid
        ORDER BY l.priority NULLS LAST, ts.name)",
                                 {project_id});
    out.key("task_statuses").begin_array();
    for (int row = 0; row < statuses.rows(); ++row) {
        out.begin_object();
        engine::write_row_fields(out, statuses, row);
        out.end_object();
    }
    out.end_array();
    const auto entities = c.exec(R"(SELECT DISTINCT ON (e.id) e.id, e.name, e.preview_file_id FROM playlist pl,
            jsonb_array_elements(COALESCE(pl.shots, '[]'::jsonb)) s(shot)
        JOIN entity e ON e.id::text = s.shot->>'entity_id' WHERE pl.id = $1::uuid)",
                                 {link.playlist_id});
    out.key("entities").begin_array();
    for (int row = 0; row < entities.rows(); ++row) {
        out.begin_object();
        engine::write_row_fields(out, entities, row);
        out.end_object();
    }
    out.end_array().end_object();
    return json_reply(200, out.take());
}

/// The comments a shared viewer sees on the playlist's tasks: those for clients and those of
/// guests, newest first, each with its author marked is_guest.
Reply shared_comments(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const ShareLink link = valid_share_link(request, c);
    const auto ids = playlist_task_ids(c, link.playlist_id);
    const auto rows = c.exec(R"(SELECT cm.id, COALESCE(pe.is_guest, false) AS guest FROM comment cm
        LEFT JOIN person pe ON pe.id = cm.person_id
        WHERE cm.object_id = ANY($1::uuid[]) AND (cm.for_client OR COALESCE(pe.is_guest, false))
        ORDER BY cm.created_at DESC)",
                             {engine::crud::array_literal(ids)});
    std::string out = "[";
    Poco::JSON::Parser parser;
    for (int row = 0; row < rows.rows(); ++row) {
        const std::string id(rows.get(row, "id"));
        auto comment = parser.parse(engine::services::comment_json(c, id, "[]")).extract<Poco::JSON::Object::Ptr>();
        const auto attachments = c.exec("SELECT id, name, extension, size FROM attachment_file WHERE comment_id = $1::uuid",
                                        {id});
        Poco::JSON::Array::Ptr files = new Poco::JSON::Array;
        for (int a = 0; a < attachments.rows(); ++a) {
            Poco::JSON::Object::Ptr file = new Poco::JSON::Object;
            file->set("id", std::string(attachments.get(a, "id")));
            file->set("name", attachments.optional(a, "name").value_or(""));
            file->set("extension", attachments.optional(a, "extension").value_or(""));
            file->set("size", std::stoll(attachments.optional(a, "size").value_or("0")));
            files->add(file);
        }
        comment->set("attachment_files", files);
        if (auto person = comment->getObject("person"))
            person->set("is_guest", rows.get_bool(row, "guest"));
        std::ostringstream text;
        comment->stringify(text);
        out += (row ? ", " : "") + text.str();
    }
    return json_reply(200, out + "]");
}

Reply post_shared_comment(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const ShareLink link = valid_share_link(request, c);
    if (!link.can_comment)
        throw Error(ErrorKind::forbidden, "Comments are disabled for this link",
                    R"({"error":"Comments are disabled for this link"})");
    BodyFields body(request);
    const std::string guest_id = body.required_text("guest_id");
    const std::string task_id = body.required_text("task_id");
    const std::string status_id = body.required_text("task_status_id");
    const std::string text = body.optional_text("text").value_or("");
    const std::string checklist = body.json_list("checklist");
    body.check();
    if (!is_guest_of(c, guest_id, link))
        throw Error(ErrorKind::forbidden, "Guest not part of this shared playlist",
                    R"({"error":"Guest not part of this shared playlist"})");
    const auto tasks = playlist_task_ids(c, link.playlist_id);
    if (std::find(tasks.begin(), tasks.end(), task_id) == tasks.end())
        throw Error(ErrorKind::forbidden, "Task not part of this shared playlist",
                    R"({"error":"Task not part of this shared playlist"})");
    const auto status = engine::is_uuid(status_id)
                            ? c.exec("SELECT is_client_allowed FROM task_status WHERE id = $1::uuid", {status_id})
                            : c.exec("SELECT true WHERE false");
    if (status.rows() == 0)
        throw Error(ErrorKind::bad_request, "Task status not found", R"({"error":"Task status not found"})");
    if (!status.get_bool(0, "is_client_allowed"))
        throw Error(ErrorKind::bad_request, "Task status not allowed for guests",
                    R"({"error":"Task status not allowed for guests"})");
    engine::services::NewComment comment;
    comment.task_id = task_id;
    comment.task_status_id = status_id;
    comment.text = text;
    comment.checklist_json = checklist;
    comment.author_id = comment.caller_id = guest_id;
    return json_reply(201, engine::services::create_comment(c, services.files, comment));
}

} // namespace

RouteList shared_guest_routes() {
    const std::string base = "/shared/playlists/{token}";
    RouteList routes;
    routes.push_back(Route{Method::post, base + "/guest", Access::open, create_guest});
    routes.push_back(Route{Method::get, base + "/context", Access::open, shared_context});
    routes.push_back(Route{Method::get, base + "/comments", Access::open, shared_comments});
    routes.push_back(Route{Method::post, base + "/comments", Access::open, post_shared_comment});
    return routes;
}

} // namespace slate::api
