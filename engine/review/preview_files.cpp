#include "engine/review/preview_files.h"
#include "engine/storage/staged_files.h"

#include "engine/crud/crud_service.h"
#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/json.h"
#include "engine/review/annotations.h"
#include "engine/crud/queries.h"
#include "engine/serialize.h"
#include "engine/storage/file_store.h"
#include "engine/uuid.h"

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

/// The preview's task facts, or 404.
db::Result preview_facts(Connection& c, const std::string& preview_id) {
    if (!is_uuid(preview_id))
        throw_not_found(not_found_message);
    auto facts = c.exec(R"(SELECT p.id, p.task_id, p.revision, p.position, p.extension, p.status,
            t.project_id, t.entity_id
        FROM preview_file p JOIN task t ON t.id = p.task_id WHERE p.id = $1::uuid)",
                        {preview_id});
    if (facts.rows() == 0)
        throw_not_found(not_found_message);
    return facts;
}

/// Zou's entity event family: shot, sequence, scene, episode, edit?, else asset.
std::string entity_event_kind(const std::string& type_name) {
    for (const char* temporal : {"Shot", "Sequence", "Scene", "Episode", "Edit"})
        if (type_name == temporal) {
            std::string kind = type_name;
            for (auto& ch : kind)
                ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
            return kind;
        }
    return "asset";
}

} // namespace

std::string preview_file_json(Connection& c, const std::string& preview_id, bool relations) {
    return crud::serialize_by_id(c, "preview-files", preview_id, relations);
}

std::string add_preview_to_comment(Connection& c, const std::string& comment_id, const std::string& task_id,
                                   const std::string& person_id, std::optional<long long> revision) {
    if (!is_uuid(comment_id) || !is_uuid(task_id))
        throw_not_found(not_found_message);
    db::Transaction transaction(c);
    // One preview added at a time per task: revisions and positions are counted, then written.
    c.exec("SELECT pg_advisory_xact_lock(hashtextextended('preview_file:' || $1, 0))", {task_id});
    const auto comment = c.exec(R"(SELECT cm.id, t.project_id, t.id AS task_id,
            (SELECT p.revision FROM comment_preview_link l JOIN preview_file p ON p.id = l.preview_file
             WHERE l.comment = cm.id ORDER BY p.position, p.created_at LIMIT 1) AS comment_revision
        FROM comment cm JOIN task t ON t.id = cm.object_id WHERE cm.id = $1::uuid)",
                                {comment_id});
    if (comment.rows() == 0)
        throw_not_found(not_found_message);
    const std::string project_id(comment.get(0, "project_id"));
    const auto comment_revision = comment.optional(0, "comment_revision");
    long long position = 1;
    auto next_position = [&](long long rev) {
        return std::stoll(std::string(c.exec("SELECT count(*) + 1 FROM preview_file WHERE task_id = $1::uuid "
                                             "AND revision = $2::int",
                                             {task_id, std::to_string(rev)})
                                          .get(0, 0)));
    };
    if (!revision && !comment_revision) {
        revision = std::stoll(std::string(
            c.exec("SELECT COALESCE(MAX(revision), 0) + 1 FROM preview_file WHERE task_id = $1::uuid", {task_id})
                .get(0, 0)));
    } else if (!revision) {
        revision = std::stoll(*comment_revision);
        position = next_position(*revision);
    } else {
        if (!comment_revision &&
            c.exec("SELECT 1 FROM preview_file WHERE task_id = $1::uuid AND revision = $2::int AND position = 1",
                   {task_id, std::to_string(*revision)})
                    .rows() > 0)
            throw_bad_request("Revision " + std::to_string(*revision) +
                              " already exists for this task. Choose a different revision number, or omit it "
                              "to let the revision auto-increment.");
        position = next_position(*revision);
    }
    if (position > 1 &&
        c.exec("SELECT 1 FROM project WHERE id = $1::uuid AND is_single_preview_per_revision", {project_id}).rows() > 0)
        throw_bad_request("Only one preview file is allowed per revision for this project.");
    const std::string id = new_uuid();
    // Zou's model defaults: sizes and duration 0, not a movie, no annotations until drawn.
    c.exec(R"(INSERT INTO preview_file (id, name, revision, position, source, task_id, person_id, extension,
                  status, validation_status, file_size, width, height, duration, is_movie, created_at, updated_at)
              VALUES ($1::uuid, $2, $3::int, $4::int, 'webgui', $5::uuid, $6::uuid, 'mp4', 'processing', 'neutral',
                      0, 0, 0, 0, false, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'))",
           {id, new_uuid().substr(0, 13), std::to_string(*revision), std::to_string(position), task_id, person_id});
    c.exec("INSERT INTO comment_preview_link (comment, preview_file) VALUES ($1::uuid, $2::uuid)", {comment_id, id});
    c.exec("UPDATE news SET preview_file_id = $2::uuid WHERE comment_id = $1::uuid", {comment_id, id});
    queries::insert_event(c, "preview-file:new", person_id, project_id,
                          object_of({{"preview_file_id", id}, {"comment_id", comment_id}}));
    queries::insert_event(c, "comment:update", person_id, project_id, object_of({{"comment_id", comment_id}}));
    transaction.commit();
    return id;
}

