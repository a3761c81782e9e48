// api/areas/review/comments.cpp: comments on tasks (Zou's comments blueprint): posting one with a
// status and files, comment-many, attachments, acknowledgements, replies, moving a comment.

#include "api/areas/areas.h"
#include "api/areas/review/comment_posting.h"
#include "api/body_fields.h"
#include "api/file_reply.h"
#include "api/multipart.h"

#include "engine/access.h"
#include "engine/crud/crud_service.h"
#include "engine/crud/permissions.h"
#include "engine/db/pool.h"
#include "engine/json.h"
#include "engine/serialize.h"
#include "engine/crud/queries.h"
#include "engine/people/auth_service.h"
#include "engine/review/comments.h"
#include "engine/storage/file_store.h"
#include "engine/uuid.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

namespace slate::api {
namespace {

using engine::db::Connection;
using engine::services::Attachment;

/// A task's project and entity, or 404.
struct TaskFacts {
    std::string id, project_id, entity_id, task_status_id;
};

TaskFacts task_or_404(Connection& c, const std::string& id) {
    if (!engine::is_uuid(id))
        throw_not_found(not_found_message);
    const auto task = c.exec("SELECT id, project_id, entity_id, task_status_id FROM task WHERE id = $1::uuid", {id});
    if (task.rows() == 0)
        throw_not_found(not_found_message);
    return {std::string(task.get(0, "id")), std::string(task.get(0, "project_id")),
            std::string(task.get(0, "entity_id")), std::string(task.get(0, "task_status_id"))};
}

/// A comment's row, or 404.
engine::db::Result comment_or_404(Connection& c, const std::string& id) {
    if (!engine::is_uuid(id))
        throw_not_found(not_found_message);
    auto comment = c.exec("SELECT id, object_id, person_id, replies FROM comment WHERE id = $1::uuid", {id});
    if (comment.rows() == 0)
        throw_not_found(not_found_message);
    return comment;
}

/// A comment that must sit on the task of the path (403 otherwise, as Zou).
engine::db::Result comment_of_task(Connection& c, const std::string& comment_id, const std::string& task_id) {
    auto comment = comment_or_404(c, comment_id);
    if (comment.get(0, "object_id") != task_id)
        throw_forbidden();
    return comment;
}

/// Zou's check_task_mention_access: the caller was named in the task's conversation.
bool mentioned_on_task(Connection& c, const std::string& task_id, const std::string& person_id) {
    return c.exec(R"(SELECT 1 FROM comment cm WHERE cm.object_id = $1::uuid AND (
            EXISTS (SELECT 1 FROM comment_mentions m WHERE m.comment = cm.id AND m.person = $2::uuid)
            OR EXISTS (SELECT 1 FROM comment_department_mentions d JOIN department_link l
                       ON l.department_id = d.department WHERE d.comment = cm.id AND l.person_id = $2::uuid)
            OR cm.replies @> jsonb_build_array(jsonb_build_object('mentions', jsonb_build_array($2::text))))
        LIMIT 1)",
                  {task_id, person_id})
               .rows() > 0;
}

/// check_task_status_access: artists and clients only use the statuses allowed to them.
void require_status_allowed(Connection& c, const std::string& role, const std::string& status_id) {
    if (role != "user" && role != "client")
        return;
    if (!engine::is_uuid(status_id))
        throw_not_found(not_found_message);
    const auto status = c.exec("SELECT is_artist_allowed, is_client_allowed FROM task_status WHERE id = $1::uuid",
                               {status_id});
    if (status.rows() == 0)
        throw_not_found(not_found_message);
    if (!status.get_bool(0, role == "user" ? "is_artist_allowed" : "is_client_allowed"))
        throw_forbidden();
}

bool is_manager_role(const std::string& role) {
    return role == "admin" || role == "manager";
}

} // namespace

Attachment attachment_of(const UploadedFile& file) {
    return {file.filename, file.content_type, file.path, file.size};
}

std::vector<Attachment> attachments_of(const Request& request) {
    std::vector<Attachment> attachments;
    for (const auto& [name, file] : multipart_form(request).files)
        attachments.push_back(attachment_of(file));
    return attachments;
}

