// api/areas/assets/asset_common.cpp: what the assets and breakdown handlers share.

#include "api/areas/assets/asset_routes.h"

#include "engine/access.h"
#include "engine/error.h"

#include <algorithm>
#include <cctype>

namespace slate::api::assets {

bool query_flag(const Request& request, const std::string& name) {
    auto value = request.query_value(name);
    if (!value)
        return false;
    std::transform(value->begin(), value->end(), value->begin(), [](unsigned char ch) { return std::tolower(ch); });
    return *value == "true";
}

engine::production::AssetRef readable_asset(Request& request, engine::db::Connection& c) {
    auto asset = engine::production::asset_or_404(c, request.param("asset_id"));
    engine::access::require_project_access(request.caller(), c, asset.project_id);
    engine::access::require_entity_access(request.caller(), c, asset.project_id, asset.id);
    return asset;
}

bool is_vendor(const Request& request, engine::db::Connection& c, const std::optional<std::string>& project_id) {
    if (request.caller().role == "admin")
        return false;
    if (project_id)
        return engine::access::effective_role(request.caller(), c, *project_id) == "vendor";
    return request.caller().role == "vendor";
}

} // namespace slate::api::assets
