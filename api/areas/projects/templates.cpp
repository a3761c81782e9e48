// api/areas/projects/templates.cpp: project templates (Zou's project_templates blueprint): the
// lists a template links, its default background and descriptor snapshot, a template made
// from a production and a template applied to one. Managers read, admins write. Zou's
// resources answer their own refusals as {"message": ...} (no "error" key), except the
// reorder actions, which let Zou's handlers answer.

#include "api/areas/areas.h"
#include "api/areas/projects/project_bodies.h"

#include "engine/db/pool.h"
#include "engine/error.h"
#include "engine/json.h"
#include "engine/people/auth_service.h"
#include "engine/production/production_common.h"
#include "engine/production/templates.h"
#include "filetree/slugify.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <sstream>
#include <tuple>

namespace slate::api {
namespace {

using engine::production::TemplateList;

void require_admin(const Request& request) {
    if (request.caller().role != "admin")
        throw_forbidden();
}

void require_manager(const Request& request) {
    if (request.caller().role != "admin" && request.caller().role != "manager")
        throw_forbidden();
}

/// Runs a service call, turning its 400s and 404s into the {"message": ...} bodies the
/// template resources answer.
template <typename Body>
Reply message_errors(Body body) {
    try {
        return body();
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::bad_request && e.kind() != ErrorKind::not_found)
            throw;
        engine::JsonWriter out;
        out.begin_object().field("message", e.what()).end_object();
        throw Error(e.kind(), e.what(), out.take());
    }
}

/// The body field naming the row of each list.
std::string id_field(TemplateList list) {
    switch (list) {
    case TemplateList::task_type: return "task_type_id";
    case TemplateList::task_status: return "task_status_id";
    case TemplateList::asset_type: return "asset_type_id";
    case TemplateList::status_automation: return "status_automation_id";
    case TemplateList::preview_background_file: return "preview_background_file_id";
    }
    return {};
}

Handler list_of(TemplateList list) {
    return [list](Request& request, Services& services) {
        require_manager(request);
        auto lease = services.pool.acquire();
        return message_errors([&] {
            return json_reply(
                200, engine::production::template_list_json(*lease, request.param("project_template_id"), list));
        });
    };
}

Handler add(TemplateList list) {
    return [list](Request& request, Services& services) {
        require_admin(request);
        BodyFields body(request);
        const std::string id = body.required_text(id_field(list));
        engine::production::TemplateLinkFields fields;
        if (list == TemplateList::task_type || list == TemplateList::task_status)
            fields.priority = body.optional_integer("priority");
        if (list == TemplateList::task_status) {
            // `roles_for_board or None`: an empty list leaves the roles as they are.
            auto roles = projects::text_list(request, body, "roles_for_board");
            if (!roles.empty())
                fields.roles_for_board = std::move(roles);
        }
        body.check();
        auto lease = services.pool.acquire();
        return message_errors([&] {
            return json_reply(201, engine::production::add_to_template(*lease, request.caller().person_id,
                                                                       request.param("project_template_id"), list, id,
                                                                       fields));
        });
    };
}

Handler remove(TemplateList list, std::string param) {
    return [list, param](Request& request, Services& services) {
        require_admin(request);
        auto lease = services.pool.acquire();
        return message_errors([&] {
            engine::production::remove_from_template(*lease, request.caller().person_id,
                                                     request.param("project_template_id"), list, request.param(param));
            return projects::no_content();
        });
    };
}

/// POST reorder: {"<kind>_ids": [...]} or Zou's WrongParameterException.
Handler reorder(TemplateList list, std::string key) {
    return [list, key](Request& request, Services& services) {
        require_admin(request);
        const std::string message = "Request body must be a JSON object with a '" + key + "' list.";
        Poco::JSON::Object::Ptr object;
        try {
            object = engine::parse_json_object(request.body);
        } catch (const Error&) {
            throw_wrong_parameter(message);
        }
        if (!object->has(key) || object->get(key).type() != typeid(Poco::JSON::Array::Ptr))
            throw_wrong_parameter(message);
        std::vector<std::string> ids;
        for (const auto& item : *object->getArray(key))
            ids.push_back(item.isEmpty() ? std::string() : item.toString());
        auto lease = services.pool.acquire();
        try {
            return json_reply(200,
                              engine::production::reorder_template(*lease, request.caller().person_id,
                                                                   request.param("project_template_id"), list, ids));
        } catch (const Error& e) {
            if (e.kind() == ErrorKind::not_found)
                throw_not_found(not_found_message);
            throw;
        }
    };
}

Reply set_default_background(Request& request, Services& services) {
    require_admin(request);
    BodyFields body(request);
    const auto id = body.optional_text("default_preview_background_file_id");
    body.check();
    auto lease = services.pool.acquire();
    return message_errors([&] {
        return json_reply(200, engine::production::set_template_default_background(
                                   *lease, request.caller().person_id, request.param("project_template_id"), id));
    });
}

/// _clean_descriptor_dict: the snapshot shape, whatever the caller sent.
void write_clean_descriptor(engine::JsonWriter& out, const Poco::JSON::Object& entry) {
    auto text = [&](const char* key) -> std::optional<std::string> {
        if (!entry.has(key) || entry.isNull(key))
            return std::nullopt;
        return entry.get(key).toString();
    };
    auto raw = [&](const Poco::Dynamic::Var& value) {
        std::ostringstream json;
        Poco::JSON::Stringifier::condense(value, json);
        return json.str();
    };
    auto truthy = [&](const char* key) {
        if (!entry.has(key) || entry.isNull(key))
            return false;
        const auto value = entry.get(key);
        if (value.isBoolean())
            return value.extract<bool>();
        if (value.isNumeric())
            return value.convert<double>() != 0;
        if (value.isString())
            return !value.extract<std::string>().empty();
        return true;
    };
    const std::string name = text("name").value_or("");
    std::string field_name = truthy("field_name") ? *text("field_name") : filetree::slugify(name);
    out.begin_object().field("name", name).field("field_name", field_name);
    for (const char* key : {"entity_type", "task_type_id", "data_type"}) {
        const auto value = text(key);
        value && !(std::string(key) == "task_type_id" && value->empty()) ? out.key(key).string(*value)
                                                                         : out.key(key).null();
    }
    out.key("choices").raw(truthy("choices") ? raw(entry.get("choices")) : "[]");
    out.field("for_client", truthy("for_client"));
    out.key("departments").begin_array();
    if (const auto departments = entry.getArray("departments"))
        for (const auto& department : *departments)
            if (!department.isEmpty())
                out.string(department.toString());
    out.end_array();
    out.key("position").raw(entry.has("position") ? raw(entry.get("position")) : "null");
    out.end_object();
}

Reply set_descriptors(Request& request, Services& services) {
    require_admin(request);
    Poco::JSON::Array::Ptr descriptors;
    try {
        Poco::JSON::Parser parser;
        const auto parsed = parser.parse(request.body);
        if (parsed.type() == typeid(Poco::JSON::Array::Ptr))
            descriptors = parsed.extract<Poco::JSON::Array::Ptr>();
    } catch (const Poco::Exception&) {
    }
    if (!descriptors) {
        BodyFields body(request);
        descriptors = projects::array_member(request, body, "metadata_descriptors");
        body.check();
    }
    engine::JsonWriter cleaned;
    cleaned.begin_array();
    if (descriptors)
        for (unsigned index = 0; index < descriptors->size(); ++index) {
            const auto entry = descriptors->getObject(index);
            if (!entry)
                return message_errors([]() -> Reply {
                    throw_wrong_parameter("Each metadata descriptor must be an object");
                });
            write_clean_descriptor(cleaned, *entry);
        }
    cleaned.end_array();
    auto lease = services.pool.acquire();
    return message_errors([&] {
        return json_reply(200, engine::production::set_template_descriptors(*lease, request.caller().person_id,
                                                                            request.param("project_template_id"),
                                                                            cleaned.take()));
    });
}

Reply from_project(Request& request, Services& services) {
    require_admin(request);
    BodyFields body(request);
    const std::string name = body.required_text("name");
    const auto description = body.optional_text("description");
    body.check();
    auto lease = services.pool.acquire();
    return message_errors([&] {
        return json_reply(201, engine::production::create_template_from_project(
                                   *lease, request.caller().person_id, request.param("project_id"), name, description));
    });
}

Reply apply_template(Request& request, Services& services) {
    require_admin(request);
    auto lease = services.pool.acquire();
    return message_errors([&] {
        return json_reply(200, engine::production::apply_template_to_project(*lease, request.caller().person_id,
                                                                             request.param("project_id"),
                                                                             request.param("project_template_id")));
    });
}

} // namespace

