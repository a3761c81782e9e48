#pragma once
// engine/people/user_filters.h: a person's saved search filters and filter groups (Zou's
// search_filter and search_filter_group, through user_service): listed grouped by list type and
// production, created, changed and removed by their owner (or an admin); shared with the team
// only by a manager of the production.

#include "engine/fwd.h"
#include "engine/people/auth_service.h"

#include <optional>
#include <string>

namespace slate::engine::user {

/// Filters the caller sees: their own and the shared ones, of open productions or of none,
/// without those of departments the caller is not in (managers see them all), as
/// {list_type: {project_id or "all": [filter, ...]}}.
std::string filters_json(db::Connection& c, const services::Identity& caller);
/// The same for filter groups, newest first.
std::string filter_groups_json(db::Connection& c, const services::Identity& caller);

/// What a create or update sets; a field left unset is not changed (create: the default).
struct FilterFields {
    std::optional<std::string> list_type, name, query, entity_type, color;
    std::optional<std::optional<std::string>> project_id, search_filter_group_id, department_id;
    std::optional<bool> is_shared;
};

/// Creates a filter owned by the caller; answers it. Sharing needs a production the caller
/// manages (else it is silently turned off); the group must exist (404) and share as the
/// filter does (400); the department must exist (404).
std::string create_filter(db::Connection& c, const services::Identity& caller, const FilterFields& fields);
/// Updates the caller's filter (an admin's: anyone's); 404 when there is none.
std::string update_filter(db::Connection& c, const services::Identity& caller, const std::string& id,
                          FilterFields fields);
/// Removes the caller's filter (an admin's: anyone's); 404 when there is none.
void remove_filter(db::Connection& c, const services::Identity& caller, const std::string& id);

std::string create_filter_group(db::Connection& c, const services::Identity& caller, const FilterFields& fields);
/// The caller's group (an admin's: anyone's); 404 when there is none.
std::string filter_group(db::Connection& c, const services::Identity& caller, const std::string& id);
/// Updates a group; a change of sharing is carried to its filters.
std::string update_filter_group(db::Connection& c, const services::Identity& caller, const std::string& id,
                                FilterFields fields);
/// Removes a group and its filters.
void remove_filter_group(db::Connection& c, const services::Identity& caller, const std::string& id);

} // namespace slate::engine::user
