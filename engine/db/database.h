#pragma once
// engine/db/database.h: where Slate's data lives: the embedded cluster under the data
// folder (no DB_HOST), or the PostgreSQL server the DB_* settings name.

#include "engine/fwd.h"
#include "engine/db/connection.h"

#include <memory>

namespace slate::engine::db {

class EmbeddedCluster;

class Database {
public:
    /// Starts the embedded cluster when configured so (sharing it if another slate process on
    /// the same folder runs it) and creates the database if missing.
    explicit Database(const Config& config);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    const ConnectionSettings& settings() const { return m_settings; }
    /// The embedded cluster, or null with an external server.
    EmbeddedCluster* cluster() { return m_cluster.get(); }

private:
    std::unique_ptr<EmbeddedCluster> m_cluster;
    ConnectionSettings m_settings;
};

} // namespace slate::engine::db
