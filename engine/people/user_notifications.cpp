// engine/people/user_notifications.cpp: the SQL of notifications and subscriptions.
#include "engine/people/user_notifications.h"

#include "engine/crud/queries.h"
#include "engine/db/connection.h"
#include "engine/json.h"
#include "engine/people/entity_names.h"
#include "engine/serialize.h"
#include "engine/uuid.h"

#include <Poco/JSON/Array.h>

#include <sstream>

namespace slate::engine::user {
namespace {

using services::Identity;

void check_id(const std::optional<std::string>& value, const char* field) {
    if (value && !is_uuid(*value))
        throw_bad_request(std::string("Invalid UUID format for ") + field + ": " + *value);
}

/// One query for the whole page: the entity's full name (episode / sequence / shot, or asset
/// type / asset) and its episode, the comment's first preview and mentions, the reply the
/// notification is about, the playlist's production when it is about a playlist.
constexpr const char* notifications_sql = R"(
SELECT n.id, n.type, n.author_id, n.comment_id, n.task_id, t.task_type_id, cm.task_status_id,
       n.created_at, n.read, n.change, n.playlist_id,
       CASE WHEN n.playlist_id IS NULL THEN p.id ELSE pl_p.id END AS project_id,
       CASE WHEN n.playlist_id IS NULL THEN p.name ELSE pl_p.name END AS project_name,
       cm.text AS comment_text, a.role AS author_role, s.id AS subscription_id,
       %FULL_NAME% AS full_entity_name,
       CASE WHEN n.playlist_id IS NOT NULL THEN pl.episode_id
            WHEN et.name = 'Shot' THEN gpar.id
            WHEN et.name = 'Sequence' THEN par.id
            WHEN et.name = 'Episode' THEN NULL
            ELSE e.source_id END AS episode_id,
       CASE WHEN n.playlist_id IS NULL THEN e.preview_file_id END AS entity_preview_file_id,
       COALESCE(pl.name, '') AS playlist_name, COALESCE(pl.for_entity, '') AS playlist_for_entity,
       COALESCE(pl.is_for_all, false) AS playlist_is_for_all,
       (SELECT x.preview_file FROM comment_preview_link x WHERE x.comment = cm.id LIMIT 1) AS preview_file_id,
       COALESCE((SELECT array_agg(x.person::text) FROM comment_mentions x WHERE x.comment = cm.id), '{}') AS mentions,
       COALESCE((SELECT array_agg(x.department::text) FROM comment_department_mentions x WHERE x.comment = cm.id),
                '{}') AS department_mentions,
       CASE WHEN n.type IN ('reply', 'reply-mention') THEN
            (SELECT r FROM jsonb_array_elements(CASE jsonb_typeof(cm.replies) WHEN 'array' THEN cm.replies
                                                ELSE '[]'::jsonb END) r
             WHERE r->>'id' = n.reply_id::text LIMIT 1) END AS reply
FROM notification n
JOIN person a ON a.id = n.author_id
LEFT JOIN task t ON t.id = n.task_id
LEFT JOIN project p ON p.id = t.project_id
LEFT JOIN subscription s ON s.task_id = t.id AND s.person_id = $1::uuid
LEFT JOIN comment cm ON cm.id = n.comment_id
LEFT JOIN entity e ON e.id = t.entity_id %NAME_JOINS%
LEFT JOIN playlist pl ON pl.id = n.playlist_id
LEFT JOIN project pl_p ON pl_p.id = pl.project_id
WHERE n.person_id = $1::uuid)";

/// A JSON array member of a reply (`mentions`), [] when absent or null.
std::string reply_list(const Poco::JSON::Object::Ptr& reply, const std::string& name) {
    if (!reply || !reply->has(name) || reply->isNull(name))
        return "[]";
    std::ostringstream out;
    reply->get(name).extract<Poco::JSON::Array::Ptr>()->stringify(out);
    return out.str();
}

void write_notification(JsonWriter& out, const db::Result& rows, int row, bool artist) {
    auto value = [&](const char* name) {
        out.key(name);
        write_value(out, rows, row, rows.column_index(name));
    };
    Poco::JSON::Object::Ptr reply;
    if (!rows.is_null(row, rows.column_index("reply")))
        reply = parse_json_object(rows.get(row, "reply"));
    std::string reply_text;
    if (reply && reply->has("text") && !reply->isNull("text"))
        reply_text = reply->getValue<std::string>("text");
    // Artists never read what clients wrote.
    const bool hide_text = artist && rows.get(row, "author_role") == "client";
    out.begin_object();
    value("id");
    out.field("type", "Notification");
    out.key("notification_type");
    write_value(out, rows, row, rows.column_index("type"));
    for (const char* name :
         {"author_id", "comment_id", "task_id", "task_type_id", "task_status_id", "mentions", "department_mentions"})
        value(name);
    out.key("reply_mentions").raw(reply_list(reply, "mentions"));
    out.key("reply_department_mentions").raw(reply_list(reply, "department_mentions"));
    for (const char* name : {"preview_file_id", "project_id", "project_name"})
        value(name);
    if (hide_text)
        out.field("comment_text", "");
    else
        value("comment_text");
    out.field("reply_text", hide_text ? std::string() : reply_text);
    for (const char* name :
         {"created_at", "read", "change", "full_entity_name", "episode_id", "entity_preview_file_id", "subscription_id",
          "playlist_id", "playlist_name", "playlist_for_entity", "playlist_is_for_all"})
        value(name);
    out.end_object();
}

/// Notification.serialize(): the "type" column is "notification_type", "type" the model.
void write_notification_row(JsonWriter& out, const db::Result& rows, int row) {
    out.begin_object();
    write_row_fields(out, rows, row, {"type"});
    out.key("notification_type");
    write_value(out, rows, row, rows.column_index("type"));
    out.field("type", "Notification");
    out.end_object();
}

std::string notification_rows_json(const db::Result& rows) {
    JsonWriter out;
    out.begin_array();
    for (int row = 0; row < rows.rows(); ++row)
        write_notification_row(out, rows, row);
    out.end_array();
    return out.take();
}

db::Result subscription_row(db::Connection& c, const std::string& where, const db::Params& params) {
    return c.exec("SELECT * FROM subscription WHERE " + where + " LIMIT 1", params);
}

} // namespace

