#include "engine/crud/crud_service.h"

#include "engine/access.h"
#include "engine/config.h"
#include "engine/crud/model_integrity.h"
#include "engine/crud/model_rules.h"
#include "engine/crud/list_filters.h"
#include "engine/crud/permissions.h"
#include "engine/review/comment_edits.h"
#include "engine/review/preview_files.h"
#include "engine/tasks/assignments.h"
#include "engine/tasks/task_comments.h"
#include "engine/tasks/task_review.h"
#include "engine/crud/values.h"
#include "engine/db/pool.h"
#include "engine/json.h"
#include "engine/models/catalog.h"
#include "engine/crud/queries.h"
#include "engine/crud/row_json.h"
#include "engine/serialize.h"
#include "engine/people/bots.h"
#include "engine/uuid.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <set>

namespace slate::engine::crud {
namespace {

using models::Column;
using models::Relation;
using models::Table;
using services::Identity;

constexpr int64_t records_per_page = 100; // NB_RECORDS_PER_PAGE

[[noreturn]] void malformed_id() {
    throw Error(ErrorKind::bad_request, "Malformed ID.", R"({"error":true,"message":"Malformed ID.","data":null})");
}

/// Zou's project-template routes answer their own 404 for a missing or malformed id.
void check_template_exists(db::Connection& c, const ModelDescriptor& model, const std::string& id) {
    if (model.table != "project_template")
        return;
    if (!is_uuid(id) || c.exec("SELECT 1 FROM project_template WHERE id = $1::uuid", {id}).rows() == 0) {
        JsonWriter body;
        body.begin_object().field("message", "Project template not found").end_object();
        throw Error(ErrorKind::not_found, "Project template not found", body.take());
    }
}

void check_id(const std::string& id) {
    if (!is_uuid(id))
        malformed_id();
}

RowFacts facts_of_row(db::Connection& c, const ModelDescriptor& model, const db::Result& row) {
    RowFacts facts;
    if (model.table == "project")
        facts.project_id = row.optional(0, "id");
    else if (row.column_index("project_id") >= 0)
        facts.project_id = row.optional(0, "project_id");
    else if (row.column_index("task_id") >= 0 && row.optional(0, "task_id")) // previews: their task's
        facts.project_id = queries::project_of_task(c, *row.optional(0, "task_id"));
    else if (row.column_index("entity_id") >= 0 && row.optional(0, "entity_id")) // output files: their entity's
        facts.project_id = queries::project_of_entity(c, *row.optional(0, "entity_id"));
    if (model.table == "person")
        facts.person_id = row.optional(0, "id");
    else if (row.column_index("person_id") >= 0)
        facts.person_id = row.optional(0, "person_id");
    return facts;
}

RowFacts facts_of_body(db::Connection& c, const ModelDescriptor& model, const Poco::JSON::Object& body) {
    auto id_member = [&](const std::string& key) -> std::optional<std::string> {
        if (!body.has(key) || body.isNull(key))
            return std::nullopt;
        return body.get(key).toString();
    };
    RowFacts facts;
    facts.project_id = id_member("project_id");
    facts.person_id = id_member(model.table == "person" ? "id" : "person_id");
    // A schedule version's task link: the production of its task (checked to be the version's).
    if (model.table == "production_schedule_version_task_link") {
        for (const char* key : {"production_schedule_version_id", "task_id"})
            if (!body.has(key)) // Zou reads them as data[key]: a KeyError's message
                throw_crud_error(std::string("'") + key + "'");
        const auto task = id_member("task_id");
        if (!task || !is_uuid(*task))
            throw_not_found(not_found_message); // Zou's get_task
        const auto found = c.exec("SELECT project_id FROM task WHERE id = $1::uuid", {*task});
        if (found.rows() == 0)
            throw_not_found(not_found_message);
        facts.project_id = found.optional(0, "project_id");
    }
    return facts;
}

/// Converts a body into column values and relationship id lists. Unknown keys are refused on
/// create (Zou's model constructor raises) and ignored on update.
struct BodyValues {
    queries::Assignments columns;
    std::vector<std::pair<const Relation*, std::vector<std::string>>> links;
};

std::vector<std::string> id_list(const Poco::Dynamic::Var& value) {
    std::vector<std::string> ids;
    if (value.type() != typeid(Poco::JSON::Array::Ptr))
        throw_crud_error(invalid_format_message);
    for (const auto& item : *value.extract<Poco::JSON::Array::Ptr>()) {
        std::string id;
        if (item.type() == typeid(Poco::JSON::Object::Ptr)) {
            const auto object = item.extract<Poco::JSON::Object::Ptr>();
            id = object->has("id") ? object->get("id").toString() : "";
        } else if (item.isString()) {
            id = item.extract<std::string>();
        }
        if (is_uuid(id))
            ids.push_back(id); // unknown or malformed ids are dropped, as Zou does
    }
    return ids;
}

BodyValues read_body(const ModelDescriptor& model, const Identity& caller, const Poco::JSON::Object& body,
                     bool creating) {
    const Table& table = model.schema();
    BodyValues result;
    for (const auto& [key, value] : body) {
        if (creating && (key == "id" || key == "created_at" || key == "updated_at"))
            continue;
        if (!creating && protected_on_update(model, caller, key))
            continue;
        if (const Column* column = table.column(key)) {
            result.columns.emplace_back(key, body_value(*column, value, !creating));
        } else if (const Relation* relation = table.relation(key)) {
            if (!relation->read_only) // backrefs and scalar relationships are only read
                result.links.emplace_back(relation, id_list(value));
        } else if (creating) {
            throw_crud_error("'" + key + "' is an invalid keyword argument for " + table.type_name);
        }
    }
    return result;
}

/// Zou's application defaults for the columns the client did not send: values (ids, the
/// configured time zone and locale) and SQL expressions (literals, the time now).
queries::Expressions fill_app_defaults(const Table& table, const Config& config, queries::Assignments& values) {
    queries::Expressions expressions;
    for (const Column& column : table.columns) {
        const bool given =
            std::any_of(values.begin(), values.end(), [&](const auto& v) { return v.first == column.name; });
        if (given)
            continue;
        using K = models::AppDefault::Kind;
        switch (column.app_default.kind) {
        case K::none: break;
        case K::uuid: values.emplace_back(column.name, new_uuid()); break;
        case K::now: expressions.emplace_back(column.name, "now() AT TIME ZONE 'utc'"); break;
        case K::default_timezone: values.emplace_back(column.name, config.default_timezone); break;
        case K::default_locale: values.emplace_back(column.name, config.default_locale); break;
        case K::sql: expressions.emplace_back(column.name, column.app_default.sql); break;
        }
    }
    return expressions;
}

/// Zou's CRUD answers database refusals with {"message": <sanitised text>}.
template <typename Body>
auto translating_db_errors(const ModelDescriptor& model, Body body) {
    try {
        return body();
    } catch (const db::DbError& e) {
        if (e.kind() != ErrorKind::bad_request)
            throw;
        if (model.table == "task" && e.sqlstate() == "23505")
            throw_crud_error("Task already exists.");
        throw_crud_error(e.what());
    }
}

/// The event of a change, as Zou's resources emit it: "<table-with-dashes>:<action>" with
/// {"<table>_id": id}, or for entities the typed name ("shot:new" with {"shot_id": id}); the
/// row's project_id, when it has one, goes into the data and the event row.
void emit_event(db::Connection& c, const ModelDescriptor& model, const Identity& caller, const db::Result& row,
                const std::string& action) {
    const std::string id(row.get(0, "id"));
    std::string kind = model.event_prefix();
    std::string key = model.table;
    if (model.table == "entity") {
        const auto type =
            c.exec("SELECT name FROM entity_type WHERE id = $1::uuid", {row.optional(0, "entity_type_id")});
        std::string name = base_entity_type_name(type.rows() ? type.get(0, 0) : "");
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
        kind = key = name;
    }
    const std::optional<std::string> project_id =
        row.column_index("project_id") >= 0 ? row.optional(0, "project_id") : std::nullopt;
    JsonWriter data;
    data.begin_object().field(key + "_id", id);
    if (project_id)
        data.field("project_id", *project_id);
    data.end_object();
    queries::insert_event(c, kind + ":" + action, caller.person_id, project_id, data.take());
}

/// The tables a row of `model` is read from: its own, and with `relations` those its relation
/// lists come from (link tables, or the related table for one-to-many). What a cached copy of
/// the row depends on.
std::vector<std::string> tables_read_by(const ModelDescriptor& model, bool relations) {
    std::vector<std::string> tables{model.table};
    if (relations)
        for (const auto& relation : model.schema().relations)
            tables.push_back(relation.kind == models::Relation::Kind::many_to_many ? relation.link_table
                                                                                   : relation.target);
    for (const auto& relation : model.schema().relations) // a related row is in every answer
        if (relation.kind == models::Relation::Kind::many_to_one)
            tables.push_back(relation.target);
    for (auto& table : shape_tables(model))
        tables.push_back(std::move(table));
    return tables;
}

} // namespace

void refuse_empty_data() {
    throw Error(ErrorKind::bad_request,
                "Data are empty. Please verify that you sent JSON data and that you set the right headers.",
                R"({"error":true,"message":"Data are empty. Please verify that you sent JSON data )"
                R"(and that you set the right headers.","data":null})");
}

