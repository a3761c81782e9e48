// api/areas/review/comments.cpp: comments on tasks (Zou's comments blueprint): posting one with a
// status and files, comment-many, attachments, acknowledgements, replies, moving a comment.

#include "api/areas/areas.h"
#include "api/areas/review/comment_posting.h"
#include "api/body_fields.h"
#include "api/file_reply.h"
#include "api/multipart.h"

#include "engine/access.h"
#include "engine/config.h"
#include "engine/crud/crud_service.h"
#include "engine/crud/permissions.h"
#include "engine/crud/row_json.h"
#include "engine/crud/values.h"
#include "engine/db/pool.h"
#include "engine/json.h"
#include "engine/serialize.h"
#include "engine/crud/queries.h"
#include "engine/people/auth_service.h"
#include "engine/people/notification_mails.h"
#include "engine/people/person_queries.h"
#include "engine/review/comment_attachments.h"
#include "engine/review/comment_rights.h"
#include "engine/review/comments.h"
#include "engine/storage/deleted_files.h"
#include "engine/storage/file_store.h"
#include "engine/storage/staged_files.h"
#include "engine/uuid.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

namespace slate::api {
namespace {

using engine::access::SubjectKind;
using engine::db::Connection;
using engine::services::Attachment;

bool is_manager_role(const std::string& role) {
    return role == "admin" || role == "manager";
}

} // namespace

Attachment attachment_of(const UploadedFile& file) {
    return {file.filename, file.content_type, file.path, file.size, std::nullopt};
}

std::vector<Attachment> attachments_of(const Request& request) {
    std::vector<Attachment> attachments;
    for (const auto& [name, file] : multipart_form(request).files)
        attachments.push_back(attachment_of(file));
    return attachments;
}

engine::services::CommentAnswer post_comment(Request& request, Services& services, const std::string& task_id,
                                             CommentInput input) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const auto& caller = request.caller();
    const auto task = engine::access::load_subject(c, SubjectKind::task, task_id);
    try {
        engine::access::require_task_action_access(caller, c, task.task_id);
    } catch (const Error& denied) {
        // Someone named in the conversation may answer it, without changing the status.
        if (denied.kind() != ErrorKind::forbidden ||
            !engine::services::mentioned_on_task(c, task.task_id, caller.person_id) ||
            input.task_status_id != task.task_status_id)
            throw;
    }
    const std::string role = engine::access::effective_role(caller, c, task.project_id);
    engine::services::require_task_status_access(c, role, input.task_status_id);
    if (!is_manager_role(role)) {
        input.person_id.clear();
        input.created_at.clear();
        input.for_client = false;
    }
    engine::services::NewComment comment;
    comment.author_id = input.person_id.empty() ? caller.person_id : input.person_id;
    comment.author_named = !input.person_id.empty();
    if (!engine::queries::person_exists(c, comment.author_id))
        throw_not_found(not_found_message);
    comment.caller_id = caller.person_id;
    comment.task_id = task.task_id;
    comment.task_status_id = input.task_status_id;
    comment.text = input.text;
    comment.created_at = input.created_at;
    comment.checklist_json = input.checklist_json;
    comment.links = std::move(input.links);
    comment.for_client = input.for_client;
    comment.attachments = std::move(input.attachments);
    auto posted = engine::services::create_comment(c, services.files, comment);
    engine::people::send_notification_mails(c, services.config, services.mailer, posted.notification_ids);
    return posted;
}

