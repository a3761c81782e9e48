// engine/review/comment_followups.cpp: the SQL of a comment's notifications, news and status
// automations.
#include "engine/review/comment_followups.h"

#include "engine/crud/queries.h"
#include "engine/db/connection.h"
#include "engine/json.h"
#include "engine/review/comments.h"

namespace slate::engine::services {

void notify_comment(db::Connection& c, const std::string& comment_id, const std::string& task_id, bool changed) {
    // Recipients: assignees, subscribers of the task, subscribers of the shot's sequence for the
    // task's type (get_notification_recipients), less the author; then the mentioned.
    const auto notified = c.exec(R"(WITH cm AS (SELECT id, person_id, created_at FROM comment WHERE id = $1::uuid),
        t AS (SELECT id, project_id, task_type_id, entity_id FROM task WHERE id = $2::uuid),
        followers AS (
            SELECT tl.person_id FROM task_person_link tl WHERE tl.task_id = $2::uuid
            UNION SELECT s.person_id FROM subscription s WHERE s.task_id = $2::uuid
            UNION SELECT s.person_id FROM subscription s JOIN t ON s.task_type_id = t.task_type_id
                JOIN entity e ON e.id = t.entity_id WHERE e.parent_id IS NOT NULL AND s.entity_id = e.parent_id),
        mentioned AS (
            SELECT m.person AS person_id FROM comment_mentions m WHERE m.comment = $1::uuid
            UNION SELECT dl.person_id FROM comment_department_mentions dm
                JOIN department_link dl ON dl.department_id = dm.department
                JOIN project_person_link pl ON pl.person_id = dl.person_id
                JOIN t ON pl.project_id = t.project_id
            WHERE dm.comment = $1::uuid),
        recipients AS (
            SELECT f.person_id, 'comment' AS type, $3::bool AS change FROM followers f, cm WHERE f.person_id <> cm.person_id
            UNION ALL SELECT m.person_id, 'mention', false FROM mentioned m, cm WHERE m.person_id <> cm.person_id)
        INSERT INTO notification (id, read, change, type, person_id, author_id, comment_id, task_id, created_at,
                                  updated_at)
        SELECT gen_random_uuid(), false, r.change, r.type, r.person_id, cm.person_id, cm.id, $2::uuid,
               now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
        FROM recipients r, cm RETURNING id, person_id)",
                                 {comment_id, task_id, changed ? "true" : "false"});
    const auto task = c.exec(R"(SELECT t.project_id, t.task_type_id, et.name = 'Concept' AS is_concept,
            cm.task_status_id, cm.person_id, cm.preview_file_id, cm.created_at
        FROM task t JOIN entity e ON e.id = t.entity_id JOIN entity_type et ON et.id = e.entity_type_id
        JOIN comment cm ON cm.id = $2::uuid WHERE t.id = $1::uuid)",
                             {task_id, comment_id});
    const std::string project_id(task.get(0, "project_id"));
    // A live signal per notification, to its recipient only (persist=False in Zou).
    for (int row = 0; row < notified.rows(); ++row) {
        JsonWriter data;
        data.begin_object()
            .field("notification_id", std::string(notified.get(row, "id")))
            .field("person_id", std::string(notified.get(row, "person_id")))
            .end_object();
        c.exec("SELECT pg_notify('slate_events', json_build_object('name', 'notification:new', 'data', $1::jsonb, "
               "'project_id', $2::text)::text)",
               {data.take(), project_id});
    }
    if (task.get_bool(0, "is_concept"))
        return; // concepts stay out of the news
    const auto news = c.exec(R"(INSERT INTO news (id, change, author_id, comment_id, task_id, preview_file_id,
            created_at, updated_at) VALUES (gen_random_uuid(), $1::bool, $2::uuid, $3::uuid, $4::uuid, $5::uuid,
            $6::timestamp, now() AT TIME ZONE 'utc') RETURNING id)",
                             {changed ? "true" : "false", std::string(task.get(0, "person_id")), comment_id, task_id,
                              task.optional(0, "preview_file_id"), std::string(task.get(0, "created_at"))});
    JsonWriter data;
    data.begin_object().field("news_id", std::string(news.get(0, "id")));
    data.key("task_status_id");
    if (const auto status = task.optional(0, "task_status_id"))
        data.string(*status);
    else
        data.null();
    data.field("task_type_id", std::string(task.get(0, "task_type_id"))).end_object();
    queries::insert_event(c, "news:new", std::nullopt, project_id, data.take());
}

