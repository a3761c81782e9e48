#include "engine/db/database.h"

#include "engine/config.h"
#include "engine/db/embedded_cluster.h"

namespace slate::engine::db {

Database::Database(const Config& config) {
    if (config.db.embedded) {
        m_cluster = std::make_unique<EmbeddedCluster>(config.data_dir);
        m_cluster->start();
        m_cluster->ensure_database(config.db.database);
        m_settings = m_cluster->settings(config.db.database);
        return;
    }
    m_settings.host = config.db.host;
    m_settings.port = config.db.port;
    m_settings.user = config.db.username;
    m_settings.password = config.db.password;
    m_settings.database = config.db.database;
}

Database::~Database() = default;

} // namespace slate::engine::db
