// api/areas/review/shared_guests.cpp: reviewers without an account on a shared playlist (Zou's shared
// blueprint, guest side): a guest person bound to the link, the project context the shared
// player needs, and the comments guests read and post on the playlist's tasks.

#include "api/areas/areas.h"
#include "api/areas/review/comment_posting.h"
#include "api/areas/review/shared_links.h"
#include "api/body_fields.h"
#include "api/file_reply.h"
#include "api/multipart.h"

#include "engine/config.h"
#include "engine/crud/crud_service.h"
#include "engine/crud/values.h"
#include "engine/db/pool.h"
#include "engine/json.h"
#include "engine/crud/queries.h"
#include "engine/people/person_queries.h"
#include "engine/serialize.h"
#include "engine/review/comments.h"
#include "engine/review/playlists.h"
#include "engine/review/preview_files.h"
#include "engine/storage/file_store.h"
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
    engine::queries::insert_person_event(c, "person:new", id);
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

[[noreturn]] void guest_refused(ErrorKind kind, const char* message) {
    engine::JsonWriter body;
    body.begin_object().field("error", message).end_object();
    throw Error(kind, message, body.take());
}

void require_comments_open(const ShareLink& link, const char* what = "Comments are disabled for this link") {
    if (!link.can_comment)
        guest_refused(ErrorKind::forbidden, what);
}

/// Zou's _load_guest_comment: the guest of this link wrote the comment, on a task of the
/// playlist. Answers the comment's task.
std::string guest_comment(Connection& c, const ShareLink& link, const std::string& comment_id,
                          const std::string& guest_id) {
    if (!is_guest_of(c, guest_id, link))
        guest_refused(ErrorKind::forbidden, "Forbidden");
    const auto comment = engine::is_uuid(comment_id)
                             ? c.exec("SELECT person_id, object_id FROM comment WHERE id = $1::uuid", {comment_id})
                             : c.exec("SELECT NULL WHERE false");
    if (comment.rows() == 0)
        guest_refused(ErrorKind::not_found, "Comment not found");
    const std::string task_id = comment.optional(0, "object_id").value_or("");
    const auto tasks = playlist_task_ids(c, link.playlist_id);
    if (comment.optional(0, "person_id") != guest_id || std::find(tasks.begin(), tasks.end(), task_id) == tasks.end())
        guest_refused(ErrorKind::forbidden, "Forbidden");
    return task_id;
}

/// A comment with its attachments presented (Zou's _serialize_enriched_comment).
std::string enriched_comment(Connection& c, const std::string& comment_id) {
    const auto attachments = c.exec("SELECT id, name, extension, size FROM attachment_file WHERE comment_id = $1::uuid "
                                    "ORDER BY created_at",
                                    {comment_id});
    engine::JsonWriter files;
    files.begin_array();
    for (int row = 0; row < attachments.rows(); ++row) {
        files.begin_object();
        engine::write_row_fields(files, attachments, row);
        files.end_object();
    }
    files.end_array();
    return engine::services::comment_json(c, comment_id, files.take());
}

/// After a guest changed or removed a comment: the task replays its history; a status change is
/// announced.
void settle_task(Connection& c, const std::string& task_id, const std::string& previous_status,
                 const std::string& guest_id) {
    engine::services::reset_task_data(c, task_id);
    const auto task = c.exec("SELECT task_status_id, project_id FROM task WHERE id = $1::uuid", {task_id});
    if (task.rows() == 0 || std::string(task.get(0, "task_status_id")) == previous_status)
        return;
    engine::JsonWriter data;
    data.begin_object()
        .field("task_id", task_id)
        .field("new_task_status_id", std::string(task.get(0, "task_status_id")))
        .field("previous_task_status_id", previous_status)
        .field("person_id", guest_id)
        .end_object();
    engine::queries::insert_event(c, "task:status-changed", guest_id, std::string(task.get(0, "project_id")),
                                  data.take());
}

