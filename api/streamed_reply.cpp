#include "api/streamed_reply.h"

#include <utility>

namespace slate::api {

Reply streamed_reply(const std::string& content_type, BodyWriter write) {
    Reply reply;
    reply.status = 200;
    reply.content_type = content_type;
    reply.writer = std::move(write);
    return reply;
}

} // namespace slate::api