void copy_preview_file(Connection& c, storage::StagedFiles& staged, const std::string& from, const std::string& to) {
    const storage::LocalFileStore& files = staged.store();
    using storage::Bucket;
    const auto source = c.exec("SELECT extension FROM preview_file WHERE id = $1::uuid", {from});
    if (source.rows() == 0)
        throw_not_found(not_found_message);
    const std::string extension = source.optional(0, "extension").value_or("");
    auto copy = [&](Bucket bucket, const char* prefix) {
        if (const auto stored = files.find(bucket, storage::make_key(prefix, from)))
            staged.copy_in(bucket, storage::make_key(prefix, to), *stored);
    };
    if (extension == "mp4")
        for (const char* prefix : {"previews", "lowdef", "source"})
            copy(Bucket::movies, prefix);
    if (extension == "mp4" || extension == "png") {
        for (const char* prefix : {"previews", "original", "thumbnails", "thumbnails-square"})
            copy(Bucket::pictures, prefix);
        if (extension == "mp4")
            copy(Bucket::pictures, "tiles");
    } else {
        copy(Bucket::files, "previews");
    }
    c.exec(R"(UPDATE preview_file p SET extension = s.extension, original_name = s.original_name, status = s.status,
                  file_size = s.file_size, width = s.width, height = s.height, duration = s.duration,
                  updated_at = now() AT TIME ZONE 'utc'
              FROM preview_file s WHERE s.id = $1::uuid AND p.id = $2::uuid)",
           {from, to});
    update_preview_file_info(c, to);
    announce_uploaded_file(c, to);
}

void update_preview_file_info(Connection& c, const std::string& preview_id) {
    const auto facts = preview_facts(c, preview_id);
    if (std::string(facts.get(0, "position")) != "1")
        return;
    c.exec("UPDATE task SET last_preview_file_id = $2::uuid, updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid",
           {std::string(facts.get(0, "task_id")), preview_id});
    if (c.exec("SELECT 1 FROM project WHERE id = $1::uuid AND is_set_preview_automated",
               {std::string(facts.get(0, "project_id"))})
            .rows() > 0)
        set_main_preview(c, preview_id);
}

void announce_uploaded_file(Connection& c, const std::string& preview_id) {
    const auto preview = c.exec(R"(SELECT p.id, p.task_id, p.revision, p.extension, p.status, t.project_id,
            (SELECT l.comment FROM comment_preview_link l WHERE l.preview_file = p.id LIMIT 1) AS comment_id
        FROM preview_file p JOIN task t ON t.id = p.task_id WHERE p.id = $1::uuid)",
                                {preview_id});
    if (preview.rows() == 0 || !preview.optional(0, "comment_id"))
        return;
    const std::string project_id(preview.get(0, "project_id"));
    const std::string comment_id = *preview.optional(0, "comment_id");
    queries::insert_event(c, "comment:update", std::nullopt, project_id, object_of({{"comment_id", comment_id}}));
    JsonWriter data;
    data.begin_object()
        .field("comment_id", comment_id)
        .field("task_id", std::string(preview.get(0, "task_id")))
        .field("preview_file_id", preview_id)
        .key("revision")
        .raw(preview.optional(0, "revision").value_or("null"))
        .field("extension", preview.optional(0, "extension").value_or(""))
        .field("status", preview.optional(0, "status").value_or(""))
        .end_object();
    queries::insert_event(c, "preview-file:add-file", std::nullopt, project_id, data.take());
}

