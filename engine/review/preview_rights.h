#pragma once
// engine/review/preview_rights.h: who may change a preview's annotations (Zou's
// update_annotations checks, after project access).

#include "engine/fwd.h"

#include <string>

namespace slate::engine::services {

/// Admins, managers and clients of the project; supervisors without departments or of the
/// task type's department (`task_type_department`, "" when none). Throws 403 otherwise.
void require_annotation_rights(const Identity& caller, db::Connection& c, const std::string& project_id,
                               const std::string& task_type_department);

} // namespace slate::engine::services
