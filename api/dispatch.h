#pragma once
// api/dispatch.h: the one boundary every request crosses: matching, authentication, the
// handler, and the translation of errors into Zou's JSON bodies.

#include "api/router.h"
#include "engine/error.h"

namespace slate::api {

/// The status for an error kind (the one place this mapping lives).
int http_status(ErrorKind kind);

/// Runs a request through the router; never throws. `request.method` and `request.path`
/// are the raw ones: the /api prefix and trailing slash are handled here.
Reply dispatch(const Router& router, Services& services, Request& request);

} // namespace slate::api
