#pragma once
// engine/production/settings.h: what a production uses from the studio's lists (Zou's
// project settings over projects_service): its task types (with their priority), task
// statuses, asset types, status automations and preview background files.

#include "engine/fwd.h"

#include <optional>
#include <string>
#include <vector>

namespace slate::engine::production {

/// One of the studio lists a production picks from, each through its link table.
enum class Setting { asset_type, task_type, task_status, status_automation, preview_background_file };

/// The production's rows of that list, as serialize() writes them (no relations).
std::string settings_json(db::Connection& c, const std::string& project_id, Setting setting);

/// Links the row to the production. A row that does not exist (or a malformed id) is refused
/// with Zou's "<Model> with id <id> not found"; a task type id must first be a UUID ("task_type_id
/// is required and must be a valid UUID"). A task type is linked with `priority`. project:update
/// when something changed (always for task types, as Zou saves the project). Answers the project.
std::string add_setting(db::Connection& c, const std::string& user_id, const std::string& project_id, Setting setting,
                        const std::string& id, std::optional<long long> priority = std::nullopt);

/// Unlinks the row (nothing when it is not linked) and emits project:update, as Zou does.
void remove_setting(db::Connection& c, const std::string& user_id, const std::string& project_id, Setting setting,
                    const std::string& id);

/// A task type of a settings batch and its priority (null: keep the link's).
struct TaskTypeChoice {
    std::string task_type_id;
    std::optional<long long> priority;
};

/// POST settings/batch: links every task type, status and asset type that exists and is not
/// linked yet (unknown or malformed ids are skipped), sets the priorities given, and with
/// `replace_task_types` unlinks the task types not listed. One project:update. Answers the
/// project.
std::string update_settings(db::Connection& c, const std::string& user_id, const std::string& project_id,
                            const std::vector<TaskTypeChoice>& task_types,
                            const std::vector<std::string>& task_status_ids,
                            const std::vector<std::string>& asset_type_ids, bool replace_task_types);

} // namespace slate::engine::production
