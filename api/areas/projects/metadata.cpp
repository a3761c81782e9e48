// api/areas/projects/metadata.cpp: metadata descriptors of a production, and the
// all-projects variants a manager uses to keep one column across every open production.
// Field names are python-slugify's of the name (filetree's slugify), computed here because
// the engine does not see filetree.

#include "api/areas/projects/project_bodies.h"
#include "api/areas/projects/project_routes.h"

#include "engine/access.h"
#include "engine/db/pool.h"
#include "engine/json.h"
#include "engine/people/auth_service.h"
#include "engine/production/metadata.h"
#include "engine/production/production_common.h"
#include "filetree/slugify.h"

namespace slate::api::projects {
namespace {

using engine::access::Check;
using engine::access::SubjectKind;
using engine::production::DescriptorFields;
namespace production = engine::production;

const char* const wrong_entity_type =
    "Wrong entity type. Please select Asset, Shot, Sequence, Episode, Edit, Project, or Task.";
const char* const wrong_entity_type_all = "Wrong entity type. Please select Asset, Shot, Sequence, Episode, Edit, or "
                                          "Project.";

/// The fields of MetadataDescriptorSchema and its update variants, read once validated.
DescriptorFields read_fields(Request& request, BodyFields& body, bool creating, bool entity_type_required) {
    DescriptorFields fields;
    if (creating || entity_type_required)
        fields.entity_type =
            entity_type_required ? body.required_text("entity_type") : body.text("entity_type", "Asset");
    if (creating) {
        fields.task_type_id = body.optional_text("task_type_id");
        fields.name = body.required_text("name");
    } else {
        fields.name = body.optional_text("name");
    }
    fields.data_type = non_empty_text(body, "data_type", "string");
    fields.for_client = optional_bool(request, body, "for_client", false);
    engine::JsonWriter choices;
    choices.begin_array();
    for (const auto& choice : text_list(request, body, "choices"))
        choices.string(choice);
    choices.end_array();
    fields.choices_json = choices.take();
    fields.departments = text_list(request, body, "departments");
    if (fields.name)
        fields.field_name = filetree::slugify(*fields.name);
    return fields;
}

void check_data_type(const DescriptorFields& fields) {
    if (!production::valid_descriptor_data_type(fields.data_type))
        throw_wrong_parameter("Invalid data_type");
}

/// The route loads the project and checks project access; clients see their descriptors only.
Reply list_descriptors(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    const std::string& project = request.subject().project_id;
    const bool client = engine::access::effective_role(request.caller(), *lease, project) == "client";
    return json_reply(200, production::descriptors_json(*lease, project, client));
}

Reply add_descriptor(Request& request, Services& services) {
    BodyFields body(request);
    DescriptorFields fields = read_fields(request, body, true, false);
    body.check();
    auto lease = services.pool.acquire();
    auto& c = *lease;
    const auto project = engine::access::load_subject(c, SubjectKind::project, request.param("project_id"));
    production::require_all_departments_access(c, request.caller(), project.id, fields.departments);
    if (!production::valid_descriptor_entity_type(fields.entity_type, true))
        throw_wrong_parameter(wrong_entity_type);
    if (fields.entity_type == "Task") {
        if (!fields.task_type_id)
            throw_wrong_parameter("Task metadata descriptors require a task_type_id.");
        if (!production::task_type_exists(c, *fields.task_type_id))
            throw_wrong_parameter("Task type not found.");
    } else if (fields.task_type_id) {
        throw_wrong_parameter("task_type_id only applies to Task metadata descriptors.");
    }
    check_data_type(fields);
    return json_reply(201, production::add_descriptor(c, request.caller().person_id, project.id, fields));
}

/// The route loads the project and checks project access.
Reply get_descriptor(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    return json_reply(200, production::descriptor_json(*lease, request.subject().project_id,
                                                       request.param("metadata_descriptor_id")));
}

Reply update_descriptor(Request& request, Services& services) {
    BodyFields body(request);
    DescriptorFields fields = read_fields(request, body, false, false);
    body.check();
    auto lease = services.pool.acquire();
    auto& c = *lease;
    const auto project = engine::access::load_subject(c, SubjectKind::project, request.param("project_id"));
    const std::string id = request.param("metadata_descriptor_id");
    auto departments = production::descriptor_departments(c, project.id, id);
    departments.insert(departments.end(), fields.departments.begin(), fields.departments.end());
    production::require_all_departments_access(c, request.caller(), project.id, departments);
    if (fields.name && fields.name->empty())
        throw_wrong_parameter("Name cannot be empty.");
    check_data_type(fields);
    return json_reply(200, production::update_descriptor(c, request.caller().person_id, id, fields));
}

Reply delete_descriptor(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    auto& c = *lease;
    const auto project = engine::access::load_subject(c, SubjectKind::project, request.param("project_id"));
    const std::string id = request.param("metadata_descriptor_id");
    production::require_all_departments_access(c, request.caller(), project.id,
                                               production::descriptor_departments(c, project.id, id));
    production::remove_descriptor(c, request.caller().person_id, id);
    return no_content();
}

Reply reorder(Request& request, Services& services) {
    BodyFields body(request);
    const std::string entity_type = body.required_text("entity_type");
    const auto ids = text_list(request, body, "descriptor_ids", true, true);
    body.check();
    auto lease = services.pool.acquire();
    auto& c = *lease;
    auto project = engine::access::load_subject(c, SubjectKind::project, request.param("project_id"));
    engine::access::check_subject(request.caller(), c, project, Check::manager);
    if (!production::valid_descriptor_entity_type(entity_type, true))
        throw_wrong_parameter(wrong_entity_type);
    return json_reply(200, production::reorder_descriptors(c, project.id, entity_type, ids));
}

/// check_manager_permissions: the global role, no production being resolved on these routes.
void require_manager(const Request& request) {
    if (request.caller().role != "admin" && request.caller().role != "manager")
        throw_forbidden();
}

void check_all_projects_entity_type(const std::string& entity_type) {
    if (!production::valid_descriptor_entity_type(entity_type, false))
        throw_wrong_parameter(wrong_entity_type_all);
}

Reply add_to_all(Request& request, Services& services) {
    require_manager(request);
    BodyFields body(request);
    DescriptorFields fields = read_fields(request, body, true, false);
    body.check();
    check_all_projects_entity_type(fields.entity_type);
    check_data_type(fields);
    fields.task_type_id.reset(); // project-wide columns only
    auto lease = services.pool.acquire();
    const auto projects = production::managed_open_project_ids(*lease, request.caller());
    return json_reply(201,
                      production::add_descriptor_to_projects(*lease, request.caller().person_id, projects, fields));
}

Reply update_on_all(Request& request, Services& services) {
    require_manager(request);
    BodyFields body(request);
    DescriptorFields fields = read_fields(request, body, false, true);
    body.check();
    check_all_projects_entity_type(fields.entity_type);
    check_data_type(fields);
    auto lease = services.pool.acquire();
    const auto projects = production::managed_open_project_ids(*lease, request.caller());
    return json_reply(200, production::update_descriptor_on_projects(*lease, request.caller().person_id, projects,
                                                                     request.param("field_name"), fields));
}

Reply remove_from_all(Request& request, Services& services) {
    require_manager(request);
    const std::string entity_type = request.query_value("entity_type").value_or("");
    check_all_projects_entity_type(entity_type);
    auto lease = services.pool.acquire();
    const auto projects = production::managed_open_project_ids(*lease, request.caller());
    return json_reply(200, production::remove_descriptor_from_projects(*lease, request.caller().person_id, projects,
                                                                       entity_type, request.param("field_name")));
}

Reply reorder_on_all(Request& request, Services& services) {
    require_manager(request);
    BodyFields body(request);
    const std::string entity_type = body.required_text("entity_type");
    const auto field_order = text_list(request, body, "field_order", true, true);
    body.check();
    check_all_projects_entity_type(entity_type);
    auto lease = services.pool.acquire();
    const auto projects = production::managed_open_project_ids(*lease, request.caller());
    return json_reply(200, production::reorder_descriptors_on_projects(*lease, projects, entity_type, field_order));
}

} // namespace

RouteList metadata_routes() {
    const std::string descriptors = "/data/projects/{project_id}/metadata-descriptors";
    const std::string one = descriptors + "/{metadata_descriptor_id}";
    const std::string all = "/data/metadata-descriptors/all-projects";
    RouteList routes;
    auto add = [&routes](Method method, std::string path, Handler handler) {
        routes.push_back(Route{method, std::move(path), Access::jwt, std::move(handler)});
    };
    routes.push_back(Route{Method::get, descriptors, Access::jwt, list_descriptors}.loads(
        SubjectKind::project, "project_id", Check::project_access));
    add(Method::post, descriptors, add_descriptor);
    routes.push_back(Route{Method::get, one, Access::jwt, get_descriptor}.loads(SubjectKind::project, "project_id",
                                                                                Check::project_access));
    add(Method::put, one, update_descriptor);
    add(Method::del, one, delete_descriptor);
    add(Method::post, descriptors + "/reorder", reorder);
    add(Method::post, all, add_to_all);
    add(Method::put, all + "/{field_name}", update_on_all);
    add(Method::del, all + "/{field_name}", remove_from_all);
    add(Method::post, "/actions/metadata-descriptors/all-projects/reorder", reorder_on_all);
    return routes;
}

} // namespace slate::api::projects
