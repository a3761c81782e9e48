// api/areas/review/shared_guests.cpp: reviewers without an account on a shared playlist (Zou's shared
// blueprint, guest side): a guest person bound to the link, the project context the shared
// player needs, and the comments guests read and post on the playlist's tasks.

#include "api/areas/areas.h"
#include "api/areas/review/comment_posting.h"
#include "api/areas/review/shared_links.h"
#include "api/body_fields.h"
#include "api/file_reply.h"
#include "api/multipart.h"

#include "engine/people/notification_mails.h"
#include "engine/config.h"
#include "engine/crud/crud_service.h"
#include "engine/db/pool.h"
#include "engine/json.h"
#include "engine/review/comments.h"
#include "engine/review/preview_files.h"
#include "engine/review/shared_guest_comments.h"
#include "engine/review/shared_playlist_queries.h"
#include "engine/storage/deleted_files.h"
#include "engine/storage/file_store.h"
#include "engine/uuid.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>

#include <algorithm>
#include <sstream>

namespace slate::api {
namespace {

using engine::db::Connection;

/// A guest created through this very link (Zou's get_guest_for_share_link), or nothing.
bool is_guest_of(Connection& c, const std::string& guest_id, const ShareLink& link) {
    return engine::services::is_guest_of_link(c, guest_id, link.id);
}

/// Whether the task is one of a preview positioned in the link's playlist.
bool reaches_task(Connection& c, const ShareLink& link, const std::string& task_id) {
    const auto tasks = engine::services::shared_playlist_task_ids(c, link.playlist_id);
    return std::find(tasks.begin(), tasks.end(), task_id) != tasks.end();
}

Reply create_guest(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const ShareLink link = valid_share_link(request, c);
    BodyFields body(request);
    std::string first_name = body.optional_text("first_name").value_or("Guest");
    std::string last_name = body.optional_text("last_name").value_or("");
    auto guest_id = body.optional_text("guest_id");
    if (guest_id && guest_id->empty())
        guest_id.reset(); // CreateGuestSchema: "" is no guest id
    if (guest_id && !engine::is_uuid(*guest_id))
        body.invalid("guest_id", "Input should be a valid UUID");
    body.check();
    if (guest_id && is_guest_of(c, *guest_id, link)) // get_guest: get_person, with relations
        return json_reply(200, engine::crud::serialize_by_id(c, "persons", *guest_id, true));
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
    if (const auto existing = engine::services::find_link_guest(c, link.id, first_name, last_name))
        return json_reply(201, engine::crud::serialize_by_id(c, "persons", *existing, false)); // as a new one
    const std::string id = engine::services::create_link_guest(
        c, {link.id, first_name, last_name, services.config.default_timezone, services.config.default_locale});
    return json_reply(201, engine::crud::serialize_by_id(c, "persons", id, false));
}

Reply shared_context(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const ShareLink link = valid_share_link(request, c);
    return json_reply(200, engine::services::shared_context_json(c, link.playlist_id));
}

/// The comments a shared viewer sees on the playlist's tasks: those for clients and those of
/// guests, newest first, each with its author marked is_guest.
Reply shared_comments(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const ShareLink link = valid_share_link(request, c);
    return json_reply(200, engine::services::shared_comments_json(c, link.playlist_id));
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
    if (!reaches_task(c, link, task_id))
        throw Error(ErrorKind::forbidden, "Task not part of this shared playlist",
                    R"({"error":"Task not part of this shared playlist"})");
    const auto client_allowed = engine::services::task_status_client_allowed(c, status_id);
    if (!client_allowed)
        throw Error(ErrorKind::bad_request, "Task status not found", R"({"error":"Task status not found"})");
    if (!*client_allowed)
        throw Error(ErrorKind::bad_request, "Task status not allowed for guests",
                    R"({"error":"Task status not allowed for guests"})");
    engine::services::NewComment comment;
    comment.task_id = task_id;
    comment.task_status_id = status_id;
    comment.text = text;
    comment.checklist_json = checklist;
    comment.author_id = comment.caller_id = guest_id;
    const auto posted = engine::services::create_comment(c, services.files, comment);
    engine::people::send_notification_mails(c, services.config, services.mailer, posted.notification_ids);
    return json_reply(201, engine::services::comment_answer_json(posted));
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
    const auto comment = engine::services::find_comment_author(c, comment_id);
    if (!comment)
        guest_refused(ErrorKind::not_found, "Comment not found");
    const std::string task_id = comment->object_id.value_or("");
    if (comment->person_id != guest_id || !reaches_task(c, link, task_id))
        guest_refused(ErrorKind::forbidden, "Forbidden");
    return task_id;
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
    if (status_id && engine::services::task_status_client_allowed(c, *status_id) != std::optional<bool>(true))
        guest_refused(ErrorKind::forbidden, "Forbidden");
    return json_reply(200, engine::services::edit_guest_comment(
                               c, {comment_id, task_id, guest_id, text, has_checklist, checklist, status_id}));
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
    engine::storage::DeletedFiles deleted;
    engine::services::delete_guest_comment(c, comment_id, task_id, guest_id, deleted);
    engine::storage::remove_deleted_files(services.files, deleted, services.config.remove_files);
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
    return json_reply(201,
                      engine::services::add_guest_attachments(c, services.files, comment_id, attachments_of(request)));
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
    if (!engine::services::is_attachment_of_comment(c, attachment_id, comment_id))
        guest_refused(ErrorKind::not_found, "Comment not found");
    engine::storage::DeletedFiles deleted;
    engine::services::remove_attachment(c, attachment_id, deleted);
    engine::storage::remove_deleted_files(services.files, deleted, services.config.remove_files);
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
        const auto found = engine::services::find_shared_attachment(c, id);
        if (!found || !reaches_task(c, link, found->task_id) || !(found->by_guest || found->for_client))
            guest_refused(ErrorKind::not_found, "Attachment not found");
        name = found->name;
        mimetype = found->mimetype;
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
    const auto reached = engine::services::find_shared_preview(c, link.playlist_id, preview_id);
    if (!reached || !reached->reached)
        throw_forbidden();
    const auto& json = request.json();
    auto list = [&](const char* name) {
        if (!json.has(name) || json.isNull(name))
            return std::string("[]");
        std::ostringstream out;
        Poco::JSON::Stringifier::stringify(json.get(name), out);
        return out.str();
    };
    return json_reply(200, engine::services::update_annotations(c, preview_id, reached->project_id, guest_id,
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
    routes.push_back(
        Route{Method::post, base + "/comments/{comment_id}/attachments", Access::open, add_guest_attachments});
    routes.push_back(Route{Method::del, base + "/comments/{comment_id}/attachments/{attachment_file_id}", Access::open,
                           remove_guest_attachment});
    routes.push_back(Route{Method::get, base + "/attachment-files/{attachment_file_id}/file/{file_name}", Access::open,
                           shared_attachment});
    routes.push_back(Route{Method::put, base + "/annotations", Access::open, guest_annotations});
    return routes;
}

} // namespace slate::api
