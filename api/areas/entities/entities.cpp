// api/areas/entities/entities.cpp: what Zou's entities blueprint serves for any entity (its
// preview files, time spents, news, linked entities, new tasks), and the production's bulk
// deletion of entities.

#include "api/areas/entities/entity_common.h"
#include "api/areas/projects/project_bodies.h"
#include "api/body_fields.h"

#include "engine/access.h"
#include "engine/config.h"
#include "engine/db/connection.h"
#include "engine/db/pool.h"
#include "engine/entities/entity_reads.h"
#include "engine/entities/entity_task_creation.h"
#include "engine/production/production_common.h"
#include "engine/storage/deleted_files.h"
#include "engine/uuid.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

namespace slate::api::entity_area {
namespace {

namespace ent = engine::entities;
using engine::access::Check;
using engine::access::SubjectKind;

/// Any entity the caller may read: 404, then project access, then a vendor's assignment.
ent::Loaded readable_entity(Request& request, engine::db::Connection& c) {
    auto entity = ent::load_any(c, request.param("entity_id"));
    engine::access::require_project_access(request.caller(), c, entity.project_id);
    engine::access::require_entity_access(request.caller(), c, entity.project_id, entity.id);
    return entity;
}

Reply preview_files(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    return json_reply(200, ent::entity_preview_files_json(*lease, readable_entity(request, *lease).id));
}

Reply news(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    return json_reply(200, ent::entity_news_json(*lease, readable_entity(request, *lease).id));
}

Reply time_spents(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    return json_reply(200, ent::entity_time_spents_json(*lease, readable_entity(request, *lease).id));
}

/// GET /data/entities/<id>/entities-linked/with-tasks: what a concept is linked to, with tasks.
Reply linked_with_tasks(Request& request, Services& services) {
    ent::WithTasksQuery query;
    {
        auto lease = services.pool.acquire();
        query.linked_to = readable_entity(request, *lease).id;
    }
    query.caller_id = request.caller().person_id;
    return with_tasks_reply(request, services, query);
}

/// POST /data/entities/<id>/tasks {"task_type_ids": [...]}: vendors and clients refused.
Reply create_tasks(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    const auto entity = readable_entity(request, *lease);
    const std::string role = role_on(request, *lease, entity.project_id);
    if (role == "vendor" || role == "client")
        throw_forbidden();
    BodyFields body(request);
    const auto task_type_ids = projects::text_list(request, body, "task_type_ids");
    body.check();
    return json_reply(201, ent::create_entity_tasks(*lease, request.caller().person_id, entity.id, task_type_ids));
}

/// Zou's validation.validate_id_list: a JSON array of UUID strings.
std::vector<std::string> id_list(const Request& request) {
    Poco::Dynamic::Var parsed;
    try {
        Poco::JSON::Parser parser;
        parsed = parser.parse(request.body);
    } catch (const Poco::Exception&) {
    }
    if (parsed.type() != typeid(Poco::JSON::Array::Ptr))
        throw_wrong_parameter("Request body must be a JSON array.");
    std::vector<std::string> ids;
    for (const auto& item : *parsed.extract<Poco::JSON::Array::Ptr>()) {
        if (!item.isString() || !engine::is_uuid(item.extract<std::string>()))
            throw_wrong_parameter("Request body must only contain valid UUIDs.");
        ids.push_back(item.extract<std::string>());
    }
    return ids;
}

/// POST /actions/projects/<id>/delete-entities: each listed entity must be the caller's own or
/// the caller a manager of the project, checked for all before anything is removed.
Reply delete_entities(Request& request, Services& services) {
    const bool force = force_of(request);
    auto lease = services.pool.acquire();
    const auto project = engine::access::load_subject(*lease, SubjectKind::project, request.param("project_id"));
    const auto ids = id_list(request);
    for (const auto& id : ids) {
        std::optional<ent::Loaded> entity;
        try {
            entity = ent::load_any(*lease, id);
        } catch (const Error&) {
            continue;
        }
        if (!entity->created_by || *entity->created_by != request.caller().person_id)
            engine::access::check_subject(request.caller(), *lease, project, Check::manager);
    }
    engine::storage::DeletedFiles deleted;
    std::string removed = ent::remove_entities(*lease, request.caller().person_id, project.id, ids, force, deleted);
    engine::storage::remove_deleted_files(services.files, deleted, services.config.remove_files);
    return json_reply(200, std::move(removed));
}

} // namespace

RouteList entity_routes() {
    return {
        Route{Method::get, "/data/entities/{entity_id}/preview-files", Access::jwt, preview_files},
        Route{Method::get, "/data/entities/{entity_id}/time-spents", Access::jwt, time_spents},
        Route{Method::get, "/data/entities/{entity_id}/news", Access::jwt, news},
        Route{Method::get, "/data/entities/{entity_id}/entities-linked/with-tasks", Access::jwt, linked_with_tasks},
        Route{Method::post, "/data/entities/{entity_id}/tasks", Access::jwt, create_tasks},
        Route{Method::post, "/actions/projects/{project_id}/delete-entities", Access::jwt, delete_entities},
    };
}

} // namespace slate::api::entity_area
