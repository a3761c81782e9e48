#pragma once
// api/areas/assets/asset_routes.h: the tables of the assets and breakdown areas, one per file,
// joined by asset_routes() and breakdown_routes() (api/areas/areas.h), and what their
// handlers share.

#include "api/router.h"

#include "engine/fwd.h"
#include "engine/production/assets.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace slate::api::assets {

RouteList asset_list_routes();     ///< asset_lists.cpp: asset types, lists, with-tasks, shared
RouteList asset_routes_one();      ///< asset_one.cpp: one asset, new, delete, its tasks
RouteList casting_routes();        ///< casting.cpp: breakdown and an asset's casting
RouteList asset_instance_routes(); ///< instances.cpp

/// ArgsMixin.get_bool_parameter: true only for "true", any case.
bool query_flag(const Request& request, const std::string& name);

/// The caller's role where Zou's has_vendor_permissions() reads it: on the project once its
/// access was checked, else the global role.
bool is_vendor(const Request& request, engine::db::Connection& c, const std::optional<std::string>& project_id);

/// The asset of the path ({asset_id}), checked as Zou's asset routes do: 404 unless an asset,
/// then project access, then entity access (vendors: assigned work).
engine::production::AssetRef readable_asset(Request& request, engine::db::Connection& c);

} // namespace slate::api::assets
