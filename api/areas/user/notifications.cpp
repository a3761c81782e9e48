// api/areas/user/notifications.cpp: the caller's notifications and subscriptions (Zou's
// NotificationsResource, NotificationResource, MarkAllNotificationsAsReadResource and the
// task and sequence subscription resources). Zou checks no access on subscriptions: a person
// follows any task they know the id of.

#include "api/areas/user/user_areas.h"
#include "api/body_fields.h"

#include "engine/db/pool.h"
#include "engine/json.h"
#include "engine/people/user_notifications.h"

#include <algorithm>

namespace slate::api {
namespace {

/// ArgsMixin.get_bool_parameter: true only for "true", any case.
std::optional<bool> query_bool(const Request& request, const std::string& name) {
    auto value = request.query_value(name);
    if (!value)
        return std::nullopt;
    std::transform(value->begin(), value->end(), value->begin(), [](unsigned char ch) { return std::tolower(ch); });
    return *value == "true";
}

Reply notifications(Request& request, Services& services) {
    engine::user::NotificationQuery query;
    query.after = request.query_value("after");
    query.before = request.query_value("before");
    query.task_type_id = request.query_value("task_type_id");
    query.task_status_id = request.query_value("task_status_id");
    query.type = request.query_value("type");
    query.read = query_bool(request, "read");
    query.watching = query_bool(request, "watching");
    auto connection = services.pool.acquire();
    return json_reply(200, engine::user::notifications_json(*connection, request.caller(), query));
}

Reply notification(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    return json_reply(200,
                      engine::user::notification_json(*connection, request.caller(), request.param("notification_id")));
}

Reply update_notification(Request& request, Services& services) {
    BodyFields body(request);
    const auto read = optional_boolean(request, body, "read");
    if (!read)
        body.invalid("read", "Input should be a valid boolean"); // the column takes no null
    body.check();
    auto connection = services.pool.acquire();
    return json_reply(200, engine::user::set_notification_read(*connection, request.caller(),
                                                               request.param("notification_id"), *read));
}

Reply mark_all_read(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    engine::user::mark_all_notifications_read(*connection, request.caller());
    return json_reply(200, R"({"success":true})");
}

Reply task_subscribed(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    const bool subscribed =
        engine::user::has_task_subscription(*connection, request.caller().person_id, request.param("task_id"));
    return json_reply(200, subscribed ? "true" : "false");
}

Reply subscribe_task(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    return json_reply(
        201, engine::user::subscribe_to_task(*connection, request.caller().person_id, request.param("task_id")));
}

Reply unsubscribe_task(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    engine::user::unsubscribe_from_task(*connection, request.caller().person_id, request.param("task_id"));
    return no_content();
}

/// SubscribeTasksSchema: task_ids, a non-empty list of strings.
std::vector<std::string> task_ids(Request& request) {
    BodyFields body(request);
    const auto ids = required_ids(request, body, "task_ids");
    body.check();
    return ids;
}

Reply subscribe_tasks(Request& request, Services& services) {
    const auto ids = task_ids(request);
    auto connection = services.pool.acquire();
    engine::JsonWriter out;
    out.begin_array();
    for (const auto& id : ids)
        out.raw(engine::user::subscribe_to_task(*connection, request.caller().person_id, id));
    out.end_array();
    return json_reply(201, out.take());
}

Reply unsubscribe_tasks(Request& request, Services& services) {
    const auto ids = task_ids(request);
    auto connection = services.pool.acquire();
    engine::JsonWriter out;
    out.begin_array();
    for (const auto& id : ids) {
        engine::user::unsubscribe_from_task(*connection, request.caller().person_id, id);
        out.string(id);
    }
    out.end_array();
    return json_reply(200, out.take());
}

Reply sequence_subscribed(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    const bool subscribed = engine::user::has_sequence_subscription(
        *connection, request.caller().person_id, request.param("sequence_id"), request.param("task_type_id"));
    return json_reply(200, subscribed ? "true" : "false");
}

Reply subscribe_sequence(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    return json_reply(201,
                      engine::user::subscribe_to_sequence(*connection, request.caller().person_id,
                                                          request.param("sequence_id"), request.param("task_type_id")));
}

Reply unsubscribe_sequence(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    engine::user::unsubscribe_from_sequence(*connection, request.caller().person_id, request.param("sequence_id"),
                                            request.param("task_type_id"));
    return no_content();
}

Reply sequence_subscriptions(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    return json_reply(200, engine::user::sequence_subscriptions_json(*connection, request.caller().person_id,
                                                                     request.param("project_id"),
                                                                     request.param("task_type_id")));
}

} // namespace

RouteList user_notification_routes() {
    const std::string sequence = "/sequences/{sequence_id}/task-types/{task_type_id}";
    return {
        Route{Method::get, "/data/user/notifications", Access::jwt, notifications},
        Route{Method::get, "/data/user/notifications/{notification_id}", Access::jwt, notification},
        Route{Method::put, "/data/user/notifications/{notification_id}", Access::jwt, update_notification},
        Route{Method::post, "/actions/user/notifications/mark-all-as-read", Access::jwt, mark_all_read},
        Route{Method::get, "/data/user/tasks/{task_id}/subscribed", Access::jwt, task_subscribed},
        Route{Method::post, "/actions/user/tasks/{task_id}/subscribe", Access::jwt, subscribe_task},
        Route{Method::del, "/actions/user/tasks/{task_id}/unsubscribe", Access::jwt, unsubscribe_task},
        Route{Method::post, "/actions/user/tasks/subscribe", Access::jwt, subscribe_tasks},
        Route{Method::post, "/actions/user/tasks/unsubscribe", Access::jwt, unsubscribe_tasks},
        Route{Method::get, "/data/user" + sequence + "/subscribed", Access::jwt, sequence_subscribed},
        Route{Method::get, "/data/user/entities/{sequence_id}/task-types/{task_type_id}/subscribed", Access::jwt,
              sequence_subscribed},
        Route{Method::post, "/actions/user" + sequence + "/subscribe", Access::jwt, subscribe_sequence},
        Route{Method::del, "/actions/user" + sequence + "/unsubscribe", Access::jwt, unsubscribe_sequence},
        Route{Method::get, "/data/user/projects/{project_id}/task-types/{task_type_id}/sequence-subscriptions",
              Access::jwt, sequence_subscriptions},
    };
}

} // namespace slate::api
