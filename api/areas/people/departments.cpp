// api/areas/people/departments.cpp: the software licences and hardware items of departments
// (Zou's departments blueprint), for admins. Zou reads a POST's body before the path's id.

#include "api/areas/areas.h"
#include "api/areas/projects/project_bodies.h"

#include "engine/db/pool.h"
#include "engine/people/auth_service.h"
#include "engine/people/department_items.h"
#include "engine/uuid.h"

namespace slate::api {
namespace {

using engine::people::DepartmentItem;

void require_admin(const Request& request) {
    if (request.caller().role != "admin")
        throw_forbidden();
}

const char* id_field(DepartmentItem kind) {
    return kind == DepartmentItem::software ? "software_id" : "hardware_item_id";
}

Handler all_items(DepartmentItem kind) {
    return [kind](Request& request, Services& services) {
        require_admin(request);
        auto lease = services.pool.acquire();
        return json_reply(200, engine::people::all_department_items_json(*lease, kind));
    };
}

/// Zou's resource reads only the department here (its get() takes no item id): the
/// department's items.
Handler department_items(DepartmentItem kind) {
    return [kind](Request& request, Services& services) {
        require_admin(request);
        projects::check_id_parameter(request.param("department_id"));
        auto lease = services.pool.acquire();
        return json_reply(200, engine::people::department_items_json(*lease, request.param("department_id"), kind));
    };
}

Handler add_item(DepartmentItem kind) {
    return [kind](Request& request, Services& services) {
        require_admin(request);
        BodyFields body(request);
        const std::string marker = "\x01"; // tells "absent" from "sent"
        const std::string id = body.text(id_field(kind), marker);
        if (id == marker)
            body.invalid(id_field(kind), "Field required");
        else if (!engine::is_uuid(id))
            body.invalid(id_field(kind), "Input should be a valid UUID");
        body.check();
        projects::check_id_parameter(request.param("department_id"));
        auto lease = services.pool.acquire();
        return json_reply(201, engine::people::add_department_item(*lease, request.param("department_id"), kind, id));
    };
}

Handler remove_item(DepartmentItem kind) {
    return [kind](Request& request, Services& services) {
        require_admin(request);
        projects::check_id_parameter(request.param("department_id"));
        projects::check_id_parameter(request.param(id_field(kind)));
        auto lease = services.pool.acquire();
        engine::people::remove_department_item(*lease, request.param("department_id"), kind,
                                               request.param(id_field(kind)));
        return projects::no_content();
    };
}

} // namespace

RouteList department_item_routes() {
    RouteList routes;
    for (const auto& [path, kind] : {std::pair{std::string("software-licenses"), DepartmentItem::software},
                                     std::pair{std::string("hardware-items"), DepartmentItem::hardware_item}}) {
        const std::string one = "/data/departments/{department_id}/" + path;
        const std::string item = one + "/{" + id_field(kind) + "}";
        routes.push_back(Route{Method::get, "/data/departments/" + path, Access::jwt, all_items(kind)});
        routes.push_back(Route{Method::post, one, Access::jwt, add_item(kind)});
        routes.push_back(Route{Method::get, item, Access::jwt, department_items(kind)});
        routes.push_back(Route{Method::del, item, Access::jwt, remove_item(kind)});
    }
    return routes;
}

} // namespace slate::api
