#include "support/test_database.h"

#include "engine/db/embedded_cluster.h"
#include "engine/db/migrate.h"

#include <Poco/SHA1Engine.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>

namespace slate::embedded {
const std::vector<std::pair<std::string_view, std::string_view>>& migration_files();
const std::vector<std::pair<std::string_view, std::string_view>>& init_data_files();
} // namespace slate::embedded

namespace slate::test {
namespace {

using engine::db::Connection;
using engine::db::ConnectionSettings;
using engine::db::EmbeddedCluster;
using engine::db::quote_identifier;

/// The cluster and the databases this process made; dropped when the process ends.
class TestCluster {
public:
    TestCluster() {
        const char* shared = std::getenv("SLATE_TEST_DATA");
        if (shared && *shared) {
            m_data_dir = shared;
        } else {
            char pattern[] = "/tmp/slate-test-XXXXXX";
            m_data_dir = mkdtemp(pattern);
            m_own_folder = true;
        }
        m_cluster = std::make_unique<EmbeddedCluster>(m_data_dir);
        m_cluster->start(); // shares the fixture's cluster when it runs
    }

    ~TestCluster() {
        try {
            Connection admin(m_cluster->settings("postgres"));
            for (const auto& name : m_created)
                admin.exec("DROP DATABASE IF EXISTS " + quote_identifier(name) + " WITH (FORCE)");
        } catch (...) {
        }
        m_cluster.reset(); // stops the cluster if this process started it
        if (m_own_folder) {
            std::error_code ignored;
            std::filesystem::remove_all(m_data_dir, ignored);
        }
    }

    ConnectionSettings create(const std::string& name, const std::string& template_name) {
        Connection admin(m_cluster->settings("postgres"));
        admin.exec("DROP DATABASE IF EXISTS " + quote_identifier(name) + " WITH (FORCE)");
        std::string sql = "CREATE DATABASE " + quote_identifier(name);
        if (!template_name.empty())
            sql += " TEMPLATE " + quote_identifier(template_name);
        admin.exec(sql);
        m_created.push_back(name);
        return m_cluster->settings(name);
    }

    /// The template for this build's schema, made once (under a lock: ctest may run test
    /// processes in parallel).
    std::string ensure_template() {
        Poco::SHA1Engine sha;
        for (const auto& [name, sql] : embedded::migration_files())
            sha.update(sql.data(), static_cast<unsigned>(sql.size()));
        for (const auto& [name, sql] : embedded::init_data_files())
            sha.update(sql.data(), static_cast<unsigned>(sql.size()));
        const std::string name = "slate_template_" + Poco::DigestEngine::digestToHex(sha.digest()).substr(0, 12);
        Connection admin(m_cluster->settings("postgres"));
        admin.exec("SELECT pg_advisory_lock(4242)");
        if (admin.exec("SELECT 1 FROM pg_database WHERE datname = $1", {name}).rows() == 0) {
            const std::string building = name + "_building";
            admin.exec("DROP DATABASE IF EXISTS " + quote_identifier(building));
            admin.exec("CREATE DATABASE " + quote_identifier(building));
            {
                Connection db(m_cluster->settings(building));
                engine::db::upgrade_database(db);
                engine::db::init_data(db);
            }
            admin.exec("ALTER DATABASE " + quote_identifier(building) + " RENAME TO " + quote_identifier(name));
        }
        admin.exec("SELECT pg_advisory_unlock(4242)");
        return name;
    }

private:
    std::string m_data_dir;
    bool m_own_folder = false;
    std::unique_ptr<EmbeddedCluster> m_cluster;
    std::vector<std::string> m_created;
};

TestCluster& cluster() {
    static TestCluster instance;
    return instance;
}

std::string process_prefix() {
    return "slate_test_" + std::to_string(getpid());
}

} // namespace

ConnectionSettings fresh_database() {
    static std::mutex mutex;
    static int counter = 0;
    std::lock_guard lock(mutex);
    static const std::string template_name = cluster().ensure_template();
    return cluster().create(process_prefix() + "_" + std::to_string(++counter), template_name);
}

ConnectionSettings empty_database(const std::string& name) {
    return cluster().create(process_prefix() + "_" + name, "");
}

} // namespace slate::test
