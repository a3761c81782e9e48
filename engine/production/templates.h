#pragma once
// engine/production/templates.h: project templates (Zou's project_templates_service), a
// production's configuration kept to start others from: the task types (with priorities),
// task statuses (with priorities and board roles), asset types, status automations and
// preview backgrounds it links, a default background, and a snapshot of metadata descriptors
// (a JSON list on the template row). Every change emits project-template:update (:new for a
// template made from a project) with {"project_template_id": id}.
//
// Errors: an unknown or malformed template is Error(not_found, "Project template not found");
// refused values are WrongParameterException 400s (throw_wrong_parameter).

#include "engine/fwd.h"

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace slate::engine::production {

/// Whether a field is one of Zou's PRODUCTION_SETTING_FIELDS: what a template and a production
/// share (fps, ratio, resolution, styles, retakes, bitrates...).
bool is_production_setting(std::string_view field);

/// One of the lists a template links.
enum class TemplateList { task_type, task_status, asset_type, status_automation, preview_background_file };

/// The list as Zou answers it: task types and statuses serialized with the link's priority
/// (statuses with its board roles too) ordered by priority then name; asset types and
/// backgrounds as {id, name[, is_default]}; status automations serialized.
std::string template_list_json(db::Connection& c, const std::string& template_id, TemplateList list);

/// What an added task type or status link carries (unset: left as it is on an existing link).
struct TemplateLinkFields {
    std::optional<long long> priority;
    std::optional<std::vector<std::string>> roles_for_board; ///< statuses only
};

/// Links `id` to the template (or updates the fields given on an existing task type or status
/// link). `id` must be a UUID of an existing row ("<field> is required and must be a valid
/// UUID", "<Label> <id> does not exist"), checked before the template. Answers the link
/// (task types, statuses), the {id, name[, is_default]} entry (asset types, backgrounds) or
/// the serialized automation.
std::string add_to_template(db::Connection& c, const std::string& user_id, const std::string& template_id,
                            TemplateList list, const std::string& id, const TemplateLinkFields& fields = {});

/// Unlinks `id` (nothing when not linked). Task type and status unlinks do not look the
/// template up, as in Zou; removing the default background clears the default.
void remove_from_template(db::Connection& c, const std::string& user_id, const std::string& template_id,
                          TemplateList list, const std::string& id);

/// Priorities 1.. in the order of `ids` (task types or statuses), each as add_to_template with
/// only its priority. Answers the links.
std::string reorder_template(db::Connection& c, const std::string& user_id, const std::string& template_id,
                             TemplateList list, const std::vector<std::string>& ids);

/// Sets (or clears, with nullopt) the default background, which must be linked to the
/// template ("Preview background file is not linked to this template"). Answers the template.
std::string set_template_default_background(db::Connection& c, const std::string& user_id,
                                            const std::string& template_id, const std::optional<std::string>& id);

/// Replaces the descriptor snapshot with `descriptors_json` (a JSON array already cleaned to
/// Zou's snapshot shape). Answers the template.
std::string set_template_descriptors(db::Connection& c, const std::string& user_id, const std::string& template_id,
                                     const std::string& descriptors_json);

/// A new template named `name` from the production's settings, links, backgrounds and
/// descriptors ("A project template with this name already exists"). 404 for an unknown
/// production. Answers the template.
std::string create_template_from_project(db::Connection& c, const std::string& user_id, const std::string& project_id,
                                         const std::string& name, const std::optional<std::string>& description);

/// Applies the template to the production: its settings (except the fields named in
/// `kept_fields`, which the caller chose explicitly), file tree and data, the links the
/// production lacks, its default background when the production has none and it is not kept,
/// and the snapshot's descriptors the production lacks. project:update. Answers the project.
std::string apply_template_to_project(db::Connection& c, const std::string& user_id, const std::string& project_id,
                                      const std::string& template_id, const std::set<std::string>& kept_fields = {});

/// Copies onto a new production the Project descriptors (the all-projects columns) of the
/// open productions, one per field name it lacks (Zou's copy_project_metadata_descriptors).
void copy_project_metadata_descriptors(db::Connection& c, const std::string& user_id, const std::string& project_id);

} // namespace slate::engine::production
