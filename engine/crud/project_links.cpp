#include "engine/crud/project_links.h"

#include "engine/crud/permissions.h"
#include "engine/crud/values.h"
#include "engine/db/pool.h"
#include "engine/json.h"
#include "engine/models/catalog.h"
#include "engine/crud/queries.h"
#include "engine/crud/project_link_queries.h"
#include "engine/serialize.h"
#include "engine/people/auth_service.h"
#include "engine/uuid.h"

#include <Poco/JSON/Array.h>

#include <vector>

namespace slate::engine::crud {
namespace {

using queries::ProjectLink;

void write_rows(JsonWriter& out, const db::Result& rows, const std::string& table) {
    const std::string type = models::table(table).type_name;
    for (int row = 0; row < rows.rows(); ++row) {
        out.begin_object();
        write_row_fields(out, rows, row);
        out.field("type", type);
        out.end_object();
    }
}

/// ArgsMixin's reading of a required id argument.
std::string required_id(const Poco::JSON::Object& body, const std::string& name) {
    const std::string value = optional_string(body, name);
    if (value.empty())
        throw Error(ErrorKind::bad_request, "Missing required parameter: " + name,
                    R"({"error":true,"message":"Missing required parameter: )" + name + R"(","data":null})");
    return value;
}

db::Param priority_of(const Poco::JSON::Object& body) {
    if (!body.has("priority") || body.isNull("priority"))
        return std::string("1");
    const auto value = body.get("priority");
    try {
        return std::to_string(value.convert<int>());
    } catch (const Poco::Exception&) {
        throw Error(ErrorKind::bad_request, "Wrong value for parameter priority.");
    }
}

/// Clients read project settings through the project: Zou tells them to refetch it.
void notify_project_change(db::Connection& c, const services::Identity& caller, const std::string& project_id) {
    JsonWriter data;
    data.begin_object().field("project_id", project_id).end_object();
    queries::insert_event(c, "project:update", caller.person_id, project_id, data.take());
}

std::string link(db::Pool& pool, const services::Identity& caller, const Poco::JSON::Object& body, ProjectLink kind) {
    const char* target = kind == ProjectLink::task_type ? "task_type_id" : "task_status_id";
    const std::string project_id = required_id(body, "project_id");
    const std::string target_id = optional_string(body, target);
    if (!is_uuid(project_id))
        throw_wrong_parameter("Wrong UUID format.");
    auto connection = pool.acquire();
    require_manager_project_access(caller, *connection, project_id);
    if (!is_uuid(target_id))
        throw Error(ErrorKind::bad_request, std::string(target) + " is required and must be a valid UUID");
    db::Param roles;
    if (kind == ProjectLink::task_status && body.has("roles_for_board") && !body.isNull("roles_for_board")) {
        const auto value = body.get("roles_for_board");
        std::vector<std::string> items;
        if (value.type() == typeid(Poco::JSON::Array::Ptr))
            for (const auto& item : *value.extract<Poco::JSON::Array::Ptr>())
                items.push_back(item.toString());
        else
            items.push_back(value.toString());
        roles = array_literal(items);
    } else if (kind == ProjectLink::task_status) {
        roles = std::string("{}"); // Zou's argument default: an empty list
    }
    try {
        db::Transaction tx(*connection);
        const auto row =
            queries::upsert_project_link(*connection, kind, project_id, target_id, priority_of(body), roles);
        notify_project_change(*connection, caller, project_id);
        tx.commit();
        JsonWriter out;
        write_rows(out, row, kind == ProjectLink::task_type ? "project_task_type_link" : "project_task_status_link");
        return out.take();
    } catch (const db::DbError& e) {
        if (e.kind() == ErrorKind::bad_request)
            throw_crud_error(e.what());
        throw;
    }
}

std::vector<std::string> id_list_body(const Poco::JSON::Object& body, const std::string& key) {
    if (!body.has(key) || body.get(key).type() != typeid(Poco::JSON::Array::Ptr))
        throw_wrong_parameter("Request body must be a JSON object with a '" + key + "' list.");
    std::vector<std::string> ids;
    for (const auto& item : *body.getArray(key))
        ids.push_back(item.toString());
    return ids;
}

std::string reorder_links(db::Pool& pool, const services::Identity& caller, const std::string& project_id,
                          const Poco::JSON::Object& body, ProjectLink kind) {
    if (!is_uuid(project_id))
        throw_wrong_parameter("Wrong UUID format.");
    auto connection = pool.acquire();
    require_manager_project_access(caller, *connection, project_id);
    const auto ids = id_list_body(body, kind == ProjectLink::task_type ? "task_type_ids" : "task_status_ids");
    const std::string table = kind == ProjectLink::task_type ? "project_task_type_link" : "project_task_status_link";
    db::Transaction tx(*connection);
    JsonWriter out;
    out.begin_array();
    int priority = 0;
    for (const auto& id : ids) {
        ++priority; // the position counts even when the id matches no link, as in Zou
        if (is_uuid(id))
            write_rows(out, queries::set_project_link_priority(*connection, kind, project_id, id, priority), table);
    }
    out.end_array();
    notify_project_change(*connection, caller, project_id);
    tx.commit();
    return out.take();
}

} // namespace

std::string link_task_type(db::Pool& pool, const services::Identity& caller, const Poco::JSON::Object& body) {
    return link(pool, caller, body, ProjectLink::task_type);
}

std::string link_task_status(db::Pool& pool, const services::Identity& caller, const Poco::JSON::Object& body) {
    return link(pool, caller, body, ProjectLink::task_status);
}

std::string reorder_project_task_types(db::Pool& pool, const services::Identity& caller, const std::string& project_id,
                                       const Poco::JSON::Object& body) {
    return reorder_links(pool, caller, project_id, body, ProjectLink::task_type);
}

std::string reorder_project_task_statuses(db::Pool& pool, const services::Identity& caller,
                                          const std::string& project_id, const Poco::JSON::Object& body) {
    return reorder_links(pool, caller, project_id, body, ProjectLink::task_status);
}

std::string reorder_task_types(db::Pool& pool, const services::Identity& caller, const Poco::JSON::Object& body) {
    if (caller.role != "admin")
        throw_forbidden();
    const auto ids = id_list_body(body, "task_type_ids");
    auto connection = pool.acquire();
    db::Transaction tx(*connection);
    JsonWriter out;
    out.begin_array();
    int priority = 0;
    for (const auto& id : ids) {
        ++priority;
        if (is_uuid(id))
            write_rows(out, queries::set_task_type_priority(*connection, id, priority), "task_type");
    }
    out.end_array();
    tx.commit();
    return out.take();
}

} // namespace slate::engine::crud
