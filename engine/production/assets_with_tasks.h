#pragma once
// engine/production/assets_with_tasks.h: GET /data/assets/with-tasks (Zou's
// assets_service.prepare_assets_and_tasks): every asset with its tasks, shaped as Zou writes
// them (conventions.md §7.1), in its plain, compact and NDJSON forms. Two cursors read the
// assets and their tasks in the same order and are merged as they are read, so the answer is
// written piece by piece and memory does not grow with it: a fixed handful of queries.

#include "engine/fwd.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace slate::engine::production {

/// The criterions of the listing, checked by the caller (ids are UUIDs; episode_id may also
/// be "main" or "all").
struct AssetsWithTasksQuery {
    std::optional<std::string> id, project_id, episode_id;
    std::optional<std::string> assigned_to; ///< vendors: only assets and tasks assigned to them
    std::optional<std::string> team_of;     ///< non-admins: only their productions' assets
    /// Vendors: the asset metadata of descriptors kept to other departments than this
    /// person's is left out (remove_not_allowed_metadata_for_vendor).
    std::optional<std::string> vendor;
    bool with_episode_ids = false; ///< casting_episode_ids even without project_id
};

enum class ListingForm {
    plain,          ///< a JSON array of objects
    compact,        ///< {"compact":true,"asset_fields":[…],"task_fields":[…],"rows":[[…],…]}
    ndjson_objects, ///< stream=true: {"compact":false}, then one object per line
    ndjson_compact, ///< stream=true&compact=true: the compact header, then one array per line
};

/// Writes the listing to `sink` piece by piece (each piece at most a few tens of KiB).
/// `person_id` is the caller (is_subscribed). Runs in a transaction of its own on `c`.
void write_assets_with_tasks(db::Connection& c, const AssetsWithTasksQuery& query, const std::string& person_id,
                             ListingForm form, const std::function<void(std::string_view)>& sink);

/// The members of one asset's item (tasks included) written into the object `out` has open:
/// GET /data/assets/<id> adds them to the asset. False when the asset is not listed.
bool write_asset_item_members(db::Connection& c, JsonWriter& out, const std::string& asset_id,
                              const std::string& person_id);

} // namespace slate::engine::production
