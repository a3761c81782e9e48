#include "filetree/db/file_records.h"

#include "engine/db/connection.h"
#include "engine/json.h"
#include "engine/crud/queries.h"
#include "engine/serialize.h"
#include "engine/uuid.h"

namespace slate::filetree {
namespace {

using engine::db::Connection;
using engine::db::Param;
using engine::db::Params;
using engine::db::Result;

constexpr const char* now_utc = "now() AT TIME ZONE 'utc'";

/// Appends the listing filters to `sql`, over the output_file aliased "f".
void add_filters(std::string& sql, Params& params, const OutputFilters& filters) {
    auto add = [&](const char* column, const std::optional<std::string>& value, bool is_id) {
        if (!value || value->empty())
            return;
        params.push_back(*value);
        sql += " AND f.";
        sql += column;
        sql += " = $" + std::to_string(params.size());
        if (is_id)
            sql += "::uuid";
    };
    add("task_type_id", filters.task_type_id, true);
    add("output_type_id", filters.output_type_id, true);
    add("name", filters.name, false);
    add("representation", filters.representation, false);
    add("file_status_id", filters.file_status_id, true);
}

/// Ids arrive from query strings: a malformed one matches nothing rather than failing.
OutputFilters sanitised(OutputFilters filters) {
    for (auto* id : {&filters.task_type_id, &filters.output_type_id, &filters.file_status_id})
        if (*id && !(*id)->empty() && !engine::is_uuid(**id))
            **id = "00000000-0000-0000-0000-000000000000";
    return filters;
}

std::string event_data(const char* key, const std::string& id) {
    engine::JsonWriter data;
    data.begin_object().field(key, id).end_object();
    return data.take();
}

std::string default_file_status(Connection& c) {
    const char* name = "To review"; // Zou's DEFAULT_FILE_STATUS
    c.exec(R"(INSERT INTO file_status (id, name, color, created_at, updated_at)
              SELECT $1::uuid, $2::text, '#FFFFFF', now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
              WHERE NOT EXISTS (SELECT 1 FROM file_status WHERE name = $2))",
           {engine::new_uuid(), name});
    const auto status = c.exec("SELECT id FROM file_status WHERE name = $1 ORDER BY created_at LIMIT 1", {name});
    return std::string(status.get(0, "id"));
}

} // namespace

std::string row_json(const Result& rows, int row, const char* type_name) {
    engine::JsonWriter out;
    out.begin_object();
    engine::write_row_fields(out, rows, row);
    out.field("type", type_name);
    out.end_object();
    return out.take();
}

std::string rows_json(const Result& rows, const char* type_name) {
    std::string out = "[";
    for (int row = 0; row < rows.rows(); ++row) {
        if (row)
            out += ", ";
        out += row_json(rows, row, type_name);
    }
    out += "]";
    return out;
}

// --- working files --------------------------------------------------------------------------

Result get_working_file(Connection& c, const std::string& id) {
    if (!engine::is_uuid(id))
        return c.exec("SELECT * FROM working_file WHERE false");
    return c.exec("SELECT * FROM working_file WHERE id = $1::uuid", {id});
}

long long next_working_revision(Connection& c, const std::string& task_id, const std::string& name) {
    const auto last = c.exec(R"(SELECT COALESCE(MAX(revision), 0) + 1 AS next FROM working_file
                                WHERE task_id = $1::uuid AND name = $2)",
                             {task_id, name});
    return std::stoll(std::string(last.get(0, "next")));
}

std::optional<std::string> create_working_file(Connection& c, const NewWorkingFile& file,
                                               const PathForRevision& path_for) {
    engine::db::Transaction transaction(c);
    c.exec("SELECT pg_advisory_xact_lock(hashtextextended('working_file:' || $1 || ':' || $2, 0))",
           {file.task_id, file.name});
    const long long revision = file.revision != 0 ? file.revision : next_working_revision(c, file.task_id, file.name);
    const std::string id = engine::new_uuid();
    const auto inserted = c.exec(std::string(R"(INSERT INTO working_file
            (id, name, comment, revision, path, task_id, entity_id, person_id,
             software_id, created_at, updated_at)
        VALUES ($1::uuid, $2, $3, $4::int, $5, $6::uuid, $7::uuid, $8::uuid, $9::uuid, )") +
                                     now_utc + ", " + now_utc + R"()
        ON CONFLICT ON CONSTRAINT working_file_uc DO NOTHING RETURNING id)",
                                 {id, file.name, file.comment, std::to_string(revision),
                                  path_for(revision), file.task_id, file.entity_id, file.person_id, file.software_id});
    if (inserted.rows() == 0)
        return std::nullopt;
    engine::queries::insert_event(c, "working-file:new", file.author_id, file.project_id,
                                  event_data("working_file_id", id));
    transaction.commit();
    return id;
}

