#include "engine/models/catalog.h"

#include "engine/error.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <string>
#include <utility>

namespace slate::embedded {
const std::vector<std::pair<std::string_view, std::string_view>>& model_catalog_files();
}

namespace slate::engine::models {
namespace {

ValueKind kind_of(const std::string& sql_type) {
    if (sql_type == "uuid")
        return ValueKind::uuid;
    if (sql_type == "integer" || sql_type == "bigint" || sql_type == "smallint")
        return ValueKind::integer;
    if (sql_type == "double precision" || sql_type == "real" || sql_type.rfind("numeric", 0) == 0)
        return ValueKind::floating;
    if (sql_type == "boolean")
        return ValueKind::boolean;
    if (sql_type.rfind("timestamp", 0) == 0)
        return ValueKind::timestamp;
    if (sql_type == "date")
        return ValueKind::date;
    if (sql_type == "jsonb" || sql_type == "json")
        return ValueKind::json;
    if (sql_type == "jsonb[]")
        return ValueKind::json_array;
    if (sql_type == "bytea")
        return ValueKind::binary;
    if (sql_type == "bytea[]")
        return ValueKind::binary_array;
    if (sql_type.size() > 2 && sql_type.compare(sql_type.size() - 2, 2, "[]") == 0)
        return ValueKind::text_array;
    if (sql_type.find("character") != std::string::npos || sql_type == "text")
        return ValueKind::text;
    return ValueKind::enumeration; // a CREATE TYPE ... AS ENUM
}

std::string camel_case(const std::string& table) {
    std::string out;
    bool upper = true;
    for (char c : table) {
        if (c == '_') {
            upper = true;
            continue;
        }
        out.push_back(upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
        upper = false;
    }
    return out;
}

std::string text_of(const Poco::JSON::Object& object, const std::string& key) {
    if (!object.has(key) || object.isNull(key))
        return {};
    return object.getValue<std::string>(key);
}

std::vector<Table> load() {
    const auto& files = embedded::model_catalog_files();
    Poco::JSON::Parser parser;
    auto root = parser.parse(std::string(files.at(0).second)).extract<Poco::JSON::Object::Ptr>();
    std::vector<Table> tables;
    for (const auto& [table_name, value] : *root) {
        const auto definition = value.extract<Poco::JSON::Object::Ptr>();
        Table table;
        table.name = table_name;
        table.type_name = camel_case(table_name);
        for (const auto& item : *definition->getArray("columns")) {
            const auto c = item.extract<Poco::JSON::Object::Ptr>();
            Column column;
            column.name = c->getValue<std::string>("name");
            column.sql_type = c->getValue<std::string>("type");
            column.kind = kind_of(column.sql_type);
            column.nullable = c->getValue<bool>("nullable");
            column.has_db_default = c->getValue<bool>("has_db_default");
            column.set_on_update = c->getValue<bool>("set_on_update");
            column.references = text_of(*c, "references");
            for (const auto& choice : *c->getArray("choices"))
                column.choices.push_back(choice.toString());
            if (!c->isNull("app_default")) {
                const auto d = c->getObject("app_default");
                const std::string kind = d->getValue<std::string>("kind");
                using K = AppDefault::Kind;
                column.app_default.kind = kind == "uuid"               ? K::uuid
                                          : kind == "now"              ? K::now
                                          : kind == "default_timezone" ? K::default_timezone
                                          : kind == "default_locale"   ? K::default_locale
                                                                       : K::sql;
                column.app_default.sql = text_of(*d, "sql");
            }
            table.columns.push_back(std::move(column));
        }
        for (const auto& item : *definition->getArray("relations")) {
            const auto r = item.extract<Poco::JSON::Object::Ptr>();
            Relation relation;
            relation.field = r->getValue<std::string>("field");
            relation.target = r->getValue<std::string>("target");
            const std::string kind = text_of(*r, "kind");
            relation.kind = kind == "one_to_many"   ? Relation::Kind::one_to_many
                            : kind == "many_to_one" ? Relation::Kind::many_to_one
                                                    : Relation::Kind::many_to_many;
            relation.read_only = r->has("read_only") && r->getValue<bool>("read_only");
            relation.link_table = text_of(*r, "link_table");
            relation.own_column = text_of(*r, "own_column");
            relation.other_column = text_of(*r, "other_column");
            relation.foreign_key = text_of(*r, "foreign_key");
            table.relations.push_back(std::move(relation));
        }
        tables.push_back(std::move(table));
    }
    std::sort(tables.begin(), tables.end(), [](const Table& a, const Table& b) { return a.name < b.name; });
    return tables;
}

} // namespace

const Column* Table::column(std::string_view wanted) const {
    for (const auto& c : columns)
        if (c.name == wanted)
            return &c;
    return nullptr;
}

const Relation* Table::relation(std::string_view field) const {
    for (const auto& r : relations)
        if (r.field == field)
            return &r;
    return nullptr;
}

const std::vector<Table>& all_tables() {
    static const std::vector<Table> tables = load();
    return tables;
}

const Table* find_table(std::string_view name) {
    const auto& tables = all_tables();
    auto it = std::lower_bound(tables.begin(), tables.end(), name,
                               [](const Table& t, std::string_view n) { return t.name < n; });
    return it != tables.end() && it->name == name ? &*it : nullptr;
}

const Table& table(std::string_view name) {
    const Table* found = find_table(name);
    if (!found)
        throw Error(ErrorKind::internal, "no table " + std::string(name) + " in the catalog");
    return *found;
}

} // namespace slate::engine::models
