#include "engine/entities/with_tasks.h"

#include "engine/db/connection.h"
#include "engine/db/cursor_reader.h"
#include "engine/db/pool.h"
#include "engine/entities/entity_lists.h"
#include "engine/error.h"
#include "engine/json.h"
#include "engine/production/production_common.h"
#include "engine/serialize.h"
#include "engine/uuid.h"

#include <cstdint>
#include <future>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace slate::engine::entities {
namespace {

constexpr std::size_t flush_bytes = 64 * 1024;

/// Where a listing read in two halves splits its entities: the middle of the uuids.
const char* const half_id = "80000000-0000-0000-0000-000000000000";

using Fields = std::vector<std::pair<std::string, std::string>>; ///< JSON key, SQL expression

const char* const data_or_empty = "COALESCE(e.data, '{}'::jsonb)";

std::string from_data(const char* key) { return std::string(data_or_empty) + "->'" + key + "'"; }

/// The entity keys of each kind's item, as Zou's listing writes them.
Fields entity_fields(Kind kind) {
    switch (kind) {
    case Kind::shot: // in Zou's SHOTS_AND_TASKS_SHOT_FIELDS order: the compact rows follow it
        return {{"canceled", "e.canceled"},
                {"data", data_or_empty},
                {"description", "e.description"},
                {"entity_type_id", "e.entity_type_id"},
                {"episode_id", "ep.id"},
                {"episode_name", "COALESCE(ep.name, '')"},
                {"fps", from_data("fps")},
                {"frame_in", from_data("frame_in")},
                {"frame_out", from_data("frame_out")},
                {"id", "e.id"},
                {"name", "e.name"},
                {"nb_frames", "e.nb_frames"},
                {"parent_id", "e.parent_id"},
                {"preview_file_id", "e.preview_file_id"},
                {"project_id", "e.project_id"},
                {"project_name", "p.name"},
                {"sequence_id", "s.id"},
                {"sequence_name", "s.name"},
                {"source_id", "e.source_id"},
                {"nb_entities_out", "e.nb_entities_out"},
                {"is_casting_standby", "e.is_casting_standby"},
                {"type", "'Shot'::text"}};
    case Kind::edit:
        return {{"id", "e.id"},
                {"canceled", "e.canceled"},
                {"data", data_or_empty},
                {"description", "e.description"},
                {"entity_type_id", "e.entity_type_id"},
                {"episode_id", "ep.id"},
                {"episode_name", "COALESCE(ep.name, '')"},
                {"name", "e.name"},
                {"parent_id", "e.parent_id"},
                {"preview_file_id", "e.preview_file_id"},
                {"project_id", "e.project_id"},
                {"project_name", "p.name"},
                {"source_id", "e.source_id"},
                {"nb_entities_out", "e.nb_entities_out"},
                {"type", "'Edit'::text"}};
    case Kind::concept_art:
        return {{"id", "e.id"},
                {"canceled", "e.canceled"},
                {"data", data_or_empty},
                {"description", "e.description"},
                {"entity_type_id", "e.entity_type_id"},
                {"fps", from_data("fps")},
                {"frame_in", from_data("frame_in")},
                {"frame_out", from_data("frame_out")},
                {"name", "e.name"},
                {"nb_frames", "e.nb_frames"},
                {"parent_id", "e.parent_id"},
                {"preview_file_id", "e.preview_file_id"},
                {"project_id", "e.project_id"},
                {"project_name", "p.name"},
                {"source_id", "e.source_id"},
                {"nb_entities_out", "e.nb_entities_out"},
                {"is_casting_standby", "e.is_casting_standby"},
                {"entity_concept_links", "COALESCE((SELECT array_agg(l.entity_out_id::text) FROM entity_concept_link l "
                                         "WHERE l.entity_in_id = e.id), '{}'::text[])"},
                {"type", "'Concept'::text"},
                {"updated_at", "e.updated_at"},
                {"created_at", "e.created_at"},
                {"created_by", "e.created_by"}};
    default: // sequences, episodes, scenes: entities_service.get_entities_and_tasks
        return {{"id", "e.id"},
                {"name", "e.name"},
                {"status", "COALESCE(e.status, 'running')"},
                {"episode_id", "COALESCE(e.parent_id::text, 'None')"}, // Python's str(None)
                {"description", "e.description"},
                {"frame_in", from_data("frame_in")},
                {"frame_out", from_data("frame_out")},
                {"fps", from_data("fps")},
                {"preview_file_id", "COALESCE(e.preview_file_id::text, '')"},
                {"canceled", "e.canceled"},
                {"data", data_or_empty}};
    }
}

/// The entities linked to a concept (Zou's get_linked_entities_with_tasks), whatever their kind.
Fields linked_fields() {
    Fields fields = entity_fields(Kind::concept_art);
    for (auto& [key, expression] : fields)
        if (key == "type")
            expression = "CASE WHEN et.name IN ('Shot', 'Sequence', 'Scene', 'Edit', 'Concept', 'Episode') "
                         "THEN et.name ELSE 'Asset' END";
    return fields;
}

const std::vector<std::string> linked_task_keys = {
    "id",           "duration",       "due_date",        "end_date",     "entity_id",         "estimation",
    "last_comment_date", "nb_assets_ready", "priority",   "real_start_date", "retake_count", "start_date",
    "task_status_id", "task_type_id", "assigner_id",     "assignees"};

/// What serialize(relations=True) adds to a full shot or concept (its values win).
Fields serialized_fields() {
    auto links = [](const char* link, const char* own, const char* other) {
        return std::string("COALESCE((SELECT array_agg(l.") + other + "::text) FROM " + link + " l WHERE l." + own +
               " = e.id), '{}'::text[])";
    };
    return {{"data", "e.data"},
            {"code", "e.code"},
            {"shotgun_id", "e.shotgun_id"},
            {"is_shared", "e.is_shared"},
            {"status", "e.status"},
            {"ready_for", "e.ready_for"},
            {"created_by", "e.created_by"},
            {"created_at", "e.created_at"},
            {"updated_at", "e.updated_at"},
            {"entities_out", links("entity_link", "entity_in_id", "entity_out_id")},
            {"entities_in", links("entity_link", "entity_out_id", "entity_in_id")},
            {"entity_concept_links", links("entity_concept_link", "entity_in_id", "entity_out_id")},
            {"instance_casting", links("asset_instance_link", "entity_id", "asset_instance_id")}};
}

/// The task keys of each kind's item.
std::vector<std::string> task_keys(Kind kind) {
    switch (kind) {
    case Kind::shot:
        return {"id",           "duration",        "due_date",       "end_date",   "done_date",   "entity_id",
                "estimation",   "is_subscribed",   "last_comment_date", "last_preview_file_id", "nb_assets_ready",
                "priority",     "real_start_date", "retake_count",   "start_date", "difficulty",  "nb_drawings",
                "task_status_id", "task_type_id",  "assignees",      "data"};
    case Kind::edit:
        return {"id",           "duration",     "due_date",        "entity_id",    "end_date",   "estimation",
                "last_comment_date", "last_preview_file_id", "nb_assets_ready", "priority", "real_start_date",
                "retake_count", "start_date",   "task_status_id",  "task_type_id", "data",       "is_subscribed",
                "assignees"};
    case Kind::concept_art:
        return {"id",           "duration",   "due_date",       "end_date",     "entity_id",         "estimation",
                "last_comment_date", "nb_assets_ready", "priority", "real_start_date", "retake_count", "start_date",
                "task_status_id", "task_type_id", "data",        "is_subscribed", "assignees"};
    default:
        return {"id",         "estimation",     "entity_id",    "end_date", "due_date",     "done_date",
                "duration",   "last_comment_date", "last_preview_file_id", "priority", "real_start_date",
                "retake_count", "start_date",   "difficulty",   "task_status_id", "task_type_id", "data",
                "is_subscribed", "assignees"};
    }
}

struct Statement {
    std::string sql;
    db::Params params;
    std::string param(db::Param value) {
        params.push_back(std::move(value));
        return production::placeholder(params.size());
    }
};

/// The listing as two statements in the same order (entity name, then id): the entities with
/// their own columns, and their tasks, one row per task and assignee (one with a null assignee
/// when it has none). Read side by side, they give each entity's tasks without repeating the
/// entity's columns on every task row and without a subquery per task.
struct Statements {
    Statement entities;
    Statement tasks;        ///< without its order, so that a condition can follow
    std::string tasks_order; ///< the ORDER BY both follow
};

Statements build(db::Connection& c, const WithTasksQuery& q) {
    Statements out;
    Statement& st = out.entities;
    const bool linked = q.linked_to.has_value();
    Fields fields = linked ? linked_fields() : entity_fields(q.kind);
    if (q.full)
        for (auto& [key, expression] : serialized_fields()) {
            bool replaced = false;
            for (auto& field : fields)
                if (field.first == key)
                    field.second = expression, replaced = true;
            if (!replaced)
                fields.emplace_back(key, expression);
        }
    const std::string assignee = q.assigned_to ? st.param(*q.assigned_to) : "";
    // A vendor's shots, edits, sequences and episodes come without the metadata of other
    // departments' descriptors. Shots and edits read their fps and frames from what is left;
    // Zou masks sequences and episodes after the listing, in their data alone.
    const bool masked = q.kind == Kind::shot || q.kind == Kind::edit || q.kind == Kind::sequence ||
                        q.kind == Kind::episode;
    if (q.assigned_to && !q.full && !linked && masked) {
        const bool data_alone = q.kind == Kind::sequence || q.kind == Kind::episode;
        const std::string visible = production::vendor_visible_data(type_name(q.kind), assignee + "::uuid");
        for (auto& field : fields) {
            if (data_alone && field.first != "data")
                continue;
            for (auto at = field.second.find(data_or_empty); at != std::string::npos;
                 at = field.second.find(data_or_empty, at + visible.size()))
                field.second.replace(at, std::string_view(data_or_empty).size(), visible);
        }
    }
    std::string joins = " FROM entity e";
    if (linked)
        joins += " JOIN project p ON p.id = e.project_id JOIN entity_type et ON et.id = e.entity_type_id";
    else if (q.kind == Kind::shot)
        joins += " JOIN project p ON p.id = e.project_id JOIN entity s ON s.id = e.parent_id"
                 " LEFT JOIN entity ep ON ep.id = s.parent_id";
    else if (q.kind == Kind::edit)
        joins += " JOIN project p ON p.id = e.project_id LEFT JOIN entity ep ON ep.id = e.parent_id";
    else if (q.kind == Kind::concept_art)
        joins += " JOIN project p ON p.id = e.project_id";

    std::string where =
        linked ? " WHERE e.id IN (SELECT l.entity_in_id FROM entity_concept_link l WHERE l.entity_out_id = " +
                     st.param(*q.linked_to) + "::uuid)"
               : " WHERE e.entity_type_id = " + st.param(entity_type_id(c, q.kind)) + "::uuid";
    if (q.id)
        where += " AND e.id = " + st.param(*q.id) + "::uuid";
    if (q.project_id)
        where += " AND e.project_id = " + st.param(*q.project_id) + "::uuid";
    if (q.episode_id && *q.episode_id != "all")
        where += std::string(q.kind == Kind::shot ? " AND s.parent_id = " : " AND e.parent_id = ") +
                 st.param(*q.episode_id) + "::uuid";
    if (q.assigned_to) {
        std::string holder = "x.entity_id = e.id"; // shots, edits: a task of their own
        if (q.kind == Kind::sequence)
            holder = "x.entity_id IN (SELECT z.id FROM entity z WHERE z.parent_id = e.id)";
        else if (q.kind == Kind::episode)
            holder = "x.entity_id IN (SELECT z.id FROM entity z WHERE z.source_id = e.id OR z.parent_id IN "
                     "(SELECT y.id FROM entity y WHERE y.parent_id = e.id))";
        where += " AND EXISTS (SELECT 1 FROM task x JOIN task_person_link a ON a.task_id = x.id WHERE " + holder +
                 " AND a.person_id = " + assignee + "::uuid)";
    }
    std::string select = "SELECT ";
    for (const auto& [key, expression] : fields)
        select += expression + " AS " + db::quote_identifier(key) + ", ";
    select.resize(select.size() - 2);
    st.sql = select + joins + where + " ORDER BY e.name, e.id";

    // The tasks: the same filters (and parameters), the caller last. is_subscribed is only read
    // with a project (Zou's get_subscriptions_for_user).
    Statement& tasks = out.tasks;
    tasks.params = st.params;
    const std::string me = q.project_id ? tasks.param(q.caller_id) : std::string();
    // Shots, edits and concepts list a vendor's own assignment only; the other kinds all assignees.
    const bool own_assignment_only = q.assigned_to && (q.kind == Kind::shot || q.kind == Kind::edit);
    select = "SELECT ";
    for (const auto& key : linked ? linked_task_keys : task_keys(q.kind)) {
        std::string expression = "t." + key;
        if (key == "priority")
            expression = "COALESCE(t.priority, 0)";
        else if (key == "is_subscribed")
            expression = q.project_id ? "t.id IN (SELECT u.task_id FROM subscription u WHERE u.person_id = " + me +
                                            "::uuid)"
                                      : "false";
        else if (key == "assignees")
            expression = "assigned.person_id::text";
        select += expression + " AS " + db::quote_identifier(key) + ", ";
    }
    select.resize(select.size() - 2);
    std::string task_joins = joins + " JOIN task t ON t.entity_id = e.id";
    if (q.assigned_to)
        task_joins += " AND EXISTS (SELECT 1 FROM task_person_link a WHERE a.task_id = t.id AND a.person_id = " +
                      assignee + "::uuid)";
    task_joins += " LEFT JOIN task_person_link assigned ON assigned.task_id = t.id";
    if (own_assignment_only)
        task_joins += " AND assigned.person_id = " + assignee + "::uuid";
    tasks.sql = select + task_joins + where;
    out.tasks_order = " ORDER BY e.name, e.id, t.id, assigned.person_id";
    return out;
}

/// Writes the items: each entity's columns, then "tasks" with its task rows (the rows of one
/// task, one per assignee, make one task with their "assignees"). Plain: a JSON array of objects.
/// Compact: {"compact": true, "<kind>_fields", "task_fields", "rows"} with values in column
/// order. Stream: NDJSON, the header object on the first line, then one item a line.
class ItemWriter {
public:
    ItemWriter(const std::function<void(std::string_view)>& sink, const WithTasksQuery& query)
        : m_sink(sink), m_compact(query.compact), m_stream(query.stream) {}