std::string notifications_json(db::Connection& c, const Identity& caller, const NotificationQuery& query) {
    check_id(query.notification_id, "notification_id");
    check_id(query.task_type_id, "task_type_id");
    check_id(query.task_status_id, "task_status_id");
    std::string sql = notifications_sql;
    sql.replace(sql.find("%FULL_NAME%"), 11, full_entity_name_sql);
    sql.replace(sql.find("%NAME_JOINS%"), 12, entity_name_joins);
    db::Params params{caller.person_id};
    auto param = [&params](const db::Param& value) {
        params.push_back(value);
        return "$" + std::to_string(params.size());
    };
    if (query.notification_id)
        sql += " AND n.id = " + param(query.notification_id) + "::uuid";
    if (query.after)
        sql += " AND n.created_at > " + param(query.after) + "::timestamp";
    if (query.before)
        sql += " AND n.created_at < " + param(query.before) + "::timestamp";
    if (query.task_type_id)
        sql += " AND t.task_type_id = " + param(query.task_type_id) + "::uuid";
    if (query.task_status_id)
        sql += " AND t.task_status_id = " + param(query.task_status_id) + "::uuid";
    if (query.type)
        sql += " AND n.type = " + param(query.type);
    if (query.read)
        sql += " AND n.read = " + param(*query.read ? "true" : "false") + "::boolean";
    if (query.watching)
        sql += *query.watching ? " AND s.id IS NOT NULL" : " AND s.id IS NULL";
    sql += " ORDER BY n.created_at DESC LIMIT 100";
    db::Result rows;
    try {
        rows = c.exec(sql, params);
    } catch (const db::DbError& e) {
        if (e.kind() != ErrorKind::bad_request || (!query.after && !query.before))
            throw;
        throw_bad_request("Wrong date format for after or before.");
    }
    JsonWriter out;
    out.begin_array();
    for (int row = 0; row < rows.rows(); ++row)
        write_notification(out, rows, row, caller.role == "user");
    out.end_array();
    return out.take();
}

