#include "engine/review/comment_followups.h"
#include "engine/storage/staged_files.h"

#include "engine/crud/queries.h"
#include "engine/crud/values.h"
#include "engine/db/connection.h"
#include "engine/json.h"
#include "engine/people/notification_writer.h"
#include "engine/review/comments.h"
#include "engine/review/preview_files.h"

#include <set>

namespace slate::engine::services {
namespace {

using db::Connection;

/// The followers of the task: its assignees, its subscribers, and the subscribers of its
/// shot's sequence for its task type.
std::set<std::string> followers(Connection& c, const std::string& task_id) {
    const auto rows = c.exec_prepared(R"(SELECT a.person_id FROM task_person_link a WHERE a.task_id = $1::uuid
        UNION SELECT s.person_id FROM subscription s WHERE s.task_id = $1::uuid
        UNION SELECT s.person_id FROM task t JOIN entity e ON e.id = t.entity_id
              JOIN subscription s ON s.entity_id = e.parent_id AND s.task_type_id = t.task_type_id
              WHERE t.id = $1::uuid)",
                             {task_id});
    std::set<std::string> people;
    for (int row = 0; row < rows.rows(); ++row)
        people.insert(std::string(rows.get(row, 0)));
    return people;
}

/// The people the comment mentions, by name and through their department's members in the
/// production's team; someone named twice is notified twice, as in Zou.
std::vector<std::string> mentioned(Connection& c, const std::string& comment_id, const std::string& project_id) {
    const auto rows = c.exec_prepared(R"(SELECT m.person::text FROM comment_mentions m WHERE m.comment = $1::uuid
        UNION ALL
        SELECT l.person_id::text FROM comment_department_mentions d
        JOIN department_link l ON l.department_id = d.department
        JOIN project_person_link t ON t.person_id = l.person_id AND t.project_id = $2::uuid
        WHERE d.comment = $1::uuid)",
                             {comment_id, project_id});
    std::vector<std::string> people;
    for (int row = 0; row < rows.rows(); ++row)
        people.emplace_back(rows.get(row, 0));
    return people;
}

void notify_followers(Connection& c, const PostedComment& comment, std::vector<std::string>& notified) {
    for (const auto& person : followers(c, comment.task_id)) {
        if (person == comment.author_id)
            continue;
        people::NewNotification notification{"comment", person, comment.author_id, comment.project_id};
        notification.task_id = comment.task_id;
        notification.comment_id = comment.id;
        notification.change = comment.status_changed;
        notified.push_back(people::write_notification(c, notification));
    }
    for (const auto& person : mentioned(c, comment.id, comment.project_id)) {
        if (person == comment.author_id)
            continue;
        people::NewNotification notification{"mention", person, comment.author_id, comment.project_id};
        notification.task_id = comment.task_id;
        notification.comment_id = comment.id;
        notified.push_back(people::write_notification(c, notification));
    }
}

/// The people a reply names, by name and through their department's members in the team.
std::vector<std::string> mentioned_in_reply(Connection& c, const PostedReply& reply) {
    const auto rows =
        c.exec_prepared(R"(SELECT m::text FROM unnest($1::uuid[]) m
        UNION ALL
        SELECT l.person_id::text FROM department_link l
        JOIN project_person_link t ON t.person_id = l.person_id AND t.project_id = $3::uuid
        WHERE l.department_id = ANY($2::uuid[]))",
               {crud::array_literal(reply.mentions), crud::array_literal(reply.department_mentions), reply.project_id});
    std::vector<std::string> people;
    for (int row = 0; row < rows.rows(); ++row)
        people.emplace_back(rows.get(row, 0));
    return people;
}

