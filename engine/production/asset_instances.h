#pragma once
// engine/production/asset_instances.h: asset instances (Zou's breakdown_service): an asset
// instantiated in a scene or in another asset, numbered per place, and cast in shots. Lists
// are {key: [AssetInstance…]} grouped as Zou groups them.

#include "engine/fwd.h"

#include <optional>
#include <string>

namespace slate::engine::production {

/// The entity `id` when its type is `type_name` ("Shot", "Scene"); 404 otherwise. Its project.
std::string project_of_typed_entity(db::Connection& c, const std::string& id, const std::string& type_name);

/// Instances made inside the asset, by instantiated asset.
std::string asset_instances_for_asset_json(db::Connection& c, const std::string& asset_id);
/// The asset's instances by the shots that cast them.
std::string shot_asset_instances_for_asset_json(db::Connection& c, const std::string& asset_id);
/// The asset's instances by scene ("None" for those outside any scene, as Zou's str()).
std::string scene_asset_instances_for_asset_json(db::Connection& c, const std::string& asset_id);
/// The scene's instances by asset; only those of that asset type when given.
std::string scene_asset_instances_json(db::Connection& c, const std::string& scene_id,
                                       const std::optional<std::string>& asset_type_id = std::nullopt);
/// The scene's camera instances: the asset type "Camera", made when missing (asset-type:new).
std::string scene_camera_instances_json(db::Connection& c, const std::string& user_id, const std::string& scene_id);
/// The shot's instances by asset.
std::string shot_asset_instances_json(db::Connection& c, const std::string& shot_id);

/// A new instance of `asset_id` in the asset `target_asset_id` or the scene `scene_id`,
/// numbered after the last one there and named "<asset name>_<number on 4 digits>"
/// (asset_instance:new). 404 when the instantiated asset is absent.
std::string add_asset_instance(db::Connection& c, const std::string& user_id, const std::string& asset_id,
                               const std::optional<std::string>& target_asset_id,
                               const std::optional<std::string>& scene_id,
                               const std::optional<std::string>& description);

/// Casts the instance in the shot (asset_instance:add-to-shot); the shot as Entity.serialize().
std::string add_asset_instance_to_shot(db::Connection& c, const std::string& user_id, const std::string& shot_id,
                                       const std::string& asset_instance_id);
/// The reverse (asset_instance:remove-from-shot); 404 when the instance is absent or not cast.
void remove_asset_instance_from_shot(db::Connection& c, const std::string& user_id, const std::string& shot_id,
                                     const std::string& asset_instance_id);

} // namespace slate::engine::production
