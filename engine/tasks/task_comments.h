#pragma once
// engine/tasks/task_comments.h: the comments of a task as the task panel reads them (Zou's
// tasks_service.get_comments): newest first, each with its author, editor and status, the
// previews, attachments, mentions and acknowledgements, and the authors of its replies. Artists
// never read clients' comments; clients read only what was published to them.

#include "engine/fwd.h"
#include "engine/people/auth_service.h"

#include <string>
#include <vector>

namespace slate::engine::tasks {

/// `role` is the caller's effective role in the task's production (access already checked).
std::string task_comments_json(db::Connection& c, const services::Identity& caller, const std::string& task_id,
                               const std::string& role);

/// Zou's check_comment_access: admins; else project and entity access, then managers and
/// supervisors; clients read clients' comments and those published to them (only their own
/// and published ones when clients are isolated); others anything not written by a client.
void require_comment_access(db::Connection& c, const services::Identity& caller, const std::string& comment_id);

/// Zou's get_shared_task_comments, for the tasks a share link shows: the comments published to
/// clients or written by a guest, newest first, each as Zou's comment query leaves it (its
/// status, author — saying whether a guest — and editor; no previews, attachments or mentions).
std::string shared_task_comments_json(db::Connection& c, const std::vector<std::string>& task_ids);

/// The comment as serialize() (no relations); 404 when it is not a comment of `task_id`.
std::string task_comment_json(db::Connection& c, const std::string& task_id, const std::string& comment_id);

} // namespace slate::engine::tasks