Reply edit_guest_comment(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const ShareLink link = valid_share_link(request, c);
    require_comments_open(link);
    BodyFields body(request);
    const std::string guest_id = body.required_text("guest_id");
    const auto text = body.optional_text("text");
    const bool has_checklist = request.json().has("checklist") && !request.json().isNull("checklist");
    const std::string checklist = body.json_list("checklist");
    const auto status_id = body.optional_text("task_status_id");
    body.check();
    const std::string comment_id = request.param("comment_id");
    const std::string task_id = guest_comment(c, link, comment_id, guest_id);
    if (status_id && (!engine::is_uuid(*status_id) ||
                      c.exec("SELECT 1 FROM task_status WHERE id = $1::uuid AND is_client_allowed", {*status_id})
                              .rows() == 0))
        guest_refused(ErrorKind::forbidden, "Forbidden");
    engine::db::Transaction transaction(c);
    const std::string previous(c.exec("SELECT task_status_id FROM task WHERE id = $1::uuid", {task_id}).get(0, 0));
    c.exec(R"(UPDATE comment SET text = COALESCE($2, text), checklist = CASE WHEN $3::boolean THEN $4::jsonb ELSE checklist END,
                  task_status_id = COALESCE($5::uuid, task_status_id), editor_id = $6::uuid,
                  updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid)",
           {comment_id, text, has_checklist ? "true" : "false", checklist, status_id, guest_id});
    if (status_id)
        settle_task(c, task_id, previous, guest_id);
    engine::JsonWriter data;
    data.begin_object().field("comment_id", comment_id).field("task_id", task_id).end_object();
    engine::queries::insert_event(c, "comment:update", guest_id,
                                  std::string(c.exec("SELECT project_id FROM task WHERE id = $1::uuid", {task_id}).get(0, 0)),
                                  data.take());
    std::string answer = enriched_comment(c, comment_id);
    transaction.commit();
    return json_reply(200, answer);
}

Reply delete_guest_comment(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const ShareLink link = valid_share_link(request, c);
    require_comments_open(link);
    BodyFields body(request);
    const std::string guest_id = body.required_text("guest_id");
    body.check();
    const std::string comment_id = request.param("comment_id");
    const std::string task_id = guest_comment(c, link, comment_id, guest_id);
    engine::db::Transaction transaction(c);
    const std::string previous(c.exec("SELECT task_status_id FROM task WHERE id = $1::uuid", {task_id}).get(0, 0));
    const auto attachments = c.exec("SELECT id FROM attachment_file WHERE comment_id = $1::uuid", {comment_id});
    for (int row = 0; row < attachments.rows(); ++row)
        engine::services::remove_attachment(c, services.files, std::string(attachments.get(row, 0)));
    for (const char* link_table : {"comment_mentions", "comment_department_mentions", "comment_acknoledgments"})
        c.exec(std::string("DELETE FROM ") + link_table + " WHERE comment = $1::uuid", {comment_id});
    c.exec("DELETE FROM notification WHERE comment_id = $1::uuid", {comment_id});
    c.exec("DELETE FROM news WHERE comment_id = $1::uuid", {comment_id});
    c.exec("DELETE FROM comment WHERE id = $1::uuid", {comment_id});
    settle_task(c, task_id, previous, guest_id);
    transaction.commit();
    Reply done;
    done.status = 204;
    return done;
}

Reply add_guest_attachments(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const ShareLink link = valid_share_link(request, c);
    require_comments_open(link);
    const MultipartForm& form = multipart_form(request);
    std::string guest_id = request.query_value("guest_id").value_or("");
    if (const auto field = form.fields.find("guest_id"); field != form.fields.end())
        guest_id = field->second;
    const std::string comment_id = request.param("comment_id");
    guest_comment(c, link, comment_id, guest_id);
    engine::db::Transaction transaction(c);
    engine::services::add_attachments(c, services.files, comment_id, std::nullopt, attachments_of(request));
    std::string answer = enriched_comment(c, comment_id);
    transaction.commit();
    return json_reply(201, answer);
}

Reply remove_guest_attachment(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const ShareLink link = valid_share_link(request, c);
    require_comments_open(link);
    BodyFields body(request);
    const std::string guest_id = body.required_text("guest_id");
    body.check();
    const std::string comment_id = request.param("comment_id");
    guest_comment(c, link, comment_id, guest_id);
    const std::string attachment_id = request.param("attachment_file_id");
    if (!engine::is_uuid(attachment_id) ||
        c.exec("SELECT 1 FROM attachment_file WHERE id = $1::uuid AND comment_id = $2::uuid", {attachment_id, comment_id})
                .rows() == 0)
        guest_refused(ErrorKind::not_found, "Comment not found");
    engine::services::remove_attachment(c, services.files, attachment_id);
    Reply done;
    done.status = 204;
    return done;
}