std::string notification_json(db::Connection& c, const Identity& caller, const std::string& id) {
    NotificationQuery query;
    query.notification_id = id;
    std::string list = notifications_json(c, caller, query);
    if (list == "[]")
        throw_not_found(not_found_message);
    return list.substr(1, list.size() - 2); // the one object of the array
}

std::string set_notification_read(db::Connection& c, const Identity& caller, const std::string& id, bool read) {
    if (!is_uuid(id))
        throw_not_found(not_found_message);
    db::Transaction transaction(c);
    auto row = c.exec("UPDATE notification SET read = $1::boolean, updated_at = now() AT TIME ZONE 'utc' "
                      "WHERE id = $2::uuid AND person_id = $3::uuid RETURNING *",
                      {read ? "true" : "false", id, caller.person_id});
    if (row.rows() == 0)
        throw_not_found(not_found_message);
    JsonWriter data;
    data.begin_object().field("person_id", caller.person_id).field("notification_id", id).end_object();
    queries::insert_event(c, read ? "notification:read" : "notification:unread", caller.person_id, std::nullopt,
                          data.take());
    transaction.commit();
    JsonWriter out;
    write_notification_row(out, row, 0);
    return out.take();
}

void mark_all_notifications_read(db::Connection& c, const Identity& caller) {
    db::Transaction transaction(c);
    c.exec("UPDATE notification SET read = true WHERE person_id = $1::uuid AND read = false", {caller.person_id});
    JsonWriter data;
    data.begin_object().field("person_id", caller.person_id).end_object();
    queries::insert_event(c, "notification:all-read", caller.person_id, std::nullopt, data.take());
    transaction.commit();
}

bool has_task_subscription(db::Connection& c, const std::string& person_id, const std::string& task_id) {
    if (!is_uuid(task_id))
        return false;
    return subscription_row(c, "person_id = $1::uuid AND task_id = $2::uuid", {person_id, task_id}).rows() > 0;
}

std::string subscribe_to_task(db::Connection& c, const std::string& person_id, const std::string& task_id) {
    if (!is_uuid(task_id) || c.exec("SELECT 1 FROM task WHERE id = $1::uuid", {task_id}).rows() == 0)
        throw_not_found(not_found_message);
    auto row = subscription_row(c, "person_id = $1::uuid AND task_id = $2::uuid", {person_id, task_id});
    if (row.rows() == 0)
        row = c.exec("INSERT INTO subscription (id, person_id, task_id, created_at, updated_at) VALUES ($1::uuid, "
                     "$2::uuid, $3::uuid, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc') RETURNING *",
                     {new_uuid(), person_id, task_id});
    return row_json(row, 0, "Subscription");
}

void unsubscribe_from_task(db::Connection& c, const std::string& person_id, const std::string& task_id) {
    if (is_uuid(task_id))
        c.exec("DELETE FROM subscription WHERE person_id = $1::uuid AND task_id = $2::uuid", {person_id, task_id});
}

bool has_sequence_subscription(db::Connection& c, const std::string& person_id, const std::string& sequence_id,
                               const std::string& task_type_id) {
    if (!is_uuid(sequence_id) || !is_uuid(task_type_id))
        return false;
    return subscription_row(c, "person_id = $1::uuid AND entity_id = $2::uuid AND task_type_id = $3::uuid",
                            {person_id, sequence_id, task_type_id})
               .rows() > 0;
}

