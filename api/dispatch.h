#pragma once
// api/dispatch.h: the one boundary every request crosses: matching, authentication, the
// handler, and the translation of errors into Zou's JSON bodies.

#include "api/router.h"
#include "engine/error.h"

#include <functional>

namespace slate::api {

/// The status for an error kind (the one place this mapping lives).
int http_status(ErrorKind kind);

/// The answer to the exception being handled (call it inside a catch block): an Error in Zou's
/// JSON body for its kind (its own body when it carries one), anything else a 500. Logs what is
/// the server's fault, naming `where` (the request).
Reply error_answer(const std::string& where);

/// Reads a request's body into it, once the route and the caller are known.
using BodyReader = std::function<void(Request&)>;

/// Runs a request through the router; never throws. `request.method` and `request.path`
/// are the raw ones: the /api prefix and trailing slash are handled here. `read_body`, when
/// given, is called after the route is matched and the caller authenticated, so that no body
/// is read (into memory or onto disk) for a request that is refused from its head.
Reply dispatch(const Router& router, Services& services, Request& request, const BodyReader& read_body = {});

} // namespace slate::api