CrudService::CrudService(const Config& config, db::Pool& pool) : m_config(config), m_pool(pool) {}

std::string CrudService::list(const ModelDescriptor& model, const Identity& caller, const QueryParams& query) {
    // The small reference lists every client loads first (and the persons and productions) are
    // kept per process while their tables (and the link tables their relations read) do not
    // change.
    static const std::set<std::string> reference_lists = {
        "task_status",   "task_type",         "entity_type", "department", "project_status",
        "custom_action", "status_automation", "studio",      "person",     "project"};
    if (!reference_lists.count(model.table))
        return list_rows(model, caller, query);
    // Their list rules read the caller's role only (everyone, admin), so the role is in the key.
    std::string key = model.table + "|" + caller.role;
    if (model.scope != Scope::all && caller.role != "admin")
        key += "|" + caller.person_id;
    std::vector<std::string> tables = tables_read_by(model, true);
    for (const char* scope_table : {"project_person_link", "project", "project_status"})
        tables.emplace_back(scope_table);
    for (const auto& [name, value] : query) // relation filters read link tables already listed
        key.append(1, '\0').append(name).append(1, '\0').append(value);
    db::ChangeFeed& feed = m_pool.changes();
    using ReferenceLists = db::VersionedCache<std::string>;
    return feed.slot<ReferenceLists>().get(&feed, key, tables, [&] { return list_rows(model, caller, query); });
}

