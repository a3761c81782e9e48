// engine/tasks/task_comments.cpp: the comments of a task: one query for the comments, one for
// their previews, one for their attachments, one for the authors of their replies.
#include "engine/tasks/task_comments.h"
#include "engine/people/person_name.h"

#include "engine/access.h"
#include "engine/crud/crud_service.h"
#include "engine/crud/queries.h"
#include "engine/crud/values.h"
#include "engine/db/connection.h"
#include "engine/json.h"
#include "engine/serialize.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <map>
#include <set>
#include <sstream>
#include <vector>

namespace slate::engine::tasks {
namespace {

/// Zou's _prepare_query: each comment with its status, author and editor in helper columns
/// ("x_…", after the comment's own), then `extra_columns`; FROM comment cm and its joins.
std::string comments_select_sql(std::string_view extra_columns) {
    return "SELECT cm.*, ts.name AS x_status_name, ts.short_name AS x_status_short_name, ts.color AS x_status_color, "
           "a.first_name AS x_first_name, a.last_name AS x_last_name, " +
           people::full_name_sql("a") +
           " AS x_full_name, a.has_avatar AS x_has_avatar, a.role AS x_role, a.is_guest AS x_is_guest, "
           "ed.first_name AS x_editor_first_name, ed.last_name AS x_editor_last_name, "
           "ed.has_avatar AS x_editor_has_avatar, ed.role AS x_editor_role" +
           std::string(extra_columns) +
           " FROM comment cm JOIN person a ON a.id = cm.person_id JOIN task_status ts ON ts.id = cm.task_status_id "
           "LEFT JOIN person ed ON ed.id = cm.editor_id ";
}

bool is_helper_column(std::string_view name) {
    return name.substr(0, 2) == "x_";
}

/// The comment's own columns and "type", as serialize() writes them.
void write_comment_columns(JsonWriter& out, const db::Result& comments, int row) {
    for (int column = 0; column < comments.columns() && !is_helper_column(comments.column_name(column)); ++column) {
        out.key(comments.column_name(column));
        write_value(out, comments, row, column);
    }
    out.field("type", "Comment");
}

/// "person": the author as _run_task_comments_query writes it, its object left open.
JsonWriter& write_author(JsonWriter& out, const db::Result& comments, int row) {
    out.key("person").begin_object().field("id", std::string(comments.get(row, "person_id")));
    for (const char* key : {"first_name", "last_name", "full_name", "has_avatar", "role"}) {
        out.key(key);
        write_value(out, comments, row, comments.column_index(std::string("x_") + key));
    }
    return out;
}

void write_editor(JsonWriter& out, const db::Result& comments, int row) {
    out.key("editor").begin_object().field("id", std::string(comments.get(row, "editor_id")));
    for (const char* key : {"first_name", "last_name", "has_avatar", "role"}) {
        out.key(key);
        write_value(out, comments, row, comments.column_index(std::string("x_editor_") + key));
    }
    out.end_object();
}

void write_status(JsonWriter& out, const db::Result& comments, int row) {
    out.key("task_status").begin_object().field("id", std::string(comments.get(row, "task_status_id")));
    for (const char* key : {"name", "short_name", "color"}) {
        out.key(key);
        write_value(out, comments, row, comments.column_index(std::string("x_status_") + key));
    }
    out.end_object();
}

/// The JSON text of each comment's list, keyed by comment id.
std::map<std::string, std::vector<std::string>> grouped(const db::Result& rows) {
    std::map<std::string, std::vector<std::string>> out;
    for (int row = 0; row < rows.rows(); ++row) {
        JsonWriter item;
        item.begin_object();
        for (int column = 1; column < rows.columns(); ++column) {
            item.key(rows.column_name(column));
            write_value(item, rows, row, column);
        }
        item.end_object();
        out[std::string(rows.get(row, 0))].push_back(item.take());
    }
    return out;
}

void write_list(JsonWriter& out, const std::map<std::string, std::vector<std::string>>& lists, const std::string& id) {
    out.begin_array();
    if (auto it = lists.find(id); it != lists.end())
        for (const auto& item : it->second)
            out.raw(item);
    out.end_array();
}

struct ShortPerson {
    std::string json;
    bool client = false;
};

/// The replies with their authors ("person": a short person, or null; clients only see
/// clients). Zou embeds no author at all when no reply of the task names one.
std::string replies_with_authors(std::string_view replies, const std::map<std::string, ShortPerson>& persons,
                                 bool for_client) {
    Poco::JSON::Array::Ptr list;
    try {
        list = Poco::JSON::Parser().parse(std::string(replies)).extract<Poco::JSON::Array::Ptr>();
    } catch (const std::exception&) {
        return std::string(replies); // not a list: left as stored
    }
    if (persons.empty())
        return std::string(replies);
    JsonWriter out;
    out.begin_array();
    for (std::size_t index = 0; index < list->size(); ++index) {
        const auto reply = list->getObject(static_cast<unsigned>(index));
        std::ostringstream raw;
        if (!reply) {
            Poco::JSON::Stringifier::stringify(list->get(static_cast<unsigned>(index)), raw);
            out.raw(raw.str());
            continue;
        }
        std::string author_id;
        if (reply->has("person_id") && !reply->isNull("person_id"))
            author_id = reply->get("person_id").toString();
        Poco::JSON::Object own(*reply); // Zou replaces any stored "person"
        own.remove("person");
        own.stringify(raw);
        std::string text = raw.str();
        const auto author = persons.find(author_id);
        const bool shown = author != persons.end() && (!for_client || author->second.client);
        text.pop_back(); // the closing brace: "person" goes last
        text += std::string(text.size() > 1 ? "," : "") + "\"person\":" + (shown ? author->second.json : "null") + "}";
        out.raw(text);
    }
    out.end_array();
    return out.take();
}

} // namespace

std::string task_comments_json(db::Connection& c, const services::Identity& caller, const std::string& task_id,
                               const std::string& role) {
    const bool client = role == "client";
    const bool manager = role == "admin" || role == "manager" || role == "supervisor";
    std::string sql = comments_select_sql(
        ", COALESCE((SELECT array_agg(x.person::text) FROM comment_acknoledgments x WHERE x.comment = cm.id), '{}') "
        "AS x_acknowledgements, "
        "COALESCE((SELECT array_agg(x.person::text) FROM comment_mentions x WHERE x.comment = cm.id), '{}') "
        "AS x_mentions, "
        "COALESCE((SELECT array_agg(x.department::text) FROM comment_department_mentions x WHERE x.comment = cm.id), "
        "'{}') AS x_department_mentions, "
        "p.is_clients_isolated AS x_isolated");
    sql += "JOIN task t ON t.id = cm.object_id JOIN project p ON p.id = t.project_id ";
    if (!manager && !client) // artists and vendors never read clients' comments
        sql += "LEFT JOIN project_person_link r ON r.person_id = a.id AND r.project_id = t.project_id "
               "WHERE cm.object_id = $1::uuid AND COALESCE(r.role, a.role) <> 'client' ";
    else
        sql += "WHERE cm.object_id = $1::uuid ";
    sql += "ORDER BY cm.created_at DESC";
    const auto comments = c.exec(sql, {task_id});

    // Clients never see the previews of a rejected revision.
    const auto previews = grouped(
        c.exec("SELECT l.comment, p.id, p.task_id, p.revision, p.extension, p.width, p.height, p.duration, "
               "COALESCE(p.status, 'ready') AS status, COALESCE(p.validation_status, 'neutral') AS validation_status, "
               "p.original_name, p.position, p.annotations FROM preview_file p "
               "JOIN comment_preview_link l ON l.preview_file = p.id JOIN comment cm ON cm.id = l.comment "
               "WHERE cm.object_id = $1::uuid AND ($2::boolean = false OR COALESCE(p.validation_status, 'neutral') <> "
               "'rejected') ORDER BY p.revision, p.position",
               {task_id, client ? "true" : "false"}));
    const auto attachments =
        grouped(c.exec("SELECT f.comment_id, f.id, f.name, f.extension, f.reply_id, f.size FROM attachment_file f "
                       "JOIN comment cm ON cm.id = f.comment_id WHERE cm.object_id = $1::uuid",
                       {task_id}));
    const auto authors = c.exec(
        "SELECT DISTINCT a.id, a.first_name, a.last_name, " + people::full_name_sql("a") +
            " AS full_name, a.has_avatar, a.role FROM comment cm "
            "CROSS JOIN LATERAL jsonb_array_elements(CASE jsonb_typeof(cm.replies) WHEN 'array' THEN cm.replies "
            "ELSE '[]'::jsonb END) r JOIN person a ON a.id::text = r->>'person_id' WHERE cm.object_id = $1::uuid",
        {task_id});
    std::map<std::string, ShortPerson> persons;
    for (int row = 0; row < authors.rows(); ++row) {
        JsonWriter person;
        person.begin_object();
        write_row_fields(person, authors, row);
        person.end_object();
        persons[std::string(authors.get(row, "id"))] = {person.take(), authors.get(row, "role") == "client"};
    }

    JsonWriter out;
    out.begin_array();
    for (int row = 0; row < comments.rows(); ++row) {
        const std::string id(comments.get(row, "id"));
        const bool author_client = comments.get(row, "x_role") == "client";
        const bool is_author = comments.get(row, "person_id") == caller.person_id;
        const bool for_client = comments.get_bool(row, "for_client");
        const bool has_previews = previews.count(id) > 0;
        bool blanked = false;
        if (client) {
            const bool isolated = comments.get_bool(row, "x_isolated");
            const bool allowed = for_client || (isolated && is_author) || (!isolated && author_client);
            blanked = has_previews && !author_client && !for_client; // the picture without the words
            if (!blanked && !allowed)
                continue;
        }
        out.begin_object();
        for (int column = 0; column < comments.columns(); ++column) {
            const std::string_view name = comments.column_name(column);
            if (is_helper_column(name))
                break;
            if (name == "replies" || (blanked && (name == "text" || name == "checklist")))
                continue;
            if (client && name == "editor_id" && !comments.is_null(row, column) &&
                comments.get(row, "x_editor_role") != "client") {
                out.field_null("editor_id");
                continue;
            }
            out.key(name);
            write_value(out, comments, row, column);
        }
        out.field("type", "Comment");
        if (blanked) {
            out.field("text", "");
            out.key("checklist").begin_array().end_array();
            out.key("replies").begin_array().end_array();
        } else if (comments.is_null(row, comments.column_index("replies"))) {
            out.field_null("replies");
        } else {
            out.key("replies").raw(replies_with_authors(comments.get(row, "replies"), persons, client));
        }
        // A client reads the names of clients only.
        if (client && !author_client)
            out.field_null("person");
        else
            write_author(out, comments, row).end_object();
        if (!comments.is_null(row, comments.column_index("editor_id")) &&
            !(client && comments.get(row, "x_editor_role") != "client"))
            write_editor(out, comments, row);
        else if (!comments.is_null(row, comments.column_index("editor_id")))
            out.field_null("editor");
        write_status(out, comments, row);
        out.key("acknowledgements");
        write_value(out, comments, row, comments.column_index("x_acknowledgements"));
        out.key("mentions");
        write_value(out, comments, row, comments.column_index("x_mentions"));
        out.key("department_mentions");
        write_value(out, comments, row, comments.column_index("x_department_mentions"));
        out.key("previews");
        write_list(out, previews, id);
        out.key("attachment_files");
        if (blanked)
            out.begin_array().end_array();
        else
            write_list(out, attachments, id);
        out.end_object();
    }
    out.end_array();
    return out.take();
}

void require_comment_access(db::Connection& c, const services::Identity& caller, const std::string& comment_id) {
    if (caller.role == "admin")
        return;
    const auto row = c.exec("SELECT t.project_id, t.entity_id, cm.person_id, cm.for_client, p.is_clients_isolated "
                            "FROM comment cm JOIN task t ON t.id = cm.object_id JOIN project p ON p.id = t.project_id "
                            "WHERE cm.id = $1::uuid",
                            {comment_id});
    if (row.rows() == 0)
        throw_not_found(not_found_message);
    const std::string project(row.get(0, "project_id"));
    access::require_project_access(caller, c, project);
    access::require_entity_access(caller, c, project, std::string(row.get(0, "entity_id")));
    const std::string role = access::effective_role(caller, c, project);
    if (role == "supervisor" || role == "manager")
        return;
    const std::string author(row.get(0, "person_id"));
    const bool author_client = queries::role_in_project(c, project, author) == "client";
    const bool for_client = row.get_bool(0, "for_client");
    if (role == "client") {
        if (row.get_bool(0, "is_clients_isolated") && author != caller.person_id && !for_client)
            throw_forbidden();
        if (author_client || for_client)
            return;
        throw_forbidden();
    }
    if (author_client)
        throw_forbidden();
}

std::string task_comment_json(db::Connection& c, const std::string& task_id, const std::string& comment_id) {
    const auto row = c.exec("SELECT object_id FROM comment WHERE id = $1::uuid", {comment_id});
    if (row.rows() == 0 || row.get(0, 0) != task_id)
        throw_not_found(not_found_message);
    return crud::serialize_by_id(c, "comments", comment_id, false);
}

std::string shared_task_comments_json(db::Connection& c, const std::vector<std::string>& task_ids) {
    const auto comments = c.exec(comments_select_sql("") +
                                     "WHERE cm.object_id = ANY($1::uuid[]) AND (cm.for_client OR a.is_guest) "
                                     "ORDER BY cm.object_id, cm.created_at DESC",
                                 {crud::array_literal(task_ids)});
    JsonWriter out;
    out.begin_array();
    for (int row = 0; row < comments.rows(); ++row) {
        out.begin_object();
        write_comment_columns(out, comments, row);
        write_author(out, comments, row).key("is_guest");
        write_value(out, comments, row, comments.column_index("x_is_guest"));
        out.end_object();
        if (!comments.is_null(row, comments.column_index("editor_id")))
            write_editor(out, comments, row);
        write_status(out, comments, row);
        out.end_object();
    }
    out.end_array();
    return out.take();
}

} // namespace slate::engine::tasks
