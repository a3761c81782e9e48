#include "api/areas/projects/project_bodies.h"

#include "engine/error.h"
#include "engine/uuid.h"

#include <Poco/JSON/Object.h>

namespace slate::api::projects {
namespace {

/// The body's JSON object, or null when the body is not JSON (then lists are absent).
const Poco::JSON::Object* json_object(Request& request) {
    if (request.form)
        return nullptr;
    try {
        return &request.json();
    } catch (const Error&) {
        return nullptr;
    }
}

} // namespace

std::optional<std::string> optional_choice(Request& request, BodyFields& body, const std::string& name,
                                           const std::vector<std::string>& allowed) {
    if (const auto* object = json_object(request); object && (!object->has(name) || object->isNull(name)))
        return std::nullopt;
    std::string value = body.choice(name, allowed, "");
    if (value.empty())
        return std::nullopt;
    return value;
}

bool optional_bool(Request& request, BodyFields& body, const std::string& name, bool fallback) {
    if (const auto* object = json_object(request); object && object->has(name) && object->isNull(name))
        return fallback;
    return body.boolean(name, fallback);
}

std::string non_empty_text(BodyFields& body, const std::string& name, const std::string& fallback) {
    const std::string marker = "\x01"; // tells "absent" from "sent empty"
    std::string value = body.text(name, marker);
    if (value == marker)
        return fallback;
    if (value.empty())
        body.invalid(name, "String should have at least 1 character");
    return value;
}

Poco::JSON::Array::Ptr array_member(Request& request, BodyFields& body, const std::string& name) {
    const auto* object = json_object(request);
    if (!object || !object->has(name))
        return nullptr;
    const auto value = object->get(name);
    if (value.type() != typeid(Poco::JSON::Array::Ptr)) {
        body.invalid(name, "Input should be a valid list");
        return nullptr;
    }
    return value.extract<Poco::JSON::Array::Ptr>();
}

std::vector<std::string> text_list(Request& request, BodyFields& body, const std::string& name, bool required,
                                   bool at_least_one) {
    std::vector<std::string> items;
    const auto* object = json_object(request);
    if (!object || !object->has(name)) {
        if (required)
            body.invalid(name, "Field required");
        return items;
    }
    const auto list = array_member(request, body, name);
    if (!list)
        return items;
    for (std::size_t index = 0; index < list->size(); ++index) {
        const auto item = list->get(static_cast<unsigned>(index));
        if (!item.isString()) {
            body.invalid(name + "." + std::to_string(index), "Input should be a valid string");
            continue;
        }
        items.push_back(item.extract<std::string>());
    }
    if (at_least_one && list->size() == 0)
        body.invalid(name, "List should have at least 1 item after validation, not 0");
    return items;
}

Reply no_content() {
    Reply reply;
    reply.status = 204;
    reply.content_type = "text/html; charset=utf-8"; // Flask's empty 204
    return reply;
}

void check_id_parameter(const std::string& id) {
    if (!engine::is_uuid(id)) {
        throw Error(ErrorKind::bad_request, "Wrong UUID format.",
                    R"({"error":true,"message":"Wrong UUID format.","data":null})");
    }
}

} // namespace slate::api::projects
