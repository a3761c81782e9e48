#include "engine/samples/bulk_table.h"

#include "engine/config.h"
#include "engine/models/catalog.h"
#include "engine/uuid.h"

#include <algorithm>

namespace slate::engine::samples {

BulkTable::BulkTable(db::Connection& c, const Config& config, const std::string& table_name,
                     std::vector<std::string> columns) {
    const models::Table& table = models::table(table_name);
    using K = models::AppDefault::Kind;
    for (const models::Column& column : table.columns) {
        if (std::find(columns.begin(), columns.end(), column.name) != columns.end())
            continue;
        Default value;
        switch (column.app_default.kind) {
        case K::none: continue; // the database's default, or NULL, as for an API insert
        case K::uuid: value.new_id = true; break;
        case K::now: value.value = std::string(c.exec("SELECT (now() AT TIME ZONE 'utc')::text").get(0, 0)); break;
        case K::default_timezone: value.value = config.default_timezone; break;
        case K::default_locale: value.value = config.default_locale; break;
        case K::sql:
            value.value = std::string(c.exec("SELECT (" + column.app_default.sql + ")::text").get(0, 0));
            break;
        }
        columns.push_back(column.name);
        m_defaults.push_back(std::move(value));
    }
    m_copy.emplace(c, table_name, columns);
}

void BulkTable::end_row() {
    for (const Default& value : m_defaults)
        m_copy->field(value.new_id ? new_uuid() : value.value);
    m_copy->end_row();
}

long long BulkTable::finish() {
    m_copy->finish();
    return m_copy->rows();
}

} // namespace slate::engine::samples
