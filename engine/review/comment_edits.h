#pragma once
// engine/review/comment_edits.h: editing a comment through PUT /data/comments/<id> (Zou's
// CommentResource): who may change what, and what follows the change.

#include "engine/fwd.h"
#include "engine/people/auth_service.h"

#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

namespace slate::engine::services {

/// Zou's check_update_permissions: admins and the production's managers change anything; on
/// the team, supervisors of the task's department (or of none) pin; only managers publish to
/// clients; the author changes their comment's other fields; the checklist's boxes are ticked by
/// the author, the assignees and the department's supervisors; a new status needs the right to
/// act on the task and, for artists and clients, a status allowed to them. 403 otherwise.
void require_comment_update(db::Connection& c, const Identity& caller, const std::string& comment_id,
                            const Poco::JSON::Object& body);

/// Zou's post_update, in the update's transaction once the row is written: the mentions read
/// again from the text and their notifications made anew; when the status changed, the task
/// replayed from its comments and task:status-changed; comment:update with the task. Answers the
/// notifications written (their mails go after the commit).
std::vector<std::string> follow_comment_update(db::Connection& c, const std::string& comment_id,
                                               const std::string& previous_status_id, const std::string& caller_id);

} // namespace slate::engine::services
