// engine/review/shared_playlist_queries.cpp: a playlist seen through its share link, read side.
#include "engine/review/shared_playlist_queries.h"

#include "engine/auth/password.h"
#include "engine/db/connection.h"
#include "engine/json.h"
#include "engine/review/playlists.h"
#include "engine/serialize.h"
#include "engine/uuid.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

namespace slate::engine::services {
namespace {

using db::Connection;

/// Every row of `rows` as a JSON array of plain objects (no "type": the shared player's shape).
void write_rows(JsonWriter& out, const db::Result& rows) {
    out.begin_array();
    for (int row = 0; row < rows.rows(); ++row) {
        out.begin_object();
        write_row_fields(out, rows, row);
        out.end_object();
    }
    out.end_array();
}

} // namespace

std::optional<SharedLink> valid_shared_link(Connection& c, const std::string& token,
                                            const std::optional<std::string>& password) {
    const auto link = c.exec(R"(SELECT id, playlist_id, password, can_comment,
            (expiration_date IS NOT NULL AND expiration_date < now() AT TIME ZONE 'utc') AS expired, is_active
        FROM playlist_share_link WHERE token = $1)",
                             {token});
    if (link.rows() == 0 || link.optional(0, "is_active") != std::optional<std::string>("t") ||
        link.get_bool(0, "expired"))
        return std::nullopt;
    const std::string hash = link.optional(0, "password").value_or("");
    if (!hash.empty() && (!password || password->empty() || !auth::check_password(*password, hash)))
        return std::nullopt;
    return SharedLink{std::string(link.get(0, "id")), std::string(link.get(0, "playlist_id")),
                      link.optional(0, "can_comment") != std::optional<std::string>("f")};
}

std::optional<SharedPreview> find_shared_preview(Connection& c, const std::string& playlist_id,
                                                 const std::string& preview_id) {
    // An entry is matched by its entity (entity_id, or id in older playlists), then by the
    // preview positioned on it or any preview of the same task and revision.
    const auto found = c.exec(R"(SELECT p.extension, t.project_id, EXISTS (
            SELECT 1 FROM playlist pl, jsonb_array_elements(COALESCE(pl.shots, '[]'::jsonb)) s(shot)
            JOIN preview_file positioned ON positioned.id::text = s.shot->>'preview_file_id'
            WHERE pl.id = $2::uuid
              AND COALESCE(s.shot->>'entity_id', s.shot->>'id') = t.entity_id::text
              AND (positioned.id = p.id OR (positioned.task_id = p.task_id
                                            AND positioned.revision IS NOT DISTINCT FROM p.revision))) AS reached
        FROM preview_file p JOIN task t ON t.id = p.task_id WHERE p.id = $1::uuid)",
                              {preview_id, playlist_id});
    if (found.rows() == 0)
        return std::nullopt;
    return SharedPreview{found.optional(0, "extension").value_or(""), found.optional(0, "project_id").value_or(""),
                         found.get_bool(0, "reached")};
}

