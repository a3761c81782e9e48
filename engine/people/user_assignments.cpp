// engine/people/user_assignments.cpp: the SQL of what is assigned to the caller.
#include "engine/people/user_assignments.h"

#include "engine/db/connection.h"
#include "engine/serialize.h"
#include "engine/uuid.h"

namespace slate::engine::user {
namespace {

/// Tasks assigned to the person ($1) in open productions, aliased "t".
constexpr const char* assigned_open_tasks =
    " JOIN task_person_link a ON a.task_id = t.id AND a.person_id = $1::uuid"
    " JOIN project p ON p.id = t.project_id"
    " JOIN project_status ps ON ps.id = p.project_status_id AND ps.name = 'Open'";

constexpr const char* temporal_types = "('Shot', 'Sequence', 'Episode', 'Edit', 'Scene', 'Concept')";

void require_row(db::Connection& c, const std::string& sql, const std::string& id) {
    if (!is_uuid(id) || c.exec(sql, {id}).rows() == 0)
        throw_not_found(not_found_message);
}

std::string list(db::Connection& c, const std::string& sql, const db::Params& params, const char* type) {
    return rows_json(c.exec(sql, params), type);
}

} // namespace

void require_entity(db::Connection& c, const std::string& id, EntityKind kind) {
    std::string condition;
    switch (kind) {
    case EntityKind::asset: condition = "et.name NOT IN " + std::string(temporal_types); break;
    case EntityKind::shot: condition = "et.name = 'Shot'"; break;
    case EntityKind::scene: condition = "et.name = 'Scene'"; break;
    case EntityKind::sequence: condition = "et.name = 'Sequence'"; break;
    }
    require_row(c,
                "SELECT 1 FROM entity e JOIN entity_type et ON et.id = e.entity_type_id WHERE e.id = $1::uuid AND " +
                    condition,
                id);
}

void require_project(db::Connection& c, const std::string& id) {
    require_row(c, "SELECT 1 FROM project WHERE id = $1::uuid", id);
}

void require_asset_type(db::Connection& c, const std::string& id) {
    require_row(c, "SELECT 1 FROM entity_type WHERE id = $1::uuid AND name NOT IN " + std::string(temporal_types), id);
}

std::string tasks_for_entity(db::Connection& c, const std::string& person_id, const std::string& entity_id) {
    return list(c, "SELECT t.* FROM task t" + std::string(assigned_open_tasks) + " WHERE t.entity_id = $2::uuid",
                {person_id, entity_id}, "Task");
}

std::string task_types_for_entity(db::Connection& c, const std::string& person_id, const std::string& entity_id) {
    return list(c,
                "SELECT tt.* FROM task_type tt WHERE tt.id IN (SELECT t.task_type_id FROM task t" +
                    std::string(assigned_open_tasks) + " WHERE t.entity_id = $2::uuid)",
                {person_id, entity_id}, "TaskType");
}

std::string assets_for_asset_type(db::Connection& c, const std::string& person_id, const std::string& project_id,
                                  const std::string& asset_type_id) {
    return list(c,
                "SELECT e.* FROM entity e WHERE e.project_id = $2::uuid AND e.entity_type_id = $3::uuid AND e.id IN "
                "(SELECT t.entity_id FROM task t" +
                    std::string(assigned_open_tasks) + ")",
                {person_id, project_id, asset_type_id}, "Asset");
}

std::string asset_types_for_project(db::Connection& c, const std::string& person_id, const std::string& project_id) {
    return list(c,
                "SELECT et.* FROM entity_type et WHERE et.name NOT IN " + std::string(temporal_types) +
                    " AND et.id IN (SELECT e.entity_type_id FROM entity e JOIN task t ON t.entity_id = e.id" +
                    assigned_open_tasks + " WHERE e.project_id = $2::uuid)",
                {person_id, project_id}, "AssetType");
}

std::string sequences_for_project(db::Connection& c, const std::string& person_id, const std::string& project_id) {
    return list(c,
                "SELECT q.* FROM entity q JOIN entity_type qt ON qt.id = q.entity_type_id AND qt.name = 'Sequence' "
                "WHERE q.project_id = $2::uuid AND q.id IN (SELECT s.parent_id FROM entity s "
                "JOIN entity_type st ON st.id = s.entity_type_id AND st.name = 'Shot' "
                "JOIN task t ON t.entity_id = s.id" +
                    std::string(assigned_open_tasks) + ")",
                {person_id, project_id}, "Sequence");
}

std::string episodes_for_project(db::Connection& c, const std::string& person_id, const std::string& project_id) {
    return list(c,
                "SELECT ep.* FROM entity ep JOIN entity_type et ON et.id = ep.entity_type_id AND et.name = 'Episode' "
                "WHERE ep.project_id = $2::uuid AND ep.id IN (SELECT q.parent_id FROM entity q "
                "JOIN entity_type qt ON qt.id = q.entity_type_id AND qt.name = 'Sequence' "
                "JOIN entity s ON s.parent_id = q.id "
                "JOIN entity_type st ON st.id = s.entity_type_id AND st.name = 'Shot' "
                "JOIN task t ON t.entity_id = s.id" +
                    std::string(assigned_open_tasks) + ")",
                {person_id, project_id}, "Episode");
}

std::string children_of_sequence(db::Connection& c, const std::string& person_id, const std::string& sequence_id,
                                 EntityKind kind) {
    const bool shots = kind == EntityKind::shot;
    return list(c,
                std::string("SELECT s.* FROM entity s JOIN entity_type st ON st.id = s.entity_type_id AND st.name = ") +
                    (shots ? "'Shot'" : "'Scene'") +
                    " WHERE s.parent_id = $2::uuid AND s.id IN (SELECT t.entity_id FROM task t" + assigned_open_tasks +
                    ")",
                {person_id, sequence_id}, shots ? "Shot" : "Scene");
}

} // namespace slate::engine::user
