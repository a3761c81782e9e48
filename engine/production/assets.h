#pragma once
// engine/production/assets.h: assets and asset types (Zou's assets_service): the lists, one
// asset with its tasks, creation, the soft and the forced delete, shared assets across
// productions. An asset is an entity whose type is none of the temporal ones (Shot, Sequence,
// Episode, Edit, Scene, Concept). Answers are JSON text; the caller has checked access.

#include "engine/fwd.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace slate::engine::storage {
struct DeletedFiles;
}

namespace slate::engine::production {

using Criterions = std::multimap<std::string, std::string>; ///< a request's query parameters

/// SQL true when the entity type of alias `entity` (an entity row) is an asset type.
std::string asset_type_condition(const std::string& entity);

/// What the routes read of an asset before their work.
struct AssetRef {
    std::string id;
    std::string project_id;
    std::string entity_type_id;
    std::optional<std::string> created_by;
};

/// The asset `id`; 404 when malformed, absent or not an asset (AssetNotFoundException).
AssetRef asset_or_404(db::Connection& c, const std::string& id);

/// GET /data/asset-types: every asset type (with its task types), or those of ?project_id
/// (types used by the production's assets) and the other criterions.
std::string asset_types_json(db::Connection& c, const Criterions& criterions);
/// GET /data/asset-types/<id>: 404 when it is no asset type.
std::string asset_type_json(db::Connection& c, const std::string& asset_type_id);
/// The asset types of a production's assets.
std::string project_asset_types_json(db::Connection& c, const std::string& project_id);
/// The asset types of what a shot casts (404 when `shot_id` is no entity).
std::string shot_asset_types_json(db::Connection& c, const std::string& shot_id);

/// Zou's get_assets: the assets matching the criterions (entity columns, name case-insensitive,
/// episode_id as source or casting episode), "type": "Asset". `assigned_to` (vendors) keeps
/// the assets with a task assigned to that person; `team_of` those of the person's productions.
/// For a `vendor`, the data without the metadata kept to other departments (Zou's
/// scope_criterions_to_vendor).
std::string assets_json(db::Connection& c, const Criterions& criterions, const std::optional<std::string>& assigned_to,
                        const std::optional<std::string>& team_of,
                        const std::optional<std::string>& vendor = std::nullopt);

/// GET /data/assets/<id>: the asset with relations, its production and type names, and the
/// members of its /data/assets/with-tasks item (tasks included), as get_full_asset.
std::string full_asset_json(db::Connection& c, const std::string& person_id, const std::string& asset_id);

struct NewAsset {
    std::string name;
    std::optional<std::string> description = std::string(); ///< null when sent null
    std::string data_json = "{}";
    bool is_shared = false;
    std::optional<std::string> episode_id;
};

/// POST .../asset-types/<type>/assets/new: 404 for an unknown production or asset type; emits
/// asset:new. The new asset (201).
std::string create_asset(db::Connection& c, const std::string& user_id, const std::string& project_id,
                         const std::string& asset_type_id, const NewAsset& asset);

/// DELETE /data/assets/<id>: an asset with tasks is only canceled (asset:update) unless
/// `force`; otherwise it goes with its tasks, links, versions, subscriptions and output files,
/// its children kept without parent (asset:delete). Casting stats of the shots refreshed. The
/// stored files of what goes are added to `deleted`, removed by the caller after the commit.
void remove_asset(db::Connection& c, const std::string& user_id, const std::string& asset_id, bool force,
                  storage::DeletedFiles& deleted);

/// The asset's tasks (tasks_service.get_tasks_for_asset), with `assignees` when `relations`.
std::string asset_tasks_json(db::Connection& c, const std::string& asset_id, bool relations);
/// The task types of the asset's tasks.
std::string asset_task_types_json(db::Connection& c, const std::string& asset_id);

/// set_shared_assets: the assets (of the production, of the type, among the ids) set shared
/// or not; the changed assets. No event, as Zou.
std::string set_shared_assets(db::Connection& c, bool is_shared, const std::optional<std::string>& project_id,
                              const std::optional<std::string>& asset_type_id,
                              const std::optional<std::vector<std::string>>& asset_ids);

/// The productions of the assets `ids` (404 when one is no asset).
std::vector<std::string> projects_of_assets(db::Connection& c, const std::vector<std::string>& ids);

/// Shared assets of other productions cast in the shots of `project_id` (of the episode when
/// given and not main/all).
std::string shared_assets_used_json(db::Connection& c, const std::string& project_id,
                                    const std::optional<std::string>& episode_id);

} // namespace slate::engine::production
