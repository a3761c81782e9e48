#pragma once
// engine/review/comment_rights.h: what decides who may post on or answer a task's conversation
// (Zou's check_task_mention_access, check_task_status_access, the client studio rule).

#include "engine/fwd.h"

#include <optional>
#include <string>

namespace slate::engine::services {

/// Zou's check_task_mention_access: the person was named in the task's conversation (in a
/// comment, through one of their departments, or in a reply).
bool mentioned_on_task(db::Connection& c, const std::string& task_id, const std::string& person_id);

/// Zou's check_task_status_access for a role on the project: artists ("user") and clients only
/// use the statuses allowed to them (403); 404 for an unknown status. Other roles pass unread.
void require_task_status_access(db::Connection& c, const std::string& role, const std::string& task_status_id);

/// Whether two persons belong to the same studio (both without one counts as the same);
/// nullopt when either is unknown.
std::optional<bool> same_studio(db::Connection& c, const std::string& person_id, const std::string& other_id);

/// The author of a comment's reply ("" for a reply without one); nullopt when the comment has
/// no reply with that id.
std::optional<std::string> reply_author(db::Connection& c, const std::string& comment_id, const std::string& reply_id);

/// A task's project; nullopt when no task has that id (malformed ids included).
std::optional<std::string> task_project_id(db::Connection& c, const std::string& task_id);

} // namespace slate::engine::services
