#pragma once
// engine/review/annotations.h: merging annotation changes into a preview's annotations
// (Zou's update_preview_file_annotations), as a pure function over JSON text.
//
// Annotations are [{"time": t, "drawing": {"objects": [...]}}], keyed by time. Additions add
// the times not annotated yet and merge into the others the objects whose id is new; updates
// replace objects by id at their time (unknown ids dropped); deletions {"time", "objects":
// [ids]} remove objects; times left without objects go. Every object ends with an id.

#include <functional>
#include <string>

namespace slate::engine::services {

/// The merged annotations as JSON text. `make_id` gives ids to objects without one. Throws
/// bad_request when a change is not of the documented shape.
std::string merge_annotations(const std::string& previous_json, const std::string& additions_json,
                              const std::string& updates_json, const std::string& deletions_json,
                              const std::function<std::string()>& make_id);

} // namespace slate::engine::services
