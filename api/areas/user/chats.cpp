// api/areas/user/chats.cpp: the caller's entity chats (Zou's ChatsResource, JoinChatResource).

#include "api/areas/user/user_areas.h"

#include "engine/db/pool.h"
#include "engine/people/user_chats.h"

namespace slate::api {
namespace {

using engine::access::Check;
using engine::access::SubjectKind;

Reply chats(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    return json_reply(200, engine::user::chats_json(*connection, request.caller().person_id));
}

Reply join(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    return json_reply(200, engine::user::join_chat(*connection, request.subject().id, request.caller().person_id));
}

Reply leave(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    engine::user::leave_chat(*connection, request.subject().id, request.caller().person_id);
    return no_content();
}

} // namespace

RouteList user_chat_routes() {
    return {
        Route{Method::get, "/data/user/chats", Access::jwt, chats},
        Route{Method::post, "/actions/user/chats/{entity_id}/join", Access::jwt, join}.loads(
            SubjectKind::entity, "entity_id", Check::entity_access),
        Route{Method::del, "/actions/user/chats/{entity_id}/join", Access::jwt, leave}.loads(
            SubjectKind::entity, "entity_id", Check::entity_access),
    };
}

} // namespace slate::api
