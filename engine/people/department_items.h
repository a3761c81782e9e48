#pragma once
// engine/people/department_items.h: the software licences and hardware items a department
// uses, for budget forecasts (Zou's departments_service).

#include "engine/fwd.h"

#include <string>

namespace slate::engine::people {

/// What a department links: software licences or hardware items.
enum class DepartmentItem { software, hardware_item };

/// Every linked item serialized, grouped by department id ({} when none).
std::string all_department_items_json(db::Connection& c, DepartmentItem kind);

/// The department's items serialized; 404 for an unknown department.
std::string department_items_json(db::Connection& c, const std::string& department_id, DepartmentItem kind);

/// Links the item (once); 404 for an unknown department or item. Answers the link.
std::string add_department_item(db::Connection& c, const std::string& department_id, DepartmentItem kind,
                                const std::string& item_id);

/// Unlinks the item (nothing when not linked); 404 for an unknown department or item.
void remove_department_item(db::Connection& c, const std::string& department_id, DepartmentItem kind,
                            const std::string& item_id);

} // namespace slate::engine::people
