#include "engine/crud/row_json.h"
#include "engine/people/person_name.h"

#include "engine/crud/values.h"
#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/json.h"
#include "engine/models/catalog.h"
#include "engine/serialize.h"

#include <algorithm>
#include <map>

namespace slate::engine::crud {
namespace {

using Extras = std::vector<std::pair<std::string, std::string>>;

const char* const minimal_person_fields[] = {"id",        "first_name", "last_name",     "has_avatar", "active",
                                             "studio_id", "role",       "desktop_login", "is_bot"};

bool is_minimal_person_field(std::string_view name) {
    return std::find(std::begin(minimal_person_fields), std::end(minimal_person_fields), name) !=
           std::end(minimal_person_fields);
}

/// Zou's build_short_person (the author embedded in a comment or a reply) as a jsonb
/// expression over person `p`.
const std::string short_person_sql =
    "jsonb_build_object('id', p.id::text, 'first_name', p.first_name, 'last_name', p.last_name, "
    "'full_name', " + people::full_name_sql("p") + ", 'has_avatar', p.has_avatar, 'role', p.role::text)";

/// The distinct non-null values of a column, as a PostgreSQL array literal.
std::string distinct_values(const db::Result& rows, std::string_view column) {
    const int index = rows.column_index(column);
    std::vector<std::string> values;
    if (index >= 0)
        for (int row = 0; row < rows.rows(); ++row)
            if (!rows.is_null(row, index))
                values.emplace_back(rows.get(row, index));
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    return array_literal(values);
}

/// id → JSON text, from a query whose first column is the id and second the JSON.
std::map<std::string, std::string, std::less<>> json_by_id(db::Connection& c, std::string_view sql,
                                                           const std::string& ids) {
    std::map<std::string, std::string, std::less<>> found;
    const auto result = c.exec(sql, {ids});
    for (int row = 0; row < result.rows(); ++row)
        found.emplace(std::string(result.get(row, 0)), std::string(result.get(row, 1)));
    return found;
}

/// For every row, the JSON of the row its column `key` names in `found`, else null.
void add_looked_up(std::vector<Extras>& extras, const db::Result& rows, std::string_view key,
                   const std::map<std::string, std::string, std::less<>>& found, const std::string& name) {
    const int index = rows.column_index(key);
    for (int row = 0; row < rows.rows(); ++row) {
        auto it = index >= 0 && !rows.is_null(row, index) ? found.find(rows.get(row, index)) : found.end();
        extras[row].emplace_back(name, it == found.end() ? "null" : it->second);
    }
}

/// A scalar relationship: the related row serialized whole (Zou's serialize_value calls the
/// related model's serialize()), or null. None of the related models has a scalar
/// relationship of its own, so one level is all there is.
void add_related_rows(db::Connection& c, const models::Relation& relation, const db::Result& rows,
                      std::vector<Extras>& extras) {
    const models::Table& target = models::table(relation.target);
    const auto related = c.exec("SELECT * FROM " + db::quote_identifier(target.name) + " WHERE id = ANY($1::uuid[])",
                                {distinct_values(rows, relation.foreign_key)});
    std::map<std::string, std::string, std::less<>> found;
    for (int row = 0; row < related.rows(); ++row) {
        JsonWriter out;
        out.begin_object();
        write_row_fields(out, related, row, {"type"});
        out.field("type", target.type_name);
        out.end_object();
        found.emplace(std::string(related.get(row, "id")), out.take());
    }
    add_looked_up(extras, rows, relation.foreign_key, found, relation.field);
}

/// Zou's CommentResource.clean_get_result, as an admin reads it: the author, the replies'
/// authors, and (with relations) the attachments as AttachmentFile.present() objects.
void add_comment_reading(db::Connection& c, const db::Result& rows, bool relations, std::vector<Extras>& extras) {
    add_looked_up(extras, rows, "person_id",
                  json_by_id(c, std::string("SELECT p.id::text, ") + short_person_sql +
                                    "::text FROM person p WHERE p.id = ANY($1::uuid[])",
                             distinct_values(rows, "person_id")),
                  "person");
    const std::string ids = distinct_values(rows, "id");
    // Replies get their author only when one of them names one (embed_reply_authors).
    const auto replies = json_by_id(c, std::string(R"(
        SELECT c.id::text, jsonb_agg(CASE WHEN jsonb_typeof(r.value) = 'object'
                   THEN r.value || jsonb_build_object('person',
                       (SELECT )") + short_person_sql + R"( FROM person p WHERE p.id::text = r.value->>'person_id'))
                   ELSE r.value END ORDER BY r.ordinality)::text
        FROM comment c, jsonb_array_elements(CASE WHEN jsonb_typeof(c.replies) = 'array'
                                                  THEN c.replies ELSE '[]' END) WITH ORDINALITY r
        WHERE c.id = ANY($1::uuid[])
          AND EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(c.replies) = 'array'
                                                              THEN c.replies ELSE '[]' END) x
                      WHERE jsonb_typeof(x) = 'object' AND COALESCE(x->>'person_id', '') <> '')
        GROUP BY c.id)",
                                    ids);
    const int id_column = rows.column_index("id");
    for (int row = 0; row < rows.rows(); ++row)
        if (auto it = replies.find(rows.get(row, id_column)); it != replies.end())
            extras[row].emplace_back("replies", it->second);
    if (!relations)
        return;
    const auto attachments = json_by_id(c, R"(
        SELECT comment_id::text, json_agg(json_build_object('id', id::text, 'name', name, 'extension', extension,
                                                            'size', size))::text
        FROM attachment_file WHERE comment_id = ANY($1::uuid[]) GROUP BY comment_id)",
                                        ids);
    for (int row = 0; row < rows.rows(); ++row) {
        auto it = attachments.find(rows.get(row, id_column));
        extras[row].emplace_back("attachment_files", it == attachments.end() ? "[]" : it->second);
    }
}

} // namespace

