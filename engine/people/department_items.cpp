#include "engine/people/department_items.h"

#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/json.h"
#include "engine/serialize.h"
#include "engine/uuid.h"

namespace slate::engine::people {
namespace {

/// The item table, Zou's model names, and the link table and its column.
struct ItemTables {
    const char* table;
    const char* model;
    const char* link_table;
    const char* link_column;
    const char* link_model;
};

ItemTables tables_of(DepartmentItem kind) {
    if (kind == DepartmentItem::software)
        return {"software", "Software", "software_department_link", "software_id", "SoftwareDepartmentLink"};
    return {"hardware_item", "HardwareItem", "hardware_item_department_link", "hardware_item_id",
            "HardwareItemDepartmentLink"};
}

/// Zou's _check_*_exists: 404 when the row is absent (or its id malformed).
void require_row(db::Connection& c, const char* table, const std::string& id) {
    if (!is_uuid(id) ||
        c.exec("SELECT 1 FROM " + db::quote_identifier(table) + " WHERE id = $1::uuid", {id}).rows() == 0)
        throw_not_found(not_found_message);
}

std::string items_sql(const ItemTables& tables) {
    return "SELECT x.*, l.department_id AS link_department_id FROM " + db::quote_identifier(tables.table) + " x JOIN " +
           db::quote_identifier(tables.link_table) + " l ON l." + db::quote_identifier(tables.link_column) + " = x.id";
}

void write_item(JsonWriter& out, const db::Result& rows, int row, const ItemTables& tables) {
    out.begin_object();
    write_row_fields(out, rows, row, {"link_department_id"});
    out.field("type", tables.model).end_object();
}

} // namespace

std::string all_department_items_json(db::Connection& c, DepartmentItem kind) {
    const ItemTables tables = tables_of(kind);
    const auto rows = c.exec(items_sql(tables) + " ORDER BY l.department_id, x.name, x.id");
    JsonWriter out;
    out.begin_object();
    std::string department;
    for (int row = 0; row < rows.rows(); ++row) {
        const std::string current(rows.get(row, "link_department_id"));
        if (current != department) {
            if (!department.empty())
                out.end_array();
            out.key(current).begin_array();
            department = current;
        }
        write_item(out, rows, row, tables);
    }
    if (!department.empty())
        out.end_array();
    out.end_object();
    return out.take();
}

std::string department_items_json(db::Connection& c, const std::string& department_id, DepartmentItem kind) {
    require_row(c, "department", department_id);
    const ItemTables tables = tables_of(kind);
    const auto rows =
        c.exec(items_sql(tables) + " WHERE l.department_id = $1::uuid ORDER BY x.name, x.id", {department_id});
    JsonWriter out;
    out.begin_array();
    for (int row = 0; row < rows.rows(); ++row)
        write_item(out, rows, row, tables);
    out.end_array();
    return out.take();
}

std::string add_department_item(db::Connection& c, const std::string& department_id, DepartmentItem kind,
                                const std::string& item_id) {
    const ItemTables tables = tables_of(kind);
    require_row(c, "department", department_id);
    require_row(c, tables.table, item_id);
    const std::string link = db::quote_identifier(tables.link_table);
    const std::string column = db::quote_identifier(tables.link_column);
    db::Transaction tx(c);
    c.exec("INSERT INTO " + link + " (id, department_id, " + column + ", created_at, updated_at)" +
               " VALUES ($1::uuid, $2::uuid, $3::uuid, now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc')" +
               " ON CONFLICT DO NOTHING",
           {new_uuid(), department_id, item_id});
    const auto rows = c.exec("SELECT * FROM " + link + " WHERE department_id = $1::uuid AND " + column + " = $2::uuid",
                             {department_id, item_id});
    tx.commit();
    return row_json(rows, 0, tables.link_model);
}

void remove_department_item(db::Connection& c, const std::string& department_id, DepartmentItem kind,
                            const std::string& item_id) {
    const ItemTables tables = tables_of(kind);
    require_row(c, "department", department_id);
    require_row(c, tables.table, item_id);
    c.exec("DELETE FROM " + db::quote_identifier(tables.link_table) + " WHERE department_id = $1::uuid AND " +
               db::quote_identifier(tables.link_column) + " = $2::uuid",
           {department_id, item_id});
}

} // namespace slate::engine::people