RouteList project_template_routes() {
    const std::string base = "/data/project-templates/{project_template_id}";
    RouteList routes;
    auto route = [&routes](Method method, std::string path, Handler handler) {
        routes.push_back(Route{method, std::move(path), Access::jwt, std::move(handler)});
    };
    const std::vector<std::tuple<std::string, TemplateList, std::string>> lists = {
        {"/task-types", TemplateList::task_type, "task_type_id"},
        {"/task-statuses", TemplateList::task_status, "task_status_id"},
        {"/asset-types", TemplateList::asset_type, "asset_type_id"},
        {"/status-automations", TemplateList::status_automation, "status_automation_id"},
        {"/preview-background-files", TemplateList::preview_background_file, "preview_background_file_id"}};
    for (const auto& [path, list, param] : lists) {
        route(Method::get, base + path, list_of(list));
        route(Method::post, base + path, add(list));
        route(Method::del, base + path + "/{" + param + "}", remove(list, param));
    }
    route(Method::post, "/actions/project-templates/{project_template_id}/task-types/reorder",
          reorder(TemplateList::task_type, "task_type_ids"));
    route(Method::post, "/actions/project-templates/{project_template_id}/task-statuses/reorder",
          reorder(TemplateList::task_status, "task_status_ids"));
    route(Method::put, base + "/default-preview-background-file", set_default_background);
    route(Method::put, base + "/metadata-descriptors", set_descriptors);
    route(Method::post, "/data/project-templates/from-project/{project_id}", from_project);
    route(Method::post, "/data/projects/{project_id}/apply-template/{project_template_id}", apply_template);
    return routes;
}

} // namespace slate::api
