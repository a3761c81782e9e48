// api/areas/assets/asset_common.cpp: what the assets and breakdown handlers share.

#include "api/areas/assets/asset_routes.h"

#include "engine/access.h"
#include "engine/config.h"
#include "engine/error.h"
#include "engine/uuid.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>

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

Reply streamed_reply(Services& services, const std::string& content_type,
                     const std::function<void(const std::function<void(std::string_view)>&)>& write) {
    namespace fs = std::filesystem;
    const fs::path folder = fs::path(services.config.data_dir) / "tmp";
    fs::create_directories(folder);
    const fs::path path = folder / ("listing-" + engine::new_uuid() + ".json");
    struct Removal { // the file goes unless the reply takes it over
        fs::path path;
        bool keep = false;
        ~Removal() {
            std::error_code ignored;
            if (!keep)
                fs::remove(path, ignored);
        }
    } removal{path};
    uint64_t size = 0;
    {
        std::ofstream file(path, std::ios::binary | std::ios::trunc);
        if (!file)
            throw Error(ErrorKind::internal, "cannot write a listing under " + folder.string());
        write([&](std::string_view piece) {
            file.write(piece.data(), static_cast<std::streamsize>(piece.size()));
            size += piece.size();
        });
        file.flush();
        if (!file)
            throw Error(ErrorKind::internal, "cannot write a listing under " + folder.string());
    }
    Reply reply;
    reply.status = 200;
    reply.content_type = content_type;
    reply.file = FileBody{path.string(), 0, size, true};
    removal.keep = true;
    return reply;
}

} // namespace slate::api::assets
