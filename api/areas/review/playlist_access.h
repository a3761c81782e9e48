#pragma once
// api/areas/review/playlist_access.h: who may read a playlist, as Zou's permissions_service decides,
// and the context of its download names; shared by the playlist areas (playlists.cpp,
// playlist_builds.cpp).

#include "api/router.h"
#include "engine/fwd.h"

#include <optional>
#include <string>

namespace slate::api {

/// Zou's block_access_to_vendor, then check_project_access: the caller's role in the project.
std::string reader_role(Request& request, engine::db::Connection& c, const std::string& project_id);

/// A playlist's project and creator.
struct PlaylistFacts {
    std::string id, project_id;
    std::optional<std::string> created_by;
    bool for_client = false;
};

/// The playlist `id`, or the 404.
PlaylistFacts playlist_or_404(engine::db::Connection& c, const std::string& id);

/// Zou's check_playlist_access: managers; clients on playlists for them; supervisors when
/// `supervisor_access`; after project access and the vendor block.
void require_playlist_access(Request& request, engine::db::Connection& c, const PlaylistFacts& playlist,
                             bool supervisor_access);

/// Zou's context of a download name: the project's slug, and for a TV show the episode's (or
/// "all assets", "main pack").
std::string download_context(engine::db::Connection& c, const std::string& playlist_id);

} // namespace slate::api
