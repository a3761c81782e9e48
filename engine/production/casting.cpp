// engine/production/casting.cpp: the SQL of the breakdown (Zou's breakdown_service).
#include "engine/production/casting.h"

#include "engine/crud/queries.h"
#include "engine/db/connection.h"
#include "engine/db/cursor_reader.h"
#include "engine/error.h"
#include "engine/json.h"
#include "engine/production/assets.h"
#include "engine/production/production_common.h"
#include "engine/serialize.h"
#include "engine/uuid.h"

#include <algorithm>
#include <iterator>
#include <mutex>
#include <set>

namespace slate::engine::production {
namespace {

constexpr std::size_t flush_bytes = 64 * 1024;

/// An event whose data `fill` writes; the project id added as Zou's emit() does.
void emit(db::Connection& c, const std::string& name, const std::string& user_id, const std::string& project_id,
          const std::function<void(JsonWriter&)>& fill) {
    JsonWriter out;
    out.begin_object();
    fill(out);
    out.field("project_id", project_id).end_object();
    queries::insert_event(c, name, user_id, project_id, out.take());
}

void write_ids(JsonWriter& out, std::string_view key, const std::vector<std::string>& ids) {
    out.key(key).begin_array();
    for (const auto& id : ids)
        out.string(id);
    out.end_array();
}

/// The casting-update event of an entity: {<kind>_id, nb_entities_out, added_asset_ids,
/// removed_asset_ids}.
void emit_casting_update(db::Connection& c, const std::string& user_id, const std::string& kind,
                         const std::string& entity_id, const std::string& project_id, long long nb_entities_out,
                         const std::vector<std::string>& added, const std::vector<std::string>& removed) {
    emit(c, kind + ":casting-update", user_id, project_id, [&](JsonWriter& out) {
        out.field(kind + "_id", entity_id).field("nb_entities_out", int64_t(nb_entities_out));
        write_ids(out, "added_asset_ids", added);
        write_ids(out, "removed_asset_ids", removed);
    });
}

void emit_asset_update(db::Connection& c, const std::string& user_id, const std::string& project_id,
                       const std::string& asset_id) {
    emit(c, "asset:update", user_id, project_id, [&](JsonWriter& out) { out.field("asset_id", asset_id); });
}

std::vector<std::string> column_texts(const db::Result& rows, int column = 0) {
    std::vector<std::string> values;
    for (int row = 0; row < rows.rows(); ++row)
        values.emplace_back(rows.get(row, column));
    return values;
}

/// The shots of an episode (through their sequences).
constexpr const char* episode_shots = "SELECT s.id FROM entity s JOIN entity q ON q.id = s.parent_id"
                                      " JOIN entity_type st ON st.id = s.entity_type_id"
                                      " WHERE st.name = 'Shot' AND q.parent_id = $1::uuid";

/// _remove_asset_from_episode_shots: the asset leaves every shot of the episode.
void remove_asset_from_episode_shots(db::Connection& c, const std::string& user_id, const std::string& asset_id,
                                     const std::string& episode_id) {
    const auto shots = c.exec("DELETE FROM entity_link l WHERE l.entity_out_id = $2::uuid AND l.entity_in_id IN (" +
                                  std::string(episode_shots) + ") RETURNING l.entity_in_id",
                              {episode_id, asset_id});
    for (const auto& shot_id : column_texts(shots)) {
        const auto shot = c.exec("UPDATE entity SET nb_entities_out = nb_entities_out - 1, updated_at = now() AT "
                                 "TIME ZONE 'utc' WHERE id = $1::uuid RETURNING nb_entities_out, project_id",
                                 {shot_id});
        refresh_shot_casting_stats(c, {shot_id});
        emit_casting_update(c, user_id, "shot", shot_id, std::string(shot.get(0, 1)),
                            shot.get_int(0, "nb_entities_out"), {}, {asset_id});
    }
}

/// _create_episode_casting_link: a shot's asset is cast in the shot's episode too.
void create_episode_casting_link(db::Connection& c, const std::string& user_id, const EntityRef& shot,
                                 const std::string& asset_id, const std::string& label) {
    if (shot.type_name != "Shot" || !shot.parent_id)
        return;
    const auto episode =
        c.exec("SELECT parent_id FROM entity WHERE id = $1::uuid AND parent_id IS NOT NULL", {*shot.parent_id});
    if (episode.rows() == 0)
        return;
    const std::string episode_id(episode.get(0, 0));
    const auto created = c.exec("INSERT INTO entity_link (id, entity_in_id, entity_out_id, nb_occurences, label, "
                                "created_at, updated_at) VALUES ($1::uuid, $2::uuid, $3::uuid, 1, $4, now() AT TIME "
                                "ZONE 'utc', now() AT TIME ZONE 'utc') ON CONFLICT DO NOTHING RETURNING id",
                                {new_uuid(), episode_id, asset_id, label});
    if (created.rows() == 0)
        return;
    c.exec("UPDATE entity SET nb_entities_out = COALESCE(nb_entities_out, 0) + 1, updated_at = now() AT TIME ZONE "
           "'utc' WHERE id = $1::uuid",
           {episode_id});
    emit_asset_update(c, user_id, shot.project_id, asset_id);
}

/// _detach_asset_from_episode_if_unused: the episode stops casting an asset none of its
/// shots casts any more.
void detach_asset_from_episode_if_unused(db::Connection& c, const std::string& user_id, const std::string& asset_id,
                                         const std::string& episode_id) {
    if (c.exec("SELECT 1 FROM entity_link WHERE entity_out_id = $2::uuid AND entity_in_id IN (" +
                   std::string(episode_shots) + ") LIMIT 1",
               {episode_id, asset_id})
            .rows() > 0)
        return;
    if (c.exec("DELETE FROM entity_link WHERE entity_in_id = $1::uuid AND entity_out_id = $2::uuid",
               {episode_id, asset_id})
            .affected() == 0)
        return;
    const auto episode = c.exec("UPDATE entity SET nb_entities_out = GREATEST(COALESCE(nb_entities_out, 0) - 1, 0), "
                                "updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid "
                                "RETURNING nb_entities_out, project_id",
                                {episode_id});
    const std::string project_id(episode.get(0, 1));
    emit_casting_update(c, user_id, "episode", episode_id, project_id, episode.get_int(0, "nb_entities_out"), {},
                        {asset_id});
    emit_asset_update(c, user_id, project_id, asset_id);
}

/// The members of a cast asset every grouped casting writes, over link "l", asset "a" and
/// its type "at".
constexpr const char* cast_members = "l.entity_out_id AS asset_id, a.name AS name, a.name AS asset_name, "
                                     "at.name AS asset_type_name";

} // namespace

void write_grouped(db::Connection& c, const std::string& sql, const db::Params& params,
                   const std::function<void(std::string_view)>& sink) {
    // The planner's default for cursors (the first tenth of the rows) is kept: it walks the
    // casting in order by index and sorts it by small groups, so the first pieces leave early.
    db::Transaction transaction(c);
    JsonWriter out;
    out.begin_object();
    std::string current;
    bool open = false;
    {
        std::mutex connection_lock;
        for (db::CursorReader rows(c, "slate_casting_cursor", sql, params, connection_lock); !rows.done();
             rows.advance()) {
            const db::Result& batch = rows.result();
            const int row = rows.row();
            if (!open || batch.get(row, 0) != current) {
                if (open)
                    out.end_array();
                current = batch.get(row, 0);
                out.key(current).begin_array();
                open = true;
            }
            out.begin_object();
            for (int column = 1; column < batch.columns(); ++column) {
                out.key(batch.column_name(column));
                write_value(out, batch, row, column);
            }
            out.end_object();
            if (out.text().size() >= flush_bytes)
                sink(out.take());
        }
    } // the cursor closes before the commit
    if (open)
        out.end_array();
    out.end_object();
    sink(out.take());
    transaction.commit();
}

std::string grouped_json(db::Connection& c, const std::string& sql, const db::Params& params) {
    std::string json;
    write_grouped(c, sql, params, [&json](std::string_view piece) { json.append(piece); });
    return json;
}

EntityRef entity_or_404(db::Connection& c, const std::string& id) {
    if (!is_uuid(id))
        throw_not_found(not_found_message);
    const auto row = c.exec("SELECT e.id, e.project_id, et.name, e.parent_id FROM entity e JOIN entity_type et ON "
                            "et.id = e.entity_type_id WHERE e.id = $1::uuid",
                            {id});
    if (row.rows() == 0)
        throw_not_found(not_found_message);
    return {std::string(row.get(0, 0)), std::string(row.get(0, 1)), std::string(row.get(0, 2)),
            row.optional(0, "parent_id")};
}

std::string entity_casting_assets_json(db::Connection& c, const std::string& entity_id) {
    return rows_json(c.exec("SELECT a.* FROM entity a JOIN entity_link l ON l.entity_out_id = a.id"
                            " WHERE l.entity_in_id = $1::uuid",
                            {entity_id}),
                     "Asset");
}

std::string casting_json(db::Connection& c, const std::string& entity_id) {
    return rows_array_json(c.exec(
        "SELECT l.entity_out_id AS asset_id, a.name AS asset_name, at.name AS asset_type_name, a.ready_for, "
        "a.source_id AS episode_id, a.preview_file_id, l.nb_occurences, l.label, a.is_shared, a.project_id"
        " FROM entity_link l JOIN entity a ON a.id = l.entity_out_id JOIN entity_type at ON at.id = a.entity_type_id"
        " WHERE l.entity_in_id = $1::uuid AND a.canceled <> true ORDER BY at.name, a.name",
        {entity_id}));
}

void update_casting(db::Connection& c, const std::string& user_id, const std::string& entity_id,
                    const std::vector<CastItem>& casting) {
    const EntityRef entity = entity_or_404(c, entity_id);
    std::set<std::string> wanted, mentioned;
    for (const auto& item : casting) {
        if (!item.asset_id)
            continue;
        if (!is_uuid(*item.asset_id))
            throw_wrong_parameter("Wrong asset id format: " + *item.asset_id);
        mentioned.insert(*item.asset_id);
        if (item.nb_occurences)
            wanted.insert(*item.asset_id);
    }
    // Only assets are cast: an id of anything else is refused before anything is written.
    const auto assets =
        c.exec("SELECT e.id FROM entity e WHERE e.id = ANY($1::uuid[]) AND " + asset_type_condition("e"), {"{" + [&] {
                   std::string list;
                   for (const auto& id : wanted)
                       list += (list.empty() ? "" : ",") + id;
                   return list;
               }() + "}"});
    if (static_cast<std::size_t>(assets.rows()) != wanted.size()) {
        const auto found = column_texts(assets);
        for (const auto& id : wanted)
            if (std::find(found.begin(), found.end(), id) == found.end())
                throw_wrong_parameter("Asset not found: " + id);
    }
    db::Transaction transaction(c);
    const auto previous_rows =
        c.exec("SELECT entity_out_id FROM entity_link WHERE entity_in_id = $1::uuid", {entity_id});
    const auto previous_list = column_texts(previous_rows);
    const std::set<std::string> previous(previous_list.begin(), previous_list.end());
    std::vector<std::string> added, removed;
    std::set_difference(wanted.begin(), wanted.end(), previous.begin(), previous.end(), std::back_inserter(added));
    std::set_difference(previous.begin(), previous.end(), wanted.begin(), wanted.end(), std::back_inserter(removed));
    const bool is_episode = entity.type_name == "Episode", is_shot = entity.type_name == "Shot";
    if (is_episode)
        for (const auto& asset_id : previous)
            if (!mentioned.count(asset_id))
                remove_asset_from_episode_shots(c, user_id, asset_id, entity_id);
    c.exec("DELETE FROM entity_link WHERE entity_in_id = $1::uuid", {entity_id});
    for (const auto& item : casting) {
        if (!item.asset_id || !item.nb_occurences)
            continue;
        const std::string nb = std::to_string(*item.nb_occurences);
        const auto existing = c.exec("UPDATE entity_link SET nb_occurences = $3::integer, label = $4, updated_at = "
                                     "now() AT TIME ZONE 'utc' WHERE entity_in_id = $1::uuid AND entity_out_id = "
                                     "$2::uuid RETURNING id",
                                     {entity_id, *item.asset_id, nb, item.label});
        if (existing.rows() > 0) { // the same asset twice in the list
            emit(c, "entity-link:update", user_id, entity.project_id, [&](JsonWriter& out) {
                out.field("entity_link_id", std::string(existing.get(0, 0)))
                    .field("nb_occurences", int64_t(*item.nb_occurences));
            });
        } else {
            create_episode_casting_link(c, user_id, entity, *item.asset_id, item.label);
            const std::string link_id = new_uuid();
            c.exec("INSERT INTO entity_link (id, entity_in_id, entity_out_id, nb_occurences, label, created_at, "
                   "updated_at) VALUES ($1::uuid, $2::uuid, $3::uuid, $4::integer, $5, now() AT TIME ZONE 'utc', "
                   "now() AT TIME ZONE 'utc')",
                   {link_id, entity_id, *item.asset_id, nb, item.label});
            emit(c, "entity-link:new", user_id, entity.project_id, [&](JsonWriter& out) {
                out.field("entity_link_id", link_id)
                    .field("entity_in_id", entity_id)
                    .field("entity_out_id", *item.asset_id)
                    .field("nb_occurences", int64_t(*item.nb_occurences));
            });
        }
        if (is_episode)
            emit_asset_update(c, user_id, entity.project_id, *item.asset_id);
    }
    const auto nb_entities_out = static_cast<long long>(casting.size());
    c.exec("UPDATE entity SET nb_entities_out = $2::integer, updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid",
           {entity_id, std::to_string(nb_entities_out)});
    if (is_shot) {
        refresh_shot_casting_stats(c, {entity_id});
        emit_casting_update(c, user_id, "shot", entity_id, entity.project_id, nb_entities_out, added, removed);
        if (!removed.empty() && entity.parent_id) {
            const auto episode = c.exec("SELECT parent_id FROM entity WHERE id = $1::uuid AND parent_id IS NOT NULL",
                                        {*entity.parent_id});
            if (episode.rows() > 0)
                for (const auto& asset_id : removed)
                    detach_asset_from_episode_if_unused(c, user_id, asset_id, std::string(episode.get(0, 0)));
        }
    } else {
        emit_casting_update(c, user_id, is_episode ? "episode" : "asset", entity_id, entity.project_id, nb_entities_out,
                            added, removed);
    }
    transaction.commit();
}

std::string cast_in_json(db::Connection& c, const std::string& asset_id) {
    // The shots: episode_id is Zou's str() of the episode's id, "None" without episode.
    const auto shots = c.exec(
        "SELECT l.entity_in_id AS shot_id, s.name AS shot_name, q.name AS sequence_name, "
        "COALESCE(ep.id::text, 'None') AS episode_id, ep.name AS episode_name, s.preview_file_id, l.nb_occurences"
        " FROM entity_link l JOIN entity s ON s.id = l.entity_in_id JOIN entity q ON q.id = s.parent_id"
        " LEFT JOIN entity ep ON ep.id = q.parent_id"
        " WHERE l.entity_out_id = $1::uuid AND s.canceled <> true ORDER BY ep.name, q.name, s.name",
        {asset_id});
    const auto assets = c.exec(
        "SELECT l.entity_in_id AS asset_id, a.name AS asset_name, at.name AS asset_type_name, a.preview_file_id, "
        "l.nb_occurences FROM entity_link l JOIN entity a ON a.id = l.entity_in_id"
        " JOIN entity_type at ON at.id = a.entity_type_id WHERE l.entity_out_id = $1::uuid AND a.canceled <> true "
        "AND " +
            asset_type_condition("a") + " ORDER BY at.name, a.name",
        {asset_id});
    std::string shots_json = rows_array_json(shots), assets_json = rows_array_json(assets);
    if (shots.rows() == 0)
        return assets_json;
    if (assets.rows() == 0)
        return shots_json;
    shots_json.pop_back();
    return shots_json + "," + assets_json.substr(1);
}

namespace {

/// {owner id: [cast…]} of the links from the owners (entity "owner") that `owner_where`
/// selects; `more_members` after the members every such casting has.
void write_owners_casting(db::Connection& c, std::string_view more_members, std::string_view owner_where,
                          const db::Params& params, const std::function<void(std::string_view)>& sink) {
    write_grouped(c,
                  "SELECT l.entity_in_id, " + std::string(cast_members) +
                      ", a.preview_file_id, l.nb_occurences, l.label" + std::string(more_members) +
                      " FROM entity_link l JOIN entity owner ON owner.id = l.entity_in_id"
                      " JOIN entity a ON a.id = l.entity_out_id JOIN entity_type at ON at.id = a.entity_type_id"
                      " WHERE " +
                      std::string(owner_where) + " AND a.canceled <> true ORDER BY l.entity_in_id, at.name, a.name",
                  params, sink);
}

} // namespace

void write_episodes_casting(db::Connection& c, const std::string& project_id,
                            const std::function<void(std::string_view)>& sink) {
    write_owners_casting(c, ", a.is_shared, a.project_id", "owner.project_id = $1::uuid", {project_id}, sink);
}

void write_asset_type_casting(db::Connection& c, const std::string& project_id, const std::string& asset_type_id,
                              const std::function<void(std::string_view)>& sink) {
    write_owners_casting(c, "", "owner.project_id = $1::uuid AND owner.entity_type_id = $2::uuid",
                         {project_id, asset_type_id}, sink);
}

void refresh_shot_casting_stats(db::Connection& c, const std::vector<std::string>& shot_ids) {
    if (shot_ids.empty())
        return;
    std::string ids = "{";
    for (const auto& id : shot_ids)
        ids += (ids.size() > 1 ? "," : "") + id;
    ids += "}";
    // _is_asset_ready: a shared asset of another production is ready; else an asset ready for
    // a task type at least as late (by the production's shot task type priorities) as the
    // task's. Missing or zero priorities count as -1 for the asset, 0 for the task.
    c.exec(R"(WITH priorities AS (
                  SELECT l.project_id, l.task_type_id, NULLIF(l.priority, 0) AS priority
                  FROM project_task_type_link l JOIN task_type tt ON tt.id = l.task_type_id
                  WHERE tt.for_entity = 'Shot'),
              updated AS (
                  UPDATE task t SET updated_at = now() AT TIME ZONE 'utc', nb_assets_ready = (
                      SELECT count(*) FROM entity_link l JOIN entity a ON a.id = l.entity_out_id
                      WHERE l.entity_in_id = t.entity_id AND a.canceled IS NOT TRUE AND (
                          (a.is_shared AND a.project_id <> t.project_id)
                          OR (a.ready_for IS NOT NULL AND
                              COALESCE((SELECT p.priority FROM priorities p WHERE p.project_id = t.project_id
                                        AND p.task_type_id = t.task_type_id), 0)
                              <= COALESCE((SELECT p.priority FROM priorities p WHERE p.project_id = t.project_id
                                           AND p.task_type_id = a.ready_for), -1))))
                  WHERE t.entity_id = ANY($1::uuid[])
                  RETURNING t.id, t.nb_assets_ready, t.project_id)
              SELECT pg_notify('slate_events', json_build_object('name', 'task:update-casting-stats', 'data',
                  json_build_object('task_id', id, 'nb_assets_ready', nb_assets_ready,
                                    'project_id', project_id))::text)
              FROM updated)",
           {ids});
}

} // namespace slate::engine::production
