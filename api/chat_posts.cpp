#include "api/chat_posts.h"

#include "api/provider_http.h"

#include "engine/config.h"
#include "engine/json.h"
#include "engine/log.h"

namespace slate::api {
namespace {

/// Slack's Web API (slack_sdk's default base URL).
constexpr const char* slack_post_message_url = "https://slack.com/api/chat.postMessage";

void post_to_slack(const engine::ChatPost& post) {
    engine::JsonWriter body;
    body.begin_object().field("channel", "@" + post.user_id).key("blocks").begin_array();
    body.begin_object().field("type", "section").key("text").begin_object();
    body.field("type", "mrkdwn").field("text", post.text).end_object().end_object();
    body.end_array().field("as_user", true).end_object();
    const auto answer = ask_provider("POST", slack_post_message_url,
                                     {{"Authorization", "Bearer " + post.credential},
                                      {"Content-Type", "application/json; charset=utf-8"}},
                                     body.take());
    // Slack answers 200 with {"ok": false, "error": ...} when it refuses the message.
    if (answer.status != 200 || answer.body.find("\"ok\":true") == std::string::npos)
        log::error("Slack refused a notification (" + std::to_string(answer.status) + "): " + answer.body);
}

void post_to_mattermost(const engine::Config& config, const engine::ChatPost& post) {
    engine::JsonWriter body;
    body.begin_object()
        .field("text", post.text)
        .field("channel", "@" + post.user_id)
        .field("username", "Kitsu - " + post.project_name)
        .field("icon_url", config.domain_protocol + "://" + config.domain_name + "/img/kitsu.b07d6464.png")
        .end_object();
    const auto answer =
        ask_provider("POST", post.credential, {{"Content-Type", "application/json"}}, body.take());
    if (answer.status < 200 || answer.status >= 300)
        log::error("Mattermost refused a notification (" + std::to_string(answer.status) + "): " +
                           answer.body);
}

} // namespace

void post_to_chat(const engine::Config& config, const engine::ChatPost& post) noexcept {
    try {
        if (post.credential.empty()) {
            log::warning("The " + post.channel + " credential of the organisation is not defined: "
                                 "a notification was not posted.");
            return;
        }
        if (post.user_id.empty()) {
            log::warning("The " + post.channel + " user id of a notified person is not defined.");
            return;
        }
        if (post.channel == "slack")
            post_to_slack(post);
        else if (post.channel == "mattermost")
            post_to_mattermost(config, post);
    } catch (const std::exception& error) {
        log::error("Exception when sending a " + post.channel + " notification: " + error.what());
    }
}

} // namespace slate::api
