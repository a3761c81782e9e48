// engine/tasks/task_review.cpp: the SQL of to-review and of removing a task's comment.
#include "engine/tasks/task_review.h"

#include "engine/access.h"
#include "engine/crud/crud_service.h"
#include "engine/crud/descriptors.h"
#include "engine/crud/queries.h"
#include "engine/crud/values.h"
#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/json.h"
#include "engine/people/person_queries.h"
#include "engine/people/persons.h"
#include "engine/review/comments.h"
#include "engine/uuid.h"

namespace slate::engine::tasks {
namespace {

/// Zou's default TO_REVIEW_TASK_STATUS.
constexpr const char* to_review_name = "To review";

std::string to_review_status(db::Connection& c) {
    auto status = c.exec("SELECT id FROM task_status WHERE name = $1 AND NOT coalesce(for_concept, false) LIMIT 1",
                         {std::string(to_review_name)});
    if (status.rows() == 0)
        status = c.exec("SELECT id FROM task_status WHERE short_name = 'pndng' AND NOT coalesce(for_concept, false) "
                        "LIMIT 1");
    if (status.rows() == 0)
        status = c.exec("INSERT INTO task_status (id, name, short_name, color, priority, is_done, is_artist_allowed, "
                        "is_client_allowed, is_retake, is_feedback_request, is_default, is_wip, for_concept, archived, "
                        "created_at, updated_at) VALUES (gen_random_uuid(), $1, 'pndng', '#f5f5f5', 1, false, true, "
                        "true, false, false, false, false, false, false, now() AT TIME ZONE 'utc', "
                        "now() AT TIME ZONE 'utc') RETURNING id",
                        {std::string(to_review_name)});
    return std::string(status.get(0, "id"));
}

} // namespace

std::string task_to_review(db::Connection& c, const std::string& task_id, const std::string& person_id,
                           const std::string& comment, const PreviewPath& preview_path, bool change_status) {
    const auto person = is_uuid(person_id) ? queries::get_person(c, person_id) : db::Result();
    if (person.rows() == 0)
        throw_bad_request("Cannot find given person.");
    JsonWriter person_out;
    services::write_person(person_out, person, 0, true);
    const std::string person_json = person_out.take();
    const std::string person_shotgun_id =
        person.is_null(0, person.column_index("shotgun_id")) ? "null" : std::string(person.get(0, "shotgun_id"));
    db::Transaction transaction(c);
    const auto before = c.exec(R"(SELECT t.task_status_id, t.shotgun_id, t.project_id, t.entity_id,
            e.entity_type_id, e.shotgun_id AS entity_shotgun_id, p.shotgun_id AS project_shotgun_id, et.name AS type_name
        FROM task t JOIN entity e ON e.id = t.entity_id JOIN project p ON p.id = t.project_id
        JOIN entity_type et ON et.id = e.entity_type_id WHERE t.id = $1::uuid FOR UPDATE OF t)",
                               {task_id});
    if (before.rows() == 0)
        throw_not_found(not_found_message);
    if (change_status)
        c.exec("UPDATE task SET task_status_id = $2::uuid, updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid",
               {task_id, to_review_status(c)});
    JsonWriter path;
    path.begin_object()
        .field("folder_path", preview_path.folder_path)
        .field("file_name", preview_path.file_name)
        .end_object();
    const std::string preview_json = path.take();
    const auto text_or_null = [&](const char* column) {
        return before.is_null(0, before.column_index(column)) ? std::string("null")
                                                              : std::string(before.get(0, column));
    };
    JsonWriter data;
    data.begin_object().field("task_id", task_id).key("task_shotgun_id").raw(text_or_null("shotgun_id"));
    data.field("entity_type_name", std::string(before.get(0, "type_name")));
    data.key("previous_task_status_id");
    if (before.is_null(0, before.column_index("task_status_id")))
        data.null();
    else
        data.string(before.get(0, "task_status_id"));
    data.key("entity_shotgun_id").raw(text_or_null("entity_shotgun_id"));
    data.key("project_shotgun_id").raw(text_or_null("project_shotgun_id"));
    data.key("person_shotgun_id").raw(person_shotgun_id);
    data.field("comment", comment).key("preview_path").raw(preview_json).field("change_status", change_status);
    data.end_object();
    queries::insert_event(c, "task:to-review", std::nullopt, std::nullopt, data.take());
    transaction.commit();

