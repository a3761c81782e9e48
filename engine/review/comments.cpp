#include "engine/review/comments.h"
#include "engine/people/person_name.h"

#include "engine/crud/crud_service.h"
#include "engine/review/comment_followups.h"
#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/json.h"
#include "engine/models/catalog.h"
#include "engine/crud/queries.h"
#include "engine/crud/values.h"
#include "engine/serialize.h"
#include "engine/storage/file_store.h"
#include "engine/storage/staged_files.h"
#include "engine/uuid.h"

#include <cctype>

namespace slate::engine::services {
namespace {

using db::Connection;

std::string object_of(std::initializer_list<std::pair<const char*, std::string>> fields) {
    JsonWriter out;
    out.begin_object();
    for (const auto& [key, value] : fields)
        out.field(key, value);
    out.end_object();
    return out.take();
}

/// Whether `text` holds "@<name>" followed by a space or its end (Zou's mention rule).
bool mentions(const std::string& text, const std::string& name) {
    const std::string needle = "@" + name;
    for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
        const size_t end = at + needle.size();
        if (end == text.size() || text[end] == ' ')
            return true;
    }
    return false;
}

std::vector<std::string> mentioned_people(Connection& c, const std::string& project_id, const std::string& text) {
    std::vector<std::string> ids;
    if (text.find('@') == std::string::npos)
        return ids;
    const auto team = c.exec("SELECT p.id, " + people::full_name_sql("p") +
                                 " AS full_name FROM project_person_link l JOIN person p ON p.id = l.person_id "
                                 "WHERE l.project_id = $1::uuid",
                             {project_id});
    for (int row = 0; row < team.rows(); ++row)
        if (mentions(text, std::string(team.get(row, "full_name"))))
            ids.emplace_back(team.get(row, "id"));
    return ids;
}

std::vector<std::string> mentioned_departments(Connection& c, const std::string& text) {
    std::vector<std::string> ids;
    if (text.find('@') == std::string::npos)
        return ids;
    const auto departments = c.exec("SELECT id, name FROM department");
    for (int row = 0; row < departments.rows(); ++row)
        if (mentions(text, std::string(departments.get(row, "name"))))
            ids.emplace_back(departments.get(row, "id"));
    return ids;
}

std::string extension_of(const std::string& name) {
    const auto dot = name.rfind('.');
    if (dot == std::string::npos)
        return "";
    std::string ext = name.substr(dot + 1);
    for (auto& ch : ext)
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return ext;
}

/// A PostgreSQL text[] literal.
std::string text_array(const std::vector<std::string>& values) {
    std::string out = "{";
    for (size_t i = 0; i < values.size(); ++i) {
        if (i)
            out += ",";
        out += '"';
        for (char ch : values[i]) {
            if (ch == '"' || ch == '\\')
                out += '\\';
            out += ch;
        }
        out += '"';
    }
    return out + "}";
}

/// The comment's timestamp: the given one when it reads as a date, else now.
std::optional<std::string> given_date(Connection& c, const std::string& created_at) {
    if (created_at.empty())
        return std::nullopt;
    // "YYYY-MM-DD HH:MM:SS" and ISO 8601 (with or without a zone, turned into UTC).
    const auto parsed = c.exec(R"(SELECT CASE WHEN $1 ~ '(Z|[+-]\d\d:?\d\d)$'
            THEN ($1::timestamptz AT TIME ZONE 'utc')::text ELSE $1::timestamp::text END AS at)",
                               {created_at});
    return std::string(parsed.get(0, "at"));
}

} // namespace

std::string CommentAnswer::id() const {
    return std::string(row.get(0, "id"));
}

std::string CommentAnswer::person_id() const {
    return std::string(row.get(0, "person_id"));
}

CommentAnswer read_comment_answer(Connection& c, const std::string& comment_id, std::string attachments_json,
                                  bool author_relations) {
    CommentAnswer answer;
    answer.row = queries::select_by_id(c, *models::find_table("comment"), comment_id, true);
    if (answer.row.rows() == 0)
        throw_not_found(not_found_message);
    answer.attachment_files = std::move(attachments_json);
    answer.task_status =
        crud::serialize_by_id(c, "task-status", std::string(answer.row.get(0, "task_status_id")), false);
    answer.person = crud::serialize_by_id(c, "persons", answer.person_id(), author_relations);
    return answer;
}

