#pragma once
// engine/review/playlist_notifications.h: the database side of Zou's notify-clients: the
// playlist's facts for the mail, and each client of its project given a playlist-ready
// notification with its live notification:new signal. The mails are the caller's to send.

#include "engine/fwd.h"

#include <optional>
#include <string>
#include <vector>

namespace slate::engine::services {

/// What the playlist-ready mail says of a playlist, and where Kitsu shows it.
struct PlaylistNotice {
    std::string name;
    std::string project_id;
    std::string project; ///< the project's name
    std::optional<std::string> production_type;
    std::optional<std::string> episode_id;
    std::optional<std::string> episode; ///< the episode's name
    std::optional<std::string> for_entity;
    bool is_for_all = false;
    std::string author; ///< "first_name last_name" of the caller
};

/// The playlist's notice; nullopt when there is no such playlist. `playlist_id` must be a uuid.
std::optional<PlaylistNotice> find_playlist_notice(db::Connection& c, const std::string& playlist_id,
                                                   const std::string& caller_id);

/// Every client of the project (a team member whose role there is client, bots aside), of the
/// studio and the department when given, gets a playlist-ready notification from the caller
/// and a notification:new live signal (not written to api_event, as Zou only emits it).
/// Answers the addresses of those who want notifications by mail, in the same order.
std::vector<std::string> notify_playlist_clients(db::Connection& c, const std::string& playlist_id,
                                                 const std::string& project_id, const std::string& caller_id,
                                                 const std::optional<std::string>& studio_id,
                                                 const std::optional<std::string>& department_id);

} // namespace slate::engine::services
