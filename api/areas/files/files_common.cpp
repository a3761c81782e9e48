#include "api/areas/files/files_common.h"

#include "api/request.h"
#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/json.h"

namespace slate::api::files {

filetree::LoadedEntity entity_or_404(engine::db::Connection& c, const std::string& id) {
    auto entity = filetree::load_entity(c, id);
    if (!entity)
        throw_not_found(not_found_message);
    return std::move(*entity);
}

filetree::LoadedTask task_or_404(engine::db::Connection& c, const std::string& id) {
    auto task = filetree::load_task(c, id);
    if (!task)
        throw_not_found(not_found_message);
    return std::move(*task);
}

filetree::LoadedTaskType task_type_or_404(engine::db::Connection& c, const std::string& id) {
    auto task_type = filetree::load_task_type(c, id);
    if (!task_type)
        throw_not_found(not_found_message);
    return std::move(*task_type);
}

filetree::Record record_or_404(engine::db::Connection& c, filetree::NamedTable table, const std::string& id) {
    auto record = filetree::load_record(c, table, id);
    if (!record)
        throw_not_found(not_found_message);
    return std::move(*record);
}

filetree::AssetInstance asset_instance_or_404(engine::db::Connection& c, const std::string& id) {
    auto instance = filetree::load_asset_instance(c, id);
    if (!instance)
        throw_not_found(not_found_message);
    return std::move(*instance);
}

std::string instance_project_id(engine::db::Connection& c, const std::string& asset_instance_id) {
    auto project_id = filetree::instance_project_id(c, asset_instance_id);
    if (!project_id)
        throw_not_found(not_found_message);
    return std::move(*project_id);
}

Reply malformed_tree_reply(Request& request, const std::string& message) {
    engine::JsonWriter body;
    body.begin_object().field("message", message).key("received_data");
    try {
        const auto& json = request.json();
        std::ostringstream text;
        json.stringify(text);
        body.raw(text.str());
    } catch (const Error&) {
        body.null(); // Flask's request.json of a body that is no JSON
    }
    body.end_object();
    return json_reply(400, body.take());
}

filetree::Context task_context(engine::db::Connection& c, const filetree::LoadedTask& task) {
    filetree::Context context;
    context.project = record_or_404(c, filetree::NamedTable::project, task.project_id);
    context.entity = task.entity.entity;
    context.task = task.task;
    context.task_type = task.task_type;
    context.department = task.department;
    return context;
}

} // namespace slate::api::files