void write_comment_members(JsonWriter& out, const CommentAnswer& comment) {
    write_row_fields(out, comment.row, 0, {"attachment_files"});
    out.field("type", "Comment");
    out.key("attachment_files").raw(comment.attachment_files);
    out.key("task_status").raw(comment.task_status);
    out.key("person").raw(comment.person);
}

std::string comment_answer_json(const CommentAnswer& comment) {
    JsonWriter out;
    out.begin_object();
    write_comment_members(out, comment);
    out.end_object();
    return out.take();
}

std::string comment_json(Connection& c, const std::string& comment_id, const std::string& attachments_json) {
    return comment_answer_json(read_comment_answer(c, comment_id, attachments_json));
}

namespace {

/// Attachment rows owned by `owner_column` (a comment or a chat message), their files (and
/// thumbnails) moved into the store through `staged`: the answer's [{id, name, extension, size}].
std::string insert_attachments(Connection& c, storage::StagedFiles& staged, const std::string& owner_column,
                               const std::string& owner_id, const std::optional<std::string>& reply_id,
                               const std::vector<Attachment>& attachments) {
    JsonWriter out;
    out.begin_array();
    for (const auto& attachment : attachments) {
        const std::string id = new_uuid();
        const std::string extension = extension_of(attachment.name).substr(0, 6);
        c.exec("INSERT INTO attachment_file (id, name, size, extension, mimetype, " + owner_column +
                   R"(, reply_id, created_at, updated_at)
                   VALUES ($1::uuid, $2, $3::bigint, $4, $5, $6::uuid, $7::uuid, now() AT TIME ZONE 'utc',
                           now() AT TIME ZONE 'utc'))",
               {id, attachment.name, std::to_string(attachment.size), extension, attachment.mimetype, owner_id,
                reply_id});
        staged.move_in(storage::Bucket::files, storage::make_key("attachments", id), attachment.source);
        if (attachment.thumbnail)
            staged.move_in(storage::Bucket::pictures, storage::make_key("thumbnails", id), *attachment.thumbnail);
        out.begin_object()
            .field("id", id)
            .field("name", attachment.name)
            .field("extension", extension)
            .field("size", attachment.size)
            .end_object();
    }
    out.end_array();
    return out.take();
}

} // namespace

std::string add_attachments(Connection& c, storage::StagedFiles& staged, const std::string& comment_id,
                            const std::optional<std::string>& reply_id, const std::vector<Attachment>& attachments) {
    return insert_attachments(c, staged, "comment_id", comment_id, reply_id, attachments);
}

std::string add_chat_attachments(Connection& c, storage::StagedFiles& staged, const std::string& message_id,
                                 const std::vector<Attachment>& attachments) {
    return insert_attachments(c, staged, "chat_message_id", message_id, std::nullopt, attachments);
}

void remove_attachment(Connection& c, const std::string& attachment_id, storage::DeletedFiles& deleted) {
    queries::gather_stored_files(c, "attachment_file", {attachment_id}, deleted);
    c.exec("DELETE FROM attachment_file WHERE id = $1::uuid", {attachment_id});
}

namespace {

/// Zou's get_comment_hashtags: "#" then letters, lowercased; "all" stands for every one.
std::vector<std::string> hashtags_of(const std::string& text) {
    std::vector<std::string> tags;
    for (size_t at = text.find('#'); at != std::string::npos; at = text.find('#', at + 1)) {
        std::string tag;
        for (size_t i = at + 1; i < text.size() && std::isalpha(static_cast<unsigned char>(text[i])); ++i)
            tag.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(text[i]))));
        if (tag == "all")
            return {"all"};
        tags.push_back(tag);
    }
    return tags;
}