    /// `task_streams`: the tasks in one or more cursors, each in the entities' order, and each
    /// entity's tasks all in one of them.
    void write(db::CursorReader& entities, const std::vector<db::CursorReader*>& task_streams) {
        start(entities.result(), task_streams.front()->result());
        for (; !entities.done(); entities.advance()) {
            const db::Result& rows = entities.result();
            const int row = entities.row();
            m_compact ? m_out.begin_array() : m_out.begin_object();
            for (int column = 0; column < rows.columns(); ++column) {
                if (!m_compact)
                    m_out.key(m_entity_keys[column]);
                write_value(m_out, rows, row, column);
            }
            if (!m_compact)
                m_out.key("tasks");
            m_out.begin_array();
            // The statements follow the same order: the entity's tasks are the next task rows.
            const std::string_view id = rows.get(row, m_entity_id);
            for (db::CursorReader* tasks : task_streams)
                while (!tasks->done() && tasks->result().get(tasks->row(), m_task_entity_id) == id)
                    write_task(*tasks);
            m_out.end_array();
            m_compact ? m_out.end_array() : m_out.end_object();
            if (m_stream)
                m_out.raw("\n"); // at the top level: no comma, a line of its own
            if (m_out.text().size() > flush_bytes)
                m_sink(m_out.take());
        }
        if (!m_stream) {
            m_out.end_array();
            if (m_compact)
                m_out.end_object();
        }
        m_sink(m_out.take());
    }

private:
    /// One task from its rows (consecutive, one per assignee); leaves `tasks` past them.
    void write_task(db::CursorReader& tasks) {
        const db::Result& rows = tasks.result();
        const int row = tasks.row();
        m_compact ? m_out.begin_array() : m_out.begin_object();
        for (int column = 0; column < m_assignees; ++column) {
            if (!m_compact)
                m_out.key(m_task_keys[column]);
            write_value(m_out, rows, row, column);
        }
        // What follows the assignees is written now, from this row, while it is at hand: the
        // next rows may be in another batch.
        std::string after;
        if (m_assignees + 1 < rows.columns()) {
            JsonWriter rest;
            m_compact ? rest.begin_array() : rest.begin_object();
            for (int column = m_assignees + 1; column < rows.columns(); ++column) {
                if (!m_compact)
                    rest.key(m_task_keys[column]);
                write_value(rest, rows, row, column);
            }
            after = rest.take().substr(1); // the members (or values) without the opening
        }
        m_task_id.assign(rows.get(row, 0));
        if (!m_compact)
            m_out.key("assignees");
        m_out.begin_array();
        do {
            const db::Result& current = tasks.result();
            if (!current.is_null(tasks.row(), m_assignees))
                m_out.string(current.get(tasks.row(), m_assignees));
            tasks.advance();
        } while (!tasks.done() && tasks.result().get(tasks.row(), 0) == m_task_id);
        m_out.end_array();
        if (!after.empty())
            m_out.raw(after);
        m_compact ? m_out.end_array() : m_out.end_object();
    }

