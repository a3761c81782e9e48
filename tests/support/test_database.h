#pragma once
// tests/support/test_database.h: a fresh database per test process, on a throw-away
// embedded cluster: migrated and with Zou's init-data, copied from a template database.

#include "engine/db/connection.h"

#include <string>

namespace slate::test {

/// Settings of a new database of this process's own, copied from a template that is built
/// once per schema version (migrated, with Zou's init-data): each test starts from known data. The cluster is the one
/// in $SLATE_TEST_DATA (started by the ctest fixture), or one this process starts in a temporary folder and stops at
/// exit.
engine::db::ConnectionSettings fresh_database();

/// Settings of an empty database of its own (no schema): for migration tests.
engine::db::ConnectionSettings empty_database(const std::string& name);

} // namespace slate::test