/// The copies Zou's _handle_hashtags posts: on the entity's other tasks the hashtags name, each
/// at its own status, by the same author.
std::vector<NewComment> hashtag_copies(Connection& c, const NewComment& comment, const std::string& task_type_name) {
    const auto tags = hashtags_of(comment.text);
    if (tags.empty())
        return {};
    const bool all = tags.front() == "all";
    const auto siblings = c.exec(R"(SELECT o.id, o.task_status_id FROM task t
        JOIN task o ON o.entity_id = t.entity_id JOIN task_type tt ON tt.id = o.task_type_id
        WHERE t.id = $1::uuid AND lower(tt.name) <> lower($2)
          AND ($3::boolean OR lower(tt.name) = ANY($4::text[]))
        ORDER BY tt.priority, tt.name, o.created_at)",
                                 {comment.task_id, task_type_name, all ? "true" : "false", crud::array_literal(tags)});
    std::vector<NewComment> copies;
    for (int row = 0; row < siblings.rows(); ++row) {
        NewComment copy;
        copy.task_id = siblings.get(row, "id");
        copy.task_status_id = siblings.get(row, "task_status_id");
        copy.text = comment.text + "\n\n____\nFrom " + task_type_name + " task";
        copy.author_id = comment.author_id;
        copy.caller_id = comment.caller_id;
        copy.with_hashtags = false;
        copies.push_back(std::move(copy));
    }
    return copies;
}

} // namespace

