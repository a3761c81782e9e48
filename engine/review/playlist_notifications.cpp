#include "engine/review/playlist_notifications.h"

#include "engine/people/notification_writer.h"

#include "engine/db/connection.h"
#include "engine/json.h"

namespace slate::engine::services {

using db::Connection;

std::optional<PlaylistNotice> find_playlist_notice(Connection& c, const std::string& playlist_id,
                                                   const std::string& caller_id) {
    const auto row = c.exec(R"(SELECT pl.name, pl.project_id, pl.episode_id, pl.for_entity, pl.is_for_all,
            pr.name AS project, pr.production_type, ep.name AS episode,
            (SELECT first_name || ' ' || last_name FROM person WHERE id = $2::uuid) AS author
        FROM playlist pl JOIN project pr ON pr.id = pl.project_id LEFT JOIN entity ep ON ep.id = pl.episode_id
        WHERE pl.id = $1::uuid)",
                            {playlist_id, caller_id});
    if (row.rows() == 0)
        return std::nullopt;
    PlaylistNotice notice;
    notice.name = row.optional(0, "name").value_or("");
    notice.project_id = std::string(row.get(0, "project_id"));
    notice.project = row.optional(0, "project").value_or("");
    notice.production_type = row.optional(0, "production_type");
    notice.episode_id = row.optional(0, "episode_id");
    notice.episode = row.optional(0, "episode");
    notice.for_entity = row.optional(0, "for_entity");
    notice.is_for_all = row.optional(0, "is_for_all") == std::optional<std::string>("t");
    notice.author = row.optional(0, "author").value_or("");
    return notice;
}

std::vector<std::string> notify_playlist_clients(Connection& c, const std::string& playlist_id,
                                                 const std::string& project_id, const std::string& caller_id,
                                                 const std::optional<std::string>& studio_id,
                                                 const std::optional<std::string>& department_id) {
    const auto clients = c.exec(R"(SELECT DISTINCT p.id, p.email, p.notifications_enabled FROM person p
        JOIN project_person_link l ON l.person_id = p.id
        WHERE l.project_id = $1::uuid AND NOT p.is_bot AND COALESCE(NULLIF(l.role, ''), p.role) = 'client'
          AND ($2::uuid IS NULL OR p.studio_id = $2::uuid)
          AND ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM department_link d
                                           WHERE d.person_id = p.id AND d.department_id = $3::uuid)))",
                                {project_id, studio_id, department_id});
    std::vector<std::string> mail_to;
    for (int row = 0; row < clients.rows(); ++row) {
        const std::string client(clients.get(row, "id"));
        people::NewNotification notification{"playlist-ready", client, caller_id, project_id};
        notification.playlist_id = playlist_id;
        people::write_notification(c, notification);
        if (clients.get_bool(row, "notifications_enabled") && clients.optional(row, "email"))
            mail_to.push_back(*clients.optional(row, "email"));
    }
    return mail_to;
}

} // namespace slate::engine::services
