// engine/crud/list_filters.cpp: how a /data/<collection> list reads its query string (Zou's
// apply_criterions_to_db_query and pagination arguments) and whom it is narrowed to.
#include "engine/crud/list_filters.h"

#include "engine/crud/model_rules.h"
#include "engine/crud/queries.h"
#include "engine/crud/values.h"
#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/models/catalog.h"
#include "engine/people/auth_service.h"
#include "engine/uuid.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>

namespace slate::engine::crud {
namespace {

using models::Column;
using models::Relation;
using models::Table;
using services::Identity;

/// The values of a list filter: one value, or a JSON array of them.
std::vector<std::string> filter_values(const std::string& key, const std::string& raw) {
    if (raw.empty() || raw.front() != '[')
        return {raw};
    std::vector<std::string> values;
    try {
        Poco::JSON::Parser parser;
        const auto parsed = parser.parse(raw);
        for (const auto& item : *parsed.extract<Poco::JSON::Array::Ptr>())
            values.push_back(item.convert<std::string>());
    } catch (const std::exception&) {
        throw Error(ErrorKind::bad_request, "Malformed list filter for field " + key + ".");
    }
    return values;
}

} // namespace

bool query_true(const QueryParams& query, const std::string& name, bool fallback) {
    auto it = query.find(name);
    if (it == query.end())
        return fallback;
    std::string value = it->second;
    std::transform(value.begin(), value.end(), value.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    return value == "true";
}

int64_t query_integer(const QueryParams& query, const std::string& name, int64_t fallback) {
    auto it = query.find(name);
    if (it == query.end())
        return fallback;
    try {
        std::size_t used = 0;
        const int64_t value = std::stoll(it->second, &used);
        if (used != it->second.size())
            throw std::invalid_argument(name);
        return value;
    } catch (const std::exception&) {
        throw Error(ErrorKind::bad_request, name + " must be an integer.");
    }
}

void add_query_filter(queries::Where& where, const ModelDescriptor& model, const Identity& caller,
                      const std::string& key, const std::string& raw) {
    const Table& table = model.schema();
    const bool hidden = std::find(model.hidden.begin(), model.hidden.end(), key) != model.hidden.end() ||
                        (caller.role != "admin" && !filterable_by_non_admin(model, key));
    if (const Column* column = table.column(key)) {
        if (hidden)
            throw Error(ErrorKind::bad_request, "Filtering on " + key + " is not allowed.");
        const auto values = filter_values(key, raw);
        const std::string target = "t." + db::quote_identifier(key);
        if (raw.size() && raw.front() == '[') {
            std::vector<std::string> checked;
            for (const auto& v : values)
                checked.push_back(filter_value(*column, v));
            where.add(target + " = ANY(" + where.param(array_literal(checked)) + "::" + column->sql_type + "[])");
        } else if (key == "name") {
            where.add(target + " ILIKE " + where.param(raw)); // Zou: case-insensitive, % kept
        } else {
            where.add(target + " = " + where.param(filter_value(*column, raw)) + "::" + column->sql_type);
        }
        return;
    }
    if (const Relation* relation = table.relation(key); relation && relation->kind == Relation::Kind::many_to_many) {
        if (!is_uuid(raw))
            throw Error(ErrorKind::bad_request, "Invalid UUID value: " + raw);
        where.reads(relation->link_table);
        where.add("EXISTS (SELECT 1 FROM " + db::quote_identifier(relation->link_table) + " l WHERE l." +
                  db::quote_identifier(relation->own_column) + " = t.id AND l." +
                  db::quote_identifier(relation->other_column) + " = " + where.param(raw) + "::uuid)");
    }
    // Anything else is not a model attribute: ignored, as Zou does.
}

void add_scope(queries::Where& where, const ModelDescriptor& model, const Identity& caller) {
    if (caller.role == "admin" || model.scope == Scope::all)
        return;
    const std::string me = where.param(caller.person_id);
    const std::string projects = model.scope == Scope::team_projects ? queries::team_projects_sql(me)
                                                                     : queries::open_team_projects_sql(me);
    if (model.table == "project") {
        where.add("t.id IN " + projects);
    } else if (model.schema().column("project_id")) {
        where.add("t.project_id IN " + projects);
    } else if (model.schema().column("entity_id")) { // working and output files: their entity's
        where.add("t.entity_id IN (SELECT x.id FROM entity x WHERE x.project_id IN " + projects + ")");
        where.reads("entity");
    } else { // previews: their production is their task's
        where.add("t.task_id IN (SELECT x.id FROM task x WHERE x.project_id IN " + projects + ")");
        where.reads("task");
    }
    for (const char* table : {"project_person_link", "project", "project_status"})
        where.reads(table);
    if (caller.role != "vendor")
        return;
    // Vendors see only the work assigned to them (Zou's build_assignee_filter). Zou's entity list
    // joins that filter's task on the project, not on the entity: a vendor with any assigned task
    // in a production lists all of its entities (reading one by id still needs an assigned task).
    const std::string assigned = "EXISTS (SELECT 1 FROM task x JOIN task_person_link a ON a.task_id = x.id "
                                 "WHERE a.person_id = " + me + "::uuid AND ";
    if (model.table == "task")
        where.add(assigned + "x.id = t.id)");
    else if (model.table == "entity")
        where.add(assigned + "x.project_id = t.project_id)");
    else if (model.table == "preview_file")
        where.add(assigned + "x.id = t.task_id)");
    else
        return;
    for (const char* table : {"task", "task_person_link"})
        where.reads(table);
}

} // namespace slate::engine::crud