CommentAnswer create_comment(Connection& c, const storage::LocalFileStore& files, const NewComment& comment) {
    storage::StagedFiles staged(files); // put back after the transaction rolls back
    db::Transaction transaction(c);
    const auto task = c.exec_prepared(R"(SELECT t.project_id, t.entity_id, t.task_status_id, t.retake_count,
            t.last_comment_date::text AS last_comment_date, t.real_start_date, p.max_retakes,
            NULLIF(e.data->>'max_retakes', '') AS entity_max_retakes, COALESCE(tt.name, '') AS task_type_name
        FROM task t JOIN project p ON p.id = t.project_id JOIN entity e ON e.id = t.entity_id
        LEFT JOIN task_type tt ON tt.id = t.task_type_id
        WHERE t.id = $1::uuid FOR UPDATE OF t)",
                             {comment.task_id});
    const auto status = is_uuid(comment.task_status_id)
                            ? c.exec_prepared("SELECT * FROM task_status WHERE id = $1::uuid", {comment.task_status_id})
                            : c.exec_prepared("SELECT * FROM task_status WHERE false");
    if (task.rows() == 0 || status.rows() == 0)
        throw_not_found(not_found_message);
    const std::string project_id(task.get(0, "project_id"));
    const bool is_retake = status.get_bool(0, "is_retake");

    // The retake cap: the entity's own when it sets one, else the project's; 0 is no cap.
    if (is_retake) {
        const long long project_cap = std::stoll(task.optional(0, "max_retakes").value_or("0"));
        if (project_cap > 0) {
            long long cap = project_cap;
            try {
                cap = std::stoll(task.optional(0, "entity_max_retakes").value_or(std::to_string(project_cap)));
            } catch (const std::exception&) {
            }
            const long long retakes = std::stoll(task.optional(0, "retake_count").value_or("0"));
            if (cap > 0 && retakes >= cap)
                throw_bad_request("No more retakes allowed on this task");
        }
    }

    const std::string id = new_uuid();
    const auto created_at = given_date(c, comment.created_at);
    c.exec_prepared(R"(INSERT INTO comment (id, object_id, object_type, task_status_id, person_id, text,
                  checklist, links, for_client, replies, created_at, updated_at)
               VALUES ($1::uuid, $2::uuid, 'Task', $3::uuid, $4::uuid, $5, $6::jsonb, $7::varchar[], $8::boolean,
                       '[]'::jsonb, COALESCE($9::timestamp, now() AT TIME ZONE 'utc'), now() AT TIME ZONE 'utc'))",
           {id, comment.task_id, comment.task_status_id, comment.author_id, comment.text, comment.checklist_json,
            text_array(comment.links), comment.for_client ? "true" : "false", created_at});
    write_mentions(c, id, project_id, comment.text);
    const std::string attachments = add_attachments(c, staged, id, std::nullopt, comment.attachments);
    queries::insert_event(
        c, "comment:new", comment.caller_id, project_id,
        object_of({{"comment_id", id}, {"task_id", comment.task_id}, {"task_status_id", comment.task_status_id}}));

    std::vector<std::string> notified;
    if (comment.with_hashtags)
        for (const auto& copy : hashtag_copies(c, comment, std::string(task.get(0, "task_type_name")))) {
            auto posted = create_comment(c, files, copy);
            notified.insert(notified.end(), posted.notification_ids.begin(), posted.notification_ids.end());
        }

    // The task takes the comment's status, unless an older comment was posted (an import):
    // then its data is recomputed from the whole history.
    const auto placed = c.exec_prepared(R"(SELECT $1::timestamp IS NULL OR $1::timestamp <= created_at AS is_last
                                  FROM comment WHERE id = $2::uuid)",
                               {task.optional(0, "last_comment_date"), id});
    bool changed = false;
    if (!placed.get_bool(0, "is_last")) {
        reset_task_data(c, comment.task_id);
    } else {
        const std::string previous(task.get(0, "task_status_id"));
        changed = previous != comment.task_status_id;
        std::string set = "task_status_id = $2::uuid, last_comment_date = (SELECT created_at FROM comment "
                          "WHERE id = $3::uuid), updated_at = now() AT TIME ZONE 'utc'";
        if (changed) {
            if (is_retake)
                set += ", retake_count = COALESCE(retake_count, 0) + 1";
            if (status.get_bool(0, "is_wip"))
                set += ", real_start_date = COALESCE(real_start_date, now() AT TIME ZONE 'utc')";
            // update_task's dates: feedback stamps the end, anything but done clears it.
            if (status.get_bool(0, "is_feedback_request"))
                set += ", end_date = now() AT TIME ZONE 'utc'";
            else if (!status.get_bool(0, "is_done"))
                set += ", end_date = NULL";
            set += status.get_bool(0, "is_done") ? ", done_date = now() AT TIME ZONE 'utc'" : ", done_date = NULL";
        }
        c.exec_prepared("UPDATE task SET " + set + " WHERE id = $1::uuid", {comment.task_id, comment.task_status_id, id});
        queries::insert_event(c, "task:update", comment.caller_id, project_id,
                              object_of({{"task_id", comment.task_id}}));
        if (changed) {
            const auto change = object_of({{"task_id", comment.task_id},
                                           {"new_task_status_id", comment.task_status_id},
                                           {"previous_task_status_id", previous},
                                           {"person_id", comment.author_id}});
            queries::insert_event(c, "task:status-changed", comment.caller_id, project_id, change);
            if (status.get_bool(0, "is_feedback_request"))
                queries::insert_event(c, "task:to-review", comment.caller_id, project_id,
                                      object_of({{"task_id", comment.task_id},
                                                 {"new_task_status_id", comment.task_status_id},
                                                 {"previous_task_status_id", previous},
                                                 {"person_id", comment.author_id},
                                                 {"comment_id", id}}));
        }
    }

    const auto followers = follow_new_comment(c, staged,
                                              PostedComment{id, comment.task_id, project_id, comment.author_id,
                                                            comment.caller_id, comment.task_status_id, changed});
    notified.insert(notified.end(), followers.begin(), followers.end());

    // Zou's answer: the comment with relations, attachments presented, status and author.
    CommentAnswer answer = read_comment_answer(c, id, attachments, comment.author_named);
    answer.notification_ids = std::move(notified);
    transaction.commit();
    staged.keep();
    return answer;
}

