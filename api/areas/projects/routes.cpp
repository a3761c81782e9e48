// api/areas/projects/routes.cpp: the projects area (Zou's projects blueprint) as one table.

#include "api/areas/areas.h"
#include "api/areas/projects/project_routes.h"

namespace slate::api {

RouteList project_routes() {
    RouteList routes;
    for (const RouteList& part :
         {projects::list_routes(), projects::team_routes(), projects::settings_routes(), projects::metadata_routes(),
          projects::schedule_routes(), projects::budget_routes(), projects::schedule_version_routes()})
        routes.insert(routes.end(), part.begin(), part.end());
    return routes;
}

} // namespace slate::api
