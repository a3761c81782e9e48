#pragma once
// engine/review/comment_followups.h: what follows a new comment on a task, in the comment's own
// transaction (Zou's comments_service.create_comment after the comment row): the notifications
// of the task's followers and of the people mentioned, the production's news, and the status
// automations the new status triggers. A failure anywhere leaves nothing half-done.

#include "engine/fwd.h"

#include <string>

namespace slate::engine::storage {
class LocalFileStore;
}

namespace slate::engine::services {

struct PostedComment {
    std::string id, task_id, project_id;
    std::string author_id, caller_id;
    std::string task_status_id;
    bool status_changed = false;
};

/// Notifications (assignees, task and sequence subscribers but the author: "comment"; the
/// persons and departments mentioned: "mention"), the news item (not for concepts), then each
/// of the production's status automations whose trigger the task now matches, which posts
/// its own comment on the target task (that comment's follow-ups included).
void follow_new_comment(db::Connection& c, const storage::LocalFileStore& files, const PostedComment& comment);

} // namespace slate::engine::services
