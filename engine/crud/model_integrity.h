#pragma once
// engine/crud/model_integrity.h: the rules of Zou's per-model CRUD resources that read stored
// rows or rewrite the body before it is read: duplicate names, overlapping day offs, a
// project's resolution and style, a playlist's choices and shots, a schedule item's days.

#include "engine/fwd.h"

#include <Poco/JSON/Object.h>

#include <optional>
#include <string>

namespace slate::engine::crud {

/// The body as the model's resource reads it, after its checks (Zou's WrongParameterException
/// 400s). `id` is the row a PUT changes; none on a POST.
Poco::JSON::Object checked_body(const ModelDescriptor& model, const Poco::JSON::Object& body,
                                const std::optional<std::string>& id, db::Connection& c);

/// Zou's day-off post_creation/post_update: the hours logged on the days a day off covers go.
void remove_time_spents_under_day_off(db::Connection& c, const std::string& day_off_id);

} // namespace slate::engine::crud