std::string CrudService::list_rows(const ModelDescriptor& model, const Identity& caller, const QueryParams& query) {
    auto connection = m_pool.acquire();
    require(model.list, caller, *connection);
    const Table& table = model.schema();
    queries::Where where;
    add_scope(where, model, caller);
    for (const auto& [key, value] : query)
        if (key != "page" && key != "relations" && key != "fields" && key != "limit")
            add_query_filter(where, model, caller, key, value);
    // Zou's metadata descriptors list carries the relations when no parameter is given.
    const bool relations = query_true(query, "relations", model.table == "metadata_descriptor" && query.empty());
    std::set<std::string> fields;
    if (auto it = query.find("fields"); it != query.end()) {
        std::string list = it->second;
        for (std::size_t start = 0; start <= list.size();) {
            auto comma = list.find(',', start);
            if (comma == std::string::npos)
                comma = list.size();
            if (comma > start)
                fields.insert(list.substr(start, comma - start));
            start = comma + 1;
        }
    }
    const bool minimal = (model.minimal_person_shape || !model.admin_only.empty()) && caller.role != "admin";
    const bool paginated = query.count("page") > 0;
    const int64_t page = query_integer(query, "page", -1);
    const int64_t limit = query_integer(query, "limit", records_per_page);

    return translating_db_errors(model, [&] {
        std::optional<queries::Page> window;
        int64_t total = 0;
        if (paginated) {
            total = queries::count_rows(*connection, table, where);
            window = queries::Page{std::max<int64_t>(limit, 0),
                                   std::max<int64_t>(page - 1, 0) * std::max<int64_t>(limit, 0)};
        }
        JsonWriter out;
        if (paginated)
            out.begin_object().key("data");
        out.begin_array();
        if (!paginated || (page >= 1 && limit > 0 && window->offset <= total)) {
            const auto rows = queries::select_rows(*connection, table, relations, where, window, model.list_cap);
            const RowShapes shapes(*connection, model, rows, Answer::list, relations);
            for (int row = 0; row < rows.rows(); ++row)
                write_object(out, model, rows, row, minimal, fields, shapes);
        }
        out.end_array();
        if (paginated) {
            const int64_t nb_pages = limit > 0 ? static_cast<int64_t>(std::ceil(double(total) / double(limit))) : 0;
            out.field("total", total)
                .field("nb_pages", nb_pages)
                .field("limit", limit)
                .field("offset", window->offset)
                .field("page", page)
                .end_object();
        }
        return out.take();
    });
}