std::string shared_playlist_json(Connection& c, const std::string& playlist_id) {
    Poco::JSON::Parser parser;
    auto playlist = parser.parse(playlist_with_previews_json(c, playlist_id, true)).extract<Poco::JSON::Object::Ptr>();
    const auto project =
        c.exec("SELECT name, fps FROM project WHERE id = $1::uuid", {playlist->getValue<std::string>("project_id")});
    if (project.rows()) {
        playlist->set("project_name", project.optional(0, "name").value_or(""));
        // fps is text in Zou's model: kept a string, null when unset.
        playlist->set("project_fps", project.optional(0, "fps") ? Poco::Dynamic::Var(*project.optional(0, "fps"))
                                                                : Poco::Dynamic::Var());
    }
    auto shots = playlist->getArray("shots");
    for (unsigned i = 0; shots && i < shots->size(); ++i) {
        auto shot = shots->getObject(i);
        if (!shot || !shot->has("id") || !is_uuid(shot->get("id").toString()))
            continue;
        const auto entity = c.exec(R"(SELECT e.name, t.name AS type_name, parent.name AS parent_name
            FROM entity e JOIN entity_type t ON t.id = e.entity_type_id LEFT JOIN entity parent ON parent.id = e.parent_id
            WHERE e.id = $1::uuid)",
                                   {shot->get("id").toString()});
        if (entity.rows() == 0)
            continue;
        shot->set("name", entity.optional(0, "name").value_or(""));
        const std::string type = entity.optional(0, "type_name").value_or("");
        const bool shot_like = type == "Shot" || type == "Scene" || type == "Sequence" || type == "Edit";
        shot->set("parent_name", shot_like ? entity.optional(0, "parent_name").value_or("") : type);
        if (!shot->has("preview_file_task_id"))
            continue;
        const auto task = c.exec(R"(SELECT tt.id, tt.name, tt.color, tt.for_entity, ts.color AS status_color
            FROM task t JOIN task_type tt ON tt.id = t.task_type_id JOIN task_status ts ON ts.id = t.task_status_id
            WHERE t.id = $1::uuid)",
                                 {shot->get("preview_file_task_id").toString()});
        if (task.rows() == 0)
            continue;
        Poco::JSON::Object::Ptr task_type = new Poco::JSON::Object;
        task_type->set("id", std::string(task.get(0, "id")));
        task_type->set("name", task.optional(0, "name").value_or(""));
        task_type->set("color", task.optional(0, "color").value_or(""));
        task_type->set("for_entity", task.optional(0, "for_entity").value_or(""));
        shot->set("preview_file_task_type", task_type);
        shot->set("preview_file_task_type_name", task.optional(0, "name").value_or(""));
        if (const auto colour = task.optional(0, "status_color"))
            shot->set("task_status_color", *colour);
    }
    std::ostringstream out;
    playlist->stringify(out);
    return out.str();
}

std::string shared_context_json(Connection& c, const std::string& playlist_id) {
    const auto project = c.exec(R"(SELECT pr.id, pr.name, pr.fps, pr.ratio, pr.resolution FROM playlist pl
                                   JOIN project pr ON pr.id = pl.project_id WHERE pl.id = $1::uuid)",
                                {playlist_id});
    const std::string project_id(project.get(0, "id"));
    JsonWriter out;
    out.begin_object().key("project").begin_object();
    write_row_fields(out, project, 0);
    out.key("team").begin_array().end_array().end_object();
    // The project's task types and statuses, as the shared player needs them (no departments).
    const auto types = c.exec(R"(SELECT tt.id, tt.name, tt.color, tt.for_entity FROM task_type tt
        JOIN project_task_type_link l ON l.task_type_id = tt.id WHERE l.project_id = $1::uuid
        ORDER BY l.priority NULLS LAST, tt.name)",
                              {project_id});
    out.key("task_types");
    write_rows(out, types);
    const auto statuses = c.exec(R"(SELECT ts.id, ts.name, ts.short_name, ts.color, ts.is_client_allowed,
            ts.is_default, ts.for_concept FROM task_status ts
        JOIN project_task_status_link l ON l.task_status_id = ts.id WHERE l.project_id = $1::uuid
        ORDER BY l.priority NULLS LAST, ts.name)",
                                 {project_id});
    out.key("task_statuses");
    write_rows(out, statuses);
    const auto entities = c.exec(R"(SELECT DISTINCT ON (e.id) e.id, e.name, e.preview_file_id FROM playlist pl,
            jsonb_array_elements(COALESCE(pl.shots, '[]'::jsonb)) s(shot)
        JOIN entity e ON e.id::text = s.shot->>'entity_id' WHERE pl.id = $1::uuid)",
                                 {playlist_id});
    out.key("entities");
    write_rows(out, entities);
    out.end_object();
    return out.take();
}

std::vector<std::string> shared_playlist_task_ids(Connection& c, const std::string& playlist_id) {
    const auto rows = c.exec(R"(SELECT DISTINCT p.task_id::text FROM playlist pl,
            jsonb_array_elements(COALESCE(pl.shots, '[]'::jsonb)) s(shot)
        JOIN preview_file p ON p.id::text = s.shot->>'preview_file_id' WHERE pl.id = $1::uuid)",
                             {playlist_id});
    std::vector<std::string> ids;
    for (int row = 0; row < rows.rows(); ++row)
        ids.emplace_back(rows.get(row, 0));
    return ids;
}

} // namespace slate::engine::services