void run_status_automations(db::Connection& c, const storage::LocalFileStore& files, const std::string& task_id,
                            const std::string& author_id, const std::string& caller_id, int depth) {
    if (depth > 8)
        return; // a chain this long is a cycle of automations
    // The automations the task's type and status trigger on its kind of entity, without the
    // rollbacks (a target of lower priority than the source, ready_for aside).
    const auto automations = c.exec(R"(SELECT a.out_field_type, a.out_task_type_id, a.out_task_status_id,
            t.entity_id, t.project_id, itt.name AS in_type_name, its.name AS in_status_name,
            (SELECT ot.id FROM task ot WHERE ot.entity_id = t.entity_id AND ot.task_type_id = a.out_task_type_id
             ORDER BY ot.created_at LIMIT 1) AS target_task_id
        FROM task t JOIN entity e ON e.id = t.entity_id JOIN entity_type et ON et.id = e.entity_type_id
        JOIN project_status_automation_link l ON l.project_id = t.project_id
        JOIN status_automation a ON a.id = l.status_automation_id
        JOIN task_type itt ON itt.id = a.in_task_type_id JOIN task_status its ON its.id = a.in_task_status_id
        WHERE t.id = $1::uuid AND NOT coalesce(a.archived, false) AND a.in_task_type_id = t.task_type_id
          AND a.in_task_status_id = t.task_status_id
          AND CASE WHEN lower(coalesce(a.entity_type, '')) = 'asset'
                   THEN et.name NOT IN ('Shot', 'Sequence', 'Episode', 'Edit', 'Scene', 'Concept')
                   ELSE lower(et.name) = lower(coalesce(a.entity_type, '')) END
          AND (a.out_field_type = 'ready_for' OR coalesce((SELECT pl.priority FROM project_task_type_link pl
                   JOIN task_type tt ON tt.id = pl.task_type_id WHERE pl.project_id = t.project_id
                   AND pl.task_type_id = a.in_task_type_id AND tt.for_entity = initcap(a.entity_type)), 0)
               <= coalesce((SELECT pl.priority FROM project_task_type_link pl JOIN task_type tt
                   ON tt.id = pl.task_type_id WHERE pl.project_id = t.project_id
                   AND pl.task_type_id = a.out_task_type_id AND tt.for_entity = initcap(a.entity_type)), 0))
        ORDER BY a.created_at)",
                                    {task_id});
    for (int row = 0; row < automations.rows(); ++row) {
        const std::string field(automations.get(row, "out_field_type"));
        if (field == "status") {
            const auto target = automations.optional(row, "target_task_id");
            const auto status = automations.optional(row, "out_task_status_id");
            if (!target || !status)
                continue;
            NewComment comment;
            comment.task_id = *target;
            comment.task_status_id = *status;
            comment.text = "Change triggered by " + std::string(automations.get(row, "in_type_name")) + " set to " +
                           std::string(automations.get(row, "in_status_name"));
            comment.author_id = author_id;
            comment.caller_id = caller_id;
            create_comment(c, files, comment, depth + 1);
        } else if (field == "ready_for") {
            const std::string entity_id(automations.get(row, "entity_id"));
            const auto out_type = automations.optional(row, "out_task_type_id");
            c.exec("UPDATE entity SET ready_for = $2::uuid, updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid",
                   {entity_id, out_type});
            JsonWriter data;
            data.begin_object().field("asset_id", entity_id).key("data").begin_object().key("ready_for");
            out_type ? data.string(*out_type) : data.null();
            data.end_object().end_object();
            queries::insert_event(c, "asset:update", caller_id, std::string(automations.get(row, "project_id")),
                                  data.take());
        }
    }
}

} // namespace slate::engine::services