namespace {

Reply comment_task(Request& request, Services& services) {
    BodyFields body(request);
    CommentInput input;
    input.task_status_id = body.required_text("task_status_id");
    input.text = body.text("comment");
    input.person_id = body.text("person_id");
    input.created_at = body.text("created_at");
    input.checklist_json = body.json_list("checklist");
    const std::string links = body.json_list("links");
    input.for_client = body.boolean("for_client", false);
    body.check();
    Poco::JSON::Parser parser;
    for (const auto& link : *parser.parse(links).extract<Poco::JSON::Array::Ptr>())
        input.links.push_back(link.toString());
    input.attachments = attachments_of(request);
    return json_reply(201, engine::services::comment_answer_json(
                               post_comment(request, services, request.param("task_id"), std::move(input))));
}

Reply comment_many(Request& request, Services& services) {
    Poco::Dynamic::Var parsed;
    try {
        Poco::JSON::Parser parser;
        parsed = parser.parse(request.body);
    } catch (const Poco::Exception&) {
    }
    if (parsed.type() != typeid(Poco::JSON::Array::Ptr))
        throw_bad_request("Request body must be a JSON array.");
    const auto items = parsed.extract<Poco::JSON::Array::Ptr>();
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const auto& caller = request.caller();
    const std::string project_id = request.param("project_id");
    const bool manager = engine::crud::allowed(engine::crud::Rule::project_manager, caller, c,
                                               engine::crud::RowFacts{project_id, std::nullopt});
    engine::JsonWriter out;
    out.begin_array();
    for (size_t index = 0; index < items->size(); ++index) {
        const auto item = items->getObject(static_cast<unsigned>(index));
        if (!item || !item->has("task_status_id") || !item->has("object_id") || !item->has("comment"))
            continue;
        const std::string task_id = item->get("object_id").toString();
        const auto task_project_id = engine::services::task_project_id(c, task_id);
        if (!task_project_id)
            continue;
        if (!manager) {
            // Others comment only on tasks they are assigned to or supervise.
            try {
                engine::access::require_task_action_access(caller, c, task_id);
            } catch (const Error&) {
                continue;
            }
        }
        engine::services::NewComment comment;
        comment.task_id = task_id;
        comment.task_status_id = item->get("task_status_id").toString();
        comment.text = item->get("comment").toString();
        comment.author_id = comment.caller_id = caller.person_id;
        comment.author_named = true; // Zou passes the current user's id to create_comment
        if (const auto links = item->getArray("links"))
            for (const auto& link : *links)
                comment.links.push_back(link.toString());
        engine::services::require_task_status_access(c, engine::access::effective_role(caller, c, *task_project_id),
                                                     comment.task_status_id);
        const auto posted = engine::services::create_comment(c, services.files, comment);
        engine::people::send_notification_mails(c, services.config, services.mailer, posted.notification_ids);
        out.begin_object();
        engine::services::write_comment_members(out, posted);
        out.end_object();
    }
    out.end_array();
    return json_reply(201, out.take());
}

/// The comment's author, or a manager of the task's project.
void require_author_or_manager(Request& request, Connection& c, const engine::access::Subject& comment,
                               const std::string& project_id) {
    if (comment.person_id != request.caller().person_id)
        engine::crud::require_manager_project_access(request.caller(), c, project_id);
}

std::string attachments_json(Connection& c, const std::string& comment_id) {
    const auto rows = engine::queries::comment_attachment_rows(c, comment_id);
    engine::JsonWriter out;
    out.begin_array();
    for (int row = 0; row < rows.rows(); ++row) {
        out.begin_object();
        engine::write_row_fields(out, rows, row);
        out.end_object();
    }
    out.end_array();
    return out.take();
}

/// The route loads the task (404 before anything else); the comment must sit on it (403).
Reply add_attachment(Request& request, Services& services) {
    auto connection = services.pool.acquire(); // the request's connection, shared
    auto& c = *connection;
    const auto& task = request.subject();
    const auto comment = engine::access::load_subject(c, SubjectKind::comment, request.param("comment_id"));
    if (comment.task_id != task.task_id)
        throw_forbidden();
    require_author_or_manager(request, c, comment, task.project_id);
    const std::string comment_id = comment.id;
    engine::storage::StagedFiles staged(services.files); // put back after the transaction rolls back
    engine::db::Transaction transaction(c);
    engine::services::add_attachments(c, staged, comment_id, std::nullopt, attachments_of(request));
    transaction.commit();
    staged.keep();
    // Every attachment of the comment, presented (Zou mixes ids and new entries here).
    return json_reply(201, attachments_json(c, comment_id));
}

/// The route loads the comment; it must sit on the path's task (403).
Reply delete_attachment(Request& request, Services& services) {
    auto connection = services.pool.acquire(); // the request's connection, shared
    auto& c = *connection;
    const auto& comment = request.subject();
    if (comment.task_id != request.param("task_id"))
        throw_forbidden();
    const std::string attachment_id = request.param("attachment_file_id");
    const auto owner = engine::queries::attachment_owner(c, attachment_id);
    if (!owner)
        throw_not_found(not_found_message);
    if (owner->comment_id != comment.id)
        throw_forbidden();
    require_author_or_manager(request, c, comment, comment.project_id);
    engine::storage::DeletedFiles deleted;
    engine::services::remove_attachment(c, attachment_id, deleted);
    engine::storage::remove_deleted_files(services.files, deleted, services.config.remove_files);
    Reply done;
    done.status = 204;
    return done;
}

/// An attachment the caller may read (Zou's checks: task access through its comment, or
/// project and entity access through its chat); 404 when unknown.
struct AllowedAttachment {
    std::string name, mimetype, updated_at;
};

AllowedAttachment allowed_attachment(Request& request, Services& services, const std::string& id) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const auto attachment = engine::queries::find_attachment_file(c, id);
    if (!attachment)
        throw_not_found(not_found_message);
    if (attachment->task_project_id)
        engine::access::require_task_access(request.caller(), c, *attachment->task_project_id,
                                            attachment->task_entity_id.value_or(""));
    else if (attachment->chat_project_id)
        engine::access::require_task_access(request.caller(), c, *attachment->chat_project_id,
                                            attachment->chat_entity_id.value_or(""));
    else
        throw_forbidden();
    return {attachment->name.value_or(""), attachment->mimetype.value_or("application/octet-stream"),
            attachment->updated_at.value_or("")};
}

