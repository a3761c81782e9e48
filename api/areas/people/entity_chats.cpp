// api/areas/people/entity_chats.cpp: an entity's chat and messages (Zou's ChatResource,
// ChatMessagesResource, ChatMessageResource) and a production's news (ProjectNewsResource,
// ProjectSingleNewsResource).

#include "api/areas/areas.h"
#include "api/areas/review/comment_posting.h"
#include "api/body_fields.h"
#include "api/job_wait.h"

#include "engine/db/pool.h"
#include "engine/json.h"
#include "engine/people/entity_chats.h"
#include "engine/review/comments.h"
#include "engine/storage/deleted_files.h"
#include "engine/storage/staged_files.h"
#include "workers/media_jobs.h"
#include "engine/production/news.h"

namespace slate::api {
namespace {

namespace user = engine::user;
using engine::access::Check;
using engine::access::SubjectKind;

Reply chat(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    return json_reply(200, user::entity_chat_json(*connection, request.subject().id));
}

Reply messages(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    return json_reply(200, user::chat_messages_json(*connection, request.subject().id));
}

/// The files sent with a message; pictures whose type names png or jpg (Zou's test on the
/// client's mimetype) get their 150×150 thumbnail, made by the worker pool beside the spooled
/// upload (removed with it).
std::vector<engine::services::Attachment> chat_attachments(const Request& request, Services& services) {
    auto attachments = request.form ? attachments_of(request) : std::vector<engine::services::Attachment>{};
    for (auto& attachment : attachments) {
        if (attachment.mimetype.find("png") == std::string::npos &&
            attachment.mimetype.find("jpg") == std::string::npos)
            continue;
        auto thumbnail = attachment.source;
        thumbnail += ".thumbnail.png";
        engine::JsonWriter payload;
        payload.begin_object()
            .field("source", attachment.source.string())
            .field("output", thumbnail.string())
            .field("width", 150)
            .field("height", 150)
            .field("crop", true)
            .end_object();
        if (std::string(run_job(services.pool, workers::fitted_picture_job, payload.take()).get(0, "state")) == "done")
            attachment.thumbnail = thumbnail; // else the file is kept without one
    }
    return attachments;
}

Reply post_message(Request& request, Services& services) {
    BodyFields body(request);
    const std::string text = body.required_text("message");
    body.check();
    const auto attachments = chat_attachments(request, services);
    auto connection = services.pool.acquire();
    engine::storage::StagedFiles staged(services.files); // put back if the message rolls back
    auto answer = user::post_chat_message(*connection, staged, request.subject().id, request.caller().person_id, text,
                                          attachments);
    staged.keep();
    return json_reply(201, std::move(answer));
}

/// The message, which must belong to the entity's chat (403 otherwise, 404 when unknown).
user::ChatMessage message_of(engine::db::Connection& c, const Request& request) {
    auto message = user::chat_message(c, request.subject().id, request.param("chat_message_id"));
    if (!message)
        throw_not_found(not_found_message);
    if (!message->in_chat)
        throw_forbidden();
    return std::move(*message);
}

Reply get_message(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    return json_reply(200, message_of(*connection, request).json);
}

/// Its author or an admin removes it.
Reply delete_message(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    const auto message = message_of(*connection, request);
    if (message.person_id != request.caller().person_id && request.caller().role != "admin")
        throw_forbidden();
    engine::storage::DeletedFiles deleted;
    user::delete_chat_message(*connection, request.param("chat_message_id"), deleted);
    // Zou's delete_chat_message removes the files whatever REMOVE_FILES says.
    engine::storage::remove_deleted_files(services.files, deleted, true);
    Reply reply;
    reply.status = 204;
    return reply;
}

/// An optional id of the query string ("" counts as absent).
std::optional<std::string> text_query(const Request& request, const std::string& name) {
    auto value = request.query_value(name);
    if (value && value->empty())
        value.reset();
    return value;
}

long long integer_of(const Request& request, const std::string& name, long long fallback) {
    const auto value = request.query_value(name);
    if (!value || value->empty())
        return fallback;
    try {
        std::size_t used = 0;
        const long long number = std::stoll(*value, &used);
        if (used == value->size())
            return number;
    } catch (const std::exception&) {
    }
    throw_bad_request("Invalid value for " + name + ": " + *value);
}

engine::production::NewsFilters news_filters(const Request& request) {
    engine::production::NewsFilters filters;
    const auto preview = request.query_value("only_preview");
    filters.only_preview = preview && (*preview == "true" || *preview == "True" || *preview == "1");
    filters.task_type_id = text_query(request, "task_type_id");
    filters.task_status_id = text_query(request, "task_status_id");
    filters.episode_id = text_query(request, "episode_id");
    filters.person_id = text_query(request, "person_id");
    filters.after = text_query(request, "after");
    filters.before = text_query(request, "before");
    filters.page = integer_of(request, "page", 1);
    filters.limit = integer_of(request, "limit", 50);
    return filters;
}

Reply news(Request& request, Services& services) {
    const auto filters = news_filters(request);
    auto connection = services.pool.acquire();
    return json_reply(200, engine::production::project_news_json(*connection, request.subject().id, filters));
}

Reply open_projects_news(Request& request, Services& services) {
    const auto filters = news_filters(request);
    auto connection = services.pool.acquire();
    return json_reply(200, engine::production::open_projects_news_json(*connection, request.caller(),
                                                                       request.query_value("project_id"), filters));
}

Reply single_news(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    const auto found =
        engine::production::single_news_json(*connection, request.subject().id, request.param("news_id"));
    if (!found)
        throw_not_found(not_found_message);
    return json_reply(200, *found);
}

} // namespace

RouteList chat_news_routes() {
    const std::string chat_path = "/data/entities/{entity_id}/chat";
    return {
        Route{Method::get, chat_path, Access::jwt, chat}.loads(SubjectKind::entity, "entity_id", Check::entity_access),
        Route{Method::get, chat_path + "/messages", Access::jwt, messages}.loads(SubjectKind::entity, "entity_id",
                                                                                 Check::entity_access),
        Route{Method::post, chat_path + "/messages", Access::jwt, post_message}.loads(SubjectKind::entity, "entity_id",
                                                                                      Check::entity_access),
        Route{Method::get, chat_path + "/messages/{chat_message_id}", Access::jwt, get_message}.loads(
            SubjectKind::entity, "entity_id", Check::entity_access),
        Route{Method::del, chat_path + "/messages/{chat_message_id}", Access::jwt, delete_message}.loads(
            SubjectKind::entity, "entity_id", Check::entity_access),
        Route{Method::get, "/data/projects/news", Access::jwt, open_projects_news},
        Route{Method::get, "/data/projects/{project_id}/news", Access::jwt, news}.loads(
            SubjectKind::project, "project_id", Check::project_access),
        Route{Method::get, "/data/projects/{project_id}/news/{news_id}", Access::jwt, single_news}.loads(
            SubjectKind::project, "project_id", Check::reader),
    };
}

} // namespace slate::api
