// api/areas/review/preview_actions.cpp: what is done to preview files besides uploading and reading
// them: adding them to comments, deleting them, main previews, positions, annotations, and the
// list of previews still processing (media.md §1.1, §4.4, §8).

#include "api/areas/areas.h"
#include "api/body_fields.h"
#include "api/file_reply.h"
#include "api/job_wait.h"

#include "engine/access.h"
#include "engine/config.h"
#include "engine/crud/permissions.h"
#include "engine/db/pool.h"
#include "engine/json.h"
#include "engine/crud/queries.h"
#include "engine/serialize.h"
#include "engine/people/auth_service.h"
#include "api/areas/review/preview_files.h"
#include "engine/review/preview_files.h"
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
    if (c.exec("SELECT 1 FROM preview_file WHERE id = $1::uuid AND (data->>'imported_only')::boolean", {id}).rows())
        refuse_missing_binary();
}

namespace {

using engine::db::Connection;

struct PreviewFacts {
    std::string id, task_id, project_id, entity_id, extension, task_type_department;
    std::optional<std::string> revision;
};

PreviewFacts preview_or_404(Connection& c, const std::string& id) {
    if (!engine::is_uuid(id))
        throw_not_found(not_found_message);
    const auto row = c.exec(R"(SELECT p.id, p.task_id, p.revision, p.extension, t.project_id, t.entity_id,
            tt.department_id FROM preview_file p JOIN task t ON t.id = p.task_id
        JOIN task_type tt ON tt.id = t.task_type_id WHERE p.id = $1::uuid)",
                            {id});
    if (row.rows() == 0)
        throw_not_found(not_found_message);
    return {std::string(row.get(0, "id")), std::string(row.get(0, "task_id")), std::string(row.get(0, "project_id")),
            std::string(row.get(0, "entity_id")), row.optional(0, "extension").value_or(""),
            row.optional(0, "department_id").value_or(""), row.optional(0, "revision")};
}

/// A task's project and entity, or 404.
std::pair<std::string, std::string> task_or_404(Connection& c, const std::string& id) {
    if (!engine::is_uuid(id))
        throw_not_found(not_found_message);
    const auto row = c.exec("SELECT project_id, entity_id FROM task WHERE id = $1::uuid", {id});
    if (row.rows() == 0)
        throw_not_found(not_found_message);
    return {std::string(row.get(0, "project_id")), std::string(row.get(0, "entity_id"))};
}

Reply add_preview(Request& request, Services& services) {
    BodyFields body(request);
    const auto revision = body.optional_integer("revision");
    body.check();
    if (revision && *revision < 0) {
        throw Error(ErrorKind::bad_request, "Validation error.",
                    R"({"error":true,"message":"Validation error.","data":{"errors":[{"field":"revision",)"
                    R"("message":"Input should be greater than or equal to 0"}]}})");
    }
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const std::string task_id = request.param("task_id");
    task_or_404(c, task_id);
    engine::access::require_task_action_access(request.caller(), c, task_id);
    return json_reply(201, engine::services::add_preview_to_comment(
                               c, request.param("comment_id"), task_id, request.caller().person_id, revision));
}

Reply add_extra_preview(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const std::string task_id = request.param("task_id");
    task_or_404(c, task_id);
    engine::access::require_task_action_access(request.caller(), c, task_id);
    const auto related = preview_or_404(c, request.param("preview_file_id"));
    return json_reply(201, engine::services::add_preview_to_comment(
                               c, request.param("comment_id"), task_id, request.caller().person_id,
                               related.revision ? std::optional<long long>(std::stoll(*related.revision))
                                                : std::nullopt));
}

