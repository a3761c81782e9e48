// engine/review/shared_guest_comments.cpp: guests of a share link and their comments.
#include "engine/review/shared_guest_comments.h"

#include "engine/crud/queries.h"
#include "engine/crud/values.h"
#include "engine/db/connection.h"
#include "engine/json.h"
#include "engine/models/catalog.h"
#include "engine/people/person_queries.h"
#include "engine/review/comments.h"
#include "engine/review/shared_playlist_queries.h"
#include "engine/serialize.h"
#include "engine/storage/staged_files.h"
#include "engine/tasks/task_comments.h"
#include "engine/uuid.h"

namespace slate::engine::services {
namespace {

using db::Connection;

std::string task_status_of(Connection& c, const std::string& task_id) {
    return std::string(c.exec("SELECT task_status_id FROM task WHERE id = $1::uuid", {task_id}).get(0, 0));
}

} // namespace

bool is_guest_of_link(Connection& c, const std::string& guest_id, const std::string& link_id) {
    return is_uuid(guest_id) &&
           c.exec("SELECT 1 FROM person WHERE id = $1::uuid AND is_guest AND data->>'share_link_id' = $2",
                  {guest_id, link_id})
                   .rows() > 0;
}

std::optional<std::string> find_link_guest(Connection& c, const std::string& link_id, const std::string& first_name,
                                           const std::string& last_name) {
    const auto existing = c.exec(R"(SELECT id FROM person WHERE is_guest AND first_name = $1 AND last_name = $2
                                    AND data->>'share_link_id' = $3 ORDER BY created_at LIMIT 1)",
                                 {first_name, last_name, link_id});
    if (existing.rows() == 0)
        return std::nullopt;
    return std::string(existing.get(0, 0));
}

std::string create_link_guest(Connection& c, const NewGuest& guest) {
    db::Transaction transaction(c);
    queries::NewPerson person;
    person.first_name = guest.first_name;
    person.last_name = guest.last_name;
    person.email = "guest-" + new_uuid().substr(0, 8) + "@guest.kitsu";
    person.role = "client";
    person.timezone = guest.timezone;
    person.locale = guest.locale;
    const std::string id = queries::insert_person(c, person);
    JsonWriter data;
    data.begin_object().field("share_link_id", guest.link_id).end_object();
    // Zou's Person.create leaves what it is not given null (create_person writes phone and
    // desktop login as "").
    c.exec("UPDATE person SET is_guest = true, data = $2::jsonb, phone = NULL, desktop_login = NULL "
           "WHERE id = $1::uuid",
           {id, data.take()});
    queries::insert_person_event(c, "person:new", id);
    transaction.commit();
    return id;
}

std::string shared_comments_json(Connection& c, const std::string& playlist_id) {
    return tasks::shared_task_comments_json(c, shared_playlist_task_ids(c, playlist_id));
}

std::optional<bool> task_status_client_allowed(Connection& c, const std::string& task_status_id) {
    if (!is_uuid(task_status_id))
        return std::nullopt;
    const auto status = c.exec("SELECT is_client_allowed FROM task_status WHERE id = $1::uuid", {task_status_id});
    if (status.rows() == 0)
        return std::nullopt;
    return status.get_bool(0, "is_client_allowed");
}

std::optional<CommentAuthor> find_comment_author(Connection& c, const std::string& comment_id) {
    if (!is_uuid(comment_id))
        return std::nullopt;
    const auto comment = c.exec("SELECT person_id, object_id FROM comment WHERE id = $1::uuid", {comment_id});
    if (comment.rows() == 0)
        return std::nullopt;
    return CommentAuthor{comment.optional(0, "person_id"), comment.optional(0, "object_id")};
}

std::string enriched_comment_json(Connection& c, const std::string& comment_id) {
    const auto attachments = c.exec("SELECT id, name, extension, size FROM attachment_file WHERE comment_id = $1::uuid "
                                    "ORDER BY created_at",
                                    {comment_id});
    JsonWriter files;
    files.begin_array();
    for (int row = 0; row < attachments.rows(); ++row) {
        files.begin_object();
        write_row_fields(files, attachments, row);
        files.end_object();
    }
    files.end_array();
    // _serialize_enriched_comment: get_comment(relations=True), its attachments presented; no
    // author or status objects (those are create_comment's).
    const auto row = queries::select_by_id(c, *models::find_table("comment"), comment_id, true);
    if (row.rows() == 0)
        throw_not_found(not_found_message);
    JsonWriter out;
    out.begin_object();
    write_row_fields(out, row, 0, {"attachment_files"});
    out.field("type", "Comment").key("attachment_files").raw(files.take()).end_object();
    return out.take();
}