Reply attachment_thumbnail(Request& request, Services& services) {
    const std::string id = request.param("attachment_file_id");
    const auto attachment = allowed_attachment(request, services, id);
    const auto path =
        services.files.find(engine::storage::Bucket::pictures, engine::storage::make_key("thumbnails", id));
    if (!path)
        throw_not_found(not_found_message);
    Reply reply = file_reply(request, *path, "image/png", "max-age=604800, private", attachment.updated_at);
    reply.headers.emplace_back("Content-Disposition", content_disposition(true, ""));
    return reply;
}

Reply download_attachment(Request& request, Services& services) {
    const std::string id = request.param("attachment_file_id");
    const auto attachment = allowed_attachment(request, services, id);
    const std::string& name = attachment.name;
    const std::string& mimetype = attachment.mimetype;
    const auto path = services.files.find(engine::storage::Bucket::files, engine::storage::make_key("attachments", id));
    if (!path)
        throw_not_found(not_found_message);
    std::string base_type = mimetype.substr(0, mimetype.find(';'));
    for (auto& ch : base_type)
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    bool inline_safe = false;
    for (const char* safe : {"image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp", "image/avif"})
        inline_safe = inline_safe || base_type == safe;
    Reply reply = file_reply(request, *path, mimetype, "public, max-age=604800", attachment.updated_at);
    reply.headers.emplace_back("Content-Disposition", content_disposition(inline_safe, name));
    return reply;
}

Reply attachment_files_of(Request& request, Services& services, bool of_project) {
    auto connection = services.pool.acquire();
    const std::string id = request.param(of_project ? "project_id" : "task_id");
    if (!engine::is_uuid(id))
        return json_reply(200, "[]");
    const auto rows = of_project ? engine::queries::project_attachment_files(*connection, id)
                                 : engine::queries::task_attachment_files(*connection, id);
    // AttachmentFile.serialize(): with its comment (and chat message) rows.
    return json_reply(200, engine::crud::serialize_rows(*connection, "attachment-files", rows));
}

/// The route loads the task and checks task access (its row in comment_routes).
Reply acknowledge(Request& request, Services& services) {
    auto connection = services.pool.acquire(); // the request's connection, shared
    auto& c = *connection;
    const auto& task = request.subject();
    const auto comment = engine::access::load_subject(c, SubjectKind::comment, request.param("comment_id"));
    return json_reply(
        200, engine::services::toggle_acknowledgement(c, comment.id, request.caller().person_id, task.project_id));
}

/// The route loads the comment; it must sit on the path's task (403).
Reply reply_to_comment(Request& request, Services& services) {
    auto connection = services.pool.acquire(); // the request's connection, shared
    auto& c = *connection;
    const auto& comment = request.subject();
    // gazu 1.1.12's /data/comments/{comment_id}/replies names no task: the comment's own.
    const std::string task_id =
        request.path_params.count("task_id") ? request.param("task_id") : comment.task_id;
    if (comment.task_id != task_id)
        throw_forbidden();
    const auto& caller = request.caller();
    if (comment.person_id != caller.person_id) {
        try {
            engine::access::require_task_action_access(caller, c, task_id);
        } catch (const Error& denied) {
            if (denied.kind() != ErrorKind::forbidden ||
                !engine::services::mentioned_on_task(c, task_id, caller.person_id))
                throw;
        }
        // A client answers only comments of their own studio's clients... or of non-clients.
        if (engine::access::effective_role(caller, c, comment.project_id) == "client" && !comment.person_id.empty()) {
            const auto same_studio = engine::services::same_studio(c, comment.person_id, caller.person_id);
            const auto author_role = engine::queries::role_in_project(c, comment.project_id, comment.person_id);
            if (same_studio && !*same_studio && author_role == "client")
                throw_forbidden();
        }
    }
    BodyFields body(request);
    const auto text = body.optional_text("text");
    body.check();
    std::vector<std::string> notified;
    std::string reply = engine::services::reply_to_comment(c, services.files, comment.id, caller.person_id,
                                                           text.value_or(""), attachments_of(request), notified);
    engine::people::send_notification_mails(c, services.config, services.mailer, notified);
    return json_reply(200, std::move(reply));
}

