#pragma once
// api/areas/review/playlist_access.h: who may read a playlist, as Zou's permissions_service decides,
// and the names of its downloads; shared by the playlist areas (playlists.cpp,
// playlist_builds.cpp).

#include "api/router.h"
#include "engine/fwd.h"

#include <string>

namespace slate::api {

/// Zou's block_access_to_vendor, then check_project_access: the caller's role in the project.
std::string reader_role(Request& request, engine::db::Connection& c, const std::string& project_id);

/// Zou's check_playlist_access on a playlist its route loaded with Check::reader (project access
/// and the vendor block passed): managers; clients on playlists for them; supervisors when
/// `supervisor_access`.
void require_playlist_access(Request& request, engine::db::Connection& c, const engine::access::Subject& playlist,
                             bool supervisor_access);

/// Zou's download name of a playlist, without its extension: the context (the project's slug,
/// and for a TV show the episode's, or "all assets", "main pack"), then the playlist's slug.
std::string download_stem(engine::db::Connection& c, const std::string& playlist_id);

} // namespace slate::api
