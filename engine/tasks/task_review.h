#pragma once
// engine/tasks/task_review.h: the deprecated "to review" of a task (Zou's tasks_service
// task_to_review) and the removal of a task's comment (deletion_service.remove_comment, then
// reset_task_data).

#include "engine/fwd.h"

#include <string>

namespace slate::engine::storage {
struct DeletedFiles;
}

namespace slate::engine::tasks {

/// What to-review tells about the preview: the preview folder and file name of the task's
/// file tree ("" each when the tree has no preview template).
struct PreviewPath {
    std::string folder_path;
    std::string file_name;
};

/// Moves the task to the to-review status (config TO_REVIEW_TASK_STATUS, "To review", made when
/// missing) when `change_status`; task:to-review. Answers the task serialized with "project",
/// "entity", "entity_type", "person" (`person_id`'s; 400 "Cannot find given person." when
/// unknown), "comment" and "preview_path".
std::string task_to_review(db::Connection& c, const std::string& task_id, const std::string& person_id,
                           const std::string& comment, const PreviewPath& preview_path, bool change_status);

/// Removes the comment with its notifications, news, previews and attachment rows, then resets
/// the task's status, dates and retake count from the comments left (comment:delete, and
/// task:status-changed when the status moved). 404 for an unknown comment. The stored files of
/// its previews and attachments are added to `deleted`, removed by the caller after the commit.
void remove_task_comment(db::Connection& c, const std::string& comment_id, storage::DeletedFiles& deleted);

/// Zou's CommentResource.delete check: the production's managers (and admins) remove any of its
/// comments, others their own (403).
void require_comment_removal(db::Connection& c, const services::Identity& caller, const std::string& project_id,
                             const std::string& author_id);

} // namespace slate::engine::tasks
