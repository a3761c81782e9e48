#include "engine/review/playlists.h"

#include "engine/crud/crud_service.h"
#include "engine/crud/values.h"
#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/json.h"
#include "engine/crud/queries.h"
#include "engine/serialize.h"
#include "engine/uuid.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

namespace slate::engine::services {
namespace {

using db::Connection;
using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr long long page_size = 20; // Zou's PLAYLISTS_PAGE_SIZE

const char* const sortable[] = {"name",       "created_at", "updated_at", "project_id", "episode_id", "task_type_id",
                                "for_client", "for_entity", "is_for_all", "created_by", "id"};

std::string order_of(const std::string& sort_by) {
    for (const char* column : sortable)
        if (sort_by == column)
            return sort_by == "created_at" || sort_by == "updated_at" ? "p." + sort_by + " DESC" : "p." + sort_by;
    return "p.updated_at DESC";
}

Poco::Dynamic::Var number_or_null(const db::Result& rows, int row, const char* column, bool floating) {
    const auto value = rows.optional(row, column);
    if (!value)
        return Poco::Dynamic::Var();
    if (floating)
        return std::stod(*value);
    return static_cast<Poco::Int64>(std::stoll(*value));
}

/// str() of a preview status as Zou's ChoiceType gives it in playlists: the choice's label.
std::string preview_status_label(const std::string& code) {
    static const std::map<std::string, std::string> labels = {
        {"processing", "Processing"}, {"ready", "Ready"}, {"broken", "Broken"}, {"missing", "Missing"}};
    const auto found = labels.find(code);
    return found == labels.end() ? code : found->second;
}

/// The previews of entities, by entity and task type, in Zou's order, revisions grouped: one
/// entry per revision carrying the revision's other previews in "previews". `full` adds what
/// the entity previews route answers; `with_annotations` only the annotations (a shared link's).
std::map<std::string, std::map<std::string, Array::Ptr>> previews_by_entity(Connection& c,
                                                                            const std::vector<std::string>& entity_ids,
                                                                            std::map<std::string, Object::Ptr>& by_id,
                                                                            bool full = false,
                                                                            bool with_annotations = false) {
    std::map<std::string, std::map<std::string, Array::Ptr>> result;
    if (entity_ids.empty())
        return result;
    const auto rows =
        c.exec(R"(SELECT p.id, p.revision, p.extension, p.width, p.height, COALESCE(p.duration, 0) AS duration,
            p.status, p.created_at, p.task_id, t.task_type_id, t.entity_id, p.original_name,
            p.annotations::text AS annotations, p.data->>'original_width' AS original_width,
            p.data->>'original_height' AS original_height, p.data->>'original_duration' AS original_duration,
            p.data->>'original_file_size' AS original_file_size
        FROM preview_file p JOIN task t ON t.id = p.task_id JOIN task_type tt ON tt.id = t.task_type_id
        WHERE t.entity_id = ANY($1::uuid[])
        ORDER BY tt.priority DESC NULLS LAST, tt.name, p.revision DESC NULLS LAST, p.position, p.created_at)",
               {crud::array_literal(entity_ids)});
    std::map<std::string, std::map<std::string, std::map<long long, Object::Ptr>>> revisions;
    for (int row = 0; row < rows.rows(); ++row) {
        Object::Ptr preview = new Object;
        const std::string id(rows.get(row, "id"));
        preview->set("id", id);
        preview->set("revision", number_or_null(rows, row, "revision", false));
        preview->set("extension", rows.optional(row, "extension").value_or(""));
        preview->set("width", number_or_null(rows, row, "width", false));
        preview->set("height", number_or_null(rows, row, "height", false));
        preview->set("duration", std::stod(std::string(rows.get(row, "duration"))));
        // The entity previews route writes the status's code; a playlist's entries write
        // str() of Zou's Choice, its label ("Ready").
        const std::string status = rows.optional(row, "status").value_or("");
        preview->set("status", full ? status : preview_status_label(status));
        preview->set("created_at", zou_datetime(rows.get(row, "created_at")));
        preview->set("task_id", std::string(rows.get(row, "task_id")));
        if (full || with_annotations) { // Zou keeps a null column null
            Poco::JSON::Parser annotations;
            const auto raw = rows.optional(row, "annotations");
            preview->set("annotations", raw ? annotations.parse(*raw) : Poco::Dynamic::Var());
        }
        if (full) { // what the entity previews route and temporary playlists answer besides
            preview->set("original_name", rows.optional(row, "original_name")
                                              ? Poco::Dynamic::Var(*rows.optional(row, "original_name"))
                                              : Poco::Dynamic::Var());
            for (const char* key : {"original_width", "original_height", "original_file_size"})
                preview->set(key, number_or_null(rows, row, key, false));
            preview->set("original_duration", number_or_null(rows, row, "original_duration", true));
        }
        by_id[id] = preview;
        const std::string entity(rows.get(row, "entity_id"));
        const std::string task_type(rows.get(row, "task_type_id"));
        const long long revision = std::stoll(rows.optional(row, "revision").value_or("0"));
        auto& list = result[entity][task_type];
        if (!list)
            list = new Array;
        auto& parents = revisions[entity][task_type];
        auto parent = parents.find(revision);
        if (parent == parents.end()) {
            preview->set("previews", Array::Ptr(new Array));
            parents[revision] = preview;
            list->add(preview);
        } else {
            parent->second->getArray("previews")->add(preview);
        }
    }
    return result;
}

std::string stringify(const Poco::Dynamic::Var& value) {
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(value, out);
    return out.str();
}

} // namespace