std::string post_comment(Request& request, Services& services, const std::string& task_id, CommentInput input) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const auto& caller = request.caller();
    const TaskFacts task = task_or_404(c, task_id);
    try {
        engine::access::require_task_action_access(caller, c, task.id);
    } catch (const Error& denied) {
        // Someone named in the conversation may answer it, without changing the status.
        if (denied.kind() != ErrorKind::forbidden || !mentioned_on_task(c, task.id, caller.person_id) ||
            input.task_status_id != task.task_status_id)
            throw;
    }
    const std::string role = engine::access::effective_role(caller, c, task.project_id);
    require_status_allowed(c, role, input.task_status_id);
    if (!is_manager_role(role)) {
        input.person_id.clear();
        input.created_at.clear();
        input.for_client = false;
    }
    engine::services::NewComment comment;
    comment.author_id = input.person_id.empty() ? caller.person_id : input.person_id;
    if (!engine::is_uuid(comment.author_id) ||
        c.exec("SELECT 1 FROM person WHERE id = $1::uuid", {comment.author_id}).rows() == 0)
        throw_not_found(not_found_message);
    comment.caller_id = caller.person_id;
    comment.task_id = task.id;
    comment.task_status_id = input.task_status_id;
    comment.text = input.text;
    comment.created_at = input.created_at;
    comment.checklist_json = input.checklist_json;
    comment.links = std::move(input.links);
    comment.for_client = input.for_client;
    comment.attachments = std::move(input.attachments);
    return engine::services::create_comment(c, services.files, comment);
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
    return json_reply(201, post_comment(request, services, request.param("task_id"), std::move(input)));
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
    std::string out = "[";
    for (size_t index = 0; index < items->size(); ++index) {
        const auto item = items->getObject(static_cast<unsigned>(index));
        if (!item || !item->has("task_status_id") || !item->has("object_id") || !item->has("comment"))
            continue;
        const std::string task_id = item->get("object_id").toString();
        if (!engine::is_uuid(task_id))
            continue;
        const auto task = c.exec("SELECT id, project_id FROM task WHERE id = $1::uuid", {task_id});
        if (task.rows() == 0)
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
        if (const auto links = item->getArray("links"))
            for (const auto& link : *links)
                comment.links.push_back(link.toString());
        require_status_allowed(c, engine::access::effective_role(caller, c, std::string(task.get(0, "project_id"))),
                               comment.task_status_id);
        if (out.size() > 1)
            out += ", ";
        out += engine::services::create_comment(c, services.files, comment);
    }
    return json_reply(201, out + "]");
}

/// The comment's author, or a manager of the task's project.
void require_author_or_manager(Request& request, Connection& c, const engine::db::Result& comment,
                               const TaskFacts& task) {
    if (comment.optional(0, "person_id") != request.caller().person_id)
        engine::crud::require_manager_project_access(request.caller(), c, task.project_id);
}

