#pragma once
// engine/review/comments.h: comments on tasks (Zou's comments_service): posting one with a
// task status and attached files, attachments, acknowledgements, replies, moving a comment.
// What follows a new comment (notifications, news, status automations) is in
// comment_followups.h.

#include "engine/db/connection.h"
#include "engine/fwd.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace slate::engine::storage {
class LocalFileStore;
class StagedFiles;
struct DeletedFiles;
} // namespace slate::engine::storage

namespace slate::engine::services {

/// A file sent with a comment or a reply.
struct Attachment {
    std::string name;             ///< as the client named it
    std::string mimetype;         ///< as the client sent it
    std::filesystem::path source; ///< its bytes, moved into the file store
    int64_t size = 0;
    /// Its 150×150 PNG thumbnail, moved in beside it (a chat message's picture).
    std::optional<std::filesystem::path> thumbnail;
};

struct NewComment {
    std::string task_id;
    std::string task_status_id;
    std::string text;
    std::string author_id;  ///< who the comment is attributed to
    std::string caller_id;  ///< who posts it (events)
    std::string created_at; ///< "" → now; "YYYY-MM-DD HH:MM:SS" or ISO 8601 otherwise
    std::string checklist_json = "[]";
    std::vector<std::string> links;
    bool for_client = false;
    std::vector<Attachment> attachments;
    /// Copies the comment to the entity's tasks its hashtags name ("#layout", "#all"); the
    /// copies themselves do not.
    bool with_hashtags = true;
    /// Zou's _get_comment_author: an author named by the request (comment-many, a manager's
    /// person_id) is read with its relations (departments), the current user without.
    bool author_named = false;
};

/// A comment as Zou answers it, kept in its parts until a route writes it: batch-comment adds
/// "preview_files" after them, so the answer is written once instead of cut open. Read when the
/// comment is posted (its relation ids are those of that moment, as in Zou).
struct CommentAnswer {
    db::Result row;               ///< the comment with its relation ids
    std::string attachment_files; ///< JSON array
    std::string task_status;      ///< JSON object
    std::string person;           ///< JSON object
    /// The notifications the comment wrote (those of its hashtag copies and automations too),
    /// for people::send_notification_mails once committed.
    std::vector<std::string> notification_ids;

    std::string id() const;
    std::string person_id() const;
};

/// Reads a comment's answer, with `attachments_json` as its attachment_files; 404 when unknown.
CommentAnswer read_comment_answer(db::Connection& c, const std::string& comment_id, std::string attachments_json,
                                  bool author_relations = false);

/// Writes the comment's members (its columns, "type", "attachment_files", "task_status",
/// "person") into the object `out` has open.
void write_comment_members(JsonWriter& out, const CommentAnswer& comment);

/// The comment as one JSON object.
std::string comment_answer_json(const CommentAnswer& comment);

/// Posts the comment: the row with its mentions, its attachments (stored as files
/// `attachments-<id>`), the task moved to the status (retake count, dates), and Zou's events
/// comment:new, task:update, task:status-changed, task:to-review. Returns the comment as Zou
/// answers it: serialised with relations, "attachment_files" as {id, name, extension, size},
/// "task_status" and "person". Throws 404 for an unknown task or status, 400 when the retake
/// cap is reached. Owns its transaction and keeps the moved files at its commit: call it outside
/// any open transaction, else a later rollback of the enclosing one would orphan them.
/// Then notifies (assignees, subscribers, @mentions), feeds the news and runs the production's
/// status automations (comment_followups.h) in the same transaction. Before the status change,
/// Zou's hashtags: the comment is copied, with "From <task type> task" appended, to each other
/// task of the entity whose task type a hashtag names ("#all": every other task), at that
/// task's own status.
CommentAnswer create_comment(db::Connection& c, const storage::LocalFileStore& files, const NewComment& comment);

/// A comment as create_comment answers it, with `attachments_json` as its attachment_files.
std::string comment_json(db::Connection& c, const std::string& comment_id, const std::string& attachments_json);

/// Stores files on a comment (and a reply of it). Returns their {id, name, extension, size}.
/// Runs inside the caller's transaction: the files are moved in through `staged`, which the
/// caller keeps after its outermost commit (storage/staged_files.h).
std::string add_attachments(db::Connection& c, storage::StagedFiles& staged, const std::string& comment_id,
                            const std::optional<std::string>& reply_id, const std::vector<Attachment>& attachments);

/// The same on a chat message (no reply; the thumbnails of pictures go in too).
std::string add_chat_attachments(db::Connection& c, storage::StagedFiles& staged, const std::string& message_id,
                                 const std::vector<Attachment>& attachments);

/// Removes an attachment row; its stored file is added to `deleted`, for the caller to remove
/// once the row's deletion has committed.
void remove_attachment(db::Connection& c, const std::string& attachment_id, storage::DeletedFiles& deleted);

/// Adds the person to the comment's acknowledgements, or removes them when already there;
/// answers the comment with relations.
std::string toggle_acknowledgement(db::Connection& c, const std::string& comment_id, const std::string& person_id,
                                   const std::string& project_id);

/// Appends a reply (id, date, person_id, text, mentions, department_mentions, created_at) and
/// its files; answers the reply with "person" and "attachment_files". Like create_comment, call
/// it outside any open transaction. The reply's notifications (comment_followups.h notify_reply)
/// join `notified`, for their mails after the commit.
std::string reply_to_comment(db::Connection& c, const storage::LocalFileStore& files, const std::string& comment_id,
                             const std::string& person_id, const std::string& text,
                             const std::vector<Attachment>& attachments, std::vector<std::string>& notified);

/// Removes a reply and its attachments (their files added to `deleted`); answers the comment
/// (no relations). Throws 404 when the reply is not there.
std::string delete_reply(db::Connection& c, const std::string& comment_id, const std::string& reply_id,
                         storage::DeletedFiles& deleted);

/// Moves a comment to another task of the same entity (not one holding previews); both
/// tasks' status, last comment date and retake count are recomputed from their comments.
std::string move_comment(db::Connection& c, const std::string& comment_id, const std::string& target_task_id,
                         const std::string& caller_id);

/// The comment's mentions as its text names them (Zou's reset_mentions): "@<full name>" of a
/// team member, "@<department>"; those it had before are replaced.
void write_mentions(db::Connection& c, const std::string& comment_id, const std::string& project_id,
                    const std::string& text);

/// Sets a task's status, last comment date and retake count from its comments, newest last
/// (Zou's reset_task_data).
void reset_task_data(db::Connection& c, const std::string& task_id);

/// reset_task_data after a comment changed or went, then task:status-changed (its person_id
/// `person_id`, recorded as `caller_id`'s) when the task's status is no longer `previous_status_id`.
void replay_task_status(db::Connection& c, const std::string& task_id, const std::string& previous_status_id,
                        const std::string& person_id, const std::optional<std::string>& caller_id);

} // namespace slate::engine::services
