#pragma once
// api/areas/projects/project_routes.h: the tables of the projects area, one per file, joined
// by project_routes() (api/areas/areas.h).

#include "api/router.h"

namespace slate::api::projects {

RouteList list_routes();             ///< lists.cpp: open and all productions
RouteList team_routes();             ///< team.cpp
RouteList settings_routes();         ///< settings.cpp
RouteList metadata_routes();         ///< metadata.cpp
RouteList schedule_routes();         ///< schedule.cpp: schedule items, milestones, time views
RouteList budget_routes();           ///< budgets.cpp
RouteList schedule_version_routes(); ///< schedule_versions.cpp

} // namespace slate::api::projects
