// api/areas/entities/routes.cpp: the shots, edits, concepts and entities areas (Zou's shots,
// edits, concepts and entities blueprints) as one table, over engine/entities.

#include "api/areas/areas.h"
#include "api/areas/entities/entity_common.h"

namespace slate::api {

RouteList entity_area_routes() {
    RouteList routes;
    for (const RouteList& part : {entity_area::shot_routes(), entity_area::sequence_routes(),
                                  entity_area::with_tasks_routes(), entity_area::edit_concept_routes(),
                                  entity_area::entity_routes()})
        routes.insert(routes.end(), part.begin(), part.end());
    return routes;
}

} // namespace slate::api
