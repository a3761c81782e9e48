// api/areas/files/files_records.cpp: working and output file records (Zou's files blueprint): new
// revisions with their paths, listings, last revisions, and a working file's content.

#include "api/areas/areas.h"
#include "api/areas/files/files_common.h"
#include "api/body_fields.h"
#include "api/file_reply.h"
#include "api/multipart.h"

#include "engine/access.h"
#include "engine/crud/crud_service.h"
#include "engine/crud/permissions.h"
#include "engine/crud/row_json.h"
#include "engine/db/pool.h"
#include "engine/json.h"
#include "engine/people/person_queries.h"
#include "engine/serialize.h"
#include "engine/storage/file_store.h"
#include "engine/uuid.h"
#include "filetree/db/file_records.h"
#include "filetree/error.h"
#include "filetree/render.h"

namespace slate::api {
namespace {

using engine::db::Connection;
using filetree::NamedTable;
using namespace files;

const std::string no_id = "00000000-0000-0000-0000-000000000000";

/// A JSON error of the shape the files routes use: {"error": msg} or {"message": msg}.
[[noreturn]] void refuse(const char* key, const std::string& message) {
    engine::JsonWriter body;
    body.begin_object().field(key, message).end_object();
    throw Error(ErrorKind::bad_request, message, body.take());
}

engine::db::Result working_file_or_404(Connection& c, const std::string& id) {
    auto file = filetree::get_working_file(c, id);
    if (file.rows() == 0)
        throw_not_found(not_found_message);
    return file;
}

/// check_task_access on the task of a working file; answers the file.
engine::db::Result accessible_working_file(Request& request, Connection& c, const std::string& id) {
    auto file = working_file_or_404(c, id);
    const auto task = task_or_404(c, std::string(file.get(0, "task_id")));
    engine::access::require_task_access(request.caller(), c, task.project_id, task.entity.entity.record.id);
    return file;
}

bool person_exists(Connection& c, const std::string& id) {
    return engine::queries::person_exists(c, id);
}

// --- working files --------------------------------------------------------------------------

Reply new_working_file(Request& request, Services& services) {
    BodyFields body(request);
    filetree::NewWorkingFile file;
    file.name = body.required_text("name");
    const std::string mode = body.text("mode", "working");
    file.comment = body.text("comment");
    const auto person_id = body.optional_text("person_id");
    const auto software_id = body.optional_text("software_id");
    file.revision = body.integer("revision", 0);
    const std::string sep = body.text("sep", "/");
    body.check();

    auto connection = services.pool.acquire();
    auto& c = *connection;
    const auto& caller = request.caller();
    file.author_id = caller.person_id;
    file.person_id = person_id && !person_id->empty() ? *person_id : caller.person_id;
    filetree::Record software = software_id && !software_id->empty()
                                    ? filetree::Record{}
                                    : filetree::get_or_create_software(c, "Blender", "blender", ".blend");
    const auto task = task_or_404(c, request.param("task_id"));
    engine::access::require_project_access(caller, c, task.project_id);
    engine::access::require_entity_access(caller, c, task.project_id, task.entity.entity.record.id);
    if (software_id && !software_id->empty())
        software = record_or_404(c, NamedTable::software, *software_id);
    if (!person_exists(c, file.person_id))
        refuse("error", "Cannot find given person.");

    filetree::Context context;
    context.project = record_or_404(c, NamedTable::project, task.project_id);
    context.entity = task.entity.entity;
    context.task = task.task;
    context.task_type = task.task_type;
    context.department = task.department;
    context.software = software;
    context.name = file.name;
    std::optional<filetree::FileTree> tree;
    try {
        tree = filetree::load_project_tree(c, task.project_id);
        // Rendered once before anything is written, so that a tree that cannot serve this
        // path changes nothing (Zou assigned the task, then failed with a 500).
        context.revision = file.revision ? file.revision : 1;
        filetree::working_folder_path(*tree, mode, context);
        filetree::working_file_name(*tree, mode, context);
    } catch (const filetree::MalformedTree& error) {
        refuse("error", error.zou_message());
    }
    filetree::assign_task_to(c, task.task.id, task.project_id, caller.person_id);

    file.task_id = task.task.id;
    file.entity_id = task.entity.entity.record.id;
    file.project_id = task.project_id;
    file.software_id = software.id;
    // The folder is rendered with "/" and joined to the name with `sep`, as Zou does.
    const auto id = filetree::create_working_file(c, file, [&](long long revision) {
        context.revision = revision;
        return filetree::working_folder_path(*tree, mode, context) + sep +
               filetree::working_file_name(*tree, mode, context);
    });
    if (!id)
        refuse("error", "The given working file already exists.");
    return json_reply(201, filetree::row_json(filetree::get_working_file(c, *id), 0, "WorkingFile"));
}

/// The route loads the task and checks task access.
Reply task_working_files(Request& request, Services& services) {
    auto connection = services.pool.acquire(); // the request's connection, shared
    return json_reply(
        200, filetree::rows_json(filetree::working_files_of_task(*connection, request.subject().id), "WorkingFile"));
}

/// The route loads the task and checks task access.
Reply last_working_files(Request& request, Services& services) {
    auto connection = services.pool.acquire(); // the request's connection, shared
    const auto files = filetree::last_working_files_of_task(*connection, request.subject().id);
    engine::JsonWriter out;
    out.begin_object();
    for (int row = 0; row < files.rows(); ++row)
        out.key(files.optional(row, "name").value_or("None")).raw(filetree::row_json(files, row, "WorkingFile"));
    out.end_object();
    return json_reply(200, out.take());
}

/// The route loads the entity and checks project access.
Reply entity_working_files(Request& request, Services& services) {
    auto connection = services.pool.acquire(); // the request's connection, shared
    const auto files = filetree::working_files_of_entity(*connection, request.subject().id,
                                                         request.query_value("task_id"), request.query_value("name"));
    return json_reply(200, filetree::rows_json(files, "WorkingFile"));
}

/// PUT …/comment and …/modified: check_task_action_access on the file's task.
Reply touch_working_file(Request& request, Services& services, bool comment) {
    std::optional<std::string> text;
    if (comment) {
        BodyFields body(request);
        text = body.required_text("comment");
        body.check();
    }
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const auto file = working_file_or_404(c, request.param("working_file_id"));
    engine::access::require_task_action_access(request.caller(), c, std::string(file.get(0, "task_id")));
    const auto updated = filetree::touch_working_file(c, std::string(file.get(0, "id")), text);
    return json_reply(200, filetree::row_json(updated, 0, "WorkingFile"));
}

Reply download_working_file(Request& request, Services& services) {
    const std::string id = request.param("working_file_id");
    {
        auto connection = services.pool.acquire();
        accessible_working_file(request, *connection, id);
    }
    const auto path = services.files.find(engine::storage::Bucket::files, engine::storage::make_key("working", id));
    if (!path)
        throw Error(ErrorKind::not_found, "Working file not found for: " + id);
    Reply reply = file_reply(request, *path, "application/octet-stream", "public, max-age=604800");
    reply.headers.emplace_back("Content-Disposition", "inline; filename=\"\"");
    return reply;
}

Reply upload_working_file(Request& request, Services& services) {
    const std::string id = request.param("working_file_id");
    auto connection = services.pool.acquire();
    const auto file = accessible_working_file(request, *connection, id);
    const auto part = uploaded_file(request);
    if (!part)
        throw_bad_request("File not provided.");
    services.files.move_in(engine::storage::Bucket::files, engine::storage::make_key("working", id), part->path);
    return json_reply(201, filetree::row_json(file, 0, "WorkingFile"));
}

// --- output files ---------------------------------------------------------------------------

/// The body of both output-files/new routes (NewOutputFileSchema).
struct NewOutputBody {
    filetree::NewOutputFile file;
    std::optional<std::string> person_id;
    std::string sep;
};

NewOutputBody read_new_output_body(Request& request) {
    BodyFields body(request);
    NewOutputBody read;
    auto& file = read.file;
    file.key.name = body.text("name", "main");
    body.text("mode", "output"); // always "output", whatever is sent
    file.key.output_type_id = body.required_text("output_type_id");
    file.key.task_type_id = body.required_text("task_type_id");
    read.person_id = body.optional_text("person_id");
    file.working_file_id = body.optional_text("working_file_id");
    file.comment = body.text("comment");
    file.revision = body.integer("revision", 0);
    file.extension = body.text("extension");
    file.representation = body.text("representation");
    file.nb_elements = body.integer("nb_elements", 1);
    read.sep = body.text("sep", "/");
    file.file_status_id = body.optional_text("file_status_id");
    body.check();
    return read;
}

/// Fills the parts of a new output file both routes share: source working file (ignored when
/// unknown), output type, task type, person, file status. `key` names the error key.
filetree::LoadedTaskType check_new_output(Request& request, Connection& c, NewOutputBody& body,
                                          filetree::Record& output_type, const char* key) {
    auto& file = body.file;
    if (file.working_file_id && filetree::get_working_file(c, *file.working_file_id).rows() == 0)
        file.working_file_id.reset();
    const auto found_type = filetree::load_record(c, NamedTable::output_type, file.key.output_type_id);
    if (!found_type)
        refuse(key, "Cannot find given output type.");
    output_type = *found_type;
    auto task_type = task_type_or_404(c, file.key.task_type_id);
    file.person_id = body.person_id ? *body.person_id : request.caller().person_id;
    if (!person_exists(c, file.person_id))
        refuse(key, "Cannot find given person.");
    if (file.file_status_id && !file.file_status_id->empty() && !filetree::file_status_exists(c, *file.file_status_id))
        refuse(key, "Cannot find given file status.");
    file.author_id = request.caller().person_id;
    return task_type;
}

/// The created row with its folder_path and file_name.
Reply created_output(Connection& c, const std::string& id, const std::string& folder, const std::string& name) {
    const auto row = filetree::get_output_file(c, id);
    return json_reply(201, engine::crud::serialize_row(c, "output-files", row, 0, [&](engine::JsonWriter& out) {
                          out.field("folder_path", folder).field("file_name", name);
                      }));
}

Reply new_entity_output_file(Request& request, Services& services) {
    NewOutputBody body = read_new_output_body(request);
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const auto entity = entity_or_404(c, request.param("entity_id"));
    engine::access::require_project_access(request.caller(), c, entity.project_id);
    filetree::Record output_type;
    const auto task_type = check_new_output(request, c, body, output_type, "error");
    auto& file = body.file;
    file.key.entity_id = entity.entity.record.id;
    file.project_id = entity.project_id;

    filetree::Context context;
    context.project = record_or_404(c, NamedTable::project, entity.project_id);
    context.entity = entity.entity;
    context.task_type = task_type.task_type;
    context.department = task_type.department;
    context.output_type = output_type;
    context.name = file.key.name;
    context.representation = file.representation;
    std::string folder, name;
    std::optional<std::string> id;
    try {
        const auto tree = filetree::load_project_tree(c, entity.project_id);
        id = filetree::create_output_file(c, file, [&](long long revision) {
            context.revision = revision;
            folder = filetree::output_folder_path(tree, "output", context, body.sep);
            name = filetree::output_file_name(tree, "output", context, static_cast<int>(file.nb_elements));
            return folder + body.sep + name + file.extension;
        });
    } catch (const filetree::MalformedTree& error) {
        refuse("error", error.zou_message());
    }
    if (!id)
        refuse("error", "The given output file already exists.");
    return created_output(c, *id, folder, name);
}

Reply new_instance_output_file(Request& request, Services& services) {
    NewOutputBody body = read_new_output_body(request);
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const auto instance = asset_instance_or_404(c, request.param("asset_instance_id"));
    const auto temporal = entity_or_404(c, request.param("temporal_entity_id"));
    const std::string project_id = instance_project_id(c, instance.id);
    engine::access::require_project_access(request.caller(), c, project_id);
    filetree::Record output_type;
    const auto task_type = check_new_output(request, c, body, output_type, "message");
    auto& file = body.file;
    file.key.entity_id = instance.asset.record.id;
    file.key.asset_instance_id = instance.id;
    file.key.temporal_entity_id = temporal.entity.record.id;
    file.project_id = project_id;

    filetree::Context context;
    context.project = record_or_404(c, NamedTable::project, temporal.project_id);
    context.entity = temporal.entity;
    context.instance = instance;
    context.task_type = task_type.task_type;
    context.department = task_type.department;
    context.output_type = output_type;
    context.name = file.key.name;
    context.representation = file.representation;
    std::string folder, name;
    std::optional<std::string> id;
    try {
        const auto tree = filetree::load_project_tree(c, temporal.project_id);
        id = filetree::create_output_file(c, file, [&](long long revision) {
            context.revision = revision;
            folder = filetree::instance_folder_path(tree, "output", context, body.sep);
            name = filetree::instance_file_name(tree, "output", context);
            return folder + body.sep + name + file.extension;
        });
    } catch (const filetree::MalformedTree& error) {
        // A tree without an instance template: Zou fails with a KeyError (500) after storing
        // the file; Slate stores nothing and says what is missing.
        refuse("message", error.zou_message().empty() ? std::string(error.what()) : error.zou_message());
    }
    if (!id)
        refuse("message", "The given output file already exists.");
    return created_output(c, *id, folder, name);
}

filetree::OutputFilters query_filters(const Request& request) {
    filetree::OutputFilters filters;
    filters.task_type_id = request.query_value("task_type_id");
    filters.output_type_id = request.query_value("output_type_id");
    filters.name = request.query_value("name");
    filters.representation = request.query_value("representation");
    filters.file_status_id = request.query_value("file_status_id");
    return filters;
}

/// OutputFile.serialize() of each row: with its source working file.
Reply output_files_reply(Connection& c, const engine::db::Result& rows) {
    return json_reply(200, engine::crud::serialize_rows(c, "output-files", rows));
}

/// An asset instance whose asset's project the caller may access.
filetree::AssetInstance accessible_instance(Request& request, Connection& c) {
    auto instance = asset_instance_or_404(c, request.param("asset_instance_id"));
    engine::access::require_project_access(request.caller(), c, instance_project_id(c, instance.id));
    return instance;
}

/// A path's temporal entity id; a malformed one names nothing.
std::string temporal_entity_param(const Request& request) {
    const std::string id = request.param("temporal_entity_id");
    return engine::is_uuid(id) ? id : no_id;
}

// The entity routes below load the entity and check project access on their row.

Reply entity_output_files(Request& request, Services& services) {
    auto connection = services.pool.acquire(); // the request's connection, shared
    return output_files_reply(
        *connection, filetree::output_files_of_entity(*connection, request.subject().id, query_filters(request)));
}

Reply entity_last_output_files(Request& request, Services& services) {
    auto connection = services.pool.acquire(); // the request's connection, shared
    return output_files_reply(
        *connection, filetree::last_output_files_of_entity(*connection, request.subject().id, query_filters(request)));
}

Reply entity_output_types(Request& request, Services& services) {
    auto connection = services.pool.acquire(); // the request's connection, shared
    return json_reply(200, filetree::rows_json(
                               filetree::output_types_of(*connection, request.subject().id, std::nullopt, std::nullopt),
                               "OutputType"));
}

Reply entity_output_type_files(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const auto entity = entity_or_404(c, request.param("entity_id"));
    const auto output_type = record_or_404(c, NamedTable::output_type, request.param("output_type_id"));
    engine::access::require_project_access(request.caller(), c, entity.project_id);
    filetree::OutputKey where;
    where.entity_id = entity.entity.record.id;
    where.output_type_id = output_type.id;
    return output_files_reply(c, filetree::output_files_of_type(c, where, request.query_value("representation")));
}

Reply instance_output_files(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    const auto instance = accessible_instance(request, *connection);
    return output_files_reply(*connection, filetree::output_files_of_instance(
        *connection, instance.id, request.query_value("temporal_entity_id"), query_filters(request)));
}

Reply instance_last_output_files(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    const auto instance = accessible_instance(request, *connection);
    return output_files_reply(*connection, filetree::last_output_files_of_instance(
        *connection, instance.id, temporal_entity_param(request), query_filters(request)));
}

Reply instance_output_types(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    const auto instance = accessible_instance(request, *connection);
    return json_reply(200, filetree::rows_json(filetree::output_types_of(*connection, instance.asset.record.id,
                                                                         instance.id, temporal_entity_param(request)),
                                               "OutputType"));
}

Reply instance_output_type_files(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const auto instance = accessible_instance(request, c);
    const auto output_type = record_or_404(c, NamedTable::output_type, request.param("output_type_id"));
    filetree::OutputKey where;
    where.entity_id = instance.asset.record.id;
    where.asset_instance_id = instance.id;
    where.temporal_entity_id = temporal_entity_param(request);
    where.output_type_id = output_type.id;
    return output_files_reply(c, filetree::output_files_of_type(c, where, request.query_value("representation")));
}

Reply project_output_files(Request& request, Services& services) {
    const std::string project_id = request.param("project_id");
    auto connection = services.pool.acquire();
    engine::crud::require_manager_project_access(request.caller(), *connection, project_id);
    if (!engine::is_uuid(project_id))
        return json_reply(200, "[]");
    return output_files_reply(*connection, filetree::output_files_of_project(*connection, project_id, query_filters(request)));
}

/// GET /data/files/{id}: a working file, else an output file.
Reply get_file(Request& request, Services& services) {
    const std::string id = request.param("file_id");
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const auto working = filetree::get_working_file(c, id);
    if (working.rows()) {
        const auto task = task_or_404(c, std::string(working.get(0, "task_id")));
        engine::access::require_project_access(request.caller(), c, task.project_id);
        // files_service.get_working_file: serialize(relations=True), with its outputs.
        return json_reply(200, engine::crud::serialize_by_id(c, "working-files", id, true));
    }
    const auto output = filetree::get_output_file(c, id);
    if (output.rows() == 0)
        throw_not_found(not_found_message);
    const auto entity = entity_or_404(c, output.optional(0, "entity_id").value_or(""));
    engine::access::require_project_access(request.caller(), c, entity.project_id);
    return json_reply(200, engine::crud::serialize_row(c, "output-files", output, 0));
}

} // namespace

RouteList file_record_routes() {
    const std::string instance = "/data/asset-instances/{asset_instance_id}/entities/{temporal_entity_id}";
    using engine::access::Check;
    using engine::access::SubjectKind;
    auto comment = [](Request& r, Services& s) { return touch_working_file(r, s, true); };
    auto modified = [](Request& r, Services& s) { return touch_working_file(r, s, false); };
    return {
        {Method::post, "/data/tasks/{task_id}/working-files/new", Access::jwt, new_working_file},
        Route{Method::get, "/data/tasks/{task_id}/working-files", Access::jwt, task_working_files}.loads(
            SubjectKind::task, "task_id", Check::task_access),
        Route{Method::get, "/data/tasks/{task_id}/working-files/last-revisions", Access::jwt, last_working_files}.loads(
            SubjectKind::task, "task_id", Check::task_access),
        Route{Method::get, "/data/entities/{entity_id}/working-files", Access::jwt, entity_working_files}.loads(
            SubjectKind::entity, "entity_id", Check::project_access),
        {Method::put, "/actions/working-files/{working_file_id}/comment", Access::jwt, comment},
        {Method::put, "/actions/working-files/{working_file_id}/modified", Access::jwt, modified},
        {Method::get, "/data/working-files/{working_file_id}/file", Access::jwt, download_working_file},
        {Method::post, "/data/working-files/{working_file_id}/file", Access::jwt, upload_working_file},
        {Method::post, "/data/entities/{entity_id}/output-files/new", Access::jwt, new_entity_output_file},
        {Method::post, instance + "/output-files/new", Access::jwt, new_instance_output_file},
        Route{Method::get, "/data/entities/{entity_id}/output-files", Access::jwt, entity_output_files}.loads(
            SubjectKind::entity, "entity_id", Check::project_access),
        Route{Method::get, "/data/entities/{entity_id}/output-files/last-revisions", Access::jwt,
              entity_last_output_files}
            .loads(SubjectKind::entity, "entity_id", Check::project_access),
        Route{Method::get, "/data/entities/{entity_id}/output-types", Access::jwt, entity_output_types}.loads(
            SubjectKind::entity, "entity_id", Check::project_access),
        {Method::get, "/data/entities/{entity_id}/output-types/{output_type_id}/output-files", Access::jwt,
         entity_output_type_files},
        {Method::get, "/data/asset-instances/{asset_instance_id}/output-files", Access::jwt, instance_output_files},
        {Method::get, instance + "/output-files/last-revisions", Access::jwt, instance_last_output_files},
        {Method::get, instance + "/output-types", Access::jwt, instance_output_types},
        {Method::get, instance + "/output-types/{output_type_id}/output-files", Access::jwt,
         instance_output_type_files},
        {Method::get, "/data/projects/{project_id}/output-files", Access::jwt, project_output_files},
        {Method::get, "/data/files/{file_id}", Access::jwt, get_file},
    };
}

} // namespace slate::api
