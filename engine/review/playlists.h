#pragma once
// engine/review/playlists.h: playlists as the review room reads them (Zou's
// playlists_service): lists of playlists, a playlist with every preview revision of its
// entities, an entity's previews by task type, entities added to a playlist.

#include "engine/fwd.h"

#include <optional>
#include <string>
#include <vector>

namespace slate::engine::services {

/// The filters of a playlist list; `episode` is an id, "main" (no episode, not for all) or
/// "all" (no episode, for all), or unset for the whole project.
struct PlaylistQuery {
    std::string project_id;
    std::optional<std::string> episode;
    bool for_client_only = false;
    std::optional<std::string> task_type_id;
    std::string sort_by = "updated_at";
    long long page = 1;
};

/// Zou's list rows: the playlist's scalar fields, "type", for_entity defaulting to "shot",
/// and first_preview_file_id when the first entry has one; 20 a page.
std::string playlist_list_json(db::Connection& c, const PlaylistQuery& query);

/// A playlist with its build jobs (newest first) and, for each entry, the previews of its
/// entity by task type (revisions grouped) and the chosen preview's facts. Empty when there is
/// no such playlist. `with_annotations` adds each preview's annotations (Zou's shared player
/// gets them inline; the web app's playlist page loads them on demand).
std::string playlist_with_previews_json(db::Connection& c, const std::string& playlist_id,
                                        bool with_annotations = false);

/// GET /data/playlists/entities/<id>/preview-files: task type → previews (revisions grouped).
std::string entity_previews_json(db::Connection& c, const std::string& entity_id);

/// POST /data/projects/<id>/playlists/temp: a playlist built from tasks, not stored: each
/// task's entity with its previews, the task's latest preview (or the first task type, in the
/// project's order, that has one); sorted by episode, sequence or asset type then name when
/// `sort`. 404 for an unknown task.
std::string temporary_playlist_json(db::Connection& c, const std::vector<std::string>& task_ids, bool sort);

/// An entity to add, with its preview (unset: its latest, within the playlist's task type).
struct PlaylistEntry {
    std::string entity_id;
    std::optional<std::string> preview_file_id;
};

/// Appends the entries that are not in the playlist yet (an entry is the couple entity,
/// preview), under a lock on the playlist, with a playlist:add_entity event each; answers the
/// playlist as Zou serialises it.
std::string add_entities_to_playlist(db::Connection& c, const std::string& playlist_id,
                                     const std::vector<PlaylistEntry>& entries, const std::string& caller_id);

} // namespace slate::engine::services