std::string attachments_json(Connection& c, const std::string& comment_id) {
    const auto rows = c.exec("SELECT id, name, extension, size FROM attachment_file WHERE comment_id = $1::uuid "
                             "ORDER BY created_at",
                             {comment_id});
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

Reply add_attachment(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const TaskFacts task = task_or_404(c, request.param("task_id"));
    const auto comment = comment_of_task(c, request.param("comment_id"), task.id);
    require_author_or_manager(request, c, comment, task);
    engine::db::Transaction transaction(c);
    engine::services::add_attachments(c, services.files, std::string(comment.get(0, "id")), std::nullopt,
                                      attachments_of(request));
    transaction.commit();
    // Every attachment of the comment, presented (Zou mixes ids and new entries here).
    return json_reply(201, attachments_json(c, std::string(comment.get(0, "id"))));
}

Reply delete_attachment(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const std::string task_id = request.param("task_id");
    const auto comment = comment_or_404(c, request.param("comment_id"));
    if (comment.get(0, "object_id") != task_id)
        throw_forbidden();
    const std::string attachment_id = request.param("attachment_file_id");
    if (!engine::is_uuid(attachment_id))
        throw_not_found(not_found_message);
    const auto attachment = c.exec("SELECT comment_id FROM attachment_file WHERE id = $1::uuid", {attachment_id});
    if (attachment.rows() == 0)
        throw_not_found(not_found_message);
    if (attachment.optional(0, "comment_id") != std::string(comment.get(0, "id")))
        throw_forbidden();
    require_author_or_manager(request, c, comment, task_or_404(c, task_id));
    engine::services::remove_attachment(c, services.files, attachment_id);
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
    if (!engine::is_uuid(id))
        throw_not_found(not_found_message);
    const auto attachment = c.exec(R"(SELECT a.name, a.mimetype, a.updated_at::text AS updated_at, cm.object_id,
            t.project_id, t.entity_id, m.chat_id, e.project_id AS chat_project_id, e.id AS chat_entity_id
        FROM attachment_file a LEFT JOIN comment cm ON cm.id = a.comment_id
        LEFT JOIN task t ON t.id = cm.object_id
        LEFT JOIN chat_message m ON m.id = a.chat_message_id
        LEFT JOIN chat ch ON ch.id = m.chat_id LEFT JOIN entity e ON e.id = ch.object_id
        WHERE a.id = $1::uuid)",
                                   {id});
    if (attachment.rows() == 0)
        throw_not_found(not_found_message);
    if (attachment.optional(0, "project_id"))
        engine::access::require_task_access(request.caller(), c, std::string(attachment.get(0, "project_id")),
                                            std::string(attachment.get(0, "entity_id")));
    else if (attachment.optional(0, "chat_project_id"))
        engine::access::require_task_access(request.caller(), c, std::string(attachment.get(0, "chat_project_id")),
                                            std::string(attachment.get(0, "chat_entity_id")));
    else
        throw_forbidden();
    return {attachment.optional(0, "name").value_or(""),
            attachment.optional(0, "mimetype").value_or("application/octet-stream"),
            attachment.optional(0, "updated_at").value_or("")};
}

Reply attachment_thumbnail(Request& request, Services& services) {
    const std::string id = request.param("attachment_file_id");
    const auto attachment = allowed_attachment(request, services, id);
    const auto path = services.files.find(engine::storage::Bucket::pictures, engine::storage::make_key("thumbnails", id));
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
    const auto rows = connection->exec(std::string(R"(SELECT a.* FROM attachment_file a
        JOIN comment cm ON cm.id = a.comment_id JOIN task t ON t.id = cm.object_id WHERE )") +
                                           (of_project ? "t.project_id" : "t.id") + " = $1::uuid ORDER BY a.created_at",
                                       {id});
    std::string out = "[";
    for (int row = 0; row < rows.rows(); ++row) {
        engine::JsonWriter item;
        item.begin_object();
        engine::write_row_fields(item, rows, row);
        item.field("type", "AttachmentFile");
        item.end_object();
        out += (row ? ", " : "") + item.take();
    }
    return json_reply(200, out + "]");
}

Reply acknowledge(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const TaskFacts task = task_or_404(c, request.param("task_id"));
    engine::access::require_task_access(request.caller(), c, task.project_id, task.entity_id);
    const auto comment = comment_or_404(c, request.param("comment_id"));
    return json_reply(200, engine::services::toggle_acknowledgement(c, std::string(comment.get(0, "id")),
                                                                    request.caller().person_id, task.project_id));
}

