#pragma once
// engine/crud/permissions.h: the permission building blocks of conventions.md §5 (admin,
// project access, manager project access, self), checked against the database.

#include "engine/fwd.h"
#include "engine/crud/descriptors.h"

#include <optional>
#include <string>

namespace slate::engine::crud {

/// The project and the owning person of a row, for permission checks.
struct RowFacts {
    std::optional<std::string> project_id;
    std::optional<std::string> person_id;
};

/// Whether `caller` passes `rule` for a row with these facts.
bool allowed(Rule rule, const services::Identity& caller, db::Connection& c, const RowFacts& row = {});

/// Throws Zou's 403 unless `caller` passes `rule`.
void require(Rule rule, const services::Identity& caller, db::Connection& c, const RowFacts& row = {});

/// Zou's check_playlist_update_access: a manager of the production, or a supervisor there who
/// made the playlist (or one without a maker).
bool may_change_playlist(db::Connection& c, const services::Identity& caller, const std::string& project_id,
                         const std::optional<std::string>& created_by);

/// The update (`removing`: the delete) rule of a model whose Zou resource has its own check,
/// applied to the stored row `before`; the descriptor's rule for the others. Throws Zou's 403.
/// Output files: the production's managers, or whoever works on the (temporal) entity; working
/// files: who may act on the task; schedule items: managers, supervisors of the task type's
/// department; playlists: managers, the supervisor who made the playlist.
void require_write(const ModelDescriptor& model, const services::Identity& caller, db::Connection& c,
                   const db::Result& before, const RowFacts& facts, bool removing);

/// check_manager_project_access: admin, or a team member whose effective role is manager.
void require_manager_project_access(const services::Identity& caller, db::Connection& c, const std::string& project_id);

} // namespace slate::engine::crud