std::string subscribe_to_sequence(db::Connection& c, const std::string& person_id, const std::string& sequence_id,
                                  const std::string& task_type_id) {
    if (!is_uuid(sequence_id) || !is_uuid(task_type_id) ||
        c.exec("SELECT 1 FROM entity WHERE id = $1::uuid", {sequence_id}).rows() == 0 ||
        c.exec("SELECT 1 FROM task_type WHERE id = $1::uuid", {task_type_id}).rows() == 0)
        throw_not_found(not_found_message);
    auto row = subscription_row(c, "person_id = $1::uuid AND entity_id = $2::uuid AND task_type_id = $3::uuid",
                                {person_id, sequence_id, task_type_id});
    if (row.rows() == 0)
        row = c.exec("INSERT INTO subscription (id, person_id, entity_id, task_type_id, created_at, updated_at) "
                     "VALUES ($1::uuid, $2::uuid, $3::uuid, $4::uuid, now() AT TIME ZONE 'utc', "
                     "now() AT TIME ZONE 'utc') RETURNING *",
                     {new_uuid(), person_id, sequence_id, task_type_id});
    return row_json(row, 0, "Subscription");
}

void unsubscribe_from_sequence(db::Connection& c, const std::string& person_id, const std::string& sequence_id,
                               const std::string& task_type_id) {
    if (is_uuid(sequence_id) && is_uuid(task_type_id))
        c.exec("DELETE FROM subscription WHERE person_id = $1::uuid AND entity_id = $2::uuid "
               "AND task_type_id = $3::uuid",
               {person_id, sequence_id, task_type_id});
}

std::string sequence_subscriptions_json(db::Connection& c, const std::string& person_id, const std::string& project_id,
                                        const std::string& task_type_id) {
    if (!is_uuid(project_id) || !is_uuid(task_type_id))
        return "[]";
    const auto rows = c.exec("SELECT s.entity_id FROM subscription s JOIN entity e ON e.id = s.entity_id "
                             "WHERE e.project_id = $1::uuid AND s.task_type_id = $2::uuid AND s.person_id = $3::uuid",
                             {project_id, task_type_id, person_id});
    JsonWriter out;
    out.begin_array();
    for (int row = 0; row < rows.rows(); ++row)
        out.string(rows.get(row, 0));
    out.end_array();
    return out.take();
}

std::string project_subscriptions_json(db::Connection& c, const std::string& project_id) {
    return rows_json(c.exec("SELECT s.* FROM subscription s JOIN task t ON t.id = s.task_id "
                            "WHERE t.project_id = $1::uuid",
                            {project_id}),
                     "Subscription");
}

std::string project_notifications_json(db::Connection& c, const std::string& project_id, int64_t page) {
    const std::string from = "FROM notification n JOIN task t ON t.id = n.task_id WHERE t.project_id = $1::uuid";
    const std::string order = " ORDER BY n.updated_at DESC";
    if (page < 1)
        return notification_rows_json(c.exec("SELECT n.* " + from + order, {project_id}));
    constexpr int64_t limit = 100; // NB_RECORDS_PER_PAGE
    const int64_t total = c.exec("SELECT count(*) AS n " + from, {project_id}).get_int(0, "n");
    const int64_t offset = (page - 1) * limit;
    const int64_t pages = (total + limit - 1) / limit;
    JsonWriter out;
    out.begin_object();
    if (total < offset) {
        out.key("data").begin_array().end_array();
        out.field("total", int64_t(0));
    } else {
        out.key("data").raw(
            notification_rows_json(c.exec("SELECT n.* " + from + order + " LIMIT $2::bigint OFFSET $3::bigint",
                                          {project_id, std::to_string(limit), std::to_string(offset)})));
        out.field("total", total);
    }
    out.field("nb_pages", pages).field("limit", limit).field("offset", offset).field("page", page);
    out.end_object();
    return out.take();
}

} // namespace slate::engine::user
