// api/areas/assets/casting.cpp: the breakdown: an entity's casting (read and replaced), a
// whole production's, a sequence's, the episodes', an asset type's; where an asset is cast;
// a production's entity links (Zou's breakdown blueprint, and the casting routes of the assets
// blueprint).

#include "api/areas/assets/asset_routes.h"
#include "api/areas/projects/project_bodies.h"
#include "api/streamed_reply.h"

#include "engine/access.h"
#include "engine/crud/permissions.h"
#include "engine/db/pool.h"
#include "engine/json.h"
#include "engine/production/asset_instances.h"
#include "engine/production/assets.h"
#include "engine/production/casting.h"
#include "engine/production/production_common.h"
#include "engine/uuid.h"

#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

namespace slate::api::assets {
namespace {

namespace production = engine::production;
using engine::access::Check;
using engine::access::SubjectKind;

/// The request body parsed with its members in the order sent (empty Var when it is no JSON).
Poco::Dynamic::Var parsed_body(const Request& request) {
    try {
        Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
        return parser.parse(request.body);
    } catch (const std::exception&) {
        return {};
    }
}

/// A casting list as update_casting reads it: asset_id, nb_occurences, label ("" when absent).
std::vector<production::CastItem> cast_items(const Poco::JSON::Array& list) {
    std::vector<production::CastItem> items;
    for (unsigned index = 0; index < list.size(); ++index) {
        const auto object = list.getObject(index);
        if (!object)
            throw_wrong_parameter("A casting entry must be an object.");
        production::CastItem item;
        if (object->has("asset_id")) {
            const auto id = object->get("asset_id");
            if (!id.isString())
                throw_wrong_parameter("Wrong asset id format: " + id.toString());
            item.asset_id = id.toString();
        }
        if (object->has("nb_occurences")) {
            const auto nb = object->get("nb_occurences");
            if (!nb.isInteger())
                throw_wrong_parameter("nb_occurences must be an integer.");
            item.nb_occurences = nb.convert<long long>();
        }
        if (object->has("label") && !object->isNull("label"))
            item.label = object->get("label").toString();
        items.push_back(std::move(item));
    }
    return items;
}

std::string compact_json(const Poco::Dynamic::Var& value) {
    std::ostringstream text;
    Poco::JSON::Stringifier::condense(value, text);
    return text.str();
}

Reply asset_assets(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    const auto asset = readable_asset(request, *lease);
    return json_reply(200, production::entity_casting_assets_json(*lease, asset.id));
}

Reply asset_cast_in(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    const auto asset = readable_asset(request, *lease);
    return json_reply(200, production::cast_in_json(*lease, asset.id));
}

Reply asset_casting(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    const auto asset = readable_asset(request, *lease);
    return json_reply(200, production::casting_json(*lease, asset.id));
}

Reply put_asset_casting(Request& request, Services& services) {
    const auto body = parsed_body(request);
    if (body.type() != typeid(Poco::JSON::Array::Ptr))
        throw_wrong_parameter("Request body must be a JSON array.");
    const auto items = cast_items(*body.extract<Poco::JSON::Array::Ptr>());
    auto lease = services.pool.acquire();
    const auto asset = production::asset_or_404(*lease, request.param("asset_id"));
    engine::crud::require_manager_project_access(request.caller(), *lease, asset.project_id);
    production::update_casting(*lease, request.caller().person_id, asset.id, items);
    return json_reply(200, compact_json(body));
}

/// Breakdown reads: project access (the route checks it), and no vendor.
void refuse_vendor(Request& request, engine::db::Connection& c) {
    if (is_vendor(request, c, request.subject().project_id))
        throw_forbidden();
}

/// The entity of the path, which must belong to the path's production (403 otherwise).
production::EntityRef entity_of_project(Request& request, engine::db::Connection& c, const std::string& param) {
    auto entity = production::entity_or_404(c, request.param(param));
    if (entity.project_id != request.param("project_id"))
        throw_forbidden();
    return entity;
}

Reply entity_casting(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    refuse_vendor(request, *lease);
    const auto entity = entity_of_project(request, *lease, "entity_id");
    return json_reply(200, production::casting_json(*lease, entity.id));
}

Reply put_entity_casting(Request& request, Services& services) {
    const auto body = parsed_body(request);
    if (body.type() != typeid(Poco::JSON::Array::Ptr))
        throw Error(ErrorKind::bad_request, "Request body must be a JSON array",
                    R"({"error":true,"message":"Request body must be a JSON array"})");
    const auto items = cast_items(*body.extract<Poco::JSON::Array::Ptr>());
    auto lease = services.pool.acquire();
    engine::crud::require_manager_project_access(request.caller(), *lease, request.param("project_id"));
    const auto entity = entity_of_project(request, *lease, "entity_id");
    production::update_casting(*lease, request.caller().person_id, entity.id, items);
    return json_reply(200, compact_json(body));
}

/// EntitiesCastingResource: {entity_id: casting, …}, every entity checked before any write.
Reply put_entities_casting(Request& request, Services& services) {
    static const std::string refusal = "Request body must be a JSON object mapping entity ids to casting arrays";
    const auto body = parsed_body(request);
    if (body.type() != typeid(Poco::JSON::Object::Ptr))
        throw Error(ErrorKind::bad_request, refusal, R"({"error":true,"message":")" + refusal + "\"}");
    const auto castings = body.extract<Poco::JSON::Object::Ptr>();
    std::vector<std::pair<std::string, std::vector<production::CastItem>>> updates;
    for (const auto& name : castings->getNames()) {
        const auto list = castings->getArray(name);
        if (!list)
            throw Error(ErrorKind::bad_request, refusal, R"({"error":true,"message":")" + refusal + "\"}");
        updates.emplace_back(name, cast_items(*list));
    }
    auto lease = services.pool.acquire();
    engine::crud::require_manager_project_access(request.caller(), *lease, request.param("project_id"));
    for (const auto& [entity_id, items] : updates)
        if (production::entity_or_404(*lease, entity_id).project_id != request.param("project_id"))
            throw_forbidden();
    engine::db::Transaction transaction(*lease);
    engine::JsonWriter out;
    out.begin_object();
    for (const auto& [entity_id, items] : updates) {
        production::update_casting(*lease, request.caller().person_id, entity_id, items);
        out.key(entity_id).raw(compact_json(castings->get(entity_id)));
    }
    out.end_object();
    transaction.commit();
    return json_reply(200, out.take());
}

