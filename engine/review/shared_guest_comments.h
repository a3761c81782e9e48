#pragma once
// engine/review/shared_guest_comments.h: reviewers without an account on a shared playlist
// (Zou's shared blueprint, guest side): guest persons bound to a link, and the comments and
// attachments guests read, write, change and remove on the playlist's tasks.

#include "engine/fwd.h"

#include <optional>
#include <string>
#include <vector>

namespace slate::engine::storage {
class LocalFileStore;
struct DeletedFiles;
}

namespace slate::engine::services {

struct Attachment;

/// Whether `guest_id` is a guest created through the link `link_id` (Zou's
/// get_guest_for_share_link); false for a non-uuid.
bool is_guest_of_link(db::Connection& c, const std::string& guest_id, const std::string& link_id);

/// The oldest guest of the link with that exact name. A guest is reused by name only within the
/// link that made it: no one impersonates a reviewer of another link.
std::optional<std::string> find_link_guest(db::Connection& c, const std::string& link_id, const std::string& first_name,
                                           const std::string& last_name);

struct NewGuest {
    std::string link_id;
    std::string first_name, last_name;
    std::string timezone, locale; ///< the studio's defaults
};

/// A client guest person bound to the link, with a made-up guest-…@guest.kitsu email and a
/// person:new event, in its own transaction; answers its id.
std::string create_link_guest(db::Connection& c, const NewGuest& guest);

/// The comments a shared viewer sees on the playlist's tasks: those for clients and those of
/// guests, newest first, each with its attachment_files and its author marked is_guest.
std::string shared_comments_json(db::Connection& c, const std::string& playlist_id);

/// The status's is_client_allowed (false when unset); nothing for a non-uuid or unknown status.
std::optional<bool> task_status_client_allowed(db::Connection& c, const std::string& task_status_id);

/// Who wrote a comment, and on what.
struct CommentAuthor {
    std::optional<std::string> person_id;
    std::optional<std::string> object_id; ///< the task
};
/// Nothing for a non-uuid or unknown comment.
std::optional<CommentAuthor> find_comment_author(db::Connection& c, const std::string& comment_id);

/// A comment with its attachments as rows (Zou's _serialize_enriched_comment).
std::string enriched_comment_json(db::Connection& c, const std::string& comment_id);

/// A guest's change to their comment; unset fields keep their value.
struct GuestCommentEdit {
    std::string comment_id, task_id, guest_id;
    std::optional<std::string> text;
    bool has_checklist = false;
    std::string checklist_json; ///< written only when has_checklist
    std::optional<std::string> task_status_id;
};

/// Updates the comment (its task replays its history when the status changed, with a
/// task:status-changed event if the task's status moved) and emits comment:update; answers the
/// enriched comment. One transaction.
std::string edit_guest_comment(db::Connection& c, const GuestCommentEdit& edit);

/// Removes the comment, its attachments (their files added to `deleted`), mentions,
/// acknowledgements, notifications and news; the task replays its history. One transaction.
void delete_guest_comment(db::Connection& c, const std::string& comment_id, const std::string& task_id,
                          const std::string& guest_id, storage::DeletedFiles& deleted);

/// Stores files on the guest's comment; answers the enriched comment. One transaction.
std::string add_guest_attachments(db::Connection& c, const storage::LocalFileStore& files,
                                  const std::string& comment_id, const std::vector<Attachment>& attachments);

/// Whether the attachment (a uuid) belongs to the comment.
bool is_attachment_of_comment(db::Connection& c, const std::string& attachment_id, const std::string& comment_id);

/// An attachment as a share link may serve it.
struct SharedAttachment {
    std::string name;
    std::string mimetype;    ///< application/octet-stream when unset
    std::string task_id;     ///< its comment's object
    bool for_client = false; ///< its comment's for_client
    bool by_guest = false;   ///< its comment's author is a guest
};
/// Nothing for a non-uuid or unknown attachment.
std::optional<SharedAttachment> find_shared_attachment(db::Connection& c, const std::string& attachment_id);

} // namespace slate::engine::services
