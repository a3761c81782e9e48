#pragma once
// api/areas/people/token_cookies.h: flask-jwt-extended's token cookies, as Zou sets them on logins
// from a browser and after a single sign-on (auth.cpp, sso.cpp).

#include "api/reply.h"
#include "engine/config.h"

#include <cstdint>
#include <string>

namespace slate::api {

constexpr const char* access_cookie = "access_token_cookie";
constexpr const char* refresh_cookie = "refresh_token_cookie";
constexpr const char* refresh_cookie_path = "/auth/refresh-token"; // JWT_REFRESH_COOKIE_PATH

/// An HttpOnly, SameSite=Lax cookie lasting `max_age` seconds (Secure with JWT_COOKIE_SECURE).
inline std::string token_cookie(const engine::Config& config, const std::string& name, const std::string& value,
                                const std::string& path, int64_t max_age) {
    std::string cookie =
        name + "=" + value + "; Max-Age=" + std::to_string(max_age) + "; HttpOnly; Path=" + path + "; SameSite=Lax";
    if (config.jwt_cookie_secure)
        cookie += "; Secure";
    return cookie;
}

inline std::string expired_cookie(const std::string& name, const std::string& path) {
    return name + "=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=" + path + "; SameSite=Lax";
}

/// The access and refresh token cookies.
inline void add_token_cookies(Reply& reply, const engine::Config& config, const std::string& access,
                              const std::string& refresh, int64_t access_max_age, int64_t refresh_max_age) {
    reply.set_cookies.push_back(token_cookie(config, access_cookie, access, "/", access_max_age));
    reply.set_cookies.push_back(token_cookie(config, refresh_cookie, refresh, refresh_cookie_path, refresh_max_age));
}

} // namespace slate::api