Reply reply_to_comment(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const std::string task_id = request.param("task_id");
    const auto comment = comment_or_404(c, request.param("comment_id"));
    if (comment.get(0, "object_id") != task_id)
        throw_forbidden();
    const auto& caller = request.caller();
    if (comment.optional(0, "person_id") != caller.person_id) {
        try {
            engine::access::require_task_action_access(caller, c, task_id);
        } catch (const Error& denied) {
            if (denied.kind() != ErrorKind::forbidden || !mentioned_on_task(c, task_id, caller.person_id))
                throw;
        }
        // A client answers only comments of their own studio's clients... or of non-clients.
        const TaskFacts task = task_or_404(c, task_id);
        if (engine::access::effective_role(caller, c, task.project_id) == "client" && comment.optional(0, "person_id")) {
            const auto author = c.exec(R"(SELECT a.studio_id IS NOT DISTINCT FROM me.studio_id AS same_studio
                FROM person a, person me WHERE a.id = $1::uuid AND me.id = $2::uuid)",
                                       {*comment.optional(0, "person_id"), caller.person_id});
            const auto author_role = engine::queries::project_role(c, task.project_id, *comment.optional(0, "person_id"));
            if (author.rows() && !author.get_bool(0, "same_studio") && author_role == std::optional<std::string>("client"))
                throw_forbidden();
        }
    }
    BodyFields body(request);
    const auto text = body.optional_text("text");
    body.check();
    return json_reply(200, engine::services::reply_to_comment(c, services.files, std::string(comment.get(0, "id")),
                                                              caller.person_id, text.value_or(""),
                                                              attachments_of(request)));
}

Reply delete_reply(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const auto comment = comment_or_404(c, request.param("comment_id"));
    const std::string reply_id = request.param("reply_id");
    const auto reply = c.exec(R"(SELECT r->>'person_id' AS person_id FROM comment cm,
                                 jsonb_array_elements(COALESCE(cm.replies, '[]'::jsonb)) r
                                 WHERE cm.id = $1::uuid AND r->>'id' = $2)",
                              {std::string(comment.get(0, "id")), reply_id});
    if (reply.rows() == 0)
        throw_not_found(not_found_message);
    if (reply.optional(0, "person_id") != request.caller().person_id && request.caller().role != "admin")
        throw_forbidden();
    return json_reply(200, engine::services::delete_reply(c, services.files, std::string(comment.get(0, "id")), reply_id));
}

Reply move_comment(Request& request, Services& services) {
    const auto& caller = request.caller();
    if (caller.role != "admin" && caller.role != "manager")
        throw_forbidden();
    BodyFields body(request);
    const std::string target = body.required_text("target_task_id");
    body.check();
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const TaskFacts task = task_or_404(c, request.param("task_id"));
    engine::access::require_task_access(caller, c, task.project_id, task.entity_id);
    const TaskFacts target_task = task_or_404(c, target);
    engine::access::require_task_access(caller, c, target_task.project_id, target_task.entity_id);
    const auto comment = comment_or_404(c, request.param("comment_id"));
    if (comment.get(0, "object_id") != task.id)
        throw_bad_request("Comment does not belong to the given task.");
    return json_reply(200, engine::services::move_comment(c, std::string(comment.get(0, "id")), target_task.id,
                                                          caller.person_id));
}

} // namespace

RouteList comment_routes() {
    const std::string comment = "/data/tasks/{task_id}/comments/{comment_id}";
    return {
        {Method::post, "/actions/tasks/{task_id}/comment", Access::jwt, comment_task},
        {Method::post, "/actions/projects/{project_id}/tasks/comment-many", Access::jwt, comment_many},
        {Method::post, "/actions/tasks/{task_id}/comments/{comment_id}/add-attachment", Access::jwt, add_attachment},
        {Method::post, "/actions/tasks/{task_id}/comments/{comment_id}/move", Access::jwt, move_comment},
        {Method::get, "/data/attachment-files/{attachment_file_id}/file/{file_name}", Access::jwt, download_attachment},
        {Method::get, "/pictures/thumbnails/attachment-files/{attachment_file_id}.png", Access::jwt, attachment_thumbnail},
        {Method::get, "/data/projects/{project_id}/attachment-files", Access::admin,
         [](Request& r, Services& s) { return attachment_files_of(r, s, true); }},
        {Method::get, "/data/tasks/{task_id}/attachment-files", Access::admin,
         [](Request& r, Services& s) { return attachment_files_of(r, s, false); }},
        {Method::post, comment + "/ack", Access::jwt, acknowledge},
        {Method::del, comment + "/attachments/{attachment_file_id}", Access::jwt, delete_attachment},
        {Method::post, comment + "/reply", Access::jwt, reply_to_comment},
        {Method::del, comment + "/reply/{reply_id}", Access::jwt, delete_reply},
    };
}

} // namespace slate::api
