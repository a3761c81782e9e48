#pragma once
// engine/review/comment_followups.h: what follows a new comment on a task, in the comment's own
// transaction (Zou's comments_service.create_comment after the comment row): the notifications
// of the task's followers and of the people mentioned, the production's news, and the status
// automations the new status triggers. A failure anywhere leaves nothing half-done.

#include "engine/fwd.h"

#include <string>
#include <vector>

namespace slate::engine::storage {
class LocalFileStore;
class StagedFiles;
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
/// its own comment on the target task (that comment's follow-ups included). Answers the ids of
/// the notifications written, the automations' included (their mails go after the commit).
/// The previews an automation imports are copied through `staged` (the comment's own).
std::vector<std::string> follow_new_comment(db::Connection& c, storage::StagedFiles& staged,
                                            const PostedComment& comment);

/// Zou's reset_notifications_for_mentions after a comment's text changed: its "mention"
/// notifications dropped and written anew, dated as the comment, to each person it now names
/// (by name or department; its author too, as Zou does here). Answers their ids.
std::vector<std::string> renotify_mentions(db::Connection& c, const std::string& comment_id, const std::string& task_id,
                                           const std::string& project_id);

struct PostedReply {
    std::string id, comment_id, comment_author_id, task_id, project_id, author_id;
    std::vector<std::string> mentions, department_mentions;
};

/// Zou's create_notifications_for_task_and_reply, in the reply's transaction: "reply" to the
/// task's followers, everyone who replied to the comment and the comment's author (never the
/// reply's author), "reply-mention" to the people and departments the reply names. Answers the
/// notifications' ids.
std::vector<std::string> notify_reply(db::Connection& c, const PostedReply& reply);

} // namespace slate::engine::services