std::string playlist_list_json(Connection& c, const PlaylistQuery& query) {
    std::string sql = R"(SELECT p.id, p.name, p.project_id, p.episode_id, p.task_type_id, p.for_client, p.for_entity,
            p.is_for_all, p.created_at, p.updated_at, p.created_by,
            p.shots->0->>'preview_file_id' AS first_preview_file_id
        FROM playlist p WHERE p.project_id = $1::uuid)";
    db::Params params{query.project_id};
    if (query.for_client_only)
        sql += " AND p.for_client";
    if (query.task_type_id && !query.task_type_id->empty()) {
        params.push_back(is_uuid(*query.task_type_id) ? *query.task_type_id : new_uuid());
        sql += " AND p.task_type_id = $" + std::to_string(params.size()) + "::uuid";
    }
    if (query.episode) {
        if (*query.episode == "main")
            sql += " AND p.episode_id IS NULL AND (p.is_for_all IS NULL OR p.is_for_all = false)";
        else if (*query.episode == "all")
            sql += " AND p.episode_id IS NULL AND p.is_for_all = true";
        else {
            params.push_back(is_uuid(*query.episode) ? *query.episode : new_uuid());
            sql += " AND p.episode_id = $" + std::to_string(params.size()) + "::uuid";
        }
    }
    const long long page = std::max(1LL, query.page);
    sql += " ORDER BY " + order_of(query.sort_by) + " LIMIT " + std::to_string(page_size) + " OFFSET " +
           std::to_string((page - 1) * page_size);
    const auto rows = c.exec(sql, params);
    JsonWriter out;
    out.begin_array();
    for (int row = 0; row < rows.rows(); ++row) {
        out.begin_object().field("type", "Playlist");
        write_row_fields(out, rows, row, {"first_preview_file_id", "for_entity"});
        out.field("for_entity", rows.optional(row, "for_entity").value_or("shot"));
        if (const auto first = rows.optional(row, "first_preview_file_id"); first && !first->empty())
            out.field("first_preview_file_id", *first);
        out.end_object();
    }
    out.end_array();
    return out.take();
}

std::string entity_previews_json(Connection& c, const std::string& entity_id) {
    std::map<std::string, Object::Ptr> by_id;
    auto previews = previews_by_entity(c, {entity_id}, by_id, true);
    Object::Ptr result = new Object;
    for (auto& [task_type, list] : previews[entity_id])
        result->set(task_type, list);
    return stringify(result);
}

