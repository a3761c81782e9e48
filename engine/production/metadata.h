#pragma once
// engine/production/metadata.h: metadata descriptors, the custom columns a production adds to
// its assets, shots, edits, episodes, sequences, tasks (per task type) or to itself (Zou's
// projects_service descriptor functions), per production or across the open productions a
// manager runs. Renaming a descriptor moves the stored values to the new field name;
// deleting it removes them.

#include "engine/fwd.h"

#include <optional>
#include <string>
#include <vector>

namespace slate::engine::production {

/// What a descriptor is made or replaced with. `field_name` is the slug of `name` (the caller
/// slugifies: python-slugify's rules live in filetree). `choices_json` is a JSON array.
struct DescriptorFields {
    std::string entity_type = "Asset";
    std::optional<std::string> task_type_id; ///< Task descriptors only
    std::optional<std::string> name;         ///< updates: unset keeps the name
    std::string field_name;
    std::string data_type = "string";
    bool for_client = false;
    std::string choices_json = "[]";
    std::vector<std::string> departments;
};

/// The entity types a descriptor may describe; `with_task`: Task too (per-project routes).
bool valid_descriptor_entity_type(const std::string& entity_type, bool with_task);
/// Whether a task type has that id (false for a malformed one).
bool task_type_exists(db::Connection& c, const std::string& task_type_id);
/// Zou's METADATA_DESCRIPTOR_TYPES.
bool valid_descriptor_data_type(const std::string& data_type);

/// check_all_departments_access: admin; a manager of the project; a supervisor of it when
/// `departments` is not empty and holds every department of theirs (or they have none).
/// 403 otherwise.
void require_all_departments_access(db::Connection& c, const services::Identity& caller, const std::string& project_id,
                                    const std::vector<std::string>& departments);

/// The production's descriptors ordered by position then name, with their departments
/// (`for_client`: only those shown to clients).
std::string descriptors_json(db::Connection& c, const std::string& project_id, bool for_client);
/// One descriptor of the production with its departments; 404 when it is not the
/// production's.
std::string descriptor_json(db::Connection& c, const std::string& project_id, const std::string& descriptor_id);
/// The department ids of one descriptor of the production; 404 as above.
std::vector<std::string> descriptor_departments(db::Connection& c, const std::string& project_id,
                                                const std::string& descriptor_id);

/// Creates a descriptor (400 "Metadata descriptor already exists." for a name or field name
/// taken for that entity type, or task type; 404 for a malformed department id, unknown ones
/// are dropped), metadata-descriptor:new. Answers it without relations.
std::string add_descriptor(db::Connection& c, const std::string& user_id, const std::string& project_id,
                           const DescriptorFields& fields);
/// Replaces name (when set), data type, choices, client flag and departments; a new field
/// name moves the stored values. metadata-descriptor:update. Answers it without relations.
std::string update_descriptor(db::Connection& c, const std::string& user_id, const std::string& descriptor_id,
                              const DescriptorFields& fields);
/// Deletes the descriptor and the values stored under its field; metadata-descriptor:delete.
void remove_descriptor(db::Connection& c, const std::string& user_id, const std::string& descriptor_id);
/// Positions 1.. for `descriptor_ids` (each of the production and entity type, else 400), the
/// others after them by name. Answers the entity type's descriptors in their new order.
std::string reorder_descriptors(db::Connection& c, const std::string& project_id, const std::string& entity_type,
                                const std::vector<std::string>& descriptor_ids);

/// The open productions the all-projects routes act on: every open one for an admin, else
/// those of the Open status where the caller is on the team with the manager role.
std::vector<std::string> managed_open_project_ids(db::Connection& c, const services::Identity& caller);
/// Adds the descriptor to each production lacking its field name for that entity type.
/// Answers the created descriptors.
std::string add_descriptor_to_projects(db::Connection& c, const std::string& user_id,
                                       const std::vector<std::string>& project_ids, const DescriptorFields& fields);
/// Updates the descriptors of that entity type and field name in the productions.
std::string update_descriptor_on_projects(db::Connection& c, const std::string& user_id,
                                          const std::vector<std::string>& project_ids, const std::string& field_name,
                                          const DescriptorFields& fields);
/// Deletes them; answers their ids.
std::string remove_descriptor_from_projects(db::Connection& c, const std::string& user_id,
                                            const std::vector<std::string>& project_ids, const std::string& entity_type,
                                            const std::string& field_name);
/// Orders each production's descriptors of that entity type by field names.
std::string reorder_descriptors_on_projects(db::Connection& c, const std::vector<std::string>& project_ids,
                                            const std::string& entity_type,
                                            const std::vector<std::string>& field_order);

} // namespace slate::engine::production
