#pragma once
// engine/people/notification_mails.h: the e-mails of notifications (Zou's emails_service
// send_comment_notification, send_mention_notification, send_reply_notification,
// send_assignation_notification): in the recipient's locale, with the task's name
// "<production> / <entity> / <task type>" and its address in Kitsu (DOMAIN_PROTOCOL,
// DOMAIN_NAME). Sent after the request's commit, off its thread; a failure is only logged.

#include "engine/fwd.h"
#include "engine/mail.h"

#include <string>
#include <vector>

namespace slate::engine::people {

/// The mails of the given notifications whose recipient has notifications_enabled (comment,
/// mention, reply, reply-mention, assignation; other kinds have none here). One query.
std::vector<Mail> notification_mails(db::Connection& c, const Config& config,
                                     const std::vector<std::string>& notification_ids);

/// Builds and hands the mails to `mailer.send_later`. Never throws: a failure is logged.
void send_notification_mails(db::Connection& c, const Config& config, Mailer& mailer,
                             const std::vector<std::string>& notification_ids) noexcept;

} // namespace slate::engine::people