std::string playlist_with_previews_json(Connection& c, const std::string& playlist_id, bool with_annotations) {
    const std::string base = crud::serialize_by_id(c, "playlists", playlist_id, false);
    if (base.empty())
        return {};
    Poco::JSON::Parser parser;
    Object::Ptr playlist = parser.parse(base).extract<Object::Ptr>();
    const auto jobs = c.exec("SELECT id, status, created_at FROM build_job WHERE playlist_id = $1::uuid "
                             "ORDER BY created_at DESC",
                             {playlist_id});
    Array::Ptr build_jobs = new Array;
    for (int row = 0; row < jobs.rows(); ++row) {
        Object::Ptr job = new Object;
        job->set("id", std::string(jobs.get(row, "id")));
        job->set("status", jobs.optional(row, "status").value_or(""));
        job->set("created_at", zou_datetime(jobs.get(row, "created_at")));
        build_jobs->add(job);
    }
    playlist->set("build_jobs", build_jobs);
    Array::Ptr shots = playlist->getArray("shots");
    if (!shots) {
        shots = new Array;
        playlist->set("shots", shots);
    }
    std::vector<std::string> entity_ids;
    for (unsigned i = 0; i < shots->size(); ++i) {
        Object::Ptr shot = shots->getObject(i);
        if (!shot)
            continue;
        std::string entity;
        for (const char* key : {"id", "shot_id", "entity_id"})
            if (entity.empty() && shot->has(key) && !shot->isNull(key))
                entity = shot->get(key).toString();
        if (entity.empty())
            continue;
        if (!shot->has("id"))
            shot->set("id", entity);
        if (is_uuid(entity))
            entity_ids.push_back(entity);
    }
    std::map<std::string, Object::Ptr> by_id;
    auto previews = previews_by_entity(c, entity_ids, by_id, false, with_annotations);
    for (unsigned i = 0; i < shots->size(); ++i) {
        Object::Ptr shot = shots->getObject(i);
        if (!shot)
            continue;
        const std::string entity = shot->has("id") ? shot->get("id").toString() : "";
        Object::Ptr files = new Object;
        auto found = previews.find(entity);
        if (found != previews.end())
            for (auto& [task_type, list] : found->second)
                files->set(task_type, list);
        shot->set("preview_files",
                  files->size() ? Poco::Dynamic::Var(files) : Poco::Dynamic::Var(Array::Ptr(new Array)));
        const std::string chosen = shot->has("preview_file_id") && !shot->isNull("preview_file_id")
                                       ? shot->get("preview_file_id").toString()
                                       : "";
        const auto preview = by_id.find(chosen);
        if (preview == by_id.end()) {
            shot->remove("preview_file_id");
            continue;
        }
        const Object::Ptr& p = preview->second;
        shot->set("preview_file_extension", p->get("extension"));
        shot->set("preview_file_revision", p->get("revision"));
        shot->set("preview_file_width", p->get("width"));
        shot->set("preview_file_height", p->get("height"));
        shot->set("preview_file_duration", p->get("duration"));
        shot->set("preview_file_status", p->get("status"));
        shot->set("preview_file_task_id", p->get("task_id"));
        shot->set("preview_file_previews",
                  p->has("previews") ? p->get("previews") : Poco::Dynamic::Var(Array::Ptr(new Array)));
        if (with_annotations)
            shot->set("preview_file_annotations", p->get("annotations"));
    }
    return stringify(playlist);
}