std::string edit_guest_comment(Connection& c, const GuestCommentEdit& edit) {
    db::Transaction transaction(c);
    const std::string previous = task_status_of(c, edit.task_id);
    c.exec(
        R"(UPDATE comment SET text = COALESCE($2, text), checklist = CASE WHEN $3::boolean THEN $4::jsonb ELSE checklist END,
                  task_status_id = COALESCE($5::uuid, task_status_id), editor_id = $6::uuid,
                  updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid)",
        {edit.comment_id, edit.text, edit.has_checklist ? "true" : "false", edit.checklist_json, edit.task_status_id,
         edit.guest_id});
    if (edit.task_status_id)
        replay_task_status(c, edit.task_id, previous, edit.guest_id, edit.guest_id);
    JsonWriter data;
    data.begin_object().field("comment_id", edit.comment_id).field("task_id", edit.task_id).end_object();
    queries::insert_event(
        c, "comment:update", edit.guest_id,
        std::string(c.exec("SELECT project_id FROM task WHERE id = $1::uuid", {edit.task_id}).get(0, 0)), data.take());
    std::string answer = enriched_comment_json(c, edit.comment_id);
    transaction.commit();
    return answer;
}

void delete_guest_comment(Connection& c, const std::string& comment_id, const std::string& task_id,
                          const std::string& guest_id, storage::DeletedFiles& deleted) {
    db::Transaction transaction(c);
    const std::string previous = task_status_of(c, task_id);
    const auto attachments = c.exec("SELECT id FROM attachment_file WHERE comment_id = $1::uuid", {comment_id});
    for (int row = 0; row < attachments.rows(); ++row)
        remove_attachment(c, std::string(attachments.get(row, 0)), deleted);
    // The link tables first: their rows name the comment (Zou's table spelling kept).
    for (const char* link_table : {"comment_mentions", "comment_department_mentions", "comment_acknoledgments"})
        c.exec(std::string("DELETE FROM ") + link_table + " WHERE comment = $1::uuid", {comment_id});
    c.exec("DELETE FROM notification WHERE comment_id = $1::uuid", {comment_id});
    c.exec("DELETE FROM news WHERE comment_id = $1::uuid", {comment_id});
    c.exec("DELETE FROM comment WHERE id = $1::uuid", {comment_id});
    replay_task_status(c, task_id, previous, guest_id, guest_id);
    transaction.commit();
}

std::string add_guest_attachments(Connection& c, const storage::LocalFileStore& files, const std::string& comment_id,
                                  const std::vector<Attachment>& attachments) {
    storage::StagedFiles staged(files); // put back after the transaction rolls back
    db::Transaction transaction(c);
    add_attachments(c, staged, comment_id, std::nullopt, attachments);
    std::string answer = enriched_comment_json(c, comment_id);
    transaction.commit();
    staged.keep();
    return answer;
}

bool is_attachment_of_comment(Connection& c, const std::string& attachment_id, const std::string& comment_id) {
    return is_uuid(attachment_id) &&
           c.exec("SELECT 1 FROM attachment_file WHERE id = $1::uuid AND comment_id = $2::uuid",
                  {attachment_id, comment_id})
                   .rows() > 0;
}

std::optional<SharedAttachment> find_shared_attachment(Connection& c, const std::string& attachment_id) {
    if (!is_uuid(attachment_id))
        return std::nullopt;
    const auto found = c.exec(R"(SELECT a.name, a.mimetype, cm.object_id, cm.for_client,
                                     COALESCE(pe.is_guest, false) AS guest
                                 FROM attachment_file a JOIN comment cm ON cm.id = a.comment_id
                                 LEFT JOIN person pe ON pe.id = cm.person_id WHERE a.id = $1::uuid)",
                              {attachment_id});
    if (found.rows() == 0)
        return std::nullopt;
    return SharedAttachment{
        found.optional(0, "name").value_or(""), found.optional(0, "mimetype").value_or("application/octet-stream"),
        found.optional(0, "object_id").value_or(""), found.optional(0, "for_client") == std::optional<std::string>("t"),
        found.get_bool(0, "guest")};
}

} // namespace slate::engine::services