std::string CrudService::get(const ModelDescriptor& model, const Identity& caller, const std::string& id,
                             const QueryParams& query) {
    check_id(id);
    const bool relations = query_true(query, "relations", true);
    // A row read by id is kept (both shapes, and the facts its read rule needs) while its table
    // and the link tables of its relations do not change; the rule is checked every time.
    struct CachedRow {
        RowFacts facts;
        std::string full, minimal;
    };
    using RowsById = db::VersionedCache<std::optional<CachedRow>>;
    const std::vector<std::string> tables = tables_read_by(model, relations);
    db::ChangeFeed& feed = m_pool.changes();
    const std::string key = model.table + (relations ? "/r/" : "/-/") + id;
    const std::optional<CachedRow> row = feed.slot<RowsById>().get(&feed, key, tables, [&] {
        auto connection = m_pool.acquire();
        const auto rows = queries::select_by_id(*connection, model.schema(), id, relations);
        if (rows.rows() == 0)
            return std::optional<CachedRow>();
        auto json = [&](bool minimal) {
            return object_json(*connection, model, rows, Answer::get, relations, minimal);
        };
        return std::optional<CachedRow>(CachedRow{facts_of_row(*connection, model, rows), json(false),
                                                  model.minimal_person_shape || !model.admin_only.empty()
                                                      ? json(true)
                                                      : ""});
    });
    if (!row)
        throw_not_found(not_found_message);
    {
        auto connection = m_pool.acquire();
        require(model.read, caller, *connection, row->facts);
        if (model.table == "comment")
            tasks::require_comment_access(*connection, caller, id);
        if (!model.read_refused_roles.empty() && row->facts.project_id && caller.role != "admin") {
            const std::string role = access::effective_role(caller, *connection, *row->facts.project_id);
            if (std::find(model.read_refused_roles.begin(), model.read_refused_roles.end(), role) !=
                model.read_refused_roles.end())
                throw_forbidden();
        }
        // A vendor reads only the work assigned to them, by id as in the lists.
        if ((model.table == "task" || model.table == "entity" || model.table == "preview_file") &&
            row->facts.project_id && caller.role != "admin" &&
            access::effective_role(caller, *connection, *row->facts.project_id) == "vendor" &&
            !queries::assigned_work(*connection, model.table, id, caller.person_id))
            throw_forbidden();
    }
    const bool minimal =
        (!model.admin_only.empty() && caller.role != "admin") ||
        (model.minimal_person_shape && caller.role != "admin" && caller.role != "manager" && caller.person_id != id);
    return minimal ? row->minimal : row->full;
}