Reply episodes_casting(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    refuse_vendor(request, *lease);
    return streamed_reply("application/json",
                          [&pool = services.pool, project = request.subject().project_id](const BodySink& sink) {
                              auto casting_lease = pool.acquire();
                              production::write_episodes_casting(*casting_lease, project, sink);
                          });
}

/// SequenceAllCastingResource and EpisodeSequenceAllCastingResource: the whole production's
/// casting (or an episode's), streamed.
Reply all_sequences_casting(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    refuse_vendor(request, *lease);
    std::optional<std::string> episode;
    if (request.path_params.count("episode_id")) {
        episode = request.param("episode_id");
        if (*episode != "main" && !engine::is_uuid(*episode))
            throw_not_found(not_found_message);
    }
    const std::string project = request.subject().project_id;
    return streamed_reply("application/json", [&pool = services.pool, project, episode](const BodySink& sink) {
        auto casting_lease = pool.acquire();
        production::write_sequence_casting(*casting_lease, std::nullopt, project, episode, sink);
    });
}

Reply sequence_casting(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    refuse_vendor(request, *lease);
    const std::string sequence = request.param("sequence_id");
    if (production::project_of_typed_entity(*lease, sequence, "Sequence") != request.subject().project_id)
        throw_forbidden();
    return streamed_reply("application/json", [&pool = services.pool, sequence](const BodySink& sink) {
        auto casting_lease = pool.acquire();
        production::write_sequence_casting(*casting_lease, sequence, std::nullopt, std::nullopt, sink);
    });
}

Reply asset_type_casting(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    refuse_vendor(request, *lease);
    production::asset_type_json(*lease, request.param("asset_type_id")); // 404 when no asset type
    return streamed_reply("application/json", [&pool = services.pool, project = request.subject().project_id,
                                               asset_type = request.param("asset_type_id")](const BodySink& sink) {
        auto casting_lease = pool.acquire();
        production::write_asset_type_casting(*casting_lease, project, asset_type, sink);
    });
}

long long integer_parameter(const Request& request, const std::string& name, long long fallback) {
    const auto value = request.query_value(name);
    if (!value)
        return fallback;
    try {
        std::size_t used = 0;
        const long long number = std::stoll(*value, &used);
        if (used == value->size())
            return number;
    } catch (const std::exception&) {
    }
    throw_wrong_parameter(name + " must be an integer.");
}

Reply entity_links(Request& request, Services& services) {
    const long long page = integer_parameter(request, "page", -1);
    const long long limit = integer_parameter(request, "limit", 0);
    auto lease = services.pool.acquire();
    engine::crud::require_manager_project_access(request.caller(), *lease, request.param("project_id"));
    const auto project = engine::access::load_subject(*lease, SubjectKind::project, request.param("project_id"));
    return json_reply(200, production::project_entity_links_json(*lease, project.id, page, limit,
                                                                 request.query_value("cursor_created_at")));
}

Reply delete_entity_link(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    engine::crud::require_manager_project_access(request.caller(), *lease, request.param("project_id"));
    const auto [link_id, project_id] = production::entity_link_or_404(*lease, request.param("entity_link_id"));
    if (project_id != request.param("project_id"))
        throw_forbidden();
    return json_reply(200, production::remove_entity_link(*lease, link_id));
}

} // namespace

RouteList casting_routes() {
    RouteList routes;
    auto add = [&routes](Method method, std::string path, Handler handler) {
        routes.push_back(Route{method, std::move(path), Access::jwt, std::move(handler)});
    };
    auto project_read = [&routes](std::string path, Handler handler) {
        routes.push_back(Route{Method::get, std::move(path), Access::jwt, std::move(handler)}.loads(
            SubjectKind::project, "project_id", Check::project_access));
    };
    const std::string asset = "/data/assets/{asset_id}";
    const std::string project = "/data/projects/{project_id}";
    add(Method::get, asset + "/assets", asset_assets);
    add(Method::get, asset + "/cast-in", asset_cast_in);
    add(Method::get, asset + "/casting", asset_casting);
    add(Method::put, asset + "/casting", put_asset_casting);
    project_read(project + "/entities/{entity_id}/casting", entity_casting);
    add(Method::put, project + "/entities/{entity_id}/casting", put_entity_casting);
    add(Method::put, project + "/entities/casting", put_entities_casting);
    project_read(project + "/episodes/casting", episodes_casting);
    project_read(project + "/sequences/all/casting", all_sequences_casting);
    project_read(project + "/episodes/{episode_id}/sequences/all/casting", all_sequences_casting);
    project_read(project + "/sequences/{sequence_id}/casting", sequence_casting);
    project_read(project + "/asset-types/{asset_type_id}/casting", asset_type_casting);
    add(Method::get, project + "/entity-links", entity_links);
    add(Method::del, project + "/entity-links/{entity_link_id}", delete_entity_link);
    return routes;
}

} // namespace slate::api::assets
