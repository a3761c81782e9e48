// api/areas/files/files_paths.cpp: the file-tree routes (filetree.md §1, §5, §7): setting a project's
// tree, rendering working and output paths, reading a path back into entities.

#include "api/areas/areas.h"
#include "api/areas/files/files_common.h"
#include "api/body_fields.h"

#include "engine/access.h"
#include "engine/crud/values.h"
#include "engine/crud/permissions.h"
#include "engine/db/pool.h"
#include "engine/json.h"
#include "engine/uuid.h"
#include "filetree/db/file_records.h"
#include "filetree/db/guess_lookup.h"
#include "filetree/db/tree_store.h"
#include "filetree/error.h"
#include "filetree/render.h"
#include "filetree/shipped.h"

namespace slate::api {
namespace {

using filetree::NamedTable;
using namespace files;

Reply set_file_tree(Request& request, Services& services) {
    const std::string project_id = request.param("project_id");
    BodyFields body(request);
    const std::string tree_name = body.required_text("tree_name");
    body.check();
    auto connection = services.pool.acquire();
    engine::crud::require_manager_project_access(request.caller(), *connection, project_id);
    const auto tree = filetree::shipped_tree_json(tree_name);
    if (!tree)
        throw_wrong_parameter("Selected tree is not available");
    const auto project =
        filetree::set_project_tree_json(*connection, project_id, std::string(*tree), request.caller().person_id);
    if (project.rows() == 0)
        throw_not_found(not_found_message);
    return json_reply(200, filetree::row_json(project, 0, "Project"));
}

Reply working_file_path(Request& request, Services& services) {
    BodyFields body(request);
    const std::string name = body.text("name", "main");
    const std::string mode = body.text("mode", "working");
    const auto software_id = body.optional_text("software_id");
    body.text("comment");
    long long revision = body.integer("revision", 0);
    const std::string sep = body.text("sep", "/");
    body.check();

    auto connection = services.pool.acquire();
    auto& c = *connection;
    // Zou creates its default software before anything else is checked.
    filetree::Record software = filetree::get_or_create_software(c, "3ds Max", "max", ".max");
    const auto task = task_or_404(c, request.param("task_id"));
    engine::access::require_project_access(request.caller(), c, task.project_id);
    engine::access::require_entity_access(request.caller(), c, task.project_id, task.entity.entity.record.id);
    if (software_id && !software_id->empty())
        software = record_or_404(c, NamedTable::software, *software_id);
    if (revision == 0)
        revision = filetree::next_working_revision(c, task.task.id, name);
    try {
        filetree::Context context = task_context(c, task);
        context.software = software;
        context.name = name;
        context.revision = revision;
        const auto tree = filetree::load_project_tree(c, task.project_id);
        const std::string path = filetree::working_folder_path(tree, mode, context, sep);
        const std::string file_name = filetree::working_file_name(tree, mode, context);
        engine::JsonWriter out;
        out.begin_object().field("path", path).field("name", file_name).end_object();
        return json_reply(200, out.take());
    } catch (const filetree::MalformedTree& error) {
        return malformed_tree_reply(request, error.zou_message());
    }
}

/// The body of the output path routes (OutputFilePathSchema).
struct OutputPathBody {
    std::string name, mode, output_type_id, task_type_id, representation, separator;
    long long revision = 0;
};

OutputPathBody read_output_path_body(Request& request) {
    BodyFields body(request);
    OutputPathBody read;
    read.name = body.text("name", "main");
    read.mode = body.text("mode", "output");
    read.output_type_id = body.required_text("output_type_id");
    read.task_type_id = body.required_text("task_type_id");
    read.revision = body.integer("revision", 0);
    body.text("extension");
    read.representation = body.text("representation");
    read.separator = body.text("separator", "/");
    body.check();
    return read;
}

Reply entity_output_file_path(Request& request, Services& services) {
    const OutputPathBody args = read_output_path_body(request);
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const auto entity = entity_or_404(c, request.param("entity_id"));
    engine::access::require_project_access(request.caller(), c, entity.project_id);
    engine::access::require_entity_access(request.caller(), c, entity.project_id, entity.entity.record.id);
    const auto output_type = record_or_404(c, NamedTable::output_type, args.output_type_id);
    const auto task_type = task_type_or_404(c, args.task_type_id);
    const long long revision =
        args.revision != 0 ? args.revision
                           : filetree::next_output_revision(c, {entity.entity.record.id, std::nullopt, std::nullopt,
                                                                output_type.id, task_type.task_type.id, args.name});
    try {
        filetree::Context context;
        context.project = record_or_404(c, NamedTable::project, entity.project_id);
        context.entity = entity.entity;
        context.task_type = task_type.task_type;
        context.department = task_type.department;
        context.output_type = output_type;
        context.name = args.name;
        context.representation = args.representation;
        const auto tree = filetree::load_project_tree(c, entity.project_id);
        // Zou renders the folder with the revision as sent, the file name with the next one.
        context.revision = args.revision;
        const std::string folder = filetree::output_folder_path(tree, args.mode, context, args.separator);
        context.revision = revision;
        const std::string file_name = filetree::output_file_name(tree, args.mode, context);
        engine::JsonWriter out;
        out.begin_object().field("folder_path", folder).field("file_name", file_name).end_object();
        return json_reply(200, out.take());
    } catch (const filetree::MalformedTree& error) {
        return malformed_tree_reply(request, error.zou_message());
    }
}

Reply instance_output_file_path(Request& request, Services& services) {
    const OutputPathBody args = read_output_path_body(request);
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const auto instance = asset_instance_or_404(c, request.param("asset_instance_id"));
    const auto temporal = entity_or_404(c, request.param("temporal_entity_id"));
    const std::string asset_project_id = instance_project_id(c, instance.id);
    const auto output_type = record_or_404(c, NamedTable::output_type, args.output_type_id);
    const auto task_type = task_type_or_404(c, args.task_type_id);
    engine::access::require_project_access(request.caller(), c, asset_project_id);
    engine::access::require_entity_access(request.caller(), c, asset_project_id, instance.asset.record.id);
    try {
        filetree::Context context;
        context.project = record_or_404(c, NamedTable::project, temporal.project_id);
        context.entity = temporal.entity;
        context.instance = instance;
        context.task_type = task_type.task_type;
        context.department = task_type.department;
        context.output_type = output_type;
        context.name = args.name;
        context.representation = args.representation;
        context.revision = args.revision;
        const auto tree = filetree::load_project_tree(c, temporal.project_id);
        const std::string folder = filetree::instance_folder_path(tree, args.mode, context, args.separator);
        const std::string file_name = filetree::instance_file_name(tree, args.mode, context);
        engine::JsonWriter out;
        out.begin_object().field("folder_path", folder).field("file_name", file_name).end_object();
        return json_reply(200, out.take());
    } catch (const filetree::MalformedTree& error) {
        return malformed_tree_reply(request, error.zou_message());
    }
}

Reply guess_from_path(Request& request, Services& services) {
    BodyFields body(request);
    const std::string project_id = body.required_text("project_id");
    const std::string file_path = body.required_text("file_path");
    const std::string sep = body.text("sep", "/");
    body.check();
    auto connection = services.pool.acquire();
    auto& c = *connection;
    if (!engine::is_uuid(project_id))
        throw_forbidden(); // no team has a malformed project
    engine::access::require_project_access(request.caller(), c, project_id);
    if (!filetree::project_exists(c, project_id))
        throw_not_found(not_found_message);
    const auto matches = filetree::guess_entities_from_path(c, project_id, file_path, sep);
    engine::JsonWriter out;
    out.begin_array();
    for (const auto& match : matches) {
        out.begin_object();
        for (const auto& [key, value] : match)
            out.field(key, value);
        out.end_object();
    }
    out.end_array();
    return json_reply(200, out.take());
}

/// The body of the next-revision routes (NextRevisionSchema).
filetree::OutputKey read_next_revision_body(Request& request) {
    BodyFields body(request);
    filetree::OutputKey key;
    key.name = body.text("name", "main");
    key.output_type_id = body.required_text("output_type_id");
    key.task_type_id = body.required_text("task_type_id");
    body.check();
    return key;
}

Reply next_revision_reply(long long revision) {
    engine::JsonWriter out;
    out.begin_object().field("next_revision", static_cast<int64_t>(revision)).end_object();
    return json_reply(200, out.take());
}

Reply entity_next_revision(Request& request, Services& services) {
    filetree::OutputKey key = read_next_revision_body(request);
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const auto entity = entity_or_404(c, request.param("entity_id"));
    record_or_404(c, NamedTable::output_type, key.output_type_id);
    task_type_or_404(c, key.task_type_id);
    engine::access::require_project_access(request.caller(), c, entity.project_id);
    key.entity_id = entity.entity.record.id;
    return next_revision_reply(filetree::next_output_revision(c, key));
}

Reply instance_next_revision(Request& request, Services& services) {
    filetree::OutputKey key = read_next_revision_body(request);
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const auto instance = asset_instance_or_404(c, request.param("asset_instance_id"));
    const std::string project_id = instance_project_id(c, instance.id);
    record_or_404(c, NamedTable::output_type, key.output_type_id);
    task_type_or_404(c, key.task_type_id);
    engine::access::require_project_access(request.caller(), c, project_id);
    const std::string temporal_entity_id = request.param("temporal_entity_id");
    key.entity_id = instance.asset.record.id;
    key.asset_instance_id = instance.id;
    // A malformed temporal entity id names no output: the numbering starts over.
    key.temporal_entity_id =
        engine::is_uuid(temporal_entity_id) ? temporal_entity_id : "00000000-0000-0000-0000-000000000000";
    return next_revision_reply(filetree::next_output_revision(c, key));
}

} // namespace

RouteList file_path_routes() {
    const std::string instance = "/data/asset-instances/{asset_instance_id}/entities/{temporal_entity_id}";
    return {
        {Method::post, "/actions/projects/{project_id}/set-file-tree", Access::jwt, set_file_tree},
        {Method::post, "/data/tasks/{task_id}/working-file-path", Access::jwt, working_file_path},
        {Method::post, "/data/entities/{entity_id}/output-file-path", Access::jwt, entity_output_file_path},
        {Method::post, instance + "/output-file-path", Access::jwt, instance_output_file_path},
        {Method::post, "/data/entities/guess-from-path", Access::jwt, guess_from_path},
        {Method::post, "/data/entities/guess_from_path", Access::jwt, guess_from_path},
        {Method::post, "/data/entities/{entity_id}/output-files/next-revision", Access::jwt, entity_next_revision},
        {Method::post, instance + "/output-files/next-revision", Access::jwt, instance_next_revision},
    };
}

} // namespace slate::api