    /// The opening ("[", the compact object's header, or the NDJSON header line) and the
    /// columns the merge reads.
    void start(const db::Result& entities, const db::Result& tasks) {
        m_entity_id = entities.column_index("id");
        m_task_entity_id = tasks.column_index("entity_id");
        m_assignees = tasks.column_index("assignees");
        for (int column = 0; column < entities.columns(); ++column)
            m_entity_keys.emplace_back(entities.column_name(column));
        for (int column = 0; column < tasks.columns(); ++column)
            m_task_keys.emplace_back(tasks.column_name(column));
        if (!m_compact && !m_stream) {
            m_out.begin_array();
            return;
        }
        m_out.begin_object().field("compact", m_compact);
        if (m_compact) {
            m_out.key("shot_fields").begin_array();
            for (int column = 0; column < entities.columns(); ++column)
                m_out.string(entities.column_name(column));
            m_out.string("tasks").end_array().key("task_fields").begin_array();
            for (int column = 0; column < tasks.columns(); ++column)
                m_out.string(tasks.column_name(column));
            m_out.end_array();
        }
        if (m_stream) {
            m_out.end_object().raw("\n");
            return;
        }
        m_out.key("rows").begin_array(); // the object stays open for its rows
    }

    const std::function<void(std::string_view)>& m_sink;
    const bool m_compact;
    const bool m_stream;
    JsonWriter m_out; ///< the document, handed to the sink past flush_bytes
    std::string m_task_id;
    std::vector<std::string> m_entity_keys; ///< the column names, read once (libpq measures them)
    std::vector<std::string> m_task_keys;
    int m_entity_id = 0;
    int m_task_entity_id = 0;
    int m_assignees = 0;
};

} // namespace

