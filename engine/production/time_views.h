#pragma once
// engine/production/time_views.h: the time spent on a production and its team's days off, as
// the production's schedule and budget pages read them (Zou's time_spents_service and
// tasks_service views).

#include "engine/fwd.h"

#include <optional>
#include <string>

namespace slate::engine::production {

/// Every time spent on the production's tasks, as serialize() writes them.
std::string project_time_spents_json(db::Connection& c, const std::string& project_id);

/// The time spent on the production's tasks of one task type between two dates (each
/// optional, inclusive, any form PostgreSQL reads as a date), newest first, by person id.
/// 400 "Wrong date format for <start> and/or <end>" (None for a missing one) when a date
/// does not read.
std::string task_type_time_spents_json(db::Connection& c, const std::string& project_id,
                                       const std::string& task_type_id, const std::optional<std::string>& start_date,
                                       const std::optional<std::string>& end_date);

/// The days off of the production's team overlapping the dates, by person id, ordered by
/// date; the description only when `with_description` or the day off is `viewer_id`'s. Dates
/// as above.
std::string team_day_offs_json(db::Connection& c, const std::string& project_id,
                               const std::optional<std::string>& start_date, const std::optional<std::string>& end_date,
                               bool with_description, const std::string& viewer_id);

/// Time spent per department (of the task type), then per person, then per month in the
/// viewer's time zone ("YYYY-MM" of the date at midnight UTC seen from there), each level with
/// its "total".
std::string month_time_spents_json(db::Connection& c, const std::string& project_id, const std::string& viewer_id);

} // namespace slate::engine::production
