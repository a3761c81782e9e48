#pragma once
// api/areas/review/shared_links.h: the share link a /shared/playlists/<token> request names, checked
// as Zou's validate_share_token does (shared.cpp).

#include "api/router.h"
#include "engine/fwd.h"
#include "engine/review/shared_playlist_queries.h"

namespace slate::api {

using ShareLink = engine::services::SharedLink;

/// The link of the `token` path parameter: active, not expired, and its bcrypt password given
/// as `?password=` when it has one (Zou reads it on its playlist routes only, so its file
/// routes never serve a protected link; Slate reads it on every route). Else the link's 404.
ShareLink valid_share_link(Request& request, engine::db::Connection& c);

} // namespace slate::api