Reply shared_attachment(Request& request, Services& services) {
    std::string name, mimetype;
    const std::string id = request.param("attachment_file_id");
    {
        auto connection = services.pool.acquire();
        auto& c = *connection;
        const ShareLink link = valid_share_link(request, c);
        const auto found = engine::is_uuid(id)
                               ? c.exec(R"(SELECT a.name, a.mimetype, cm.object_id, cm.for_client,
                                               COALESCE(pe.is_guest, false) AS guest
                                           FROM attachment_file a JOIN comment cm ON cm.id = a.comment_id
                                           LEFT JOIN person pe ON pe.id = cm.person_id WHERE a.id = $1::uuid)",
                                        {id})
                               : c.exec("SELECT NULL WHERE false");
        const auto tasks = playlist_task_ids(c, link.playlist_id);
        if (found.rows() == 0 ||
            std::find(tasks.begin(), tasks.end(), found.optional(0, "object_id").value_or("")) == tasks.end() ||
            !(found.get_bool(0, "guest") || found.optional(0, "for_client") == std::optional<std::string>("t")))
            guest_refused(ErrorKind::not_found, "Attachment not found");
        name = found.optional(0, "name").value_or("");
        mimetype = found.optional(0, "mimetype").value_or("application/octet-stream");
    }
    const auto path = services.files.find(engine::storage::Bucket::files, engine::storage::make_key("attachments", id));
    if (!path)
        guest_refused(ErrorKind::not_found, "Attachment not found");
    std::string base = mimetype.substr(0, mimetype.find(';'));
    bool inline_safe = false;
    for (const char* safe : {"image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp", "image/avif"})
        inline_safe = inline_safe || base == safe;
    Reply reply = file_reply(request, *path, mimetype, "public, max-age=604800");
    reply.headers.emplace_back("Content-Disposition", content_disposition(inline_safe, name));
    return reply;
}

Reply guest_annotations(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const ShareLink link = valid_share_link(request, c);
    require_comments_open(link, "Annotations are disabled");
    BodyFields body(request);
    const std::string guest_id = body.required_text("guest_id");
    const std::string preview_id = body.required_text("preview_file_id");
    body.check();
    if (!is_guest_of(c, guest_id, link))
        guest_refused(ErrorKind::forbidden, "Guest not part of this shared playlist");
    if (!engine::is_uuid(preview_id))
        throw_not_found(not_found_message);
    // The preview must be one the link reaches (positioned, or of a positioned revision).
    const auto reached = c.exec(R"(SELECT t.project_id FROM preview_file p JOIN task t ON t.id = p.task_id
        WHERE p.id = $1::uuid AND EXISTS (
            SELECT 1 FROM playlist pl, jsonb_array_elements(COALESCE(pl.shots, '[]'::jsonb)) s(shot)
            JOIN preview_file positioned ON positioned.id::text = s.shot->>'preview_file_id'
            WHERE pl.id = $2::uuid AND COALESCE(s.shot->>'entity_id', s.shot->>'id') = t.entity_id::text
              AND (positioned.id = p.id OR (positioned.task_id = p.task_id
                                            AND positioned.revision IS NOT DISTINCT FROM p.revision))))",
                                {preview_id, link.playlist_id});
    if (reached.rows() == 0)
        throw_forbidden();
    const auto& json = request.json();
    auto list = [&](const char* name) {
        if (!json.has(name) || json.isNull(name))
            return std::string("[]");
        std::ostringstream out;
        Poco::JSON::Stringifier::stringify(json.get(name), out);
        return out.str();
    };
    return json_reply(200, engine::services::update_annotations(c, preview_id, std::string(reached.get(0, 0)), guest_id,
                                                                list("additions"), list("updates"), list("deletions")));
}

} // namespace

RouteList shared_guest_routes() {
    const std::string base = "/shared/playlists/{token}";
    RouteList routes;
    routes.push_back(Route{Method::post, base + "/guest", Access::open, create_guest});
    routes.push_back(Route{Method::get, base + "/context", Access::open, shared_context});
    routes.push_back(Route{Method::get, base + "/comments", Access::open, shared_comments});
    routes.push_back(Route{Method::post, base + "/comments", Access::open, post_shared_comment});
    routes.push_back(Route{Method::put, base + "/comments/{comment_id}", Access::open, edit_guest_comment});
    routes.push_back(Route{Method::del, base + "/comments/{comment_id}", Access::open, delete_guest_comment});
    routes.push_back(Route{Method::post, base + "/comments/{comment_id}/attachments", Access::open, add_guest_attachments});
    routes.push_back(Route{Method::del, base + "/comments/{comment_id}/attachments/{attachment_file_id}", Access::open,
                           remove_guest_attachment});
    routes.push_back(Route{Method::get, base + "/attachment-files/{attachment_file_id}/file/{file_name}", Access::open,
                           shared_attachment});
    routes.push_back(Route{Method::put, base + "/annotations", Access::open, guest_annotations});
    return routes;
}

} // namespace slate::api
