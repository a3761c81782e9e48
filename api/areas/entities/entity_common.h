#pragma once
// api/areas/entities/entity_common.h: what the shots, edits, concepts and entities routes share:
// loading a typed entity and checking the caller as Zou's resources do (the entity first, 404,
// then the production, then the entity's assignment for vendors, 403), Zou's criterion access
// rule, the creation bodies, and the streamed with-tasks answers.

#include "api/router.h"

#include "engine/entities/entity_kinds.h"
#include "engine/entities/entity_lists.h"
#include "engine/entities/entity_writes.h"
#include "engine/entities/with_tasks.h"

#include <optional>
#include <string>

namespace slate::api::entity_area {

using engine::entities::Kind;

/// The entity of that kind the path parameter names (404), the caller having project access
/// (403) and, for vendors, a task of it assigned (403).
engine::entities::Loaded readable(Request& request, engine::db::Connection& c, Kind kind, const std::string& param);

/// The caller's role on the project (their global role without one): Zou's role checks once
/// check_project_access has resolved the project.
std::string role_on(Request& request, engine::db::Connection& c, const std::optional<std::string>& project_id);

/// Zou's check_project_access(criterions.get("project_id")): without a project only admins
/// pass; with one, admins and its team.
void require_criteria_access(Request& request, engine::db::Connection& c,
                             const std::optional<std::string>& project_id);

/// The project of the path (404) with the caller a manager there (403), for creations.
std::string managed_project(Request& request, engine::db::Connection& c);

/// The query string as Zou's criterions (page dropped).
engine::entities::Criteria criteria(const Request& request);
/// The criterions' project_id, if any.
std::optional<std::string> criteria_project(const engine::entities::Criteria& found);

/// Zou's check_criterion_id_format: 400 "Invalid UUID format for <field>: <value>" ("all"
/// and "main" pass as episode ids).
void check_criterion_ids(const Request& request, std::initializer_list<const char*> fields);

/// A creation body (Zou's New*Schema): name, the parent's field, description, data, and the
/// kind's own fields; one "Validation error." for all the problems.
engine::entities::NewEntity new_entity_body(Request& request, Kind kind);

/// A boolean query parameter as ArgsMixin.get_bool_parameter reads it: "true" in any case.
bool flag_of(const Request& request, const std::string& name);
/// ?force=true.
inline bool force_of(const Request& request) { return flag_of(request, "force"); }

/// The with-tasks answer, written to a spool file as it is produced and sent from there.
Reply with_tasks_reply(Request& request, Services& services, const engine::entities::WithTasksQuery& query);

/// Zou's check of a deletion: the creator passes (check_belong_to_project raises nothing),
/// anyone else must manage the project.
void require_deleter(Request& request, engine::db::Connection& c, const engine::entities::Loaded& entity);

// Handlers the kinds share (shots.cpp).
Reply project_entities(Request& request, Services& services, Kind kind);      ///< GET /data/projects/<id>/<kind>s
Reply create_project_entity(Request& request, Services& services, Kind kind); ///< POST /data/projects/<id>/<kind>s
Reply delete_entity(Request& request, Services& services, Kind kind, const std::string& param);
Reply entity_previews(Request& request, Services& services, Kind kind, const std::string& param);

// The route tables of the area, one per file, joined in routes.cpp.
RouteList shot_routes();      ///< shots.cpp: shots and scenes
RouteList sequence_routes();  ///< sequences.cpp: sequences and episodes
RouteList with_tasks_routes(); ///< with_tasks.cpp
RouteList edit_concept_routes(); ///< edits_concepts.cpp
RouteList entity_routes();    ///< entities.cpp

} // namespace slate::api::entity_area
