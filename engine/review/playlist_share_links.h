#pragma once
// engine/review/playlist_share_links.h: share links of a playlist (Zou's
// playlist_sharing_service): listed, made, found by token, revoked, and the facts of an
// invitation mail. Links are answered as Zou serialises them: never the password hash, and
// has_password saying whether there is one.

#include "engine/fwd.h"

#include <optional>
#include <string>

namespace slate::engine::services {

/// The playlist's active links, oldest first.
std::string share_links_json(db::Connection& c, const std::string& playlist_id);

/// The timestamp a link expires at, from the expiration_date a client sends: a day names the
/// whole day (the link works until its last second), else an ISO 8601 date and time.
/// 400 "<text> is not a valid ISO 8601 date" otherwise.
std::string share_link_expiry(db::Connection& c, const std::string& expiration_date);

/// A new active link with a fresh token; `password_hash` already bcrypt-hashed (unset: none).
std::string create_share_link(db::Connection& c, const std::string& playlist_id, const std::string& caller_id,
                              const std::optional<std::string>& expires, bool can_comment,
                              const std::optional<std::string>& password_hash);

/// What the routes on one link read of it.
struct ShareLink {
    std::string id;
    std::string token;
    std::string playlist_id;
    bool is_active = false;
};
std::optional<ShareLink> find_share_link(db::Connection& c, const std::string& token);

/// The link made inactive; answers it.
std::string revoke_share_link(db::Connection& c, const std::string& link_id);

/// What an invitation mail names: the playlist, its project, and who invites.
struct ShareInvitation {
    std::string playlist;
    std::string project;
    std::string author; ///< "first_name last_name" of the inviter
};
ShareInvitation share_invitation(db::Connection& c, const std::string& playlist_id, const std::string& caller_id);

/// The person's email, when the person exists and has one. `person_id` must be a uuid.
std::optional<std::string> person_email(db::Connection& c, const std::string& person_id);

} // namespace slate::engine::services
