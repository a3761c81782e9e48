#include "engine/production/production_common.h"

#include "engine/crud/crud_service.h"
#include "engine/crud/queries.h"
#include "engine/crud/values.h"
#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/json.h"
#include "engine/models/catalog.h"

namespace slate::engine::production {

std::string select_model_sql(std::string_view table_name, bool relations, std::string_view data_sql) {
    const models::Table& table = models::table(table_name);
    std::string sql = "SELECT t.*";
    if (!data_sql.empty()) {
        sql = "SELECT ";
        for (const auto& column : table.columns) {
            if (&column != &table.columns.front())
                sql += ", ";
            sql += column.name == "data" ? std::string(data_sql) + " AS data" : "t." + db::quote_identifier(column.name);
        }
    }
    if (relations)
        for (const auto& r : table.relations) {
            std::string ids;
            if (r.kind == models::Relation::Kind::many_to_many)
                ids = "SELECT array_agg(l." + db::quote_identifier(r.other_column) + "::text) FROM " +
                      db::quote_identifier(r.link_table) + " l WHERE l." + db::quote_identifier(r.own_column) +
                      " = t.id";
            else
                ids = "SELECT array_agg(x.id::text) FROM " + db::quote_identifier(r.target) + " x WHERE x." +
                      db::quote_identifier(r.foreign_key) + " = t.id";
            sql += ", COALESCE((" + ids + "), '{}'::text[]) AS " + db::quote_identifier(r.field);
        }
    return sql + " FROM " + db::quote_identifier(table.name) + " t";
}

void emit_project_update(db::Connection& c, const std::string& user_id, const std::string& project_id) {
    emit_project_event(c, "project:update", user_id, project_id, {});
}

void emit_project_event(db::Connection& c, const std::string& name, const std::string& user_id,
                        const std::string& project_id, const std::vector<std::pair<std::string, std::string>>& data) {
    JsonWriter out;
    out.begin_object();
    for (const auto& [key, value] : data)
        out.field(key, value);
    out.field("project_id", project_id).end_object();
    queries::insert_event(c, name, user_id, project_id, out.take());
}

std::string placeholder(std::size_t count) {
    std::string text(1, '$');
    text.append(std::to_string(count));
    return text;
}

std::string project_json(db::Connection& c, const std::string& project_id) {
    std::string json = crud::serialize_by_id(c, "projects", project_id, false);
    if (json.empty())
        throw_not_found(not_found_message);
    return json;
}

std::string vendor_visible_data(std::string_view entity_type, const std::string& person, std::string_view alias) {
    const std::string e(alias);
    return "(COALESCE(" + e + ".data, '{}'::jsonb) - ARRAY(SELECT md.field_name FROM metadata_descriptor md"
           " WHERE md.project_id = " + e + ".project_id AND md.entity_type = '" +
           std::string(entity_type) +
           "' AND EXISTS (SELECT 1 FROM department_metadata_descriptor_link dl WHERE dl.metadata_descriptor_id = "
           "md.id) AND NOT EXISTS (SELECT 1 FROM department_metadata_descriptor_link dl JOIN department_link pd"
           " ON pd.department_id = dl.department_id WHERE dl.metadata_descriptor_id = md.id AND pd.person_id = " +
           person + ")))";
}

} // namespace slate::engine::production
