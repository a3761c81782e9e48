// api/areas/people/search.cpp: the studio search (Zou's SearchResource), the last login logs
// (LoginLogsResource) and the admin's configuration check (ConfigCheckResource).

#include "api/areas/areas.h"
#include "api/body_fields.h"

#include "engine/config.h"
#include "engine/db/pool.h"
#include "engine/json.h"
#include "engine/people/search.h"
#include "engine/uuid.h"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <type_traits>

namespace slate::api {
namespace {

Reply search(Request& request, Services& services) {
    BodyFields body(request);
    engine::user::SearchRequest search;
    search.query = body.required_text("query");
    search.project_id = body.optional_text("project_id");
    if (search.project_id && !search.project_id->empty() && !engine::is_uuid(*search.project_id))
        body.invalid("project_id", "Input should be a valid UUID");
    search.limit = body.integer("limit", 3);
    if (search.limit < 1)
        body.invalid("limit", "Input should be greater than or equal to 1");
    search.offset = body.integer("offset", 0);
    if (search.offset < 0)
        body.invalid("offset", "Input should be greater than or equal to 0");
    body.check();
    const auto& json = request.json();
    if (json.has("index_names")) {
        const auto names = json.getArray("index_names");
        if (!names)
            throw_bad_request("index_names must be a list of strings.");
        search.index_names.clear();
        for (std::size_t i = 0; i < names->size(); ++i)
            search.index_names.push_back(names->get(static_cast<unsigned>(i)).toString());
    }
    auto connection = services.pool.acquire();
    return json_reply(200, engine::user::search_json(*connection, request.caller(), search));
}

Reply login_logs(Request& request, Services& services) {
    const auto cursor = request.query_value("cursor_login_log_id");
    if (cursor && !engine::is_uuid(*cursor))
        throw_bad_request("The cursor_login_log_id parameter is not a valid id");
    long long limit = 100;
    if (const auto given = request.query_value("limit")) {
        try {
            std::size_t used = 0;
            limit = std::stoll(*given, &used);
            if (used != given->size())
                throw std::invalid_argument("limit");
        } catch (const std::exception&) {
            throw_bad_request("Invalid value for limit: " + *given);
        }
    }
    limit = std::min(limit, 1000LL);
    std::vector<std::string> person_ids;
    for (auto [at, end] = request.query.equal_range("person_ids"); at != end; ++at) {
        if (!engine::is_uuid(at->second))
            throw_bad_request("The person_ids parameter contains an invalid id");
        person_ids.push_back(at->second);
    }
    const auto date = [&](const char* name) {
        auto value = request.query_value(name);
        if (value && value->empty())
            value.reset();
        return value;
    };
    auto connection = services.pool.acquire();
    return json_reply(200, engine::user::last_login_logs_json(*connection, date("after"), date("before"), cursor,
                                                              std::max(limit, 0LL), person_ids));
}

/// The configuration the server runs with, for whoever holds ADMIN_TOKEN (403 otherwise, and
/// always when no ADMIN_TOKEN is set). Slate keeps no Redis copy: "redis" is null.
Reply config_check(Request& request, Services& services) {
    const std::string authorization = request.header("authorization");
    const auto& config = services.config;
    if (config.admin_token.empty()) // Zou registers its admin routes only with ADMIN_TOKEN set
        throw_not_found(not_found_message);
    if (authorization.rfind("Bearer ", 0) != 0 || authorization.substr(7) != config.admin_token)
        throw_forbidden();
    engine::JsonWriter out;
    out.begin_object();
    const auto pair = [&](const char* name, auto value) {
        out.key(name).begin_object().key("env");
        if constexpr (std::is_same_v<decltype(value), int64_t>)
            out.number(value);
        else
            out.string(value);
        out.key("redis").null().end_object();
    };
    pair("user_limit", int64_t(config.user_limit));
    pair("default_timezone", config.default_timezone);
    pair("default_locale", config.default_locale);
    pair("nomad_host", config.nomad_host);
    pair("nomad_normalize_job", config.nomad_normalize_job);
    pair("nomad_playlist_job", config.nomad_playlist_job);
    auto connection = services.pool.acquire();
    out.field("active_users", int64_t(engine::user::active_user_count(*connection)));
    out.end_object();
    return json_reply(200, out.take());
}

} // namespace

RouteList search_routes() {
    return {
        Route{Method::post, "/data/search", Access::jwt, search},
        Route{Method::get, "/data/events/login-logs/last", Access::admin, login_logs},
        Route{Method::get, "/admin/config/check", Access::open, config_check},
    };
}

} // namespace slate::api
