#pragma once
// engine/people/user_notifications.h: the caller's notifications and subscriptions (Zou's
// user_service and notifications_service): the last 100 notifications with what the web app shows
// of each (entity full name, comment and reply text, mentions, playlist), read marks, and the
// subscriptions to tasks and to a sequence's task type.

#include "engine/fwd.h"
#include "engine/people/auth_service.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace slate::engine::user {

struct NotificationQuery {
    std::optional<std::string> notification_id;
    std::optional<std::string> after, before; ///< compared with created_at, as PostgreSQL reads them
    std::optional<std::string> task_type_id, task_status_id, type;
    std::optional<bool> read, watching;
};

/// The caller's notifications, newest first, at most 100. Malformed ids → 400 "Invalid UUID
/// format for <field>: <value>"; dates PostgreSQL refuses → 400 "Wrong date format for after or
/// before.".
std::string notifications_json(db::Connection& c, const services::Identity& caller, const NotificationQuery& query);
/// One of them; 404 when it is not the caller's.
std::string notification_json(db::Connection& c, const services::Identity& caller, const std::string& id);
/// Marks the caller's notification read or unread (notification:read / :unread); answers the row.
std::string set_notification_read(db::Connection& c, const services::Identity& caller, const std::string& id,
                                  bool read);
/// Marks every unread notification of the caller read (notification:all-read).
void mark_all_notifications_read(db::Connection& c, const services::Identity& caller);

bool has_task_subscription(db::Connection& c, const std::string& person_id, const std::string& task_id);
/// The subscription (created when missing); 404 when there is no such task.
std::string subscribe_to_task(db::Connection& c, const std::string& person_id, const std::string& task_id);
void unsubscribe_from_task(db::Connection& c, const std::string& person_id, const std::string& task_id);

bool has_sequence_subscription(db::Connection& c, const std::string& person_id, const std::string& sequence_id,
                               const std::string& task_type_id);
/// The subscription (created when missing); 404 when the sequence or task type is unknown.
std::string subscribe_to_sequence(db::Connection& c, const std::string& person_id, const std::string& sequence_id,
                                  const std::string& task_type_id);
void unsubscribe_from_sequence(db::Connection& c, const std::string& person_id, const std::string& sequence_id,
                               const std::string& task_type_id);
/// Ids of the entities of the production the person follows for that task type.
std::string sequence_subscriptions_json(db::Connection& c, const std::string& person_id, const std::string& project_id,
                                        const std::string& task_type_id);

/// Every subscription to a task of the production (admins' view).
std::string project_subscriptions_json(db::Connection& c, const std::string& project_id);
/// The notifications about the production's tasks, last changed first: all of them when
/// `page` < 1, else Zou's page object of 100.
std::string project_notifications_json(db::Connection& c, const std::string& project_id, int64_t page);

} // namespace slate::engine::user
