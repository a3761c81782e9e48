#pragma once
// api/chat_posts.h: a notification posted to a person's chat service, as Zou's utils/chats.py
// does it: Slack through its Web API (chat.postMessage, the organisation's bot token),
// Mattermost through the organisation's incoming webhook. Discord needs a gateway client and
// is not posted to.

#include "engine/mail.h"

namespace slate::engine {
struct Config;
}

namespace slate::api {

/// Posts `post` (ask_provider's 15 s time-out). Never throws: a missing credential or user id is a warning, a
/// refusal or an unreachable service an error, in the log (the request that notified has long
/// been answered).
void post_to_chat(const engine::Config& config, const engine::ChatPost& post) noexcept;

} // namespace slate::api