Result touch_working_file(Connection& c, const std::string& id, const std::optional<std::string>& comment) {
    if (comment)
        return c.exec(std::string("UPDATE working_file SET comment = $2, updated_at = ") + now_utc +
                          " WHERE id = $1::uuid RETURNING *",
                      {id, *comment});
    return c.exec(std::string("UPDATE working_file SET updated_at = ") + now_utc + " WHERE id = $1::uuid RETURNING *",
                  {id});
}

Result working_files_of_task(Connection& c, const std::string& task_id) {
    return c.exec(R"(SELECT * FROM working_file WHERE task_id = $1::uuid AND revision >= 0
                     ORDER BY revision DESC, created_at)",
                  {task_id});
}

Result last_working_files_of_task(Connection& c, const std::string& task_id) {
    return c.exec(R"(SELECT DISTINCT ON (name) * FROM working_file WHERE task_id = $1::uuid
                     ORDER BY name, revision DESC NULLS LAST, created_at)",
                  {task_id});
}

Result working_files_of_entity(Connection& c, const std::string& entity_id, const std::optional<std::string>& task_id,
                               const std::optional<std::string>& name) {
    std::string sql = "SELECT * FROM working_file f WHERE entity_id = $1::uuid AND revision >= 0";
    Params params{entity_id};
    if (task_id && !task_id->empty()) {
        if (!engine::is_uuid(*task_id))
            return c.exec("SELECT * FROM working_file WHERE false");
        params.push_back(*task_id);
        sql += " AND task_id = $" + std::to_string(params.size()) + "::uuid";
    }
    if (name && !name->empty()) {
        params.push_back(*name);
        sql += " AND name = $" + std::to_string(params.size());
    }
    return c.exec(sql + " ORDER BY revision DESC, created_at", params);
}

void assign_task_to(Connection& c, const std::string& task_id, const std::string& project_id,
                    const std::string& person_id) {
    engine::db::Transaction transaction(c);
    c.exec(R"(INSERT INTO task_person_link (task_id, person_id) VALUES ($1::uuid, $2::uuid)
              ON CONFLICT DO NOTHING)",
           {task_id, person_id});
    c.exec("UPDATE task SET updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid", {task_id});
    engine::JsonWriter assigned;
    assigned.begin_object().field("task_id", task_id).field("person_id", person_id).end_object();
    engine::queries::insert_event(c, "task:assign", person_id, project_id, assigned.take());
    engine::JsonWriter updated;
    updated.begin_object().field("task_id", task_id).end_object();
    engine::queries::insert_event(c, "task:update", person_id, project_id, updated.take());
    transaction.commit();
}

// --- output files ---------------------------------------------------------------------------

long long next_output_revision(Connection& c, const OutputKey& key) {
    const auto last = c.exec(
        R"(SELECT COALESCE(MAX(revision), 0) + 1 AS next FROM output_file
        WHERE output_type_id = $1::uuid AND task_type_id = $2::uuid AND name = $3 AND revision > 0
          AND CASE WHEN $5::uuid IS NULL THEN entity_id = $4::uuid
                   ELSE asset_instance_id = $5::uuid
                        AND temporal_entity_id IS NOT DISTINCT FROM $6::uuid END)",
        {key.output_type_id, key.task_type_id, key.name, key.entity_id, key.asset_instance_id, key.temporal_entity_id});
    return std::stoll(std::string(last.get(0, "next")));
}

