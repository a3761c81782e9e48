#pragma once
// engine/review/playlist_queries.h: what the playlist routes read around a playlist: whether an
// episode exists, where a task sits, the facts a download is named after, the previews of a
// playlist's entries.

#include "engine/fwd.h"

#include <optional>
#include <string>
#include <vector>

namespace slate::engine::services {

/// Whether `episode_id` is an entity of type Episode (the episode route of playlist lists 404s
/// otherwise). `episode_id` must be a uuid.
bool is_episode(db::Connection& c, const std::string& episode_id);

/// Where a task sits, for the access checks of a temporary playlist.
struct TaskPlace {
    std::string project_id;
    std::string entity_id;
};
/// nullopt when there is no such task. `task_id` must be a uuid.
std::optional<TaskPlace> find_task_place(db::Connection& c, const std::string& task_id);

/// What Zou names a playlist's downloads after (its context of a download name), unslugified:
/// the caller slugifies, as filetree owns slugs.
struct PlaylistDownloadFacts {
    std::string playlist; ///< the playlist's name
    std::string project;  ///< the project's name
    /// For a TV show: the episode's name, else "all assets" (a playlist for all) or "main pack";
    /// unset for other productions.
    std::optional<std::string> episode;
};

/// The download facts of an existing playlist (empty fields when there is none).
PlaylistDownloadFacts playlist_download_facts(db::Connection& c, const std::string& playlist_id);

/// A preview reached from a playlist's entries.
struct PlaylistPreview {
    std::string id;
    std::string extension; ///< "" when unset
};

/// The chosen preview of each entry, in playlist order; with `full_revisions` every preview of
/// the chosen one's revision instead (Zou's full=True), by position. `extension`, when set,
/// keeps only previews of that extension (the movies of a build).
std::vector<PlaylistPreview> playlist_entry_previews(db::Connection& c, const std::string& playlist_id,
                                                     bool full_revisions,
                                                     const std::optional<std::string>& extension = std::nullopt);

} // namespace slate::engine::services