std::string set_main_preview(Connection& c, const std::string& preview_id) {
    const auto facts = preview_facts(c, preview_id);
    const std::string entity_id(facts.get(0, "entity_id"));
    const auto entity = c.exec(R"(UPDATE entity e SET preview_file_id = $2::uuid, updated_at = now() AT TIME ZONE 'utc'
        WHERE e.id = $1::uuid RETURNING e.project_id,
            (SELECT name FROM entity_type WHERE id = e.entity_type_id) AS type_name)",
                               {entity_id, preview_id});
    const std::string project_id(entity.get(0, "project_id"));
    queries::insert_event(c, "preview-file:set-main", std::nullopt, project_id,
                          object_of({{"entity_id", entity_id}, {"preview_file_id", preview_id}}));
    const std::string kind = entity_event_kind(std::string(entity.get(0, "type_name")));
    JsonWriter data;
    data.begin_object().field(kind + "_id", entity_id).end_object();
    queries::insert_event(c, kind + ":update", std::nullopt, project_id, data.take());
    return crud::serialize_by_id(c, "entities", entity_id, false);
}

std::string update_position(Connection& c, const std::string& preview_id, long long position) {
    const auto facts = preview_facts(c, preview_id);
    db::Transaction transaction(c);
    const db::Params key{std::string(facts.get(0, "task_id")), facts.optional(0, "revision")};
    const auto revision = c.exec(R"(SELECT id FROM preview_file WHERE task_id = $1::uuid
        AND revision IS NOT DISTINCT FROM $2::int ORDER BY position, created_at FOR UPDATE)",
                                 key);
    std::vector<std::string> order;
    for (int row = 0; row < revision.rows(); ++row)
        order.emplace_back(revision.get(row, "id"));
    if (position > 0 && position <= static_cast<long long>(order.size())) {
        order.erase(std::find(order.begin(), order.end(), preview_id));
        order.insert(order.begin() + (position - 1), preview_id);
        for (size_t index = 0; index < order.size(); ++index)
            c.exec("UPDATE preview_file SET position = $2::int, updated_at = now() AT TIME ZONE 'utc' "
                   "WHERE id = $1::uuid",
                   {order[index], std::to_string(index + 1)});
    }
    JsonWriter out;
    out.begin_array();
    for (const auto& id : order)
        out.raw(preview_file_json(c, id, false));
    out.end_array();
    transaction.commit();
    return out.take();
}

std::string update_annotations(Connection& c, const std::string& preview_id, const std::string& project_id,
                               const std::string& person_id, const std::string& additions_json,
                               const std::string& updates_json, const std::string& deletions_json) {
    db::Transaction transaction(c);
    // The row lock keeps concurrent editors from losing each other's drawings.
    const auto current = c.exec("SELECT COALESCE(annotations, '[]'::jsonb)::text FROM preview_file "
                                "WHERE id = $1::uuid FOR UPDATE",
                                {preview_id});
    if (current.rows() == 0)
        throw_not_found(not_found_message);
    const std::string merged = merge_annotations(std::string(current.get(0, 0)), additions_json, updates_json,
                                                 deletions_json, [] { return new_uuid(); });
    const auto updated =
        c.exec(R"(UPDATE preview_file SET annotations = $2::jsonb, updated_at = now() AT TIME ZONE 'utc'
                                   WHERE id = $1::uuid RETURNING updated_at)",
               {preview_id, merged});
    JsonWriter event;
    event.begin_object()
        .field("preview_file_id", preview_id)
        .field("person_id", person_id)
        .field("updated_at", zou_datetime(updated.get(0, 0)))
        .end_object();
    queries::insert_event(c, "preview-file:annotation-update", person_id, project_id, event.take());
    std::string answer = preview_file_json(c, preview_id, false);
    transaction.commit();
    return answer;
}