Reply delete_preview(Request& request, Services& services) {
    for (const char* name : {"task_id", "comment_id", "preview_file_id"})
        if (!engine::is_uuid(request.param(name)))
            throw_bad_request("Wrong format for " + std::string(name) + ".");
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const auto task = task_or_404(c, request.param("task_id"));
    engine::access::require_project_access(request.caller(), c, task.first);
    preview_or_404(c, request.param("preview_file_id"));
    const bool force = request.query_value("force") == std::optional<std::string>("true");
    engine::services::remove_preview_file(c, services.files, request.param("preview_file_id"),
                                          force || services.config.remove_files);
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

/// Project and entity access, clients refused (Zou's set-main-preview checks).
void require_main_preview_rights(Request& request, Connection& c, const std::string& project_id,
                                 const std::string& entity_id) {
    engine::access::require_project_access(request.caller(), c, project_id);
    engine::access::require_entity_access(request.caller(), c, project_id, entity_id);
    if (engine::access::effective_role(request.caller(), c, project_id) == "client")
        throw_forbidden();
}

Reply set_main_preview(Request& request, Services& services) {
    BodyFields body(request);
    const auto frame_number = body.optional_integer("frame_number");
    body.check();
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const auto preview = preview_or_404(c, request.param("preview_file_id"));
    require_main_preview_rights(request, c, preview.project_id, preview.entity_id);
    if (frame_number) {
        if (preview.extension != "mp4")
            throw_bad_request("Can't use a given frame on non movie preview");
        // The frame becomes the preview's pictures, on the worker pool.
        const std::string output = temporary_path(services.config.data_dir, "frame.png");
        const auto job = run_job(services.pool, workers::preview_frame_job,
                                 frame_payload(preview.id, *frame_number, output, true));
        std::error_code ignored;
        fs::remove(output, ignored);
        if (std::string(job.get(0, "state")) != "done")
            throw_not_found(not_found_message);
    }
    engine::db::Transaction transaction(c);
    std::string entity = engine::services::set_main_preview(c, preview.id);
    transaction.commit();
    return json_reply(200, entity);
}

/// The task's last preview: highest revision, then the earliest created.
std::optional<std::string> last_preview_of_task(Connection& c, const std::string& task_id) {
    const auto row = c.exec(R"(SELECT id FROM preview_file WHERE task_id = $1::uuid
                               ORDER BY revision DESC NULLS LAST, created_at LIMIT 1)",
                            {task_id});
    return row.rows() ? std::optional<std::string>(std::string(row.get(0, "id"))) : std::nullopt;
}

Reply set_task_main_preview(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const std::string task_id = request.param("task_id");
    const auto task = task_or_404(c, task_id);
    require_main_preview_rights(request, c, task.first, task.second);
    const auto preview = last_preview_of_task(c, task_id);
    if (!preview)
        throw_bad_request("This task has no preview file to set as the main preview.");
    engine::db::Transaction transaction(c);
    std::string entity = engine::services::set_main_preview(c, *preview);
    transaction.commit();
    return json_reply(200, entity);
}

Reply set_tasks_main_preview(Request& request, Services& services) {
    const auto& body = request.json();
    const auto ids = body.getArray("task_ids");
    if (!ids)
        throw Error(ErrorKind::bad_request, "Validation error.",
                    R"({"error":true,"message":"Validation error.","data":{"errors":[{"field":"task_ids",)"
                    R"("message":"Field required"}]}})");
    auto connection = services.pool.acquire();
    auto& c = *connection;
    std::string out = "[";
    engine::db::Transaction transaction(c);
    for (const auto& id : *ids) {
        const std::string task_id = id.toString();
        const auto task = task_or_404(c, task_id);
        require_main_preview_rights(request, c, task.first, task.second);
        if (const auto preview = last_preview_of_task(c, task_id))
            out += (out.size() > 1 ? ", " : "") + engine::services::set_main_preview(c, *preview);
    }
    transaction.commit();
    return json_reply(200, out + "]");
}

Reply update_position(Request& request, Services& services) {
    BodyFields body(request);
    const long long position = body.integer("position", -1);
    body.check();
    if (position < 0)
        throw Error(ErrorKind::bad_request, "Validation error.",
                    R"({"error":true,"message":"Validation error.","data":{"errors":[{"field":"position",)"
                    R"("message":"Input should be greater than or equal to 0"}]}})");
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const auto preview = preview_or_404(c, request.param("preview_file_id"));
    engine::access::require_task_action_access(request.caller(), c, preview.task_id);
    return json_reply(200, engine::services::update_position(c, preview.id, position));
}

std::string list_json(const Poco::JSON::Object& body, const char* name) {
    if (!body.has(name) || body.isNull(name))
        return "[]";
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(body.get(name), out);
    return out.str();
}

