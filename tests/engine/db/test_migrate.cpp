// tests/engine/db/test_migrate.cpp: migrations apply once, in order, and recognise a
// database that Zou created.
#include <catch2/catch.hpp>

#include "support/test_database.h"

#include "engine/db/connection.h"
#include "engine/db/migrate.h"

using slate::engine::db::Connection;

TEST_CASE("migrations apply once and a second upgrade changes nothing", "[engine][pg]") {
    Connection connection(slate::test::empty_database("migrate_twice"));
    const auto first = slate::engine::db::upgrade_database(connection);
    CHECK(first == slate::engine::db::known_migrations());
    CHECK(slate::engine::db::upgrade_database(connection).empty());
    const auto recorded = connection.exec("SELECT count(*) AS n FROM slate_schema_migration");
    CHECK(recorded.get_int(0, "n") == static_cast<int64_t>(first.size()));
}

TEST_CASE("init-data creates Zou's defaults once, however often it runs", "[engine][pg]") {
    Connection connection(slate::test::empty_database("init_data"));
    slate::engine::db::upgrade_database(connection);
    slate::engine::db::init_data(connection);
    const auto count_rows = [&] {
        return connection
            .exec("SELECT (SELECT count(*) FROM task_status) + (SELECT count(*) FROM task_type) + "
                  "(SELECT count(*) FROM entity_type) + (SELECT count(*) FROM project_status) + "
                  "(SELECT count(*) FROM department) AS n")
            .get_int(0, "n");
    };
    const int64_t after_first = count_rows();
    CHECK(after_first > 10);
    slate::engine::db::init_data(connection);
    CHECK(count_rows() == after_first);
    CHECK(connection.exec("SELECT 1 FROM project_status WHERE name = 'Open'").rows() == 1);
    CHECK(connection.exec("SELECT 1 FROM project_status WHERE name = 'Closed'").rows() == 1);
}

TEST_CASE("a database created by Zou keeps its schema and gets only Slate's tables", "[engine][pg]") {
    Connection connection(slate::test::empty_database("zou_made"));
    // A Zou database: Zou's tables exist, no record of Slate's migrations.
    slate::engine::db::upgrade_database(connection);
    const auto ours =
        connection.exec("SELECT c.relname, CASE c.relkind WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END AS kind "
                        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' "
                        "AND c.relkind IN ('r', 'S') AND c.relname LIKE 'slate\\_%'");
    for (int row = 0; row < ours.rows(); ++row)
        connection.exec("DROP " + std::string(ours.get(row, 1)) + " IF EXISTS " +
                        slate::engine::db::quote_identifier(ours.get(row, 0)) + " CASCADE");
    connection.exec("INSERT INTO project_status (id, name, color) "
                    "VALUES (gen_random_uuid(), 'Kept', '#000000')");
    const auto applied = slate::engine::db::upgrade_database(connection);
    CHECK(std::find(applied.begin(), applied.end(), "0001_zou_schema.sql") == applied.end());
    CHECK(std::find(applied.begin(), applied.end(), "0002_slate_tables.sql") != applied.end());
    CHECK(connection.exec("SELECT 1 FROM project_status WHERE name = 'Kept'").rows() == 1);
}