/// The route loads the comment.
Reply delete_reply(Request& request, Services& services) {
    auto connection = services.pool.acquire(); // the request's connection, shared
    auto& c = *connection;
    const std::string comment_id = request.subject().id;
    const std::string reply_id = request.param("reply_id");
    const auto author = engine::services::reply_author(c, comment_id, reply_id);
    if (!author)
        throw_not_found(not_found_message);
    if (*author != request.caller().person_id && request.caller().role != "admin")
        throw_forbidden();
    engine::storage::DeletedFiles deleted;
    std::string answer = engine::services::delete_reply(c, comment_id, reply_id, deleted);
    engine::storage::remove_deleted_files(services.files, deleted, services.config.remove_files);
    return json_reply(200, std::move(answer));
}

/// Loads in the handler: the caller's role and the body are refused before any 404 (Zou).
Reply move_comment(Request& request, Services& services) {
    const auto& caller = request.caller();
    if (caller.role != "admin" && caller.role != "manager")
        throw_forbidden();
    BodyFields body(request);
    const std::string target = body.required_text("target_task_id");
    body.check();
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const auto task = engine::access::load_subject(c, SubjectKind::task, request.param("task_id"));
    engine::access::require_task_access(caller, c, task.project_id, task.entity_id);
    const auto target_task = engine::access::load_subject(c, SubjectKind::task, target);
    engine::access::require_task_access(caller, c, target_task.project_id, target_task.entity_id);
    const auto comment = engine::access::load_subject(c, SubjectKind::comment, request.param("comment_id"));
    if (comment.task_id != task.task_id)
        throw_wrong_parameter("Comment does not belong to the given task.");
    return json_reply(200, engine::services::move_comment(c, comment.id, target_task.task_id, caller.person_id));
}

} // namespace

RouteList comment_routes() {
    using engine::access::Check;
    using engine::access::SubjectKind;
    const std::string comment = "/data/tasks/{task_id}/comments/{comment_id}";
    return {
        {Method::post, "/actions/tasks/{task_id}/comment", Access::jwt, comment_task},
        {Method::post, "/actions/projects/{project_id}/tasks/comment-many", Access::jwt, comment_many},
        Route{Method::post, "/actions/tasks/{task_id}/comments/{comment_id}/add-attachment", Access::jwt,
              add_attachment}
            .loads(SubjectKind::task, "task_id"),
        {Method::post, "/actions/tasks/{task_id}/comments/{comment_id}/move", Access::jwt, move_comment},
        {Method::get, "/data/attachment-files/{attachment_file_id}/file/{file_name}", Access::jwt, download_attachment},
        {Method::get, "/pictures/thumbnails/attachment-files/{attachment_file_id}.png", Access::jwt,
         attachment_thumbnail},
        {Method::get, "/data/projects/{project_id}/attachment-files", Access::admin,
         [](Request& r, Services& s) { return attachment_files_of(r, s, true); }},
        {Method::get, "/data/tasks/{task_id}/attachment-files", Access::admin,
         [](Request& r, Services& s) { return attachment_files_of(r, s, false); }},
        Route{Method::post, comment + "/ack", Access::jwt, acknowledge}.loads(SubjectKind::task, "task_id",
                                                                              Check::task_access),
        Route{Method::del, comment + "/attachments/{attachment_file_id}", Access::jwt, delete_attachment}.loads(
            SubjectKind::comment, "comment_id"),
        Route{Method::post, comment + "/reply", Access::jwt, reply_to_comment}.loads(SubjectKind::comment,
                                                                                     "comment_id"),
        Route{Method::post, "/data/comments/{comment_id}/replies", Access::jwt, reply_to_comment}.loads(
            SubjectKind::comment, "comment_id"),
        Route{Method::del, comment + "/reply/{reply_id}", Access::jwt, delete_reply}.loads(SubjectKind::comment,
                                                                                           "comment_id"),
    };
}

} // namespace slate::api