Reply update_annotations(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const auto preview = preview_or_404(c, request.param("preview_file_id"));
    const auto& caller = request.caller();
    engine::access::require_project_access(caller, c, preview.project_id);
    const std::string role = engine::access::effective_role(caller, c, preview.project_id);
    bool allowed = role == "admin" || role == "manager" || role == "client";
    if (!allowed && role == "supervisor") {
        const auto departments = c.exec("SELECT department_id::text FROM department_link WHERE person_id = $1::uuid",
                                         {caller.person_id});
        allowed = departments.rows() == 0;
        for (int row = 0; row < departments.rows() && !allowed; ++row)
            allowed = std::string(departments.get(row, 0)) == preview.task_type_department;
    }
    if (!allowed)
        throw_forbidden();
    const auto& body = request.json();
    return json_reply(200, engine::services::update_annotations(c, preview.id, preview.project_id, caller.person_id,
                                                                list_json(body, "additions"), list_json(body, "updates"),
                                                                list_json(body, "deletions")));
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
    {
        auto connection = services.pool.acquire();
        const auto preview = preview_or_404(*connection, request.param("preview_file_id"));
        engine::crud::require_manager_project_access(request.caller(), *connection, preview.project_id);
        refuse_imported_only(*connection, preview.id);
        if (preview.extension != "mp4")
            throw_not_found(not_found_message);
        id = preview.id;
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
    {
        auto connection = services.pool.acquire();
        const auto preview = preview_or_404(*connection, request.param("preview_file_id"));
        engine::access::require_task_access(request.caller(), *connection, preview.project_id, preview.entity_id);
        refuse_imported_only(*connection, preview.id);
        if (preview.extension != "mp4")
            throw_bad_request("Preview file is not a movie");
        id = preview.id;
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
    if (cursor && c.exec("SELECT 1 FROM preview_file WHERE id = $1::uuid", {*cursor}).rows() == 0)
        throw_bad_request("No preview file found with id: " + *cursor);
    const auto rows = c.exec(R"(SELECT p.*, t.project_id, t.task_type_id, t.entity_id,
            CASE WHEN et.name = 'Shot' THEN concat_ws(' / ', ep.name, s.name, e.name)
                 WHEN et.name IN ('Sequence') THEN concat_ws(' / ', s.name, e.name)
                 WHEN et.name = 'Episode' THEN e.name
                 ELSE et.name || ' / ' || e.name END AS full_entity_name
        FROM preview_file p JOIN task t ON t.id = p.task_id JOIN project pr ON pr.id = t.project_id
        JOIN project_status ps ON ps.id = pr.project_status_id
        JOIN entity e ON e.id = t.entity_id JOIN entity_type et ON et.id = e.entity_type_id
        LEFT JOIN entity s ON s.id = e.parent_id LEFT JOIN entity ep ON ep.id = s.parent_id
        WHERE ps.name IN ('Active', 'open', 'Open') AND p.status IN ('broken', 'missing', 'processing')
          AND ($1::uuid IS NULL OR p.created_at < (SELECT created_at FROM preview_file WHERE id = $1::uuid))
        ORDER BY p.created_at DESC LIMIT $2::bigint)",
                             {cursor, limit});
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
        {Method::post, extra, Access::jwt, add_extra_preview},
        {Method::del, extra, Access::jwt, delete_preview},
        {Method::put, "/actions/preview-files/{preview_file_id}/set-main-preview", Access::jwt, set_main_preview},
        {Method::put, "/actions/tasks/{task_id}/set-main-preview", Access::jwt, set_task_main_preview},
        {Method::put, "/actions/tasks/set-main-preview", Access::jwt, set_tasks_main_preview},
        {Method::put, "/actions/preview-files/{preview_file_id}/update-position", Access::jwt, update_position},
        {Method::put, "/actions/preview-files/{preview_file_id}/update-annotations", Access::jwt, update_annotations},
        {Method::get, "/data/playlists/preview-files/running", Access::admin, running_previews},
        {Method::get, "/actions/preview-files/{preview_file_id}/extract-frame", Access::jwt, extract_frame},
        {Method::get, "/actions/preview-files/{preview_file_id}/extract-tile", Access::jwt, extract_tile},
    };
}

} // namespace slate::api
