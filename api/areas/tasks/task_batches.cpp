// api/areas/tasks/task_batches.cpp: making and removing the tasks of a production in bulk (Zou's
// Create{Asset,Shot,Edit,Concept,Entity}TasksResource, DeleteTasksResource,
// DeleteAllTasksForTaskTypeResource), the deprecated to-review (ToReviewResource) and the
// removal of a task's comment (TaskCommentResource.delete).

#include "api/areas/user/user_areas.h"
#include "api/areas/files/files_common.h"
#include "api/body_fields.h"

#include "engine/config.h"
#include "engine/db/pool.h"
#include "engine/production/production_common.h"
#include "engine/storage/deleted_files.h"
#include "engine/uuid.h"
#include "engine/tasks/task_batches.h"
#include "engine/tasks/task_review.h"
#include "filetree/db/tree_store.h"
#include "filetree/error.h"
#include "filetree/render.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <cctype>

namespace slate::api {
namespace {

namespace tasks = engine::tasks;
using engine::access::Check;
using engine::access::SubjectKind;

/// Zou's validate_id_list: a JSON array of UUID strings; when not `required`, an absent, null or
/// empty-object body is nullopt ("every entity").
std::optional<std::vector<std::string>> id_list(const Request& request, bool required) {
    Poco::Dynamic::Var parsed;
    try {
        if (!request.body.empty())
            parsed = Poco::JSON::Parser().parse(request.body);
    } catch (const Poco::Exception&) {
        // Poco reads no bare scalar: one that reads inside brackets is JSON, but no array.
        try {
            Poco::JSON::Parser().parse("[" + request.body + "]");
            throw_bad_request("Request body must be a JSON array.");
        } catch (const Poco::Exception&) {
        }
    }
    if (parsed.type() != typeid(Poco::JSON::Array::Ptr)) {
        const bool empty_object =
            parsed.type() == typeid(Poco::JSON::Object::Ptr) && parsed.extract<Poco::JSON::Object::Ptr>()->size() == 0;
        if (!required && (parsed.isEmpty() || empty_object))
            return std::nullopt;
        throw_bad_request("Request body must be a JSON array.");
    }
    std::vector<std::string> ids;
    const auto items = parsed.extract<Poco::JSON::Array::Ptr>();
    for (std::size_t index = 0; index < items->size(); ++index) {
        const auto item = items->get(static_cast<unsigned>(index));
        if (!item.isString() || !engine::is_uuid(item.toString()))
            throw_wrong_parameter("Request body must only contain valid UUIDs.");
        ids.push_back(item.toString());
    }
    return ids;
}

Handler create_tasks(tasks::EntityKind kind) {
    return [kind](Request& request, Services& services) {
        auto ids = id_list(request, false);
        if (ids && ids->empty())
            ids.reset();
        std::string type_name;
        if (kind == tasks::EntityKind::named) {
            // Python's str.capitalize(): the first letter up, the rest down.
            type_name = request.param("entity_type");
            for (std::size_t i = 0; i < type_name.size(); ++i)
                type_name[i] = i == 0 ? char(std::toupper(static_cast<unsigned char>(type_name[i])))
                                      : char(std::tolower(static_cast<unsigned char>(type_name[i])));
        }
        const auto& caller = request.caller();
        auto connection = services.pool.acquire();
        const std::string& project = request.subject().id;
        if (kind == tasks::EntityKind::concept_sheet) {
            const std::string role = engine::access::effective_role(caller, *connection, project);
            if (role == "vendor" || role == "client")
                throw_forbidden();
        }
        // The query string's episode_id narrows a request for every entity (Zou's criterions).
        auto episode = ids ? std::nullopt : request.query_value("episode_id");
        if (episode && episode->empty())
            episode.reset();
        return json_reply(201, tasks::create_tasks(*connection, caller.person_id, project,
                                                   request.param("task_type_id"), kind, type_name, ids, episode));
    };
}

Reply delete_tasks(Request& request, Services& services) {
    const auto ids = id_list(request, true);
    auto connection = services.pool.acquire();
    engine::storage::DeletedFiles deleted;
    std::string removed = tasks::remove_tasks(*connection, request.caller().person_id, request.subject().id, *ids, deleted);
    engine::storage::remove_deleted_files(services.files, deleted, services.config.remove_files);
    return json_reply(200, std::move(removed));
}

Reply delete_task_type_tasks(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    engine::storage::DeletedFiles deleted;
    tasks::remove_task_type_tasks(*connection, request.caller().person_id, request.param("project_id"),
                                  request.param("task_type_id"), deleted);
    engine::storage::remove_deleted_files(services.files, deleted, services.config.remove_files);
    return no_content();
}

/// The preview folder and file name the task's file tree gives (get_working_folder_path and
/// get_working_file_name in "preview" mode), empty when the tree has no preview template.
tasks::PreviewPath preview_path(engine::db::Connection& c, const std::string& task_id, const std::string& name,
                                long long revision) {
    const auto task = files::task_or_404(c, task_id);
    try {
        filetree::Context context = files::task_context(c, task);
        context.name = name;
        context.revision = revision;
        const auto tree = filetree::load_project_tree(c, task.project_id);
        return {filetree::working_folder_path(tree, "preview", context, "/"),
                filetree::working_file_name(tree, "preview", context)};
    } catch (const filetree::MalformedTree&) {
        return {};
    }
}

Reply to_review(Request& request, Services& services) {
    BodyFields body(request);
    const auto person = body.optional_text("person_id");
    const std::string comment = body.optional_text("comment").value_or("");
    const std::string name = body.optional_text("name").value_or("main");
    const long long revision = body.integer("revision", 1);
    if (revision < 0)
        body.invalid("revision", "Input should be greater than or equal to 0");
    const auto change_status = optional_boolean(request, body, "change_status");
    body.check();
    auto connection = services.pool.acquire();
    const std::string& task_id = request.subject().id;
    const auto path = preview_path(*connection, task_id, name, revision);
    return json_reply(200, tasks::task_to_review(*connection, task_id, person.value_or(request.caller().person_id),
                                                 comment, path, change_status.value_or(true)));
}

/// Managers (and admins) of the production remove any of its comments; the others their own.
Reply delete_comment(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    const auto& comment = request.subject();
    const auto& caller = request.caller();
    tasks::require_comment_removal(*connection, caller, comment.project_id, comment.person_id);
    engine::storage::DeletedFiles deleted;
    tasks::remove_task_comment(*connection, comment.id, deleted);
    engine::storage::remove_deleted_files(services.files, deleted, services.config.remove_files);
    return no_content();
}

} // namespace

RouteList task_batch_routes() {
    const std::string type = "/actions/projects/{project_id}/task-types/{task_type_id}";
    using Kind = tasks::EntityKind;
    return {
        Route{Method::post, type + "/assets/create-tasks", Access::jwt, create_tasks(Kind::asset)}.loads(
            SubjectKind::project, "project_id", Check::manager),
        Route{Method::post, type + "/shots/create-tasks", Access::jwt, create_tasks(Kind::shot)}.loads(
            SubjectKind::project, "project_id", Check::manager),
        Route{Method::post, type + "/edits/create-tasks", Access::jwt, create_tasks(Kind::edit)}.loads(
            SubjectKind::project, "project_id", Check::manager),
        Route{Method::post, type + "/concepts/create-tasks", Access::jwt, create_tasks(Kind::concept_sheet)}.loads(
            SubjectKind::project, "project_id", Check::project_access),
        Route{Method::post, type + "/create-tasks/{entity_type}", Access::jwt, create_tasks(Kind::named)}.loads(
            SubjectKind::project, "project_id", Check::manager),
        Route{Method::post, "/actions/projects/{project_id}/delete-tasks", Access::jwt, delete_tasks}.loads(
            SubjectKind::project, "project_id", Check::manager),
        Route{Method::del, type + "/delete-tasks", Access::admin, delete_task_type_tasks},
        Route{Method::put, "/actions/tasks/{task_id}/to-review", Access::jwt, to_review}.loads(
            SubjectKind::task, "task_id", Check::entity_access),
        Route{Method::del, "/data/tasks/{task_id}/comments/{comment_id}", Access::jwt, delete_comment}.loads(
            SubjectKind::comment, "comment_id"),
    };
}

} // namespace slate::api