void remove_preview_file(Connection& c, const std::string& preview_id, storage::DeletedFiles& deleted) {
    const auto facts = preview_facts(c, preview_id);
    db::Transaction transaction(c);
    queries::gather_stored_files(c, "preview_file", {preview_id}, deleted);
    c.exec("UPDATE entity SET preview_file_id = NULL WHERE preview_file_id = $1::uuid", {preview_id});
    c.exec("UPDATE news SET preview_file_id = NULL WHERE preview_file_id = $1::uuid", {preview_id});
    c.exec("UPDATE comment SET preview_file_id = NULL WHERE preview_file_id = $1::uuid", {preview_id});
    const std::string task_id(facts.get(0, "task_id"));
    const bool was_last = c.exec("UPDATE task SET last_preview_file_id = NULL WHERE id = $1::uuid "
                                 "AND last_preview_file_id = $2::uuid RETURNING 1",
                                 {task_id, preview_id})
                              .rows() > 0;
    c.exec("DELETE FROM comment_preview_link WHERE preview_file = $1::uuid", {preview_id});
    c.exec("DELETE FROM preview_file WHERE id = $1::uuid", {preview_id});
    if (was_last) { // deletion_service.remove_preview_file: the task's newest preview left takes its place
        const auto newest = c.exec("SELECT id FROM preview_file WHERE task_id = $1::uuid "
                                   "ORDER BY created_at DESC LIMIT 1",
                                   {task_id});
        if (newest.rows() > 0)
            update_preview_file_info(c, std::string(newest.get(0, "id")));
    }
    queries::insert_event(c, "preview-file:delete", std::nullopt, std::string(facts.get(0, "project_id")),
                          object_of({{"preview_file_id", preview_id}}));
    transaction.commit();
}

std::optional<PreviewNameParts> preview_name_parts(Connection& c, const std::string& preview_id) {
    if (!is_uuid(preview_id))
        return std::nullopt;
    const auto row = c.exec(R"(SELECT p.original_name, p.revision, p.position, p.extension, pr.name AS project,
            tt.name AS task_type, e.name AS entity, et.name AS entity_type, s.name AS sequence,
            ep.name AS episode,
            (SELECT use_original_file_name FROM organisation ORDER BY created_at LIMIT 1) AS use_original
        FROM preview_file p JOIN task t ON t.id = p.task_id JOIN project pr ON pr.id = t.project_id
        JOIN task_type tt ON tt.id = t.task_type_id JOIN entity e ON e.id = t.entity_id
        JOIN entity_type et ON et.id = e.entity_type_id
        LEFT JOIN entity s ON s.id = e.parent_id LEFT JOIN entity ep ON ep.id = s.parent_id
        WHERE p.id = $1::uuid)",
                            {preview_id});
    if (row.rows() == 0)
        return std::nullopt;
    PreviewNameParts parts;
    parts.position = std::stoll(row.optional(0, "position").value_or("1"));
    parts.extension = row.optional(0, "extension").value_or("");
    if (row.optional(0, "use_original") == std::optional<std::string>("t") && row.optional(0, "original_name")) {
        parts.base = *row.optional(0, "original_name");
        parts.slugify = false;
        return parts;
    }
    const std::string type = row.optional(0, "entity_type").value_or("");
    const std::string name = row.optional(0, "entity").value_or("");
    std::string full;
    if (type == "Shot") {
        full = row.optional(0, "sequence").value_or("") + " / " + name;
        if (row.optional(0, "episode"))
            full = *row.optional(0, "episode") + " / " + full;
    } else if (type == "Sequence") {
        full = row.optional(0, "sequence") ? *row.optional(0, "sequence") + " / " + name : name;
    } else if (type == "Episode") {
        full = name;
    } else {
        full = type + " / " + name;
    }
    parts.base = row.optional(0, "project").value_or("") + "_" + full + "_" +
                 row.optional(0, "task_type").value_or("") + "_v" + row.optional(0, "revision").value_or("None");
    return parts;
}

} // namespace slate::engine::services
