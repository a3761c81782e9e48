#pragma once
// engine/mail.h: e-mail as the services see it. The SMTP transport lives in api/ (Poco Net
// stays out of the engine) and is handed to the services that send mail.

#include <string>
#include <string_view>

namespace slate::engine {

struct Mail {
    std::string to;
    std::string subject;
    std::string html;
    std::string text; ///< the plain-text alternative
};

/// A notification for a person's chat service (Zou's chats.send_to_slack, send_to_mattermost):
/// `channel` "slack" (a bot token), "mattermost" (an incoming webhook's address) or "discord".
struct ChatPost {
    std::string channel;
    std::string credential; ///< the organisation's chat_token_slack / chat_webhook_mattermost / ...
    std::string user_id;    ///< the person's notifications_<channel>_userid
    std::string text;       ///< Slack's mrkdwn (Mattermost reads the same), or Discord's markdown
    std::string project_name;
};

/// Sends mail, and posts notifications to chat services. Implementations must be thread-safe;
/// a failure is logged, never thrown to the client (Zou answers the same whether or not the
/// mail went out).
class Mailer {
public:
    virtual ~Mailer() = default;
    virtual void send(const Mail& mail) = 0;
    /// Sends the mail off the caller's thread when the transport can (the notification mails
    /// of a request: the answer never waits on the mail server). By default, send().
    virtual void send_later(Mail mail) { send(mail); }
    /// Posts to the chat service off the caller's thread. By default, nothing: a transport
    /// without network (the tests' recording mailer) drops it.
    virtual void post_later(ChatPost post) { (void)post; }
};

/// `text` fit for HTML text or an attribute value (&, <, >, " escaped).
inline std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '&': out += "&amp;"; break;
        case '"': out += "&quot;"; break;
        default: out.push_back(c);
        }
    }
    return out;
}

} // namespace slate::engine