std::string base_entity_type_name(std::string_view name) {
    static const char* const temporal[] = {"Shot", "Sequence", "Edit", "Episode", "Scene", "Concept"};
    return std::find(std::begin(temporal), std::end(temporal), name) != std::end(temporal) ? std::string(name)
                                                                                            : "Asset";
}

RowShapes::RowShapes(db::Connection& c, const ModelDescriptor& model, const db::Result& rows, Answer answer,
                     bool relations)
    : m_type(model.schema().type_name), m_extras(rows.rows()) {
    if (rows.rows() == 0)
        return;
    if (model.table == "entity" && answer != Answer::serialized) {
        // EntitiesResource.all_entries and EntityResource.serialize_instance; a create's answer
        // is the plain serialize().
        const auto names = json_by_id(c, "SELECT id::text, name FROM entity_type WHERE id = ANY($1::uuid[])",
                                      distinct_values(rows, "entity_type_id"));
        const int type_column = rows.column_index("entity_type_id");
        for (int row = 0; row < rows.rows(); ++row) {
            auto it = names.find(rows.get(row, type_column));
            m_types.push_back(base_entity_type_name(it == names.end() ? "" : it->second));
        }
    }
    for (const auto& relation : model.schema().relations)
        if (relation.kind == models::Relation::Kind::many_to_one)
            add_related_rows(c, relation, rows, m_extras);
    if (model.table == "notification") { // Notification.serialize keeps its own type column
        const int type_column = rows.column_index("type");
        for (int row = 0; row < rows.rows(); ++row) {
            std::string value;
            append_json_string(value, rows.get(row, type_column));
            m_extras[row].emplace_back("notification_type", value);
        }
    }
    if (model.table == "project" && answer == Answer::get) { // ProjectResource.clean_get_result
        std::map<std::string, std::string, std::less<>> names;
        for (const auto& [id, name] :
             json_by_id(c, "SELECT id::text, name FROM project_status WHERE id = ANY($1::uuid[])",
                        distinct_values(rows, "project_status_id"))) {
            std::string value;
            append_json_string(value, name);
            names.emplace(id, value);
        }
        add_looked_up(m_extras, rows, "project_status_id", names, "project_status_name");
    }
    if (model.table == "comment" && answer == Answer::get)
        add_comment_reading(c, rows, relations, m_extras);
}