std::optional<std::string> create_output_file(Connection& c, const NewOutputFile& file,
                                              const PathForRevision& path_for) {
    engine::db::Transaction transaction(c);
    const OutputKey& key = file.key;
    c.exec(R"(SELECT pg_advisory_xact_lock(hashtextextended('output_file:' || $1 || ':' || $2 || ':'
                || $3 || ':' || $4 || ':' || $5, 0)))",
           {key.asset_instance_id ? *key.asset_instance_id + ":" + key.temporal_entity_id.value_or("") : key.entity_id,
            key.output_type_id, key.task_type_id, key.name, std::string("o")});
    const long long revision = file.revision >= 1 ? file.revision : next_output_revision(c, key);
    const std::string status_id =
        file.file_status_id && !file.file_status_id->empty() ? *file.file_status_id : default_file_status(c);
    // The unique constraint cannot see rows whose instance or temporal entity is null (NULLs
    // are distinct): look first, as Zou does.
    const auto existing = c.exec(R"(SELECT 1 FROM output_file WHERE name = $1
            AND entity_id = $2::uuid AND asset_instance_id IS NOT DISTINCT FROM $3::uuid
            AND output_type_id = $4::uuid AND task_type_id = $5::uuid
            AND temporal_entity_id IS NOT DISTINCT FROM $6::uuid
            AND representation IS NOT DISTINCT FROM $7 AND revision = $8::int)",
                                 {key.name, key.entity_id, key.asset_instance_id, key.output_type_id, key.task_type_id,
                                  key.temporal_entity_id, file.representation, std::to_string(revision)});
    if (existing.rows())
        return std::nullopt;
    const std::string id = engine::new_uuid();
    const auto inserted = c.exec(std::string(R"(INSERT INTO output_file
            (id, name, comment, extension, representation, revision, nb_elements, path, entity_id,
             asset_instance_id, temporal_entity_id, person_id, source_file_id, output_type_id,
             file_status_id, task_type_id, canceled, created_at, updated_at)
        VALUES ($1::uuid, $2, $3, $4, $5, $6::int, $7::int, $8, $9::uuid, $10::uuid, $11::uuid,
                $12::uuid, $13::uuid, $14::uuid, $15::uuid, $16::uuid, false, )") +
                                     now_utc + ", " + now_utc + R"()
        ON CONFLICT ON CONSTRAINT output_file_uc DO NOTHING RETURNING id)",
                                 {id, key.name, file.comment, file.extension, file.representation,
                                  std::to_string(revision), std::to_string(file.nb_elements), path_for(revision),
                                  key.entity_id, key.asset_instance_id, key.temporal_entity_id, file.person_id,
                                  file.working_file_id, key.output_type_id, status_id, key.task_type_id});
    if (inserted.rows() == 0)
        return std::nullopt;
    engine::queries::insert_event(c, "output-file:new", file.author_id, file.project_id,
                                  event_data("output_file_id", id));
    transaction.commit();
    return id;
}

Result get_output_file(Connection& c, const std::string& id) {
    if (!engine::is_uuid(id))
        return c.exec("SELECT * FROM output_file WHERE false");
    return c.exec("SELECT * FROM output_file WHERE id = $1::uuid", {id});
}

bool file_status_exists(Connection& c, const std::string& file_status_id) {
    return engine::is_uuid(file_status_id) &&
           c.exec("SELECT 1 FROM file_status WHERE id = $1::uuid", {file_status_id}).rows() > 0;
}

Result output_files_of_project(Connection& c, const std::string& project_id, const OutputFilters& filters) {
    std::string sql = R"(SELECT f.* FROM output_file f JOIN entity e ON e.id = f.entity_id
        WHERE e.project_id = $1::uuid AND f.asset_instance_id IS NULL
          AND f.temporal_entity_id IS NULL AND f.revision >= 0)";
    Params params{project_id};
    add_filters(sql, params, sanitised(filters));
    return c.exec(sql + " ORDER BY f.created_at DESC", params);
}

Result output_files_of_entity(Connection& c, const std::string& entity_id, const OutputFilters& filters) {
    std::string sql = R"(SELECT f.* FROM output_file f WHERE f.entity_id = $1::uuid
        AND f.asset_instance_id IS NULL AND f.temporal_entity_id IS NULL AND f.revision >= 0)";
    Params params{entity_id};
    add_filters(sql, params, sanitised(filters));
    return c.exec(sql + " ORDER BY f.revision DESC, f.created_at", params);
}