std::string CrudService::create(const ModelDescriptor& model, const Identity& caller, const Poco::JSON::Object& body) {
    if (body.size() == 0)
        refuse_empty_data();
    const Table& table = model.schema();
    auto connection = m_pool.acquire();
    if (model.table == "person") // Zou counts the user limit before the admin check
        check_integrity(model, m_config, body, true, *connection);
    require(model.create, caller, *connection, facts_of_body(*connection, model, body));
    // A project made from a template: the template's id is no column (Zou pops it).
    Poco::JSON::Object fields(body);
    const auto template_choice = model.table == "project" ? take_project_template(fields) : std::nullopt;
    fields = checked_body(model, fields, std::nullopt, *connection);
    if (model.table != "person")
        check_integrity(model, m_config, fields, true, *connection);
    BodyValues values = read_body(model, caller, fields, true);
    return translating_db_errors(model, [&] {
        db::Transaction tx(*connection);
        prepare_create(model, caller, m_config, *connection, values.columns);
        // A null sent for a column with an application default takes the default, as a
        // missing key does (SQLAlchemy applies defaults to None).
        std::erase_if(values.columns, [&](const auto& v) {
            const Column* column = table.column(v.first);
            return !v.second && column->app_default.kind != models::AppDefault::Kind::none;
        });
        const auto expressions = fill_app_defaults(table, m_config, values.columns);
        queries::insert_row(*connection, table, values.columns, expressions);
        const std::string id = *std::find_if(values.columns.begin(), values.columns.end(), [](const auto& v) {
                                    return v.first == "id";
                                })->second;
        for (const auto& [relation, ids] : values.links)
            queries::replace_links(*connection, *relation, id, ids);
        // A new bot gets its API token in the answer, as Zou's post_creation adds it.
        std::string bot_token;
        if (model.table == "person" &&
            connection->exec("SELECT is_bot FROM person WHERE id = $1::uuid", {id}).get_bool(0, "is_bot"))
            bot_token = services::issue_api_token(*connection, m_config, id);
        if (template_choice)
            apply_project_template(caller, *connection, id, *template_choice);
        // ProjectTemplatesResource answers the template's serialize(), without its link lists.
        const bool relations = model.table != "project_template";
        const auto rows = queries::select_by_id(*connection, table, id, relations);
        emit_event(*connection, model, caller, rows, "new");
        const auto extra = after_create(model, caller, *connection, id);
        tx.commit();
        return object_json(*connection, model, rows, Answer::serialized, relations, false, [&](JsonWriter& out) {
            if (!bot_token.empty())
                out.field("access_token", bot_token);
            for (const auto& [name, json] : extra)
                out.key(name).raw(json);
        });
    });
}

