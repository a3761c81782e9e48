#include "engine/db/migrate.h"

#include "engine/db/connection.h"
#include "engine/log.h"

#include <string_view>
#include <utility>

namespace slate::embedded {
const std::vector<std::pair<std::string_view, std::string_view>>& migration_files();
const std::vector<std::pair<std::string_view, std::string_view>>& init_data_files();
} // namespace slate::embedded

namespace slate::engine::db {
namespace {

constexpr const char* zou_schema_migration = "0001_zou_schema.sql";
// pg_advisory_xact_lock key: "slate" in ASCII, so it never collides with another tool's.
constexpr const char* migration_lock_key = "495623934053";

} // namespace

std::vector<std::string> known_migrations() {
    std::vector<std::string> names;
    for (const auto& [name, sql] : embedded::migration_files())
        names.emplace_back(name);
    return names;
}

std::vector<std::string> upgrade_database(Connection& connection) {
    std::vector<std::string> applied_now;
    Transaction lock_tx(connection);
    connection.exec(std::string("SELECT pg_advisory_xact_lock(") + migration_lock_key + ")");
    connection.exec(R"(CREATE TABLE IF NOT EXISTS slate_schema_migration (
        name character varying(200) PRIMARY KEY,
        applied_at timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'utc')))");

    const auto recorded = connection.exec("SELECT name FROM slate_schema_migration");
    std::vector<std::string> done;
    for (int row = 0; row < recorded.rows(); ++row)
        done.emplace_back(recorded.get(row, 0));

    if (done.empty()) {
        const auto zou = connection.exec("SELECT 1 FROM information_schema.tables WHERE table_schema = 'public' "
                                         "AND table_name = 'person'");
        if (zou.rows() > 0) {
            log::info("this database was created by Zou: its schema is kept as it is");
            connection.exec("INSERT INTO slate_schema_migration (name) VALUES ($1)",
                            {std::string(zou_schema_migration)});
            done.emplace_back(zou_schema_migration);
        }
    }

    for (const auto& [name, sql] : embedded::migration_files()) {
        const std::string migration(name);
        if (std::find(done.begin(), done.end(), migration) != done.end())
            continue;
        log::info("applying migration " + migration);
        connection.exec("SAVEPOINT migration");
        connection.exec_script(sql);
        connection.exec("INSERT INTO slate_schema_migration (name) VALUES ($1)", {migration});
        connection.exec("RELEASE SAVEPOINT migration");
        applied_now.push_back(migration);
    }
    lock_tx.commit();
    return applied_now;
}

void init_data(Connection& connection) {
    Transaction tx(connection);
    for (const auto& [name, sql] : embedded::init_data_files())
        connection.exec_script(sql);
    tx.commit();
}

void reset_database(Connection& connection) {
    connection.exec_script("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
    upgrade_database(connection);
}

} // namespace slate::engine::db
