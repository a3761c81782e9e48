#pragma once
// engine/people/notification_mails.h: the e-mails of notifications (Zou's emails_service
// send_comment_notification, send_mention_notification, send_reply_notification,
// send_assignation_notification): in the recipient's locale, with the task's name
// "<production> / <entity> / <task type>" and its address in Kitsu (DOMAIN_PROTOCOL,
// DOMAIN_NAME); and their posts to Slack and Mattermost (emails_service.send_notification).
// Sent after the request's commit, off its thread; a failure is only logged.

#include "engine/fwd.h"
#include "engine/mail.h"

#include <string>
#include <vector>

namespace slate::engine::people {

/// What the given notifications send (comment, mention, reply, reply-mention, assignation;
/// other kinds send nothing here), in one query: a mail to each recipient with
/// notifications_enabled (when MAIL_ENABLED), a chat post for each chat they turned on
/// (notifications_slack_enabled, notifications_mattermost_enabled) with Zou's Slack text.
struct NotificationMessages {
    std::vector<Mail> mails;
    std::vector<ChatPost> chat_posts;
};
NotificationMessages notification_messages(db::Connection& c, const Config& config,
                                           const std::vector<std::string>& notification_ids);

/// Builds them and hands the mails to `mailer.send_later`, the chat posts to
/// `mailer.post_later`. Never throws: a failure is logged.
void send_notification_mails(db::Connection& c, const Config& config, Mailer& mailer,
                             const std::vector<std::string>& notification_ids) noexcept;

} // namespace slate::engine::people