std::string temporary_playlist_json(Connection& c, const std::vector<std::string>& task_ids, bool sort) {
    if (task_ids.empty())
        return "[]";
    // The task types of the first task's kind, in the project's order: where a task without
    // previews of its own borrows one from.
    const auto first =
        c.exec(R"(SELECT t.project_id, tt.for_entity FROM task t JOIN task_type tt ON tt.id = t.task_type_id
                                 WHERE t.id = $1::uuid)",
               {task_ids.front()});
    if (first.rows() == 0)
        throw_not_found(not_found_message);
    const auto links = c.exec(R"(SELECT l.task_type_id::text FROM project_task_type_link l
        JOIN task_type tt ON tt.id = l.task_type_id WHERE l.project_id = $1::uuid AND tt.for_entity = $2
        ORDER BY l.priority NULLS LAST, tt.name)",
                              {std::string(first.get(0, "project_id")), first.optional(0, "for_entity")});
    Array::Ptr entries = new Array;
    for (const auto& task_id : task_ids) {
        const auto row = c.exec(R"(SELECT t.task_type_id, e.id, e.name, et.name AS type_name, et.id AS type_id,
                parent.id AS parent_id, parent.name AS parent_name, pt.name AS parent_type
            FROM task t JOIN entity e ON e.id = t.entity_id JOIN entity_type et ON et.id = e.entity_type_id
            LEFT JOIN entity parent ON parent.id = e.parent_id LEFT JOIN entity_type pt ON pt.id = parent.entity_type_id
            WHERE t.id = $1::uuid)",
                                {task_id});
        if (row.rows() == 0)
            throw_not_found(not_found_message);
        Object::Ptr entry = new Object;
        const std::string entity(row.get(0, "id"));
        entry->set("id", entity);
        entry->set("name", row.optional(0, "name").value_or(""));
        entry->set("preview_file_task_id", task_id);
        for (const char* key : {"parent_name", "episode_id", "episode_name", "sequence_id", "sequence_name",
                                "asset_type_id", "asset_type_name"})
            entry->set(key, "");
        const std::string type = row.optional(0, "type_name").value_or("");
        const std::string parent_id = row.optional(0, "parent_id").value_or("");
        const std::string parent_name = row.optional(0, "parent_name").value_or("");
        if (type == "Shot") {
            entry->set("parent_name", parent_name);
            entry->set("sequence_id", parent_id);
            entry->set("sequence_name", parent_name);
        } else if ((type == "Sequence" || type == "Edit") &&
                   row.optional(0, "parent_type") == std::optional<std::string>("Episode")) {
            entry->set("parent_name", parent_name);
            entry->set("episode_id", parent_id);
            entry->set("episode_name", parent_name);
        } else if (type != "Episode" && type != "Sequence" && type != "Edit") {
            entry->set("parent_name", type);
            entry->set("asset_type_id", std::string(row.get(0, "type_id")));
            entry->set("asset_type_name", type);
        }
        std::map<std::string, Object::Ptr> by_id;
        auto previews = previews_by_entity(c, {entity}, by_id, true)[entity];
        std::string task_type(row.get(0, "task_type_id"));
        Object::Ptr chosen;
        if (previews.count(task_type) && previews[task_type]->size() > 0)
            chosen = previews[task_type]->getObject(0);
        for (int link = 0; !chosen && link < links.rows(); ++link) {
            const std::string candidate(links.get(link, 0));
            if (previews.count(candidate) && previews[candidate]->size() > 0)
                chosen = previews[candidate]->getObject(0);
        }
        if (chosen) {
            entry->set("preview_file_id", chosen->get("id"));
            for (const char* key : {"extension", "width", "height", "duration", "revision", "status"})
                entry->set(std::string("preview_file_") + key, chosen->get(key));
            const auto annotations = chosen->get("annotations"); // Zou: `annotations or []`
            entry->set("preview_file_annotations", annotations.isEmpty() ? Poco::Dynamic::Var(Array::Ptr(new Array))
                                                                         : annotations);
            entry->set("preview_file_previews", chosen->get("previews"));
        }
        Object::Ptr files = new Object;
        for (auto& [id, list] : previews)
            files->set(id, list);
        entry->set("preview_files", files);
        entries->add(entry);
    }
    if (sort && entries->size() > 0) {
        // By episode, else sequence, else asset type (whichever the first entry has), then name.
        const Object::Ptr head = entries->getObject(0);
        const char* key = !head->getValue<std::string>("episode_name").empty()      ? "episode_name"
                          : !head->getValue<std::string>("sequence_name").empty()   ? "sequence_name"
                          : !head->getValue<std::string>("asset_type_name").empty() ? "asset_type_name"
                                                                                    : nullptr;
        if (key) {
            std::vector<Object::Ptr> sorted;
            for (unsigned i = 0; i < entries->size(); ++i)
                sorted.push_back(entries->getObject(i));
            std::stable_sort(sorted.begin(), sorted.end(), [key](const Object::Ptr& a, const Object::Ptr& b) {
                return std::make_pair(a->getValue<std::string>(key), a->getValue<std::string>("name")) <
                       std::make_pair(b->getValue<std::string>(key), b->getValue<std::string>("name"));
            });
            Array::Ptr ordered = new Array;
            for (const auto& entry : sorted)
                ordered->add(entry);
            entries = ordered;
        }
    }
    return stringify(entries);
}

