#pragma once
// engine/crud/model_rules.h: what Zou's per-model CRUD resources add to the generic
// behaviour: defaults and integrity checks on create, protected fields on update, and
// conditions on delete. Keyed by table; the generic service calls these at fixed points.

#include "engine/fwd.h"
#include "engine/crud/queries.h"

#include <Poco/JSON/Object.h>

#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace slate::engine::crud {

/// Zou's integrity checks on a create or update body, before anything is converted:
/// WrongParameterException 400s ({"error":true,"message":...,"data":null}).
void check_integrity(const ModelDescriptor& model, const Config& config, const Poco::JSON::Object& body, bool creating,
                     db::Connection& c);

/// The template a new project is made from (Zou's ProjectsResource.update_data) and the fields
/// the caller sent with a value, which win over the template's.
struct ProjectTemplateChoice {
    std::string template_id;
    std::set<std::string> kept_fields;
};

/// Takes "project_template_id" out of a project's body; a choice when it held one.
std::optional<ProjectTemplateChoice> take_project_template(Poco::JSON::Object& body);

/// Applies the chosen template to the new project (404 "Project template not found").
void apply_project_template(const services::Identity& caller, db::Connection& c, const std::string& project_id,
                            const ProjectTemplateChoice& choice);

/// Zou's post_creation side effects, in the creating transaction. Returns extra fields of the
/// answer (name, JSON value): a TV show's first episode ("first_episode_id").
std::vector<std::pair<std::string, std::string>>
after_create(const ModelDescriptor& model, const services::Identity& caller, db::Connection& c, const std::string& id);

/// Zou's supervisor rule for PUT /data/tasks/<id>: a supervisor of the task's project whose
/// departments include the task type's (or who has none) may change the schedule fields.
bool supervisor_may_update_task(const services::Identity& caller, db::Connection& c, const std::string& task_id,
                                const Poco::JSON::Object& body);

/// Whether a list filter on `field` is allowed for a non-admin on this model.
bool filterable_by_non_admin(const ModelDescriptor& model, const std::string& field);

/// Adjusts the values of a new row before the insert: Zou's defaults and checks. `values`
/// holds the columns the client sent (already converted).
void prepare_create(const ModelDescriptor& model, const services::Identity& caller, const Config& config,
                    db::Connection& c, queries::Assignments& values);

/// Fields a PUT may not change for this caller (dropped silently, as Zou does).
bool protected_on_update(const ModelDescriptor& model, const services::Identity& caller, const std::string& field);

/// Adjusts an update's values before row `id` is written: normalisation, the editor of a
/// comment, an entity's or task's data merged into the stored one. In the updating transaction.
void prepare_update(const ModelDescriptor& model, const services::Identity& caller, db::Connection& c,
                    const std::string& id, queries::Assignments& values);

/// PersonResource.post_update: an update that wrote the expiration date (null, today or
/// later; a past one would make a token born expired) issues the person a new API token.
bool regenerates_api_token(const ModelDescriptor& model, queries::Assignments& written);

/// Checks that a row may be deleted (a project must be closed, nobody deletes themself, a
/// time spent goes only through check_time_spent_access).
void check_delete(const ModelDescriptor& model, const services::Identity& caller, db::Connection& c,
                  const std::string& id);

} // namespace slate::engine::crud
