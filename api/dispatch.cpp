#include "api/dispatch.h"

#include "api/multipart.h"

#include "engine/db/pool.h"
#include "engine/error.h"
#include "engine/log.h"

namespace slate::api {
namespace {

const char* const missing_jwt_body =
    R"json({"msg":"Missing JWT in cookies or headers (Missing cookie \"access_token_cookie\"; Missing Authorization Header)"})json";
const char* const missing_refresh_jwt_body =
    R"json({"msg":"Missing JWT in cookies or headers (Missing cookie \"refresh_token_cookie\"; Missing Authorization Header)"})json";

/// Routes a token restricted to 2FA set-up may still call (conventions.md §4.3).
bool allowed_before_2fa_setup(const std::string& path) {
    static const char* const allowed[] = {"/auth/totp",           "/auth/email-otp",    "/auth/fido",
                                          "/auth/recovery-codes", "/auth/login",        "/auth/logout",
                                          "/auth/authenticated",  "/auth/refresh-token"};
    for (const char* prefix : allowed)
        if (path == prefix)
            return true;
    return false;
}

/// The token from the cookie (checked first, as flask-jwt-extended does) or the header.
std::string find_token(const Request& request, Access access) {
    const char* cookie = access == Access::jwt_refresh ? "refresh_token_cookie" : "access_token_cookie";
    if (auto it = request.cookies.find(cookie); it != request.cookies.end() && !it->second.empty())
        return it->second;
    const std::string header = request.header("authorization");
    if (header.empty())
        throw Error(ErrorKind::unauthorized, "Missing JWT",
                    access == Access::jwt_refresh ? missing_refresh_jwt_body : missing_jwt_body);
    const std::string prefix = "Bearer ";
    if (header.rfind(prefix, 0) != 0 || header.size() == prefix.size())
        throw Error(ErrorKind::unprocessable, "Bad Authorization header",
                    R"({"msg":"Bad Authorization header. Expected 'Authorization: Bearer <JWT>'"})");
    return header.substr(prefix.size());
}

void authenticate(const Route& route, Services& services, Request& request) {
    if (route.access == Access::open)
        return;
    const auto use =
        route.access == Access::jwt_refresh ? engine::services::TokenUse::refresh : engine::services::TokenUse::access;
    request.identity = services.auth.authenticate(find_token(request, route.access), use);
    if (request.identity->claims.requires_2fa_setup && !allowed_before_2fa_setup(request.path))
        throw Error(
            ErrorKind::forbidden, "Two-factor authentication setup is required.",
            R"({"error":true,"two_factor_authentication_required":true,)"
            R"("message":"Two-factor authentication setup is required. Please configure 2FA before accessing the API."})");
    if (route.access == Access::admin && request.identity->role != "admin")
        throw_forbidden();
}

/// Whether text a handler may store carries a NUL character (a JSON "\u0000", a %00 in the
/// query): PostgreSQL text cannot hold one and C strings would cut it silently, so the request
/// is refused instead. File parts of a multipart body are bytes, not text, and are not read.
bool carries_nul(const Request& request) {
    const std::string& body = request.body;
    if (body.find('\0') != std::string::npos)
        return true;
    // A JSON escape \u0000, unless its backslash is itself escaped (an even run of them).
    for (auto at = body.find("u0000"); at != std::string::npos; at = body.find("u0000", at + 1)) {
        std::size_t backslashes = 0;
        while (backslashes < at && body[at - 1 - backslashes] == '\\')
            ++backslashes;
        if (backslashes % 2 == 1)
            return true;
    }
    for (const auto& [name, value] : request.query)
        if (name.find('\0') != std::string::npos || value.find('\0') != std::string::npos)
            return true;
    for (const auto& [name, value] : request.path_params)
        if (value.find('\0') != std::string::npos)
            return true;
    if (request.form)
        for (const auto& [name, value] : request.form->fields)
            if (value.find('\0') != std::string::npos)
                return true;
    return false;
}

/// Strips an optional /api prefix and a trailing slash: both forms reach the same route.
std::string normalise_path(const std::string& raw) {
    std::string_view path(raw);
    if (path == "/api" || path.starts_with("/api/"))
        path.remove_prefix(4);
    while (path.size() > 1 && path.back() == '/')
        path.remove_suffix(1);
    return path.empty() ? std::string(1, '/') : std::string(path);
}

} // namespace

int http_status(ErrorKind kind) {
    switch (kind) {
    case ErrorKind::bad_request: return 400;
    case ErrorKind::unauthorized: return 401;
    case ErrorKind::forbidden: return 403;
    case ErrorKind::not_found: return 404;
    case ErrorKind::conflict: return 409;
    case ErrorKind::payload_too_large: return 413;
    case ErrorKind::unprocessable: return 422;
    case ErrorKind::not_implemented: return 501;
    case ErrorKind::unavailable: return 503;
    case ErrorKind::internal: return 500;
    }
    return 500;
}

Reply dispatch(const Router& router, Services& services, Request& request, const BodyReader& read_body) {
    try {
        request.path = normalise_path(request.path);
        const auto method = parse_method(request.method);
        const Match match = method ? router.match(*method, request.path) : Match{};
        if (!match.route) {
            if (match.path_known || (!method && router.match(Method::get, request.path).route))
                return error_reply(405, "The method is not allowed for the requested URL.");
            return error_reply(404, "Route not found");
        }
        request.path_params = match.params;
        authenticate(*match.route, services, request);
        if (read_body)
            read_body(request);
        if (carries_nul(request))
            return error_reply(400, "NUL characters are not accepted.");
        if (!match.route->subject)
            return match.route->handler(request, services);
        // One connection for the request: the handler's and its services' leases share it.
        auto lease = services.pool.acquire();
        const SubjectRule& rule = *match.route->subject;
        request.loaded = engine::access::load_subject(*lease, rule.kind, request.param(rule.param));
        engine::access::check_subject(request.caller(), *lease, *request.loaded, rule.check);
        return match.route->handler(request, services);
    } catch (...) {
        return error_answer(request.method + " " + request.path);
    }
}

Reply error_answer(const std::string& where) {
    try {
        throw;
    } catch (const Error& e) {
        const int status = http_status(e.kind());
        if (status >= 500 && e.kind() != ErrorKind::unavailable)
            log::error(std::string("request failed: ") + e.what());
        if (e.body_json())
            return json_reply(status, *e.body_json());
        return error_reply(status, e.what());
    } catch (const std::exception& e) {
        log::error("unexpected error on " + where + ": " + e.what());
        return error_reply(500, "Internal server error.");
    } catch (...) {
        log::error("unexpected non-standard exception on " + where);
        return error_reply(500, "Internal server error.");
    }
}

} // namespace slate::api
