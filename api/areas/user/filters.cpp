// api/areas/user/filters.cpp: the caller's saved search filters and filter groups (Zou's
// FiltersResource, FilterResource, FilterGroupsResource, FilterGroupResource). Bodies are read as
// Zou's pydantic schemas: on update a field sent as null is left unchanged, except a filter's
// search_filter_group_id, which null detaches.

#include "api/areas/user/user_areas.h"
#include "api/body_fields.h"

#include "engine/db/pool.h"
#include "engine/people/user_filters.h"

namespace slate::api {
namespace {

using engine::user::FilterFields;

/// `Optional[str] = None` for an id column: nullopt when absent; on create null is "none".
std::optional<std::optional<std::string>> id_field(BodyFields& body, const std::string& name) {
    if (auto value = body.optional_text(name))
        return std::optional<std::string>(*value);
    return std::nullopt;
}

FilterFields create_fields(Request& request, bool group) {
    BodyFields body(request);
    FilterFields fields;
    fields.name = body.required_text("name");
    if (group)
        fields.color = body.optional_text("color").value_or("");
    else
        fields.query = body.required_text("query");
    fields.list_type = body.text("list_type", "todo");
    fields.project_id = id_field(body, "project_id");
    fields.entity_type = body.optional_text("entity_type");
    fields.is_shared = optional_boolean(request, body, "is_shared").value_or(false);
    if (!group)
        fields.search_filter_group_id = id_field(body, "search_filter_group_id");
    fields.department_id = id_field(body, "department_id");
    body.check();
    return fields;
}

FilterFields update_fields(Request& request, bool group) {
    BodyFields body(request);
    FilterFields fields;
    fields.name = body.optional_text("name");
    if (group)
        fields.color = body.optional_text("color");
    else
        fields.query = body.optional_text("search_query");
    fields.is_shared = optional_boolean(request, body, "is_shared");
    fields.project_id = id_field(body, "project_id");
    fields.department_id = id_field(body, "department_id");
    if (!group) {
        const auto group_id = body.optional_text("search_filter_group_id");
        if (group_id || body_sets(request, "search_filter_group_id"))
            fields.search_filter_group_id = group_id;
    }
    body.check();
    return fields;
}

Reply list_filters(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    return json_reply(200, engine::user::filters_json(*connection, request.caller()));
}

Reply create_filter(Request& request, Services& services) {
    const auto fields = create_fields(request, false);
    auto connection = services.pool.acquire();
    return json_reply(201, engine::user::create_filter(*connection, request.caller(), fields));
}

Reply update_filter(Request& request, Services& services) {
    auto fields = update_fields(request, false);
    auto connection = services.pool.acquire();
    return json_reply(
        200, engine::user::update_filter(*connection, request.caller(), request.param("filter_id"), std::move(fields)));
}

Reply delete_filter(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    engine::user::remove_filter(*connection, request.caller(), request.param("filter_id"));
    return no_content();
}

Reply list_groups(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    return json_reply(200, engine::user::filter_groups_json(*connection, request.caller()));
}

Reply create_group(Request& request, Services& services) {
    const auto fields = create_fields(request, true);
    auto connection = services.pool.acquire();
    return json_reply(201, engine::user::create_filter_group(*connection, request.caller(), fields));
}

Reply get_group(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    return json_reply(200, engine::user::filter_group(*connection, request.caller(), request.param("filter_group_id")));
}

Reply update_group(Request& request, Services& services) {
    auto fields = update_fields(request, true);
    auto connection = services.pool.acquire();
    return json_reply(200, engine::user::update_filter_group(*connection, request.caller(),
                                                             request.param("filter_group_id"), std::move(fields)));
}

Reply delete_group(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    engine::user::remove_filter_group(*connection, request.caller(), request.param("filter_group_id"));
    return no_content();
}

} // namespace

RouteList user_filter_routes() {
    return {
        Route{Method::get, "/data/user/filters", Access::jwt, list_filters},
        Route{Method::post, "/data/user/filters", Access::jwt, create_filter},
        Route{Method::put, "/data/user/filters/{filter_id}", Access::jwt, update_filter},
        Route{Method::del, "/data/user/filters/{filter_id}", Access::jwt, delete_filter},
        Route{Method::get, "/data/user/filter-groups", Access::jwt, list_groups},
        Route{Method::post, "/data/user/filter-groups", Access::jwt, create_group},
        Route{Method::get, "/data/user/filter-groups/{filter_group_id}", Access::jwt, get_group},
        Route{Method::put, "/data/user/filter-groups/{filter_group_id}", Access::jwt, update_group},
        Route{Method::del, "/data/user/filter-groups/{filter_group_id}", Access::jwt, delete_group},
    };
}

} // namespace slate::api
