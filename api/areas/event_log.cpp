// api/areas/event_log.cpp: the event log read back (Zou's EventsResource): what a client that
// lost its event stream reads to catch up, and the web app's log page.

#include "api/areas/areas.h"

#include "engine/db/pool.h"
#include "engine/error.h"
#include "engine/system/event_log.h"

namespace slate::api {
namespace {

/// Every value of a repeated query parameter (Zou's action="append").
std::vector<std::string> query_values(const Request& request, const std::string& name) {
    std::vector<std::string> values;
    const auto [first, last] = request.query.equal_range(name);
    for (auto it = first; it != last; ++it)
        values.push_back(it->second);
    return values;
}

Reply last_events(Request& request, Services& services) {
    engine::system::EventLogQuery query;
    query.after = request.query_value("after");
    query.before = request.query_value("before");
    query.cursor_event_id = request.query_value("cursor_event_id");
    query.project_id = request.query_value("project_id");
    query.name = request.query_value("name");
    query.name_prefixes = query_values(request, "name_prefixes");
    query.name_suffixes = query_values(request, "name_suffixes");
    query.person_ids = query_values(request, "person_ids");
    query.only_files = request.query_value("only_files") == "true";
    if (const auto limit = request.query_value("limit")) {
        try {
            std::size_t used = 0;
            query.limit = std::stoll(*limit, &used);
            if (used != limit->size())
                throw std::invalid_argument(*limit);
        } catch (const std::exception&) {
            throw_bad_request("Wrong value for parameter limit.");
        }
    }
    auto connection = services.pool.acquire();
    return json_reply(200, engine::system::last_events_json(*connection, request.caller(), query));
}

Reply event_names(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    return json_reply(200, engine::system::event_names_json(*connection, request.caller()));
}

} // namespace

RouteList event_log_routes() {
    return {Route{Method::get, "/data/events/last", Access::jwt, last_events},
            Route{Method::get, "/data/events/names", Access::jwt, event_names}};
}

} // namespace slate::api
