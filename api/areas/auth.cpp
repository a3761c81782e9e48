// api/areas/auth.cpp: logging in and out and refreshing tokens (conventions.md §4).

#include "api/areas/areas.h"

#include "engine/config.h"
#include "engine/json.h"

namespace slate::api {
namespace {

using engine::services::IssuedLogin;
using engine::services::LoginAttempt;

constexpr const char* access_cookie = "access_token_cookie";
constexpr const char* refresh_cookie = "refresh_token_cookie";
constexpr const char* refresh_cookie_path = "/auth/refresh-token"; // JWT_REFRESH_COOKIE_PATH

/// A flask-jwt-extended cookie: HttpOnly, SameSite=Lax, lasting as long as the token.
std::string token_cookie(const engine::Config& config, const std::string& name,
                         const std::string& value, const std::string& path, int64_t max_age) {
    std::string cookie = name + "=" + value + "; Max-Age=" + std::to_string(max_age) +
                         "; HttpOnly; Path=" + path + "; SameSite=Lax";
    if (config.jwt_cookie_secure)
        cookie += "; Secure";
    return cookie;
}

std::string expired_cookie(const std::string& name, const std::string& path) {
    return name + "=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=" + path +
           "; SameSite=Lax";
}

/// A form or query value, Zou's fallback when the body is not JSON.
std::string field_value(Request& request, const std::string& name) {
    const auto& body = request.json();
    return engine::optional_string(body, name, request.query_value(name).value_or(""));
}

Reply login(Request& request, Services& services) {
    LoginAttempt attempt;
    attempt.login = field_value(request, "email");
    attempt.password = request.json().has("password") || request.query_value("password")
                           ? field_value(request, "password")
                           : "default"; // Zou's default when no password is sent
    attempt.ip_address = request.header("x-forwarded-for").empty()
                             ? request.client_address
                             : request.header("x-forwarded-for");
    attempt.from_browser = request.from_browser();
    IssuedLogin issued = services.auth.login(attempt);
    Reply reply = json_reply(200, std::move(issued.body));
    if (attempt.from_browser) {
        reply.set_cookies.push_back(token_cookie(services.config, access_cookie,
                                                 issued.access_token, "/",
                                                 services.config.jwt_access_seconds));
        reply.set_cookies.push_back(token_cookie(services.config, refresh_cookie,
                                                 issued.refresh_token, refresh_cookie_path,
                                                 services.config.jwt_refresh_seconds));
    }
    return reply;
}

Reply authenticated(Request& request, Services& services) {
    return json_reply(200, services.auth.authenticated_body(request.caller()));
}

Reply refresh_token(Request& request, Services& services) {
    const std::string access = services.auth.refresh_access_token(request.caller());
    if (request.from_browser()) {
        Reply reply = json_reply(200, R"({"refresh":true})");
        reply.set_cookies.push_back(token_cookie(services.config, access_cookie, access, "/",
                                                 services.config.jwt_access_seconds));
        return reply;
    }
    engine::JsonWriter out;
    out.begin_object().field("access_token", access).end_object();
    return json_reply(200, out.take());
}

Reply logout(Request& request, Services& services) {
    services.auth.logout(request.caller());
    Reply reply = json_reply(200, R"({"logout":true})");
    if (request.from_browser()) {
        reply.set_cookies.push_back(expired_cookie(access_cookie, "/"));
        reply.set_cookies.push_back(expired_cookie(refresh_cookie, refresh_cookie_path));
    }
    return reply;
}

} // namespace

RouteList auth_routes() {
    return {
        {Method::post, "/auth/login", Access::open, login},
        {Method::get, "/auth/authenticated", Access::jwt, authenticated},
        {Method::get, "/auth/refresh-token", Access::jwt_refresh, refresh_token},
        {Method::get, "/auth/logout", Access::jwt, logout},
    };
}

} // namespace slate::api