void write_with_tasks(db::Connection& c, const WithTasksQuery& query,
                      const std::function<void(std::string_view)>& sink, db::Pool* helpers) {
    if (query.episode_id && *query.episode_id != "all" && !is_uuid(*query.episode_id)) {
        sink("[]"); // a sentinel ("main") matches no parent
        return;
    }
    if (query.episode_id && *query.episode_id == "all" && query.kind != Kind::shot) {
        sink("[]");
        return;
    }
    const Statements st = build(c, query);
    // A production's listing is read in two halves at once when a second connection is free:
    // PostgreSQL joins and sorts each half's tasks on its own core. The halves split the
    // entities by id (random, so about evenly); each keeps the listing's order, and the second
    // connection reads the same snapshot.
    const bool splittable = helpers && !query.id && !query.full && !query.linked_to && !c.in_transaction();
    std::optional<db::Lease> second = splittable ? helpers->try_acquire_extra() : std::nullopt;
    db::Transaction tx(c);
    if (second)
        c.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    // The cursors are read to their end: plan for all the rows, not the first ones.
    c.exec("SET LOCAL cursor_tuple_fraction = 1");
    std::optional<db::Transaction> second_tx;
    if (second) {
        const std::string snapshot(c.exec("SELECT pg_export_snapshot() AS id").get(0, "id"));
        if (snapshot.find_first_not_of("0123456789ABCDEF-") != std::string::npos)
            throw Error(ErrorKind::internal, "unexpected snapshot id " + snapshot);
        second_tx.emplace(**second);
        (*second)->exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
        (*second)->exec("SET TRANSACTION SNAPSHOT '" + snapshot + "'");
        (*second)->exec("SET LOCAL cursor_tuple_fraction = 1");
    }
    {
        std::mutex connection_lock; // the cursors of `c` read ahead on the same connection
        db::CursorReader entities(c, "slate_with_tasks", st.entities.sql, st.entities.params, connection_lock);
        if (!second) {
            db::CursorReader tasks(c, "slate_with_tasks_tasks", st.tasks.sql + st.tasks_order, st.tasks.params,
                                   connection_lock);
            ItemWriter(sink, query).write(entities, {&tasks});
        } else {
            const auto half = [&](const char* comparison) {
                Statement part = st.tasks;
                part.sql += " AND e.id " + std::string(comparison) + " " + part.param(half_id) + "::uuid" +
                            st.tasks_order;
                return part;
            };
            const Statement first_half = half("<"), second_half = half(">=");
            std::mutex second_lock;
            // Declared and first read (the join and sort) on another thread, beside the first half's.
            auto opening = std::async(std::launch::async, [&] {
                return std::make_unique<db::CursorReader>(**second, "slate_with_tasks_tasks", second_half.sql,
                                                          second_half.params, second_lock);
            });
            db::CursorReader first(c, "slate_with_tasks_tasks", first_half.sql, first_half.params, connection_lock);
            const std::unique_ptr<db::CursorReader> other = opening.get();
            ItemWriter(sink, query).write(entities, {&first, other.get()});
        }
    } // the cursors close before the commits
    if (second_tx)
        second_tx->commit();
    tx.commit();
}

} // namespace slate::engine::entities

namespace slate::engine::entities {

std::string full_entity_json(db::Connection& c, Kind kind, const std::string& id, const std::string& caller_id) {
    if (!is_uuid(id))
        throw_not_found(not_found_message);
    if (kind == Kind::sequence || kind == Kind::episode || kind == Kind::scene) {
        std::string json = entity_with_names_json(c, kind, id);
        if (json.empty())
            throw_not_found(not_found_message);
        return json;
    }
    WithTasksQuery query;
    query.kind = kind;
    query.caller_id = caller_id;
    query.id = id;
    query.full = kind != Kind::edit; // Zou's full edit is its listing item alone
    std::string json;
    write_with_tasks(c, query, [&](std::string_view part) { json.append(part); });
    if (json.size() <= 2)
        throw_not_found(not_found_message);
    return json.substr(1, json.size() - 2);
}

} // namespace slate::engine::entities
