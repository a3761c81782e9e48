#pragma once
// engine/db/migrate.h: applies the SQL migrations of schemas/migrations (embedded in the
// binary) in order, once each, recording them in slate_schema_migration.

#include <string>
#include <vector>

namespace slate::engine::db {

class Connection;

/// The migrations shipped in this binary, in the order they apply.
std::vector<std::string> known_migrations();

/// Applies every migration not yet recorded, each in its own transaction, under an advisory
/// lock so that two slate processes never race. A database that Zou created (it has Zou's
/// tables but no record of ours) is recognised, and Zou's schema migration is recorded as
/// applied rather than run. Returns the names applied now.
std::vector<std::string> upgrade_database(Connection& connection);

/// Runs Zou's init-data: default project statuses, task types, task statuses, asset types,
/// departments. Idempotent.
void init_data(Connection& connection);

/// Drops every table (the public schema) and migrates again: `slate reset-db`.
void reset_database(Connection& connection);

} // namespace slate::engine::db