std::string toggle_acknowledgement(Connection& c, const std::string& comment_id, const std::string& person_id,
                                   const std::string& project_id) {
    db::Transaction transaction(c);
    const auto removed = c.exec(R"(DELETE FROM comment_acknoledgments WHERE comment = $1::uuid
                                   AND person = $2::uuid RETURNING person)",
                                {comment_id, person_id});
    if (removed.rows() == 0)
        c.exec("INSERT INTO comment_acknoledgments (comment, person) VALUES ($1::uuid, $2::uuid)",
               {comment_id, person_id});
    // A live signal in Zou (not persisted): notified, not written to api_event.
    queries::signal_event(c, removed.rows() ? "comment:unacknowledge" : "comment:acknowledge", project_id,
                          object_of({{"comment_id", comment_id}, {"person_id", person_id}}));
    transaction.commit();
    return crud::serialize_by_id(c, "comments", comment_id, true);
}

void write_mentions(Connection& c, const std::string& comment_id, const std::string& project_id,
                    const std::string& text) {
    c.exec_prepared("DELETE FROM comment_mentions WHERE comment = $1::uuid", {comment_id});
    c.exec_prepared("DELETE FROM comment_department_mentions WHERE comment = $1::uuid", {comment_id});
    for (const auto& person : mentioned_people(c, project_id, text))
        c.exec("INSERT INTO comment_mentions (comment, person) VALUES ($1::uuid, $2::uuid) ON CONFLICT DO NOTHING",
               {comment_id, person});
    for (const auto& department : mentioned_departments(c, text))
        c.exec(R"(INSERT INTO comment_department_mentions (comment, department) VALUES ($1::uuid, $2::uuid)
                  ON CONFLICT DO NOTHING)",
               {comment_id, department});
}

void replay_task_status(Connection& c, const std::string& task_id, const std::string& previous_status_id,
                        const std::string& person_id, const std::optional<std::string>& caller_id) {
    reset_task_data(c, task_id);
    const auto task = c.exec("SELECT task_status_id, project_id FROM task WHERE id = $1::uuid", {task_id});
    if (task.rows() == 0 || task.get(0, "task_status_id") == previous_status_id)
        return;
    JsonWriter data;
    data.begin_object()
        .field("task_id", task_id)
        .field("new_task_status_id", std::string(task.get(0, "task_status_id")))
        .field("previous_task_status_id", previous_status_id)
        .field("person_id", person_id)
        .end_object();
    queries::insert_event(c, "task:status-changed", caller_id, task.optional(0, "project_id"), data.take());
}

void reset_task_data(Connection& c, const std::string& task_id) {
    // Walks the comments oldest first, as Zou does: a retake counts when it follows a
    // non-retake, the first work-in-progress starts the task, the first feedback request ends
    // it, the last done status dates it, the last comment gives the status.
    c.exec(R"(WITH history AS (
            SELECT cm.created_at, cm.task_status_id, s.is_retake, s.is_wip, s.is_feedback_request, s.is_done,
                   COALESCE(LAG(s.is_retake) OVER (ORDER BY cm.created_at), false) AS previous_is_retake,
                   ROW_NUMBER() OVER (ORDER BY cm.created_at DESC) AS from_last
            FROM comment cm JOIN task_status s ON s.id = cm.task_status_id
            WHERE cm.object_id = $1::uuid),
        summary AS (
            SELECT COUNT(*) FILTER (WHERE is_retake AND NOT previous_is_retake) AS retakes,
                   MIN(created_at) FILTER (WHERE is_wip) AS real_start,
                   MIN(created_at) FILTER (WHERE is_feedback_request) AS end_at,
                   MAX(created_at) FILTER (WHERE is_done) AS done_at,
                   MAX(created_at) AS last_comment,
                   MAX(task_status_id::text) FILTER (WHERE from_last = 1) AS last_status
            FROM history)
        UPDATE task t SET retake_count = summary.retakes, real_start_date = summary.real_start,
            end_date = summary.end_at, done_date = summary.done_at, last_comment_date = summary.last_comment,
            task_status_id = COALESCE(summary.last_status::uuid,
                (SELECT id FROM task_status WHERE is_default AND for_concept =
                    (SELECT et.name = 'Concept' FROM entity e JOIN entity_type et ON et.id = e.entity_type_id
                     WHERE e.id = t.entity_id) ORDER BY created_at LIMIT 1), t.task_status_id),
            duration = COALESCE((SELECT SUM(duration) FROM time_spent WHERE task_id = t.id), 0),
            updated_at = now() AT TIME ZONE 'utc'
        FROM summary WHERE t.id = $1::uuid)",
           {task_id});
    const auto task = c.exec("SELECT project_id FROM task WHERE id = $1::uuid", {task_id});
    if (task.rows())
        queries::insert_event(c, "task:update", std::nullopt, std::string(task.get(0, "project_id")),
                              object_of({{"task_id", task_id}}));
}

