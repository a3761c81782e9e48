// engine/production/assets_with_tasks.cpp: the assets-with-tasks listing read through two
// cursors (assets, then their tasks in the same order) and written as it is read.
#include "engine/production/assets_with_tasks.h"

#include "engine/db/connection.h"
#include "engine/db/cursor_reader.h"
#include "engine/json.h"
#include "engine/production/assets.h"
#include "engine/production/production_common.h"
#include "engine/serialize.h"

#include <array>
#include <mutex>

namespace slate::engine::production {
namespace {

constexpr std::size_t flush_bytes = 64 * 1024;

const std::array<const char*, 14> asset_fields = {
    "id",       "name",      "preview_file_id", "description",         "asset_type_name",    "asset_type_id",
    "canceled", "ready_for", "episode_id",      "casting_episode_ids", "is_casting_standby", "is_shared",
    "data",     "tasks"};
const std::array<const char*, 19> task_fields = {"id",
                                                 "due_date",
                                                 "done_date",
                                                 "duration",
                                                 "entity_id",
                                                 "estimation",
                                                 "end_date",
                                                 "is_subscribed",
                                                 "last_comment_date",
                                                 "last_preview_file_id",
                                                 "priority",
                                                 "real_start_date",
                                                 "retake_count",
                                                 "start_date",
                                                 "difficulty",
                                                 "task_status_id",
                                                 "task_type_id",
                                                 "assignees",
                                                 "data"};

/// The WHERE conditions shared by the assets and the tasks query (Zou's
/// _apply_asset_and_tasks_criterions), over entity "e" and its type "et".
std::string conditions(const AssetsWithTasksQuery& q, db::Params& params) {
    std::string sql = " WHERE " + asset_type_condition("e");
    auto param = [&params](const std::string& value) {
        params.emplace_back(value);
        return placeholder(params.size()) + "::uuid";
    };
    if (q.id)
        sql += " AND e.id = " + param(*q.id);
    if (q.project_id)
        sql += " AND e.project_id = " + param(*q.project_id);
    if (q.episode_id && *q.episode_id == "main") {
        sql += " AND e.source_id IS NULL";
    } else if (q.episode_id && *q.episode_id != "all") {
        const std::string episode = param(*q.episode_id);
        sql +=
            " AND (e.source_id = " + episode +
            " OR EXISTS (SELECT 1 FROM entity_link cl WHERE cl.entity_out_id = e.id AND cl.entity_in_id = " + episode +
            "))";
    }
    if (q.assigned_to)
        sql += " AND EXISTS (SELECT 1 FROM task at JOIN task_person_link ap ON ap.task_id = at.id"
               " WHERE at.entity_id = e.id AND ap.person_id = " +
               param(*q.assigned_to) + ")";
    if (q.team_of)
        sql += " AND EXISTS (SELECT 1 FROM project_person_link tm WHERE tm.project_id = e.project_id"
               " AND tm.person_id = " +
               param(*q.team_of) + ")";
    return sql;
}

std::string assets_sql(const AssetsWithTasksQuery& q, db::Params& params) {
    const std::string where = conditions(q, params);
    // casting_episode_ids: the episodes the asset is cast in, by episode name, read only when
    // the listing is a production's (or one asset's), as Zou does. Gathered from the episodes'
    // own links (a few) rather than from each asset's (a hundred shots each on a big production).
    std::string episodes = "'{}'::text[]";
    std::string episodes_join;
    if (q.project_id || q.with_episode_ids) {
        std::string links = "SELECT l.entity_out_id, array_agg(ep.id::text ORDER BY ep.name) AS ids FROM entity ep"
                            " JOIN entity_type ept ON ept.id = ep.entity_type_id AND ept.name = 'Episode'"
                            " JOIN entity_link l ON l.entity_in_id = ep.id";
        std::string filters;
        if (q.project_id) {
            params.emplace_back(*q.project_id);
            filters += " AND ep.project_id = " + placeholder(params.size()) + "::uuid";
        }
        if (q.episode_id && *q.episode_id != "main" && *q.episode_id != "all") {
            params.emplace_back(*q.episode_id);
            filters += " AND ep.id = " + placeholder(params.size()) + "::uuid";
        }
        if (!filters.empty())
            links += " WHERE" + filters.substr(4);
        episodes_join = " LEFT JOIN (" + links + " GROUP BY l.entity_out_id) cast_in ON cast_in.entity_out_id = e.id";
        episodes = "COALESCE(cast_in.ids, '{}'::text[])";
    }
    std::string data = "e.data";
    if (q.vendor) {
        params.emplace_back(*q.vendor);
        data = vendor_visible_data("Asset", placeholder(params.size()) + "::uuid");
    }
    return "SELECT e.id, e.name, e.preview_file_id, e.description, et.name AS asset_type_name, e.entity_type_id, "
           "e.canceled, e.ready_for, e.source_id, " +
           episodes + " AS casting_episode_ids, e.is_casting_standby, e.is_shared, " + data +
           " AS data"
           " FROM entity e JOIN entity_type et ON et.id = e.entity_type_id" +
           episodes_join + where + " ORDER BY et.name, e.name, e.id";
}

std::string tasks_sql(const AssetsWithTasksQuery& q, const std::string& person_id, db::Params& params) {
    std::string where = conditions(q, params);
    if (q.assigned_to) {
        params.emplace_back(*q.assigned_to);
        where += " AND EXISTS (SELECT 1 FROM task_person_link mine WHERE mine.task_id = t.id AND mine.person_id = " +
                 placeholder(params.size()) + "::uuid)";
    }
    params.emplace_back(person_id);
    const std::string me = placeholder(params.size()) + "::uuid";
    return "SELECT t.id, t.due_date, t.done_date, t.duration, t.entity_id, t.estimation, t.end_date, "
           "t.id IN (SELECT s.task_id FROM subscription s WHERE s.person_id = " +
           me +
           ") AS is_subscribed, t.last_comment_date, t.last_preview_file_id, t.priority, t.real_start_date, "
           "t.retake_count, t.start_date, t.difficulty, t.task_status_id, t.task_type_id, "
           "ARRAY(SELECT p.person_id::text FROM task_person_link p WHERE p.task_id = t.id) AS assignees, t.data"
           " FROM task t JOIN entity e ON e.id = t.entity_id JOIN entity_type et ON et.id = e.entity_type_id" +
           where + " ORDER BY et.name, e.name, e.id";
}

/// A uuid column as Zou's str(x or ""): "" when null.
void id_or_empty(JsonWriter& out, const db::Result& r, int row, int column) {
    out.string(r.is_null(row, column) ? std::string_view{} : r.get(row, column));
}

void write_task(JsonWriter& out, const db::Result& r, int row, bool compact) {
    compact ? out.begin_array() : out.begin_object();
    for (int column = 0; column < r.columns(); ++column) {
        if (!compact)
            out.key(r.column_name(column));
        const std::string_view name = r.column_name(column);
        if (name == "last_preview_file_id")
            id_or_empty(out, r, row, column);
        else if (name == "priority" && r.is_null(row, column))
            out.number(int64_t(0));
        else
            write_value(out, r, row, column);
    }
    compact ? out.end_array() : out.end_object();
}

/// The asset's values (all but tasks), in asset_fields order; keys unless `compact`.
void write_asset_values(JsonWriter& out, const db::Result& r, int row, bool compact) {
    for (int column = 0; column < r.columns(); ++column) {
        std::string_view name = r.column_name(column);
        if (name == "entity_type_id")
            name = "asset_type_id";
        else if (name == "source_id")
            name = "episode_id";
        if (!compact)
            out.key(name);
        if (name == "preview_file_id" || name == "episode_id")
            id_or_empty(out, r, row, column);
        else if (name == "ready_for") // Zou's str(): a null is "None"
            out.string(r.is_null(row, column) ? std::string_view("None") : r.get(row, column));
        else if (name == "data" && r.is_null(row, column))
            out.begin_object().end_object();
        else
            write_value(out, r, row, column);
    }
}

/// Runs both cursors and hands each asset's values and tasks to the writer: the asset's
/// values, then its tasks as an array ("tasks" key unless compact). `open_items`: each asset
/// is its own object or array; otherwise the members go into the object `out` has open.
/// `after_item` runs after each asset (to flush).
int write_items(db::Connection& c, const AssetsWithTasksQuery& q, const std::string& person_id, bool compact,
                bool open_items, JsonWriter& out, const std::function<void()>& after_item) {
    db::Params asset_params, task_params;
    const std::string assets = assets_sql(q, asset_params);
    const std::string tasks = tasks_sql(q, person_id, task_params);
    std::mutex connection_lock; // the two cursors read ahead on the same connection
    db::CursorReader asset_rows(c, "slate_assets_cursor", assets, asset_params, connection_lock);
    db::CursorReader task_rows(c, "slate_asset_tasks_cursor", tasks, task_params, connection_lock);
    int count = 0;
    for (; !asset_rows.done(); asset_rows.advance(), ++count) {
        const db::Result& a = asset_rows.result();
        const std::string asset_id(a.get(asset_rows.row(), 0));
        if (open_items)
            compact ? out.begin_array() : out.begin_object();
        write_asset_values(out, a, asset_rows.row(), compact);
        if (!compact)
            out.key("tasks");
        out.begin_array();
        // Both cursors follow the same order: the asset's tasks are the next task rows.
        while (!task_rows.done() && task_rows.result().get(task_rows.row(), "entity_id") == asset_id) {
            write_task(out, task_rows.result(), task_rows.row(), compact);
            task_rows.advance();
        }
        out.end_array();
        if (open_items)
            compact ? out.end_array() : out.end_object();
        if (after_item)
            after_item();
    }
    return count;
}

template <std::size_t N>
void write_names(JsonWriter& out, std::string_view key, const std::array<const char*, N>& names) {
    out.key(key).begin_array();
    for (const char* name : names)
        out.string(name);
    out.end_array();
}

} // namespace

void write_assets_with_tasks(db::Connection& c, const AssetsWithTasksQuery& query, const std::string& person_id,
                             ListingForm form, const std::function<void(std::string_view)>& sink) {
    db::Transaction transaction(c); // cursors live in a transaction
    c.exec("SET LOCAL cursor_tuple_fraction = 1"); // read to their end: plan for all the rows
    JsonWriter out;
    const bool compact = form != ListingForm::plain && form != ListingForm::ndjson_objects;
    auto header = [&](JsonWriter& w) {
        w.field("compact", compact);
        if (compact) {
            write_names(w, "asset_fields", asset_fields);
            write_names(w, "task_fields", task_fields);
        }
    };
    const bool ndjson = form == ListingForm::ndjson_compact || form == ListingForm::ndjson_objects;
    if (ndjson) {
        JsonWriter head;
        head.begin_object();
        header(head);
        head.end_object();
        sink(head.text() + "\n");
        write_items(c, query, person_id, compact, true, out, [&] {
            sink(out.take() + "\n");
            out = JsonWriter(); // each line a document of its own
        });
    } else {
        if (form == ListingForm::compact) {
            out.begin_object();
            header(out);
            out.key("rows");
        }
        out.begin_array();
        write_items(c, query, person_id, compact, true, out, [&] {
            if (out.text().size() >= flush_bytes)
                sink(out.take());
        });
        out.end_array();
        if (form == ListingForm::compact)
            out.end_object();
        sink(out.take());
    }
    transaction.commit();
}

bool write_asset_item_members(db::Connection& c, JsonWriter& out, const std::string& asset_id,
                              const std::string& person_id) {
    AssetsWithTasksQuery query;
    query.id = asset_id;
    query.with_episode_ids = true;
    db::Transaction transaction(c);
    const int count = write_items(c, query, person_id, false, false, out, {});
    transaction.commit();
    return count > 0;
}

} // namespace slate::engine::production