    std::string task = crud::serialize_by_id(c, "tasks", task_id, false);
    JsonWriter extra;
    extra.begin_object()
        .key("project")
        .raw(crud::serialize_by_id(c, "projects", std::string(before.get(0, "project_id")), false))
        .key("entity")
        .raw(crud::serialize_by_id(c, "entities", std::string(before.get(0, "entity_id")), false))
        .key("entity_type")
        .raw(crud::serialize_by_id(c, "entity-types", std::string(before.get(0, "entity_type_id")), false))
        .key("person")
        .raw(person_json)
        .field("comment", comment)
        .key("preview_path")
        .raw(preview_json)
        .end_object();
    // The task's own members, then the ones to-review adds.
    const std::string members = extra.take();
    task.pop_back();
    return task + "," + members.substr(1);
}

void remove_task_comment(db::Connection& c, const std::string& comment_id, storage::DeletedFiles& deleted) {
    db::Transaction transaction(c);
    const auto comment = c.exec(R"(SELECT cm.object_id, cm.preview_file_id, cm.person_id, t.project_id,
            t.task_status_id FROM comment cm LEFT JOIN task t ON t.id = cm.object_id WHERE cm.id = $1::uuid
        FOR UPDATE OF cm)",
                                {comment_id});
    if (comment.rows() == 0)
        throw_not_found(not_found_message);
    const std::string task_id(comment.get(0, "object_id"));
    const auto project_id = comment.optional(0, "project_id");
    const auto previous_status = comment.optional(0, "task_status_id");
    c.exec("DELETE FROM notification WHERE comment_id = $1::uuid", {comment_id});
    c.exec("DELETE FROM news WHERE comment_id = $1::uuid", {comment_id});
    const auto previews = c.exec(R"(SELECT preview_file_id AS id FROM comment WHERE id = $1::uuid
            AND preview_file_id IS NOT NULL
        UNION SELECT preview_file FROM comment_preview_link WHERE comment = $1::uuid)",
                                 {comment_id});
    std::vector<std::string> preview_ids;
    for (int row = 0; row < previews.rows(); ++row)
        preview_ids.emplace_back(previews.get(row, 0));
    c.exec("UPDATE comment SET preview_file_id = NULL WHERE id = $1::uuid", {comment_id});
    // Its attachment rows go with it (their comment_id names it).
    queries::delete_cascade(c, crud::find_descriptor("comments")->schema(), {comment_id}, deleted);
    if (!preview_ids.empty())
        queries::delete_cascade(c, crud::find_descriptor("preview-files")->schema(), preview_ids, deleted);
    JsonWriter gone;
    gone.begin_object().field("comment_id", comment_id).end_object();
    queries::insert_event(c, "comment:delete", std::nullopt, project_id, gone.take());
    if (project_id) // a task's status is never null: the task is there
        services::replay_task_status(c, task_id, previous_status.value_or(""), std::string(comment.get(0, "person_id")),
                                     std::nullopt);
    transaction.commit();
}

void require_comment_removal(db::Connection& c, const services::Identity& caller, const std::string& project_id,
                             const std::string& author_id) {
    const std::string role = access::effective_role(caller, c, project_id);
    if (role == "admin" || role == "manager")
        access::require_project_access(caller, c, project_id);
    else if (author_id != caller.person_id)
        throw_forbidden();
}

} // namespace slate::engine::tasks