std::string reply_to_comment(Connection& c, const storage::LocalFileStore& files, const std::string& comment_id,
                             const std::string& person_id, const std::string& text,
                             const std::vector<Attachment>& attachments, std::vector<std::string>& notified) {
    storage::StagedFiles staged(files); // put back after the transaction rolls back
    db::Transaction transaction(c);
    const auto found = c.exec(R"(SELECT t.id AS task_id, t.project_id, cm.person_id FROM comment cm
        JOIN task t ON t.id = cm.object_id WHERE cm.id = $1::uuid FOR UPDATE OF cm)",
                              {comment_id});
    if (found.rows() == 0)
        throw_not_found(not_found_message);
    const std::string project_id(found.get(0, "project_id"));
    const std::string task_id(found.get(0, "task_id"));
    const std::string reply_id = new_uuid();
    const std::string now(
        c.exec("SELECT to_char(now() AT TIME ZONE 'utc', 'YYYY-MM-DD\"T\"HH24:MI:SS') AS now").get(0, "now"));
    const std::vector<std::string> people = mentioned_people(c, project_id, text);
    const std::vector<std::string> departments = mentioned_departments(c, text);
    // The reply as stored; the answer repeats these members and adds its files and author.
    auto write_reply_members = [&](JsonWriter& out) {
        out.field("id", reply_id).field("date", now).field("person_id", person_id).field("text", text);
        out.key("mentions").begin_array();
        for (const auto& id : people)
            out.string(id);
        out.end_array().key("department_mentions").begin_array();
        for (const auto& id : departments)
            out.string(id);
        out.end_array().field("created_at", now);
    };
    JsonWriter reply;
    reply.begin_object();
    write_reply_members(reply);
    reply.end_object();
    const std::string stored = reply.take();
    c.exec(R"(UPDATE comment SET replies = COALESCE(replies, '[]'::jsonb) || jsonb_build_array($2::jsonb),
                  updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid)",
           {comment_id, stored});
    const std::string attached = add_attachments(c, staged, comment_id, reply_id, attachments);
    queries::insert_event(c, "comment:reply", person_id, project_id,
                          object_of({{"task_id", task_id}, {"comment_id", comment_id}, {"reply_id", reply_id}}));
    notified = notify_reply(c, PostedReply{reply_id, comment_id, found.optional(0, "person_id").value_or(""), task_id,
                                           project_id, person_id, people, departments});
    const auto person = c.exec("SELECT id, first_name, last_name, " + people::full_name_sql("person") +
                                   " AS full_name, has_avatar, role FROM person WHERE id = $1::uuid",
                               {person_id});
    transaction.commit();
    staged.keep();
    // Each attachment carries the reply it belongs to. add_attachments answers its entries as
    // JSON text only (their ids are made there), so reply_id is put at the front of each entry.
    std::string with_reply = attached;
    for (size_t at = with_reply.find("{\"id\":"); at != std::string::npos; at = with_reply.find("{\"id\":", at + 1))
        with_reply.insert(at + 1, "\"reply_id\":\"" + reply_id + "\",");
    JsonWriter answer;
    answer.begin_object();
    write_reply_members(answer);
    if (!attachments.empty()) // Zou adds them only when files came
        answer.key("attachment_files").raw(with_reply);
    answer.key("person").begin_object(); // build_short_person
    write_row_fields(answer, person, 0);
    answer.end_object().end_object();
    return answer.take();
}