/// The production's news item; concepts stay out of the news.
void write_news(Connection& c, const PostedComment& comment) {
    const auto news = c.exec_prepared(R"(WITH made AS (
            INSERT INTO news (id, change, author_id, comment_id, task_id, created_at, updated_at)
            SELECT gen_random_uuid(), $3::boolean, $2::uuid, cm.id, t.id, cm.created_at, now() AT TIME ZONE 'utc'
            FROM comment cm JOIN task t ON t.id = cm.object_id
            JOIN entity e ON e.id = t.entity_id JOIN entity_type et ON et.id = e.entity_type_id
            WHERE cm.id = $1::uuid AND et.name <> 'Concept'
            RETURNING id, task_id)
        SELECT made.id, t.task_type_id FROM made JOIN task t ON t.id = made.task_id)",
                             {comment.id, comment.author_id, comment.status_changed ? "true" : "false"});
    if (news.rows() == 0)
        return;
    JsonWriter data;
    data.begin_object()
        .field("news_id", std::string(news.get(0, "id")))
        .field("task_status_id", comment.task_status_id)
        .field("task_type_id", std::string(news.get(0, "task_type_id")))
        .end_object();
    queries::insert_event(c, "news:new", comment.caller_id, comment.project_id, data.take());
}

/// The production's automations the task now triggers: not archived, its task type and new
/// status, its entity's kind ("asset" for any asset type), and never a step back in the
/// production's task type order (no cycles), except to set "ready for".
constexpr const char* triggered_automations_sql = R"(
SELECT a.out_field_type, a.out_task_type_id, a.out_task_status_id, t.entity_id,
       COALESCE(a.import_last_revision, false) AS import_last_revision,
       in_type.name AS in_task_type_name, in_status.name AS in_task_status_name,
       (SELECT o.id FROM task o WHERE o.entity_id = t.entity_id AND o.task_type_id = a.out_task_type_id
        ORDER BY o.created_at LIMIT 1) AS out_task_id
FROM task t
JOIN entity e ON e.id = t.entity_id JOIN entity_type et ON et.id = e.entity_type_id
JOIN project_status_automation_link pl ON pl.project_id = t.project_id
JOIN status_automation a ON a.id = pl.status_automation_id
JOIN task_type in_type ON in_type.id = a.in_task_type_id
JOIN task_status in_status ON in_status.id = a.in_task_status_id
WHERE t.id = $1::uuid AND NOT COALESCE(a.archived, false)
  AND a.in_task_type_id = t.task_type_id AND a.in_task_status_id = t.task_status_id
  AND CASE WHEN lower(COALESCE(a.entity_type, '')) = 'asset'
           THEN et.name NOT IN ('Shot', 'Sequence', 'Episode', 'Scene', 'Edit', 'Concept')
           ELSE lower(et.name) = lower(COALESCE(a.entity_type, '')) END
  AND (a.out_field_type = 'ready_for' OR
       COALESCE((SELECT l.priority FROM project_task_type_link l JOIN task_type x ON x.id = l.task_type_id
                 WHERE l.project_id = t.project_id AND l.task_type_id = a.in_task_type_id
                   AND x.for_entity = initcap(a.entity_type)), 0) <=
       COALESCE((SELECT l.priority FROM project_task_type_link l JOIN task_type x ON x.id = l.task_type_id
                 WHERE l.project_id = t.project_id AND l.task_type_id = a.out_task_type_id
                   AND x.for_entity = initcap(a.entity_type)), 0))
ORDER BY a.created_at)";

/// The previews of the source task's last revision, copied onto the automation's comment (a new
/// revision of the target task), as Zou's import_last_revision does.
void import_last_revision(Connection& c, storage::StagedFiles& staged, const std::string& source_task,
                          const CommentAnswer& comment, const std::string& target_task) {
    const auto previews = c.exec(R"(SELECT p.id FROM preview_file p
        WHERE p.task_id = $1::uuid
          AND p.revision IS NOT DISTINCT FROM (SELECT l.revision FROM preview_file l WHERE l.task_id = $1::uuid
                                               ORDER BY l.revision DESC, l.created_at LIMIT 1)
        ORDER BY p.position, p.created_at)",
                                 {source_task});
    for (int row = 0; row < previews.rows(); ++row) {
        const std::string copy =
            add_preview_to_comment(c, comment.id(), target_task, comment.person_id(), std::nullopt);
        copy_preview_file(c, staged, std::string(previews.get(row, "id")), copy);
    }
}

