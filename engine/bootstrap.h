#pragma once
// engine/bootstrap.h: what `slate serve` does before it answers: a secret key, the schema,
// Zou's default data, the first admin.

#include "engine/fwd.h"

#include <optional>
#include <string>

namespace slate::engine {

/// When SECRET_KEY is unset, reads <data>/secret_key, creating it (random, mode 0600) on
/// first use, so tokens survive restarts without a shared default key.
void ensure_secret_key(Config& config);

struct FirstAdmin {
    std::string email;
    std::string password;
};

/// Migrates, runs init-data, and creates the first admin if there is no admin at all. The
/// admin's password is random and returned so that it can be printed once.
std::optional<FirstAdmin> prepare_database(db::Connection& connection, const Config& config);

} // namespace slate::engine