std::string_view RowShapes::type(int row) const {
    return m_types.empty() ? std::string_view(m_type) : std::string_view(m_types[row]);
}

const Extras& RowShapes::extras(int row) const {
    return m_extras[row];
}

std::vector<std::string> shape_tables(const ModelDescriptor& model) {
    if (model.table == "entity")
        return {"entity_type"};
    if (model.table == "project")
        return {"project_status"};
    if (model.table == "comment")
        return {"person", "attachment_file"};
    return {};
}

void write_object(JsonWriter& out, const ModelDescriptor& model, const db::Result& rows, int row, bool minimal_person,
                  const std::set<std::string>& fields, const RowShapes& shapes,
                  const std::function<void(JsonWriter&)>& extra) {
    const Extras& extras = shapes.extras(row);
    auto replaced = [&](std::string_view name) {
        return std::any_of(extras.begin(), extras.end(), [&](const auto& e) { return e.first == name; });
    };
    auto wanted = [&](std::string_view name) {
        if (std::find(model.hidden.begin(), model.hidden.end(), name) != model.hidden.end())
            return false;
        if (minimal_person && model.minimal_person_shape && !is_minimal_person_field(name) && name != "departments")
            return false;
        if (minimal_person &&
            std::find(model.admin_only.begin(), model.admin_only.end(), name) != model.admin_only.end())
            return false;
        return fields.empty() || fields.count(std::string(name)) || name == "id";
    };
    out.begin_object();
    for (int column = 0; column < rows.columns(); ++column) {
        const std::string_view name = rows.column_name(column);
        // serialize() sets "type" last, over a column of that name (a notification's).
        if (name == "type" || !wanted(name) || replaced(name))
            continue;
        out.key(name);
        write_value(out, rows, row, column);
    }
    for (const auto& [name, json] : extras)
        if (wanted(name))
            out.key(name).raw(json);
    if (model.table == "person") {
        if (minimal_person && rows.column_index("departments") < 0)
            out.key("departments").begin_array().end_array();
        if (fields.empty() || fields.count("full_name"))
            out.field("full_name", people::full_name(rows.get(row, "first_name"), rows.get(row, "last_name")));
    }
    out.field("type", shapes.type(row));
    if (extra)
        extra(out);
    out.end_object();
}

std::string object_json(db::Connection& c, const ModelDescriptor& model, const db::Result& rows, Answer answer,
                        bool relations, bool minimal_person, const std::function<void(JsonWriter&)>& extra) {
    const RowShapes shapes(c, model, rows, answer, relations);
    JsonWriter out;
    write_object(out, model, rows, 0, minimal_person, {}, shapes, extra);
    return out.take();
}

namespace {

const ModelDescriptor& descriptor_of(const std::string& collection) {
    const ModelDescriptor* model = find_descriptor(collection);
    if (!model)
        throw Error(ErrorKind::internal, "no collection " + collection);
    return *model;
}

} // namespace

std::string serialize_rows(db::Connection& c, const std::string& collection, const db::Result& rows) {
    const ModelDescriptor& model = descriptor_of(collection);
    const RowShapes shapes(c, model, rows, Answer::serialized, false);
    JsonWriter out;
    out.begin_array();
    for (int row = 0; row < rows.rows(); ++row)
        write_object(out, model, rows, row, false, {}, shapes);
    out.end_array();
    return out.take();
}

std::string serialize_row(db::Connection& c, const std::string& collection, const db::Result& rows, int row,
                          const std::function<void(JsonWriter&)>& extra) {
    const ModelDescriptor& model = descriptor_of(collection);
    const RowShapes shapes(c, model, rows, Answer::serialized, false);
    JsonWriter out;
    write_object(out, model, rows, row, false, {}, shapes, extra);
    return out.take();
}

} // namespace slate::engine::crud
