#pragma once
// engine/review/comment_followups.h: what a new comment sets off once its task has moved
// (Zou's comments_service._manage_subscriptions and _run_status_automation): the notifications
// of the assignees, subscribers and @mentioned persons and departments, the news of the
// production, and the production's status automations. Run inside the comment's transaction,
// so that a failure leaves nothing half done.

#include "engine/fwd.h"

#include <string>

namespace slate::engine::storage {
class LocalFileStore;
}

namespace slate::engine::services {

/// Notifications ("comment" for assignees and subscribers of the task or its sequence and task
/// type, "mention" for the persons mentioned and the team members of the departments mentioned;
/// never the author) with their live notification:new, and the news (not for concepts) with
/// news:new. `changed`: the comment changed the task's status.
void notify_comment(db::Connection& c, const std::string& comment_id, const std::string& task_id, bool changed);

/// Runs the production's status automations the task's new type and status trigger: a comment
/// moving the entity's task of the target type (posted by `author_id`), or the asset's
/// ready_for. `depth` bounds chains of automations.
void run_status_automations(db::Connection& c, const storage::LocalFileStore& files, const std::string& task_id,
                            const std::string& author_id, const std::string& caller_id, int depth);

} // namespace slate::engine::services
