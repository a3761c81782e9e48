#pragma once
// api/areas/user/user_areas.h: the tables of the user's own views (/data/user/..., /actions/user/...),
// one per file of this folder; user_routes() (areas.h) joins them.

#include "api/router.h"

#include <optional>
#include <string>
#include <vector>

namespace slate::api {

class BodyFields;

RouteList user_context_routes();
RouteList user_filter_routes();
RouteList user_notification_routes();
RouteList user_assignment_routes();
RouteList user_todo_routes();
RouteList user_time_routes();
RouteList user_chat_routes();
RouteList task_routes(); // api/areas/tasks/
RouteList task_batch_routes(); // api/areas/tasks/task_batches.cpp

/// Zou's `return "", 204`.
inline Reply no_content() {
    Reply reply;
    reply.status = 204;
    return reply;
}

/// `Optional[bool] = None`: absent or null is nullopt.
std::optional<bool> optional_boolean(Request& request, BodyFields& body, const std::string& name);

/// `List[str] = Field(..., min_length=1)` of ids, from a JSON body.
std::vector<std::string> required_ids(Request& request, BodyFields& body, const std::string& name);

/// `float = Field(..., gt=0)`: a number (or numeric string) above 0; nullopt after recording the
/// field's error.
std::optional<double> positive_number(Request& request, BodyFields& body, const std::string& name);

/// Whether the JSON body names `name` at all (pydantic's model_fields_set), null included.
bool body_sets(Request& request, const std::string& name);

} // namespace slate::api
