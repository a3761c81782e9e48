#pragma once
// engine/production/production_common.h: what the production routes' services share: the
// project:update event its project settings emit, and the reading of model rows with their
// relation id lists in one statement.

#include "engine/fwd.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace slate::engine::production {


/// "SELECT t.*[, <relation> id arrays] FROM <table> t": a model's columns and, with
/// `relations`, one text[] column per relationship, for queries that add their own joins,
/// filters and order. With `data_sql`, the columns are named one by one and "data" is that
/// expression (a vendor's masked metadata, see vendor_visible_data).
std::string select_model_sql(std::string_view table, bool relations, std::string_view data_sql = {});

/// The project:update event Zou emits when a project's settings or team change: clients
/// refetch the project. Data {"project_id": id}.
void emit_project_update(db::Connection& c, const std::string& user_id, const std::string& project_id);

/// An event of a production row: `name` with `data` (JSON object text without the project),
/// the project id added into the data as Zou's emit() does.
void emit_project_event(db::Connection& c, const std::string& name, const std::string& user_id,
                        const std::string& project_id, const std::vector<std::pair<std::string, std::string>>& data);

/// "$n" for the last of `count` parameters. Built by appending: GCC 12 warns falsely on
/// "$" + std::to_string(n).
std::string placeholder(std::size_t count);

/// The SQL of entity `alias`'s data as a vendor sees it (Zou's
/// remove_not_allowed_metadata_for_vendor): without the fields of the production's
/// descriptors of `entity_type` that are kept to departments the vendor `person` (an SQL
/// uuid expression) is not in; {} when it has none.
std::string vendor_visible_data(std::string_view entity_type, const std::string& person,
                                std::string_view alias = "e");

/// The project serialised as Zou's project.serialize() (no relations); 404 when absent.
std::string project_json(db::Connection& c, const std::string& project_id);

} // namespace slate::engine::production
