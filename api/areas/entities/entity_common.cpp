#include "api/areas/entities/entity_common.h"

#include "api/areas/projects/project_bodies.h"
#include "api/body_fields.h"
#include "api/streamed_reply.h"

#include "engine/access.h"
#include "engine/db/pool.h"
#include "engine/error.h"
#include "engine/production/production_common.h"
#include "engine/uuid.h"

#include <sstream>

namespace slate::api::entity_area {

using engine::access::Check;
using engine::access::SubjectKind;

engine::entities::Loaded readable(Request& request, engine::db::Connection& c, Kind kind, const std::string& param) {
    auto entity = engine::entities::load(c, kind, request.param(param));
    engine::access::require_project_access(request.caller(), c, entity.project_id);
    engine::access::require_entity_access(request.caller(), c, entity.project_id, entity.id);
    return entity;
}

std::string role_on(Request& request, engine::db::Connection& c, const std::optional<std::string>& project_id) {
    if (!project_id)
        return request.caller().role;
    return engine::access::effective_role(request.caller(), c, *project_id);
}

void require_criteria_access(Request& request, engine::db::Connection& c,
                             const std::optional<std::string>& project_id) {
    if (request.caller().role == "admin")
        return;
    if (!project_id || !engine::is_uuid(*project_id))
        throw_forbidden();
    engine::access::require_project_access(request.caller(), c, *project_id);
}

std::string managed_project(Request& request, engine::db::Connection& c) {
    auto project = engine::access::load_subject(c, SubjectKind::project, request.param("project_id"));
    engine::access::check_subject(request.caller(), c, project, Check::manager);
    return project.id;
}

engine::entities::Criteria criteria(const Request& request) {
    engine::entities::Criteria found;
    for (const auto& [key, value] : request.query)
        if (key != "page" && found.find(key) == found.end()) // request.args.items(): the first value
            found.emplace(key, value);
    return found;
}

std::optional<std::string> criteria_project(const engine::entities::Criteria& found) {
    if (auto it = found.find("project_id"); it != found.end())
        return it->second;
    return std::nullopt;
}

void check_criterion_ids(const Request& request, std::initializer_list<const char*> fields) {
    for (const char* field : fields) {
        const auto value = request.query_value(field);
        if (!value)
            continue;
        if (std::string(field) == "episode_id" && (*value == "all" || *value == "main"))
            continue;
        if (!engine::is_uuid(*value))
            throw_wrong_parameter("Invalid UUID format for " + std::string(field) + ": " + *value);
    }
}

namespace {

/// `Optional[str] = fallback`: absent is the fallback, null is none.
std::optional<std::string> text_or(Request& request, BodyFields& body, const std::string& name,
                                   const std::optional<std::string>& fallback) {
    auto value = body.optional_text(name);
    if (value)
        return value;
    bool given = false;
    try {
        given = request.json().has(name);
    } catch (const Error&) {
        given = request.query_value(name).has_value();
    }
    return given ? std::nullopt : fallback;
}

/// `Optional[UUID] = None`.
std::optional<std::string> optional_uuid(BodyFields& body, const std::string& name) {
    auto value = body.optional_text(name);
    if (value && !engine::is_uuid(*value)) {
        body.invalid(name, "Input should be a valid UUID");
        return std::nullopt;
    }
    return value;
}

/// `Optional[dict] = None`: the object as JSON text.
std::optional<std::string> optional_object(Request& request, BodyFields& body, const std::string& name) {
    try {
        const auto& json = request.json();
        if (!json.has(name) || json.isNull(name))
            return std::nullopt;
        const auto object = json.getObject(name);
        if (!object) {
            body.invalid(name, "Input should be a valid dictionary");
            return std::nullopt;
        }
        std::ostringstream text;
        object->stringify(text);
        return text.str();
    } catch (const Error&) {
        return std::nullopt; // no JSON body: no data
    }
}

} // namespace

engine::entities::NewEntity new_entity_body(Request& request, Kind kind) {
    BodyFields body(request);
    engine::entities::NewEntity fields;
    fields.name = body.required_text("name");
    if (kind == Kind::shot || kind == Kind::scene)
        fields.parent_id = optional_uuid(body, "sequence_id");
    else if (kind == Kind::sequence || kind == Kind::edit)
        fields.parent_id = optional_uuid(body, "episode_id");
    if (kind != Kind::scene) {
        const bool empty_default = kind == Kind::sequence || kind == Kind::episode || kind == Kind::edit;
        fields.description = text_or(request, body, "description",
                                     empty_default ? std::optional<std::string>("") : std::nullopt);
        fields.data = optional_object(request, body, "data");
    }
    if (kind == Kind::shot)
        fields.nb_frames = body.optional_integer("nb_frames");
    if (kind == Kind::episode)
        fields.status = text_or(request, body, "status", std::string("running"));
    if (kind == Kind::concept_art)
        if (const auto links = projects::array_member(request, body, "entity_concept_links"))
            for (std::size_t i = 0; i < links->size(); ++i) {
                const auto link = links->getObject(static_cast<unsigned>(i));
                if (!link)
                    body.invalid("entity_concept_links." + std::to_string(i), "Input should be a valid dictionary");
                else if (link->has("id"))
                    fields.concept_links.push_back(link->optValue<std::string>("id", ""));
            }
    body.check();
    return fields;
}

bool flag_of(const Request& request, const std::string& name) {
    auto value = request.query_value(name).value_or("false");
    for (auto& ch : value)
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return value == "true";
}

Reply with_tasks_reply(Request& request, Services& services, const engine::entities::WithTasksQuery& query) {
    (void)request;
    return streamed_reply(query.stream ? "application/x-ndjson" : "application/json",
                          [&pool = services.pool, query](const BodySink& sink) {
                              auto lease = pool.acquire();
                              engine::entities::write_with_tasks(*lease, query, sink, &pool);
                          });
}

void require_deleter(Request& request, engine::db::Connection& c, const engine::entities::Loaded& entity) {
    if (entity.created_by && *entity.created_by == request.caller().person_id)
        return;
    engine::access::check_subject(request.caller(), c,
                                  engine::access::load_subject(c, SubjectKind::project, entity.project_id),
                                  Check::manager);
}

} // namespace slate::api::entity_area
