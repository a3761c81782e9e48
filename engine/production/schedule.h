#pragma once
// engine/production/schedule.h: a production's schedule (Zou's schedule_service): its
// schedule items — one per task type, and per task type one per asset type, episode, sequence
// or edit, created on first read — and its milestones.

#include "engine/fwd.h"

#include <optional>
#include <string>

namespace slate::engine::production {

/// Every schedule item of the production, as serialize() writes them.
std::string schedule_items_json(db::Connection& c, const std::string& project_id);

/// The task types' items: one per task type the production's tasks use (those for assets,
/// shots, sequences, episodes and edits), made when missing (today to tomorrow,
/// schedule-item:new), items of other task types left out; present() shape, by start date.
std::string task_type_schedule_items_json(db::Connection& c, const std::string& user_id, const std::string& project_id);

/// What a task type's items are broken down by.
enum class ScheduleLevel { asset_type, episode, sequence, edit };

/// A task type's items per asset type (those of the production's assets, or of the assets of
/// `episode_id`), episode, sequence or edit (not canceled; those of `episode_id` when given),
/// made when missing as above; present() shape with the object's "name", by name.
std::string entity_schedule_items_json(db::Connection& c, const std::string& user_id, const std::string& project_id,
                                       const std::string& task_type_id, ScheduleLevel level,
                                       const std::optional<std::string>& episode_id);

/// The production's milestones, present() shape.
std::string milestones_json(db::Connection& c, const std::string& project_id);

} // namespace slate::engine::production
