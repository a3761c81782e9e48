#include "engine/bootstrap.h"

#include "engine/auth/password.h"
#include "engine/config.h"
#include "engine/db/connection.h"
#include "engine/db/migrate.h"
#include "engine/log.h"
#include "engine/people/person_queries.h"
#include "engine/people/auth_service.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

namespace slate::engine {

void ensure_secret_key(Config& config) {
    if (config.secret_key_from_env)
        return;
    std::filesystem::create_directories(config.data_dir);
    const std::string path = config.data_dir + "/secret_key";
    std::ifstream existing(path);
    std::string key;
    if (existing && std::getline(existing, key) && key.size() >= 32) {
        config.secret_key = key;
        return;
    }
    key = auth::random_hex(32);
    {
        std::ofstream out(path, std::ios::trunc);
        out << key << "\n";
        if (!out)
            throw Error(ErrorKind::unavailable, "cannot write " + path);
    }
    chmod(path.c_str(), 0600);
    config.secret_key = key;
    log::info("created a secret key in " + path + " (set SECRET_KEY to share one between servers)");
}

std::optional<FirstAdmin> prepare_database(db::Connection& connection, const Config& config) {
    db::upgrade_database(connection);
    db::init_data(connection);
    if (queries::admin_exists(connection))
        return std::nullopt;
    FirstAdmin admin{"admin@example.com", auth::random_hex(8)};
    services::create_admin(connection, config, admin.email, admin.password);
    return admin;
}

} // namespace slate::engine
