#include "api/reply.h"

#include "engine/json.h"

namespace slate::api {

Reply json_reply(int status, std::string body) {
    Reply reply;
    reply.status = status;
    reply.body = std::move(body);
    return reply;
}

Reply error_reply(int status, const std::string& message) {
    engine::JsonWriter body;
    body.begin_object().field("error", true).field("message", message).end_object();
    return json_reply(status, body.take());
}

} // namespace slate::api