std::string CrudService::update(const ModelDescriptor& model, const Identity& caller, const std::string& id,
                                const Poco::JSON::Object& sent, std::vector<std::string>* notified) {
    if (model.table == "project_template")
        check_template_exists(*m_pool.acquire(), model, id);
    check_id(id);
    // An empty object changes nothing but updated_at, as in Zou (only no body at all is refused).
    const Table& table = model.schema();
    auto connection = m_pool.acquire();
    const auto before = queries::select_by_id(*connection, table, id, false);
    if (before.rows() == 0)
        throw_not_found(not_found_message);
    const bool comment = model.table == "comment";
    if (comment)
        services::require_comment_update(*connection, caller, id, sent);
    else if (!(model.table == "task" && caller.role != "admin" &&
               supervisor_may_update_task(caller, *connection, id, sent)))
        require_write(model, caller, *connection, before, facts_of_row(*connection, model, before), false);
    const Poco::JSON::Object body = checked_body(model, sent, id, *connection);
    check_integrity(model, m_config, body, false, *connection);
    BodyValues values = read_body(model, caller, body, false);
    return translating_db_errors(model, [&] {
        db::Transaction tx(*connection);
        std::optional<std::vector<std::string>> previous_assignees; // TaskResource.pre_update
        if (model.table == "task" && body.has("assignees"))
            previous_assignees = tasks::assignees_of(*connection, id);
        prepare_update(model, caller, *connection, id, values.columns);
        queries::update_row(*connection, table, id, values.columns);
        const std::string api_token = regenerates_api_token(model, values.columns)
                                          ? services::issue_api_token(*connection, m_config, id)
                                          : std::string();
        for (const auto& [relation, ids] : values.links)
            queries::replace_links(*connection, *relation, id, ids);
        std::vector<std::string> written;
        if (comment)
            written = services::follow_comment_update(*connection, id, before.optional(0, "task_status_id").value_or(""),
                                                      caller.person_id);
        else if (previous_assignees)
            written = tasks::announce_assignees_change(*connection, caller, id, *previous_assignees);
        if (notified)
            *notified = std::move(written);
        if (model.table == "day_off")
            remove_time_spents_under_day_off(*connection, id);
        // EntityResource answers with the relations (serialize_instance); the entity type's and
        // person's post_update add their one list (task_types, departments); others none.
        const bool relations = model.table == "entity" || model.table == "entity_type" || model.table == "person";
        const auto rows = queries::select_by_id(*connection, table, id, relations);
        emit_event(*connection, model, caller, rows, "update");
        tx.commit();
        return object_json(*connection, model, rows, Answer::update, relations, false, [&](JsonWriter& out) {
            if (!api_token.empty())
                out.field("access_token", api_token);
        });
    });
}

storage::DeletedFiles CrudService::remove(const ModelDescriptor& model, const Identity& caller, const std::string& id,
                                          const QueryParams& query) {
    const Table& table = model.schema();
    auto connection = m_pool.acquire();
    check_template_exists(*connection, model, id);
    check_id(id);
    const auto before = queries::select_by_id(*connection, table, id, false);
    if (before.rows() == 0)
        throw_not_found(not_found_message);
    storage::DeletedFiles deleted;
    // CommentResource.delete: Zou's remove_comment, the task replayed. A comment on something
    // else than a task (Zou: 404) falls to the generic delete, for admins.
    const auto task = model.table == "comment" ? before.optional(0, "object_id") : std::nullopt;
    if (const auto project = task ? queries::project_of_task(*connection, *task) : std::nullopt) {
        tasks::require_comment_removal(*connection, caller, *project, before.optional(0, "person_id").value_or(""));
        tasks::remove_task_comment(*connection, id, deleted);
        return deleted;
    }
    require_write(model, caller, *connection, before, facts_of_row(*connection, model, before), true);
    check_delete(model, caller, *connection, id);
    const bool force = model.allow_force_delete && query_true(query, "force", false);
    deleted.previews_forced = force && (model.table == "project" || model.table == "preview_file");
    if (model.table == "preview_file" && before.optional(0, "task_id")) { // Zou's remove_preview_file
        services::remove_preview_file(*connection, id, deleted);
        return deleted;
    }
    translating_db_errors(model, [&] {
        db::Transaction tx(*connection);
        emit_event(*connection, model, caller, before, "delete");
        if (force) {
            queries::delete_cascade(*connection, table, {id}, deleted);
        } else {
            queries::gather_stored_files(*connection, table.name, {id}, deleted);
            queries::delete_row(*connection, table, id);
        }
        tx.commit();
        return 0;
    });
    return deleted;
}

std::string serialize_by_id(db::Connection& c, const std::string& collection, const std::string& id, bool relations) {
    const ModelDescriptor* model = find_descriptor(collection);
    if (!model)
        throw Error(ErrorKind::internal, "no collection " + collection);
    if (!is_uuid(id))
        return {};
    const auto rows = queries::select_by_id(c, model->schema(), id, relations);
    if (rows.rows() == 0)
        return {};
    return object_json(c, *model, rows, Answer::serialized, relations, false);
}

} // namespace slate::engine::crud
