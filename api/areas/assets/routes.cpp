// api/areas/assets/routes.cpp: the assets and breakdown areas (Zou's assets and breakdown
// blueprints) as two tables.

#include "api/areas/areas.h"
#include "api/areas/assets/asset_routes.h"

namespace slate::api {

RouteList asset_routes() {
    RouteList routes;
    for (const RouteList& part : {assets::asset_list_routes(), assets::asset_routes_one()})
        routes.insert(routes.end(), part.begin(), part.end());
    return routes;
}

RouteList breakdown_routes() {
    RouteList routes;
    for (const RouteList& part : {assets::casting_routes(), assets::asset_instance_routes()})
        routes.insert(routes.end(), part.begin(), part.end());
    return routes;
}

} // namespace slate::api
