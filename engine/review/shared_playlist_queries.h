#pragma once
// engine/review/shared_playlist_queries.h: a playlist seen through its share link (Zou's shared
// blueprint, read side): the link checked, the previews it reaches, the playlist and project
// context a guest's player needs.

#include "engine/fwd.h"

#include <optional>
#include <string>
#include <vector>

namespace slate::engine::services {

/// What the /shared/playlists/<token> routes read of a usable link.
struct SharedLink {
    std::string id, playlist_id;
    bool can_comment = true; ///< an unset can_comment allows comments, as Zou's default
};

/// Zou's validate_share_token: the link of `token` when it is active, not expired, and, when it
/// has a bcrypt password, `password` matches it. Else nothing (the caller answers 404).
std::optional<SharedLink> valid_shared_link(db::Connection& c, const std::string& token,
                                            const std::optional<std::string>& password);

/// A preview as a share link sees it.
struct SharedPreview {
    std::string extension;
    std::string project_id; ///< of its task
    bool reached = false;   ///< Zou's is_preview_file_in_shared_playlist
};

/// The preview `preview_id` (a uuid), with whether the playlist reaches it: positioned on an
/// entry of its entity, or of the same task and revision as a positioned one. Nothing when
/// there is no such preview.
std::optional<SharedPreview> find_shared_preview(db::Connection& c, const std::string& playlist_id,
                                                 const std::string& preview_id);

/// The playlist as playlist_with_previews_json answers it, with what a guest cannot look up
/// inlined: project name and fps, each entry's name and parent name (its type for assets), its
/// task type and the task status colour.
std::string shared_playlist_json(db::Connection& c, const std::string& playlist_id);

/// The shared player's context: {project (with an empty team), task_types, task_statuses
/// (the project's, in its order), entities (those of the entries)}.
std::string shared_context_json(db::Connection& c, const std::string& playlist_id);

/// The tasks of the previews positioned in the playlist: what guests may comment on.
std::vector<std::string> shared_playlist_task_ids(db::Connection& c, const std::string& playlist_id);

} // namespace slate::engine::services
