// api/areas/review/preview_actions.cpp: what is done to preview files besides uploading and reading
// them: adding them to comments, deleting them, main previews, positions, annotations, and the
// list of previews still processing (media.md §1.1, §4.4, §8).

#include "api/areas/areas.h"
#include "api/body_fields.h"
#include "api/file_reply.h"
#include "api/job_wait.h"

#include "engine/access.h"
#include "engine/crud/values.h"
#include "engine/config.h"
#include "engine/crud/permissions.h"
#include "engine/db/pool.h"
#include "engine/json.h"
#include "engine/crud/queries.h"
#include "engine/serialize.h"
#include "engine/people/auth_service.h"
#include "api/areas/review/preview_files.h"
#include "engine/review/preview_files.h"
#include "engine/review/preview_lookups.h"
#include "engine/review/preview_rights.h"
#include "engine/storage/deleted_files.h"
#include "engine/uuid.h"
#include "workers/media_jobs.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace slate::api {

/// Zou's answer for a preview synced without its binary.
void refuse_missing_binary() {
    throw Error(ErrorKind::not_found, workers::binary_not_available,
                std::string(R"({"error":")") + workers::binary_not_available + R"("})");
}

void refuse_imported_only(engine::db::Connection& c, const std::string& id) {
    if (engine::queries::preview_imported_only(c, id))
        refuse_missing_binary();
}

namespace {

using engine::db::Connection;

using engine::access::Check;
using engine::access::SubjectKind;

/// A past revision as add_preview_to_comment takes it.
std::optional<long long> revision_of(const engine::access::Subject& preview) {
    return preview.revision ? std::optional<long long>(std::stoll(*preview.revision)) : std::nullopt;
}

/// Loads in the handler: the body is validated before the task is looked up (Zou).
Reply add_preview(Request& request, Services& services) {
    BodyFields body(request);
    const auto revision = body.optional_integer("revision");
    body.check();
    if (revision && *revision < 0)
        body.invalid("revision", "Input should be greater than or equal to 0");
    body.check();
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const std::string task_id = request.param("task_id");
    const auto task = engine::access::load_subject(c, SubjectKind::task, task_id);
    engine::access::check_subject(request.caller(), c, task, Check::task_action_access);
    const std::string id = engine::services::add_preview_to_comment(c, request.param("comment_id"), task_id,
                                                                    request.caller().person_id, revision);
    return json_reply(201, engine::services::preview_file_json(c, id, true));
}

/// The route loads the task and checks task action access.
Reply add_extra_preview(Request& request, Services& services) {
    auto connection = services.pool.acquire(); // the request's connection, shared
    auto& c = *connection;
    const auto related = engine::access::load_subject(c, SubjectKind::preview, request.param("preview_file_id"));
    const std::string id = engine::services::add_preview_to_comment(
        c, request.param("comment_id"), request.param("task_id"), request.caller().person_id, revision_of(related));
    return json_reply(201, engine::services::preview_file_json(c, id, true));
}

/// Loads in the handler: malformed ids are a 400 before any 404 (Zou).
Reply delete_preview(Request& request, Services& services) {
    for (const char* name : {"task_id", "comment_id", "preview_file_id"})
        if (!engine::is_uuid(request.param(name)))
            throw_bad_request("Wrong format for " + std::string(name) + ".");
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const auto task = engine::access::load_subject(c, SubjectKind::task, request.param("task_id"));
    engine::access::check_subject(request.caller(), c, task, Check::project_access);
    engine::access::load_subject(c, SubjectKind::preview, request.param("preview_file_id"));
    engine::storage::DeletedFiles deleted;
    deleted.previews_forced = request.query_value("force") == std::optional<std::string>("true");
    engine::services::remove_preview_file(c, request.param("preview_file_id"), deleted);
    engine::storage::remove_deleted_files(services.files, deleted, services.config.remove_files);
    Reply done;
    done.status = 204;
    return done;
}

std::string frame_payload(const std::string& id, long long frame_number, const std::string& output,
                          bool replace_variants) {
    engine::JsonWriter payload;
    payload.begin_object()
        .field("preview_file_id", id)
        .field("frame_number", static_cast<int64_t>(frame_number))
        .field("output", output)
        .field("replace_variants", replace_variants)
        .end_object();
    return payload.take();
}

/// Clients refused, after project and entity access (Zou's set-main-preview checks).
void refuse_clients(Request& request, Connection& c, const std::string& project_id) {
    if (engine::access::effective_role(request.caller(), c, project_id) == "client")
        throw_forbidden();
}

/// Project and entity access, clients refused (Zou's set-main-preview checks).
void require_main_preview_rights(Request& request, Connection& c, const engine::access::Subject& subject) {
    engine::access::check_subject(request.caller(), c, subject, Check::entity_access);
    refuse_clients(request, c, subject.project_id);
}

/// Loads in the handler: the body is validated before the preview is looked up (Zou).
Reply set_main_preview(Request& request, Services& services) {
    BodyFields body(request);
    const auto frame_number = body.optional_integer("frame_number");
    body.check();
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const auto loaded = engine::access::load_subject(c, SubjectKind::preview, request.param("preview_file_id"));
    require_main_preview_rights(request, c, loaded);
    const std::string preview_id = loaded.id;
    if (frame_number) {
        if (loaded.extension.value_or("") != "mp4")
            throw_wrong_parameter("Can't use a given frame on non movie preview");
        // The frame becomes the preview's pictures, on the worker pool.
        const std::string output = temporary_path(services.config.data_dir, "frame.png");
        const auto job =
            run_job(services.pool, workers::preview_frame_job, frame_payload(preview_id, *frame_number, output, true));
        std::error_code ignored;
        fs::remove(output, ignored);
        if (std::string(job.get(0, "state")) != "done")
            throw_not_found(not_found_message);
    }
    engine::db::Transaction transaction(c);
    std::string entity = engine::services::set_main_preview(c, preview_id);
    transaction.commit();
    return json_reply(200, entity);
}

/// The route loads the task and checks project and entity access.
Reply set_task_main_preview(Request& request, Services& services) {
    auto connection = services.pool.acquire(); // the request's connection, shared
    auto& c = *connection;
    const auto& task = request.subject();
    refuse_clients(request, c, task.project_id);
    const auto preview = engine::queries::last_preview_of_task(c, request.param("task_id"));
    if (!preview)
        throw_wrong_parameter("This task has no preview file to set as the main preview.");
    engine::db::Transaction transaction(c);
    std::string entity = engine::services::set_main_preview(c, *preview);
    transaction.commit();
    return json_reply(200, entity);
}

Reply set_tasks_main_preview(Request& request, Services& services) {
    const auto& body = request.json();
    const auto ids = body.getArray("task_ids");
    if (!ids) { // not uuid_list: a malformed id is the task lookup's 404, not a validation error
        BodyFields fields(request);
        fields.invalid("task_ids", "Field required");
        fields.check();
    }
    auto connection = services.pool.acquire();
    auto& c = *connection;
    engine::JsonWriter out;
    out.begin_array();
    engine::db::Transaction transaction(c);
    for (const auto& id : *ids) {
        const std::string task_id = id.toString();
        require_main_preview_rights(request, c, engine::access::load_subject(c, SubjectKind::task, task_id));
        if (const auto preview = engine::queries::last_preview_of_task(c, task_id))
            out.raw(engine::services::set_main_preview(c, *preview));
    }
    transaction.commit();
    out.end_array();
    return json_reply(200, out.take());
}

/// Loads in the handler: the body is validated before the preview is looked up (Zou).
Reply update_position(Request& request, Services& services) {
    BodyFields body(request);
    const long long position = body.integer("position", -1);
    body.check();
    if (position < 0)
        body.invalid("position", "Input should be greater than or equal to 0");
    body.check();
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const auto preview = engine::access::load_subject(c, SubjectKind::preview, request.param("preview_file_id"));
    engine::access::check_subject(request.caller(), c, preview, Check::task_action_access);
    return json_reply(200, engine::services::update_position(c, preview.id, position));
}

/// The route loads the preview and checks project access.
Reply update_annotations(Request& request, Services& services) {
    auto connection = services.pool.acquire(); // the request's connection, shared
    auto& c = *connection;
    const auto& preview = request.subject();
    const auto& caller = request.caller();
    engine::services::require_annotation_rights(caller, c, preview.project_id, preview.task_type_department);
    BodyFields body(request); // AnnotationsUpdateSchema: three lists, empty by default
    const std::string additions = body.json_list("additions"), updates = body.json_list("updates"),
                      deletions = body.json_list("deletions");
    body.check();
    return json_reply(200, engine::services::update_annotations(c, preview.id, preview.project_id, caller.person_id,
                                                                additions, updates, deletions));
}

/// Serves a file a job wrote, then removes it (Zou's generated responses: no-cache).
Reply generated_png(const Request& request, const std::string& path) {
    if (!fs::exists(path))
        throw_not_found(not_found_message);
    return generated_file_reply(request, path, "image/png", true, fs::path(path).filename().string());
}

Reply extract_frame(Request& request, Services& services) {
    long long frame_number = 0;
    if (const auto given = request.query_value("frame_number")) {
        try {
            frame_number = std::stoll(*given);
        } catch (const std::exception&) {
            throw_bad_request("frame_number must be an integer.");
        }
    }
    std::string id;
    { // released before the job runs: the worker needs connections, the wait does not
        auto connection = services.pool.acquire();
        const auto preview =
            engine::access::load_subject(*connection, SubjectKind::preview, request.param("preview_file_id"));
        engine::crud::require_manager_project_access(request.caller(), *connection, preview.project_id);
        id = preview.id;
        refuse_imported_only(*connection, id);
        if (preview.extension.value_or("") != "mp4")
            throw_not_found(not_found_message);
    }
    const std::string output = temporary_path(services.config.data_dir, id + "-frame.png");
    const auto job = run_job(services.pool, workers::preview_frame_job, frame_payload(id, frame_number, output, false));
    if (std::string(job.get(0, "state")) != "done") {
        std::error_code ignored;
        fs::remove(output, ignored);
        throw_not_found(not_found_message);
    }
    return generated_png(request, output);
}

Reply extract_tile(Request& request, Services& services) {
    std::string id;
    { // released before the job runs: the worker needs connections, the wait does not
        auto connection = services.pool.acquire();
        const auto preview =
            engine::access::load_subject(*connection, SubjectKind::preview, request.param("preview_file_id"));
        engine::access::check_subject(request.caller(), *connection, preview, Check::task_access);
        id = preview.id;
        refuse_imported_only(*connection, id);
        if (preview.extension.value_or("") != "mp4")
            throw_wrong_parameter("Preview file is not a movie");
    }
    const std::string output = temporary_path(services.config.data_dir, id + "-tile.png");
    engine::JsonWriter payload;
    payload.begin_object().field("preview_file_id", id).field("output", output).end_object();
    const auto job = run_job(services.pool, workers::preview_tile_job, payload.take());
    if (std::string(job.get(0, "state")) != "done") {
        std::error_code ignored;
        fs::remove(output, ignored);
        throw_not_found(not_found_message);
    }
    return generated_png(request, output);
}

Reply running_previews(Request& request, Services& services) {
    const auto cursor = request.query_value("cursor_preview_file_id");
    const auto limit_text = request.query_value("limit");
    if (cursor && !engine::is_uuid(*cursor))
        throw_bad_request("The cursor_preview_file_id parameter is not a valid id");
    std::optional<std::string> limit;
    if (limit_text) {
        try {
            limit = std::to_string(std::stoll(*limit_text));
        } catch (const std::exception&) {
            throw_bad_request("limit must be an integer.");
        }
    }
    auto connection = services.pool.acquire();
    auto& c = *connection;
    if (cursor && !engine::queries::preview_exists(c, *cursor))
        throw_bad_request("No preview file found with id: " + *cursor);
    const auto rows = engine::queries::running_preview_files(c, cursor, limit);
    engine::JsonWriter out;
    out.begin_array();
    for (int row = 0; row < rows.rows(); ++row) {
        out.begin_object();
        engine::write_row_fields(out, rows, row, {"entity_id"});
        out.field("type", "PreviewFile");
        out.end_object();
    }
    out.end_array();
    return json_reply(200, out.take());
}

} // namespace

RouteList preview_action_routes() {
    const std::string extra = "/actions/tasks/{task_id}/comments/{comment_id}/preview-files/{preview_file_id}";
    return {
        {Method::post, "/actions/tasks/{task_id}/comments/{comment_id}/add-preview", Access::jwt, add_preview},
        Route{Method::post, extra, Access::jwt, add_extra_preview}.loads(SubjectKind::task, "task_id",
                                                                         Check::task_action_access),
        {Method::del, extra, Access::jwt, delete_preview},
        {Method::put, "/actions/preview-files/{preview_file_id}/set-main-preview", Access::jwt, set_main_preview},
        Route{Method::put, "/actions/tasks/{task_id}/set-main-preview", Access::jwt, set_task_main_preview}.loads(
            SubjectKind::task, "task_id", Check::entity_access),
        {Method::put, "/actions/tasks/set-main-preview", Access::jwt, set_tasks_main_preview},
        {Method::put, "/actions/preview-files/{preview_file_id}/update-position", Access::jwt, update_position},
        Route{Method::put, "/actions/preview-files/{preview_file_id}/update-annotations", Access::jwt,
              update_annotations}
            .loads(SubjectKind::preview, "preview_file_id", Check::project_access),
        {Method::get, "/data/playlists/preview-files/running", Access::admin, running_previews},
        {Method::get, "/actions/preview-files/{preview_file_id}/extract-frame", Access::jwt, extract_frame},
        {Method::get, "/actions/preview-files/{preview_file_id}/extract-tile", Access::jwt, extract_tile},
    };
}

} // namespace slate::api