std::string add_entities_to_playlist(Connection& c, const std::string& playlist_id,
                                     const std::vector<PlaylistEntry>& entries, const std::string& caller_id) {
    db::Transaction transaction(c);
    const auto playlist = c.exec("SELECT project_id, task_type_id, COALESCE(shots, '[]'::jsonb)::text AS shots "
                                 "FROM playlist WHERE id = $1::uuid FOR UPDATE",
                                 {playlist_id});
    if (playlist.rows() == 0)
        throw_not_found(not_found_message);
    const std::string project_id(playlist.get(0, "project_id"));
    const auto task_type = playlist.optional(0, "task_type_id");
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var parsed = parser.parse(std::string(playlist.get(0, "shots")));
    Array::Ptr shots = parsed.type() == typeid(Array::Ptr) ? parsed.extract<Array::Ptr>() : Array::Ptr(new Array);
    std::set<std::pair<std::string, std::string>> present;
    for (unsigned i = 0; i < shots->size(); ++i)
        if (Object::Ptr shot = shots->getObject(i))
            present.emplace(shot->has("entity_id") ? shot->get("entity_id").toString() : "",
                            shot->has("preview_file_id") && !shot->isNull("preview_file_id")
                                ? shot->get("preview_file_id").toString()
                                : "");
    std::vector<std::pair<std::string, std::string>> added;
    for (const auto& entry : entries) {
        std::string preview = entry.preview_file_id.value_or("");
        if (!entry.preview_file_id) {
            // The latest preview: highest revision, then the newest, in the playlist's task type.
            const auto latest = c.exec(R"(SELECT p.id FROM preview_file p JOIN task t ON t.id = p.task_id
                WHERE t.entity_id = $1::uuid AND ($2::uuid IS NULL OR t.task_type_id = $2::uuid)
                ORDER BY p.revision DESC NULLS LAST, p.created_at DESC LIMIT 1)",
                                       {entry.entity_id, task_type});
            if (latest.rows())
                preview = std::string(latest.get(0, "id"));
        }
        if (!present.emplace(entry.entity_id, preview).second)
            continue;
        Object::Ptr shot = new Object;
        shot->set("entity_id", entry.entity_id);
        if (!preview.empty())
            shot->set("preview_file_id", preview);
        shots->add(shot);
        added.emplace_back(entry.entity_id, preview);
    }
    if (!added.empty())
        c.exec("UPDATE playlist SET shots = $2::jsonb, updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid",
               {playlist_id, stringify(shots)});
    for (const auto& [entity, preview] : added) {
        JsonWriter data;
        data.begin_object().field("playlist_id", playlist_id).field("entity_id", entity).key("preview_file_id");
        if (preview.empty())
            data.null();
        else
            data.string(preview);
        data.end_object();
        queries::insert_event(c, "playlist:add_entity", caller_id, project_id, data.take());
    }
    std::string answer = crud::serialize_by_id(c, "playlists", playlist_id, false);
    transaction.commit();
    return answer;
}

} // namespace slate::engine::services
