// api/areas/user/todos.cpp: the caller's to-do lists (Zou's TodosResource, DoneResource,
// ToChecksResource) and another person's (PersonTasksResource, PersonDoneTasksResource,
// PersonRelatedTasksResource).

#include "api/areas/user/user_areas.h"

#include "engine/db/pool.h"
#include "engine/people/user_todos.h"
#include "engine/tasks/assignments.h"
#include "engine/tasks/project_lists.h"

namespace slate::api {
namespace {

Reply todos(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    return json_reply(200, engine::user::person_tasks_json(*connection, request.caller().person_id, false,
                                                           request.caller().person_id));
}

Reply done_tasks(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    return json_reply(200, engine::user::person_tasks_json(*connection, request.caller().person_id, true,
                                                           request.caller().person_id));
}

Reply tasks_to_check(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    return json_reply(200, engine::user::tasks_to_check_json(*connection, request.caller()));
}

/// Another person's list, within the caller's open productions (every open one for admins).
/// Vendors see nobody's (Zou answers them an empty list even for themselves), clients nothing.
Handler person_tasks(bool done) {
    return [done](Request& request, Services& services) {
        const std::string& person = request.param("person_id");
        const auto& caller = request.caller();
        auto connection = services.pool.acquire();
        try {
            engine::tasks::require_not_bot(*connection, person, std::nullopt);
        } catch (const engine::tasks::AssigneeMissing&) {
            throw_not_found(not_found_message);
        }
        if (caller.role == "vendor" && person != caller.person_id)
            throw_forbidden();
        if (caller.role == "vendor" || caller.role == "client")
            return json_reply(200, "[]");
        const auto scope = caller.role == "admin" ? std::nullopt : std::optional<std::string>(caller.person_id);
        return json_reply(200, engine::user::person_tasks_json(*connection, person, done, scope));
    };
}

/// The tasks of a type on the entities the person works on (Zou checks no production here).
Reply related_tasks(Request& request, Services& services) {
    const std::string& person = request.param("person_id");
    auto connection = services.pool.acquire();
    try {
        engine::tasks::require_not_bot(*connection, person, std::nullopt);
    } catch (const engine::tasks::AssigneeMissing&) {
        throw_not_found(not_found_message);
    }
    if (request.caller().role == "vendor" && person != request.caller().person_id)
        throw_forbidden();
    return json_reply(200,
                      engine::tasks::person_related_tasks_json(*connection, person, request.param("task_type_id")));
}

} // namespace

RouteList user_todo_routes() {
    return {
        Route{Method::get, "/data/user/tasks", Access::jwt, todos},
        Route{Method::get, "/data/user/done-tasks", Access::jwt, done_tasks},
        Route{Method::get, "/data/user/tasks-to-check", Access::jwt, tasks_to_check},
        Route{Method::get, "/data/persons/{person_id}/tasks", Access::jwt, person_tasks(false)},
        Route{Method::get, "/data/persons/{person_id}/tasks/open", Access::jwt, person_tasks(false)}, // gazu 1.1.12
        Route{Method::get, "/data/persons/{person_id}/done-tasks", Access::jwt, person_tasks(true)},
        Route{Method::get, "/data/persons/{person_id}/related-tasks/{task_type_id}", Access::jwt, related_tasks},
    };
}

} // namespace slate::api
