#pragma once
// engine/production/casting.h: the breakdown (Zou's breakdown_service): what an entity casts
// (entity links with nb_occurences and label), where an asset is cast, the castings of a
// sequence, of every sequence, of the episodes and of an asset type, casting updates with
// their events and the shots' casting stats, and the entity links of a production.

#include "engine/fwd.h"
#include "engine/db/connection.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace slate::engine::production {

/// What an entity is and where it sits, for the breakdown routes' checks.
struct EntityRef {
    std::string id;
    std::string project_id;
    std::string type_name; ///< the entity type's name ("Shot", "Episode", "Props", ...)
    std::optional<std::string> parent_id;
};

/// The entity `id`; 404 when malformed or absent.
EntityRef entity_or_404(db::Connection& c, const std::string& id);

/// get_entity_casting: every asset `entity_id` casts, as Zou's Entity.serialize(obj_type="Asset").
std::string entity_casting_assets_json(db::Connection& c, const std::string& entity_id);

/// get_casting: the non-canceled assets `entity_id` casts, by type name and name.
std::string casting_json(db::Connection& c, const std::string& entity_id);

/// One item of a casting update; items without asset_id or nb_occurences are counted, not cast.
struct CastItem {
    std::optional<std::string> asset_id;
    std::optional<long long> nb_occurences;
    std::string label;
};

/// update_casting: replaces what `entity_id` casts, with Zou's events (entity-link:new,
/// shot/episode/asset:casting-update with the added and removed ids, asset:update for
/// episodes), the episode's casting kept in step with its shots', the shots' casting stats
/// refreshed. Cast ids must be assets (400 otherwise, nothing written).
void update_casting(db::Connection& c, const std::string& user_id, const std::string& entity_id,
                    const std::vector<CastItem>& casting);

/// get_cast_in: the shots (then the assets) that cast the asset.
std::string cast_in_json(db::Connection& c, const std::string& asset_id);

/// get_sequence_casting / get_all_sequences_casting: {shot_id: [cast…]} of one sequence, or of
/// every sequence of the production (of the episode when given; "main" gives {}). Written to
/// `sink` piece by piece, read through a cursor: a whole production's casting never sits in
/// memory.
void write_sequence_casting(db::Connection& c, const std::optional<std::string>& sequence_id,
                            const std::optional<std::string>& project_id, const std::optional<std::string>& episode_id,
                            const std::function<void(std::string_view)>& sink);

/// get_production_episodes_casting: {episode_id: [cast…]}, written to `sink` piece by piece.
void write_episodes_casting(db::Connection& c, const std::string& project_id,
                            const std::function<void(std::string_view)>& sink);

/// get_asset_type_casting: {asset_id: [cast…]} for the assets of that type in the production,
/// written to `sink` piece by piece.
void write_asset_type_casting(db::Connection& c, const std::string& project_id, const std::string& asset_type_id,
                              const std::function<void(std::string_view)>& sink);

/// get_entity_links_for_project: the plain list (page < 1, no cursor), a page, or the
/// entries after a cursor.
std::string project_entity_links_json(db::Connection& c, const std::string& project_id, long long page, long long limit,
                                      const std::optional<std::string>& cursor_created_at);

/// The entity link `link_id` (404 when absent) and the production of its entity_in.
std::pair<std::string, std::string> entity_link_or_404(db::Connection& c, const std::string& link_id);
/// remove_entity_link: deletes it; its serialisation.
std::string remove_entity_link(db::Connection& c, const std::string& link_id);

/// {<first column>: [the other columns of its rows, as objects], …} of a query whose rows of
/// one key come together, read through a cursor and written to `sink` piece by piece.
void write_grouped(db::Connection& c, const std::string& sql, const db::Params& params,
                   const std::function<void(std::string_view)>& sink);
/// The same, as one string (for answers known to be small).
std::string grouped_json(db::Connection& c, const std::string& sql, const db::Params& params);

/// refresh_shot_casting_stats for each shot: its tasks' nb_assets_ready from the readiness of
/// the assets it casts; task:update-casting-stats published (not stored) per task.
void refresh_shot_casting_stats(db::Connection& c, const std::vector<std::string>& shot_ids);

} // namespace slate::engine::production
