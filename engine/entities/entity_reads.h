#pragma once
// engine/entities/entity_reads.h: what the pages of a shot, sequence, episode, scene, edit or
// concept read besides the entity: its tasks (Zou's tasks_service detailed task dicts), the
// task types in use, versions, preview files and time spents.

#include "engine/fwd.h"

#include <optional>
#include <string>

namespace slate::engine::entities {

/// Which entities' tasks a task listing takes.
enum class TaskScope {
    entity,            ///< the entity's own tasks
    children,          ///< the tasks of the entities whose parent it is (a sequence's shots)
    grandchildren,     ///< the tasks of its children's children (an episode's shots)
    episode_assets,    ///< the tasks of the assets whose source is the episode
    episode_edits,     ///< the tasks of the edits of the episode
};

/// Zou's detailed task dicts (serialize() plus project_name, task_type_name, task_status_name,
/// entity_type_name, entity_name; assignees with `relations`), ordered by task name, project,
/// task type, entity type and entity name. With `assigned_to`, only that person's tasks.
std::string entity_tasks_json(db::Connection& c, TaskScope scope, const std::string& entity_id, bool relations,
                              const std::optional<std::string>& assigned_to = std::nullopt);

/// The task types of the scope's tasks, each once (TaskType serialize()).
std::string entity_task_types_json(db::Connection& c, TaskScope scope, const std::string& entity_id);

/// The entity's versions (EntityVersion serialize() with `type`), newest first.
std::string entity_versions_json(db::Connection& c, const std::string& entity_id, const std::string& type);

/// GET /data/entities/<id>/preview-files: the previews of its tasks as PreviewFile.present(),
/// by task type name, revision (newest first) and position.
std::string entity_preview_files_json(db::Connection& c, const std::string& entity_id);

/// GET /data/entities/<id>/time-spents: the time spent on its tasks, latest date first.
std::string entity_time_spents_json(db::Connection& c, const std::string& entity_id);

/// GET /data/entities/<id>/news: the news of its tasks, newest first, as Zou's
/// get_last_news_for_project(entity_id=..., limit=2000) pages them ({data, total, nb_pages,
/// limit, offset, page}), each with the entity's full name ("E01 / SQ01 / SH010") and its
/// author's short person.
std::string entity_news_json(db::Connection& c, const std::string& entity_id);

} // namespace slate::engine::entities