Result output_files_of_instance(Connection& c, const std::string& asset_instance_id,
                                const std::optional<std::string>& temporal_entity_id, const OutputFilters& filters) {
    std::string sql = "SELECT f.* FROM output_file f WHERE f.asset_instance_id = $1::uuid AND f.revision >= 0";
    Params params{asset_instance_id};
    if (temporal_entity_id && !temporal_entity_id->empty()) {
        params.push_back(engine::is_uuid(*temporal_entity_id) ? *temporal_entity_id
                                                              : "00000000-0000-0000-0000-000000000000");
        sql += " AND f.temporal_entity_id = $2::uuid";
    }
    add_filters(sql, params, sanitised(filters));
    return c.exec(sql + " ORDER BY f.revision DESC, f.created_at", params);
}

namespace {

/// The last revision of each group of output files matching `where` (over "f").
Result last_revisions(Connection& c, std::string where, Params params, const OutputFilters& given) {
    const OutputFilters filters = sanitised(given);
    add_filters(where, params, filters);
    // Zou groups by file status only when asked to filter on it.
    const std::string groups = std::string("f.task_type_id, f.output_type_id, f.name, f.representation") +
                               (filters.file_status_id && !filters.file_status_id->empty() ? ", f.file_status_id" : "");
    return c.exec("SELECT f.* FROM output_file f JOIN (SELECT " + groups +
                      ", MAX(f.revision) AS max_revision FROM output_file f WHERE " + where + " GROUP BY " + groups +
                      R"() g
        ON g.task_type_id = f.task_type_id AND g.output_type_id = f.output_type_id
           AND g.name = f.name AND g.representation = f.representation
           AND f.revision = g.max_revision
        WHERE )" + where +
                      " ORDER BY f.created_at",
                  params);
}

} // namespace

Result last_output_files_of_entity(Connection& c, const std::string& entity_id, const OutputFilters& filters) {
    return last_revisions(c, "f.entity_id = $1::uuid AND f.asset_instance_id IS NULL", {entity_id}, filters);
}

Result last_output_files_of_instance(Connection& c, const std::string& asset_instance_id,
                                     const std::optional<std::string>& temporal_entity_id,
                                     const OutputFilters& filters) {
    return last_revisions(c, "f.asset_instance_id = $1::uuid AND f.temporal_entity_id IS NOT DISTINCT FROM $2::uuid",
                          {asset_instance_id, temporal_entity_id}, filters);
}

Result output_files_of_type(Connection& c, const OutputKey& where, const std::optional<std::string>& representation) {
    Params params{where.output_type_id};
    std::string sql = "SELECT f.* FROM output_file f WHERE f.output_type_id = $1::uuid";
    if (where.asset_instance_id) {
        params.push_back(*where.asset_instance_id);
        params.push_back(where.temporal_entity_id);
        sql += " AND f.asset_instance_id = $2::uuid AND f.temporal_entity_id IS NOT DISTINCT FROM $3::uuid";
    } else {
        params.push_back(where.entity_id);
        sql += " AND f.entity_id = $2::uuid AND f.asset_instance_id IS NULL";
    }
    if (representation) {
        params.push_back(*representation);
        sql += " AND f.representation = $" + std::to_string(params.size());
    }
    return c.exec(sql + " ORDER BY f.revision DESC, f.created_at", params);
}

Result output_types_of(Connection& c, const std::string& entity_id, const std::optional<std::string>& asset_instance_id,
                       const std::optional<std::string>& temporal_entity_id) {
    if (asset_instance_id)
        return c.exec(R"(SELECT t.* FROM output_type t WHERE EXISTS (SELECT 1 FROM output_file f
                WHERE f.output_type_id = t.id AND f.asset_instance_id = $1::uuid
                  AND f.temporal_entity_id IS NOT DISTINCT FROM $2::uuid) ORDER BY t.name)",
                      {*asset_instance_id, temporal_entity_id});
    return c.exec(R"(SELECT t.* FROM output_type t WHERE EXISTS (SELECT 1 FROM output_file f
            WHERE f.output_type_id = t.id AND f.entity_id = $1::uuid) ORDER BY t.name)",
                  {entity_id});
}

} // namespace slate::filetree