void run_automations(Connection& c, storage::StagedFiles& staged, const PostedComment& comment,
                     std::vector<std::string>& notified) {
    // Automations that trigger each other in a circle would post comments without end (Zou
    // recurses until its stack gives out): a chain stops after a few steps.
    thread_local int depth = 0;
    if (depth >= 8)
        return;
    struct Step {
        Step() { ++depth; }
        ~Step() { --depth; }
    } step;
    const auto triggered = c.exec_prepared(triggered_automations_sql, {comment.task_id});
    for (int row = 0; row < triggered.rows(); ++row) {
        if (triggered.get(row, "out_field_type") == "ready_for") {
            const std::string asset(triggered.get(row, "entity_id"));
            const auto ready_for = triggered.optional(row, "out_task_type_id");
            c.exec("UPDATE entity SET ready_for = $2::uuid, updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid",
                   {asset, ready_for});
            JsonWriter data;
            data.begin_object().field("asset_id", asset).key("data").begin_object().key("ready_for");
            if (ready_for)
                data.string(*ready_for);
            else
                data.null();
            data.end_object().end_object();
            queries::insert_event(c, "asset:update", comment.caller_id, comment.project_id, data.take());
            continue;
        }
        const auto target = triggered.optional(row, "out_task_id");
        const auto status = triggered.optional(row, "out_task_status_id");
        if (!target || !status)
            continue;
        NewComment change;
        change.task_id = *target;
        change.task_status_id = *status;
        change.text = "Change triggered by " + std::string(triggered.get(row, "in_task_type_name")) + " set to " +
                      std::string(triggered.get(row, "in_task_status_name"));
        change.author_id = comment.author_id;
        change.caller_id = comment.caller_id;
        const auto posted = create_comment(c, staged.store(), change);
        notified.insert(notified.end(), posted.notification_ids.begin(), posted.notification_ids.end());
        if (triggered.get_bool(row, "import_last_revision"))
            import_last_revision(c, staged, comment.task_id, posted, *target);
    }
}

} // namespace

std::vector<std::string> renotify_mentions(Connection& c, const std::string& comment_id, const std::string& task_id,
                                           const std::string& project_id) {
    c.exec("DELETE FROM notification WHERE type = 'mention' AND comment_id = $1::uuid", {comment_id});
    const auto comment = c.exec("SELECT person_id, created_at FROM comment WHERE id = $1::uuid", {comment_id});
    std::vector<std::string> notified;
    if (comment.rows() == 0)
        return notified;
    for (const auto& person : mentioned(c, comment_id, project_id)) {
        people::NewNotification notification{"mention", person, comment.optional(0, "person_id").value_or(""),
                                             project_id};
        notification.task_id = task_id;
        notification.comment_id = comment_id;
        notification.created_at = comment.optional(0, "created_at");
        notified.push_back(people::write_notification(c, notification));
    }
    return notified;
}

std::vector<std::string> notify_reply(Connection& c, const PostedReply& reply) {
    auto recipients = followers(c, reply.task_id);
    const auto repliers = c.exec(R"(SELECT DISTINCT r->>'person_id' FROM comment cm,
        jsonb_array_elements(COALESCE(cm.replies, '[]'::jsonb)) r
        WHERE cm.id = $1::uuid AND r->>'person_id' IS NOT NULL)",
                                 {reply.comment_id});
    for (int row = 0; row < repliers.rows(); ++row)
        recipients.insert(std::string(repliers.get(row, 0)));
    recipients.erase(reply.author_id);
    if (reply.author_id != reply.comment_author_id)
        recipients.insert(reply.comment_author_id);
    std::vector<std::string> notified;
    auto notify = [&](const char* type, const std::string& person) {
        people::NewNotification notification{type, person, reply.author_id, reply.project_id};
        notification.task_id = reply.task_id;
        notification.comment_id = reply.comment_id;
        notification.reply_id = reply.id;
        notified.push_back(people::write_notification(c, notification));
    };
    for (const auto& person : recipients)
        notify("reply", person);
    for (const auto& person : mentioned_in_reply(c, reply))
        if (person != reply.author_id)
            notify("reply-mention", person);
    return notified;
}

std::vector<std::string> follow_new_comment(Connection& c, storage::StagedFiles& staged,
                                            const PostedComment& comment) {
    std::vector<std::string> notified;
    notify_followers(c, comment, notified);
    write_news(c, comment);
    run_automations(c, staged, comment, notified);
    return notified;
}

} // namespace slate::engine::services
