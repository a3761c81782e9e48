#pragma once
// api/areas/files/files_common.h: what the files routes share: rows looked up or 404, and Zou's
// answer when a project's tree cannot render a path.

#include "api/reply.h"
#include "engine/fwd.h"
#include "filetree/db/context_loader.h"

#include <string>

namespace slate::api {

class Request;

namespace files {

filetree::LoadedEntity entity_or_404(engine::db::Connection& c, const std::string& id);
filetree::LoadedTask task_or_404(engine::db::Connection& c, const std::string& id);
filetree::LoadedTaskType task_type_or_404(engine::db::Connection& c, const std::string& id);
filetree::Record record_or_404(engine::db::Connection& c, filetree::NamedTable table, const std::string& id);
filetree::AssetInstance asset_instance_or_404(engine::db::Connection& c, const std::string& id);
/// The file-tree context of a task: its project, entity, task type and department.
filetree::Context task_context(engine::db::Connection& c, const filetree::LoadedTask& task);
/// The project id of an asset instance's asset.
std::string instance_project_id(engine::db::Connection& c, const std::string& asset_instance_id);

/// Zou's answer to a tree that cannot render the path: 400 {"message", "received_data"}.
Reply malformed_tree_reply(Request& request, const std::string& message);

} // namespace files
} // namespace slate::api