std::string delete_reply(Connection& c, const std::string& comment_id, const std::string& reply_id,
                         storage::DeletedFiles& deleted) {
    db::Transaction transaction(c);
    const auto found = c.exec(R"(SELECT t.id AS task_id, t.project_id, cm.person_id FROM comment cm
        JOIN task t ON t.id = cm.object_id WHERE cm.id = $1::uuid FOR UPDATE OF cm)",
                              {comment_id});
    if (found.rows() == 0)
        throw_not_found(not_found_message);
    const auto attachments =
        c.exec("SELECT id FROM attachment_file WHERE comment_id = $1::uuid AND reply_id = $2", {comment_id, reply_id});
    for (int row = 0; row < attachments.rows(); ++row)
        remove_attachment(c, std::string(attachments.get(row, "id")), deleted);
    c.exec(R"(UPDATE comment SET replies = COALESCE((SELECT jsonb_agg(r) FROM jsonb_array_elements(replies) r
                                                     WHERE r->>'id' IS DISTINCT FROM $2), '[]'::jsonb),
                  updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid)",
           {comment_id, reply_id});
    c.exec("DELETE FROM notification WHERE reply_id = $1::uuid", {is_uuid(reply_id) ? reply_id : new_uuid()});
    c.exec(
        "SELECT pg_notify('slate_events', json_build_object('name', 'comment:delete-reply', 'data', $1::jsonb, "
        "'project_id', $2::text)::text)",
        {object_of(
             {{"task_id", std::string(found.get(0, "task_id"))}, {"comment_id", comment_id}, {"reply_id", reply_id}}),
         std::string(found.get(0, "project_id"))});
    transaction.commit();
    return crud::serialize_by_id(c, "comments", comment_id, false);
}

std::string move_comment(Connection& c, const std::string& comment_id, const std::string& target_task_id,
                         const std::string& caller_id) {
    db::Transaction transaction(c);
    const auto comment = c.exec(R"(SELECT cm.object_id, cm.preview_file_id, cm.task_status_id,
            EXISTS (SELECT 1 FROM comment_preview_link l WHERE l.comment = cm.id) AS has_previews
        FROM comment cm WHERE cm.id = $1::uuid FOR UPDATE)",
                                {comment_id});
    if (comment.rows() == 0)
        throw_not_found(not_found_message);
    const std::string source_id(comment.get(0, "object_id"));
    const auto tasks = c.exec(R"(SELECT s.entity_id AS source_entity, s.project_id AS source_project,
            t.entity_id AS target_entity, t.project_id AS target_project
        FROM task s, task t WHERE s.id = $1::uuid AND t.id = $2::uuid)",
                              {source_id, target_task_id});
    if (tasks.rows() == 0)
        throw_not_found(not_found_message);
    if (source_id == target_task_id)
        throw_wrong_parameter("Source and target tasks must be different.");
    if (tasks.get(0, "source_entity") != tasks.get(0, "target_entity"))
        throw_wrong_parameter("A comment can only be moved between tasks of the same entity.");
    if (comment.optional(0, "preview_file_id") || comment.get_bool(0, "has_previews"))
        throw_wrong_parameter("A comment attached to a preview revision cannot be moved.");
    c.exec("DELETE FROM notification WHERE comment_id = $1::uuid", {comment_id});
    c.exec("DELETE FROM news WHERE comment_id = $1::uuid", {comment_id});
    c.exec("UPDATE comment SET object_id = $2::uuid, updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid",
           {comment_id, target_task_id});
    reset_task_data(c, source_id);
    reset_task_data(c, target_task_id);
    queries::insert_event(c, "comment:delete", caller_id, std::string(tasks.get(0, "source_project")),
                          object_of({{"comment_id", comment_id}}));
    queries::insert_event(c, "comment:new", caller_id, std::string(tasks.get(0, "target_project")),
                          object_of({{"comment_id", comment_id},
                                     {"task_id", target_task_id},
                                     {"task_status_id", std::string(comment.get(0, "task_status_id"))}}));
    transaction.commit();
    return crud::serialize_by_id(c, "comments", comment_id, true);
}

} // namespace slate::engine::services
