#include "engine/production/schedule_versions.h"

#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/json.h"
#include "engine/production/production_common.h"
#include "engine/serialize.h"

namespace slate::engine::production {
namespace {

std::string summary(const char* count_key, int64_t count) {
    JsonWriter out;
    out.begin_object().field("success", true).field(count_key, count).end_object();
    return out.take();
}

void version_update_event(db::Connection& c, const std::string& user_id, const std::string& version_id,
                          const std::string& project_id) {
    // Zou names this event with an underscore, unlike its other events.
    emit_project_event(c, "production_schedule_version:update", user_id, project_id,
                       {{"production_schedule_version_id", version_id}});
}

/// Replaces the assignees of the version's links of the tasks `task_filter` selects (over $1,
/// the version, and $2 when given) with those `source` gives (its columns: link id, person).
void replace_assignees(db::Connection& c, const std::string& task_filter, const std::string& source,
                       const db::Params& params) {
    c.exec(R"(DELETE FROM production_schedule_version_task_link_person_link pl
              USING production_schedule_version_task_link tl
              WHERE pl.production_schedule_version_task_link_id = tl.id
                AND tl.production_schedule_version_id = $1::uuid AND )" +
               task_filter,
           params);
    c.exec("INSERT INTO production_schedule_version_task_link_person_link "
           "(production_schedule_version_task_link_id, person_id) " +
               source + " ON CONFLICT DO NOTHING",
           params);
}

} // namespace

std::string schedule_version_project(db::Connection& c, const std::string& version_id) {
    const auto row = c.exec("SELECT project_id FROM production_schedule_version WHERE id = $1::uuid", {version_id});
    if (row.rows() == 0)
        throw_not_found(not_found_message);
    return std::string(row.get(0, "project_id"));
}

std::string schedule_version_task_links_json(db::Connection& c, const std::string& version_id,
                                             const std::optional<std::string>& task_type_id, bool relations) {
    std::string sql = select_model_sql("production_schedule_version_task_link", relations) +
                      " WHERE t.production_schedule_version_id = $1::uuid";
    db::Params params{version_id};
    if (task_type_id) {
        params.push_back(*task_type_id);
        sql += " AND t.task_id IN (SELECT k.id FROM task k WHERE k.task_type_id = $2::uuid)";
    }
    return rows_json(c.exec(sql, params), "ProductionScheduleVersionTaskLink");
}

namespace {

/// Writes the (task_id, start_date, due_date, estimation) rows `source` selects (its $2 is
/// `source_id`) as the version's task links: new links made, existing ones given those dates.
db::Result copy_task_links(db::Connection& c, const std::string& version_id, const std::string& source,
                           const std::string& source_id) {
    return c.exec(R"(INSERT INTO production_schedule_version_task_link
            (id, production_schedule_version_id, task_id, start_date, due_date, estimation, created_at, updated_at)
        SELECT gen_random_uuid(), $1::uuid, s.task_id, s.start_date, s.due_date, s.estimation,
               now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
        FROM ()" + source + R"() s
        ON CONFLICT (production_schedule_version_id, task_id) DO UPDATE
        SET start_date = EXCLUDED.start_date, due_date = EXCLUDED.due_date, estimation = EXCLUDED.estimation,
            updated_at = now() AT TIME ZONE 'utc')",
                  {version_id, source_id});
}

} // namespace

std::string set_task_links_from_production(db::Connection& c, const std::string& version_id) {
    const std::string project_id = schedule_version_project(c, version_id);
    db::Transaction tx(c);
    const auto copied = copy_task_links(
        c, version_id, "SELECT k.id AS task_id, k.start_date, k.due_date, k.estimation FROM task k WHERE k.project_id = $2::uuid",
        project_id);
    // Every task is a source: every link of the version gets its task's assignees.
    replace_assignees(c, "true",
                      R"(SELECT tl.id, a.person_id FROM production_schedule_version_task_link tl
                         JOIN task_person_link a ON a.task_id = tl.task_id
                         WHERE tl.production_schedule_version_id = $1::uuid)",
                      {version_id});
    tx.commit();
    return summary("task_link_count", copied.affected());
}

std::string set_task_links_from_version(db::Connection& c, const std::string& user_id, const std::string& version_id,
                                        const std::string& other_version_id) {
    if (version_id == other_version_id)
        throw_wrong_parameter("A production schedule version cannot be copied onto itself.");
    const std::string project_id = schedule_version_project(c, version_id);
    db::Transaction tx(c);
    const auto copied = copy_task_links(c, version_id,
                                        "SELECT o.task_id, o.start_date, o.due_date, o.estimation "
                                        "FROM production_schedule_version_task_link o "
                                        "WHERE o.production_schedule_version_id = $2::uuid",
                                        other_version_id);
    // Only the links whose task the source has are refreshed; the others keep their assignees.
    replace_assignees(c,
                      "tl.task_id IN (SELECT o.task_id FROM production_schedule_version_task_link o "
                      "WHERE o.production_schedule_version_id = $2::uuid)",
                      R"(SELECT tl.id, pl.person_id FROM production_schedule_version_task_link tl
                         JOIN production_schedule_version_task_link o
                           ON o.task_id = tl.task_id AND o.production_schedule_version_id = $2::uuid
                         JOIN production_schedule_version_task_link_person_link pl
                           ON pl.production_schedule_version_task_link_id = o.id
                         WHERE tl.production_schedule_version_id = $1::uuid)",
                      {version_id, other_version_id});
    c.exec(R"(UPDATE production_schedule_version SET production_schedule_from = $2::uuid,
                  updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid)",
           {version_id, other_version_id});
    version_update_event(c, user_id, version_id, project_id);
    tx.commit();
    return summary("task_link_count", copied.affected());
}

std::string apply_schedule_version(db::Connection& c, const std::string& user_id, const std::string& version_id) {
    const std::string project_id = schedule_version_project(c, version_id);
    db::Transaction tx(c);
    const auto updated = c.exec(R"(UPDATE task k SET start_date = tl.start_date, due_date = tl.due_date,
                                       estimation = tl.estimation
        FROM production_schedule_version_task_link tl
        WHERE k.id = tl.task_id AND tl.production_schedule_version_id = $1::uuid
        RETURNING k.id::text AS id, k.project_id::text AS project_id)",
                                {version_id});
    for (int row = 0; row < updated.rows(); ++row)
        emit_project_event(c, "task:update", user_id, std::string(updated.get(row, "project_id")),
                           {{"task_id", std::string(updated.get(row, "id"))}});
    c.exec(R"(UPDATE production_schedule_version SET locked = true, updated_at = now() AT TIME ZONE 'utc'
              WHERE id = $1::uuid)",
           {version_id});
    version_update_event(c, user_id, version_id, project_id);
    c.exec(R"(UPDATE project SET from_schedule_version_id = $2::uuid, updated_at = now() AT TIME ZONE 'utc'
              WHERE id = $1::uuid)",
           {project_id, version_id});
    emit_project_update(c, user_id, project_id);
    tx.commit();
    return summary("task_count", updated.rows());
}

} // namespace slate::engine::production
