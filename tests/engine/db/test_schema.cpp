// tests/engine/db/test_schema.cpp: the migrated schema is Zou 1.0.67's, column for column and
// constraint for constraint, as shared/reference/models.tsv and constraints.tsv list them.
#include <catch2/catch.hpp>

#include "support/test_database.h"

#include "engine/db/connection.h"

#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace {

using Rows = std::vector<std::vector<std::string>>;

Rows read_tsv(const std::string& name) {
    const std::string path = std::string(SLATE_REFERENCE_DIR) + "/" + name;
    std::ifstream in(path);
    REQUIRE(in.good());
    Rows rows;
    std::string line;
    std::getline(in, line); // header
    while (std::getline(in, line)) {
        if (line.empty())
            continue;
        std::vector<std::string> fields;
        std::stringstream stream(line);
        std::string field;
        while (std::getline(stream, field, '\t'))
            fields.push_back(field);
        if (!line.empty() && line.back() == '\t')
            fields.emplace_back();
        rows.push_back(fields);
    }
    return rows;
}

std::string field(const std::vector<std::string>& row, std::size_t index) {
    return index < row.size() ? row[index] : std::string();
}

} // namespace

TEST_CASE("every table and column matches models.tsv", "[engine][pg]") {
    slate::engine::db::Connection connection(slate::test::fresh_database());
    // table -> ordered "column|type|nullable|default"
    std::map<std::string, std::vector<std::string>> expected, actual;
    for (const auto& row : read_tsv("models.tsv"))
        expected[field(row, 0)].push_back(field(row, 1) + "|" + field(row, 2) + "|" + field(row, 3) + "|" +
                                          field(row, 4));
    const auto columns = connection.exec(R"(
        SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod) AS type,
               CASE WHEN a.attnotnull THEN 'no' ELSE 'yes' END AS nullable,
               COALESCE(pg_get_expr(d.adbin, d.adrelid), '') AS db_default
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0
          AND NOT a.attisdropped AND c.relname NOT LIKE 'slate\_%'
        ORDER BY c.relname, a.attnum)");
    for (int row = 0; row < columns.rows(); ++row)
        actual[std::string(columns.get(row, 0))].push_back(
            std::string(columns.get(row, 1)) + "|" + std::string(columns.get(row, 2)) + "|" +
            std::string(columns.get(row, 3)) + "|" + std::string(columns.get(row, 4)));
    CHECK(actual.size() == 77);
    CHECK(expected.size() == 77);
    for (const auto& [table, expected_columns] : expected) {
        INFO("table " << table);
        CHECK(actual[table] == expected_columns);
    }
    for (const auto& [table, ignored] : actual) {
        INFO("table " << table);
        CHECK(expected.count(table) == 1);
    }
}

TEST_CASE("every constraint and index matches constraints.tsv, by name", "[engine][pg]") {
    slate::engine::db::Connection connection(slate::test::fresh_database());
    std::set<std::string> expected, actual;
    for (const auto& row : read_tsv("constraints.tsv"))
        expected.insert(field(row, 0) + "|" + field(row, 1) + "|" + field(row, 2) + "|" + field(row, 3));
    REQUIRE(expected.size() == 437);
    const auto constraints = connection.exec(R"(
        SELECT cl.relname AS table_name, co.conname,
               CASE co.contype WHEN 'p' THEN 'primary key' WHEN 'f' THEN 'foreign key'
                               WHEN 'u' THEN 'unique' WHEN 'c' THEN 'check' ELSE co.contype::text END,
               pg_get_constraintdef(co.oid)
        FROM pg_constraint co
        JOIN pg_class cl ON cl.oid = co.conrelid
        JOIN pg_namespace n ON n.oid = cl.relnamespace
        WHERE n.nspname = 'public' AND cl.relname NOT LIKE 'slate\_%'
        UNION ALL
        SELECT i.tablename, i.indexname, 'index', replace(i.indexdef, ' ON public.', ' ON ')
        FROM pg_indexes i
        WHERE i.schemaname = 'public' AND i.tablename NOT LIKE 'slate\_%'
          AND i.indexname NOT LIKE 'slate\_%' -- Slate's own indexes (DESIGN: named slate_*)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint co WHERE co.conname = i.indexname
                          AND co.connamespace = 'public'::regnamespace))");
    for (int row = 0; row < constraints.rows(); ++row)
        actual.insert(std::string(constraints.get(row, 0)) + "|" + std::string(constraints.get(row, 1)) + "|" +
                      std::string(constraints.get(row, 2)) + "|" + std::string(constraints.get(row, 3)));
    for (const auto& line : expected) {
        INFO("expected " << line);
        CHECK(actual.count(line) == 1);
    }
    for (const auto& line : actual) {
        INFO("unexpected " << line);
        CHECK(expected.count(line) == 1);
    }
}
