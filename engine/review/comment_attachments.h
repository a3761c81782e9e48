#pragma once
// engine/review/comment_attachments.h: reading the files attached to comments (and to chat
// messages): what the attachment routes list, serve and check access with.

#include "engine/db/connection.h"

#include <optional>
#include <string>

namespace slate::engine::queries {

/// A comment's attachments as {id, name, extension, size}, oldest first.
db::Result comment_attachment_rows(db::Connection& c, const std::string& comment_id);

/// Where an attachment belongs: its comment, or none (a chat message's file).
struct AttachmentOwner {
    std::optional<std::string> comment_id;
};
/// nullopt when no attachment has that id (malformed ids included).
std::optional<AttachmentOwner> attachment_owner(db::Connection& c, const std::string& attachment_id);

/// What serving an attachment needs: its stored name, type and date, and the task (through
/// its comment) or the chat's entity (through its chat message) its access is read on.
struct AttachmentFile {
    std::optional<std::string> name, mimetype, updated_at;
    std::optional<std::string> task_project_id, task_entity_id; ///< when on a task's comment
    std::optional<std::string> chat_project_id, chat_entity_id; ///< when on an entity's chat
};
/// nullopt when no attachment has that id (malformed ids included).
std::optional<AttachmentFile> find_attachment_file(db::Connection& c, const std::string& attachment_id);

/// Every column of the attachments of the comments on a project's tasks, oldest first.
db::Result project_attachment_files(db::Connection& c, const std::string& project_id);

/// Every column of the attachments of a task's comments, oldest first.
db::Result task_attachment_files(db::Connection& c, const std::string& task_id);

} // namespace slate::engine::queries
