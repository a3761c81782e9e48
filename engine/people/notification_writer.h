#pragma once
// engine/people/notification_writer.h: one notification written for its recipient, with the
// live signal their web app hears (Zou's create_notification then _emit_notification).

#include "engine/fwd.h"

#include <optional>
#include <string>

namespace slate::engine::people {

struct NewNotification {
    std::string type; ///< comment, mention, reply, reply-mention, assignation, playlist-ready
    std::string person_id, author_id, project_id;
    std::optional<std::string> task_id, comment_id, reply_id, playlist_id;
    bool change = false; ///< the comment changed the task's status
    std::optional<std::string> created_at; ///< none: now; a re-made mention keeps its comment's date
};

/// Writes the row (in the caller's transaction) and signals notification:new to its recipient
/// (not persisted, as in Zou). Returns the notification's id.
std::string write_notification(db::Connection& c, const NewNotification& notification);

} // namespace slate::engine::people
