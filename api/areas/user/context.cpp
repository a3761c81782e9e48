// api/areas/user/context.cpp: the web app's first calls (Zou's ContextResource and
// OpenProjectsResource), and user_routes(), which joins the tables of this folder.

#include "api/areas/areas.h"
#include "api/areas/user/user_areas.h"
#include "api/body_fields.h"

#include "engine/config.h"
#include "engine/db/pool.h"
#include "engine/people/user_context.h"

#include <Poco/JSON/Array.h>

namespace slate::api {
namespace {

Reply context(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    return json_reply(200, engine::user::context_json(*connection, request.caller(), services.config.user_limit));
}

Reply open_projects(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    return json_reply(200,
                      engine::user::open_projects_json(*connection, request.caller(), request.query_value("name")));
}

} // namespace

std::optional<bool> optional_boolean(Request& request, BodyFields& body, const std::string& name) {
    if (!body_sets(request, name) || request.json().isNull(name))
        return std::nullopt;
    return body.boolean(name, false);
}

bool body_sets(Request& request, const std::string& name) {
    try {
        return request.json().has(name);
    } catch (const Error&) {
        return false; // no JSON body: nothing set explicitly
    }
}

std::vector<std::string> required_ids(Request& request, BodyFields& body, const std::string& name) {
    // List[str]: any strings (Zou skips the ids it cannot find, malformed ones included).
    std::vector<std::string> ids;
    if (!body_sets(request, name)) {
        body.invalid(name, "Field required");
        return ids;
    }
    const auto value = request.json().get(name);
    if (request.json().isNull(name) || value.type() != typeid(Poco::JSON::Array::Ptr)) {
        body.invalid(name, "Input should be a valid list");
        return ids;
    }
    for (const auto& item : *value.extract<Poco::JSON::Array::Ptr>()) {
        if (!item.isString()) {
            body.invalid(name, "Input should be a valid string");
            return {};
        }
        ids.push_back(item.extract<std::string>());
    }
    if (ids.empty())
        body.invalid(name, "List should have at least 1 item after validation, not 0");
    return ids;
}

std::optional<double> positive_number(Request& request, BodyFields& body, const std::string& name) {
    if (!body_sets(request, name)) {
        body.invalid(name, "Field required");
        return std::nullopt;
    }
    const auto value = request.json().get(name);
    std::optional<double> number;
    try {
        if (!request.json().isNull(name) && (value.isNumeric() || value.isString()) && !value.isBoolean()) {
            std::size_t used = 0;
            const std::string text = value.toString();
            const double parsed = std::stod(text, &used);
            if (used == text.size())
                number = parsed;
        }
    } catch (const std::exception&) {
        number.reset();
    }
    if (!number) {
        body.invalid(name, "Input should be a valid number");
        return std::nullopt;
    }
    if (!(*number > 0)) {
        body.invalid(name, "Input should be greater than 0");
        return std::nullopt;
    }
    return number;
}

RouteList user_context_routes() {
    return {
        Route{Method::get, "/data/user/context", Access::jwt, context},
        Route{Method::get, "/data/user/projects/open", Access::jwt, open_projects},
    };
}

RouteList user_routes() {
    RouteList routes;
    for (const RouteList& part :
         {user_context_routes(), user_filter_routes(), user_notification_routes(), user_assignment_routes(),
          user_todo_routes(), user_time_routes(), task_routes(), user_chat_routes(),
          task_batch_routes()})
        routes.insert(routes.end(), part.begin(), part.end());
    return routes;
}

} // namespace slate::api
