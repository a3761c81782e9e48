#include "bench_server.h"

#include "api/server.h"
#include "api/smtp_mailer.h"
#include "engine/crud/crud_service.h"
#include "engine/db/embedded_cluster.h"
#include "engine/db/migrate.h"
#include "engine/db/pool.h"
#include "engine/services/auth_service.h"
#include "engine/services/password_reset.h"
#include "engine/storage/file_store.h"
#include "workers/media_jobs.h"

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

namespace slate::bench {

constexpr const char* admin_email = "bench@example.com";
constexpr const char* admin_password = "benchpassword";

struct BenchServer::Impl {
    std::unique_ptr<engine::db::EmbeddedCluster> cluster;
    std::unique_ptr<engine::db::Connection> connection;
    std::unique_ptr<engine::db::Pool> pool;
    std::unique_ptr<engine::services::AuthService> auth;
    std::unique_ptr<engine::crud::CrudService> crud;
    std::unique_ptr<api::SmtpMailer> mailer;
    std::unique_ptr<engine::services::PasswordReset> password_reset;
    std::unique_ptr<engine::storage::LocalFileStore> files;
    std::unique_ptr<api::Services> services;
    std::unique_ptr<api::Server> server;
    std::unique_ptr<workers::WorkerPool> media;
};

BenchServer::BenchServer(const std::string& data_dir, int http_threads, bool with_media_workers)
    : m_impl(std::make_unique<Impl>()) {
    m_config.secret_key = "benchmark-secret-key-benchmark-secret-key";
    m_config.bcrypt_rounds = 4;
    m_config.mail_enabled = false;
    m_config.data_dir = data_dir;
    auto& impl = *m_impl;
    impl.cluster = std::make_unique<engine::db::EmbeddedCluster>(data_dir);
    impl.cluster->start();
    impl.cluster->ensure_database("slate_bench");
    const auto settings = impl.cluster->settings("slate_bench");
    impl.connection = std::make_unique<engine::db::Connection>(settings);
    engine::db::upgrade_database(*impl.connection);
    engine::db::init_data(*impl.connection);
    engine::services::create_admin(*impl.connection, m_config, admin_email, admin_password);
    impl.pool = std::make_unique<engine::db::Pool>(settings, 20);
    impl.auth = std::make_unique<engine::services::AuthService>(m_config, *impl.pool);
    impl.crud = std::make_unique<engine::crud::CrudService>(m_config, *impl.pool);
    impl.mailer = std::make_unique<api::SmtpMailer>(m_config);
    impl.password_reset = std::make_unique<engine::services::PasswordReset>(m_config, *impl.pool, *impl.mailer);
    impl.files = std::make_unique<engine::storage::LocalFileStore>(m_config.file_store_root());
    impl.services = std::make_unique<api::Services>(
        api::Services{m_config, *impl.pool, *impl.auth, *impl.crud, *impl.password_reset, *impl.mailer, *impl.files});
    if (with_media_workers) {
        impl.media = std::make_unique<workers::WorkerPool>(
            settings, workers::media_handlers(*impl.files, workers::MovieSettings::from(m_config),
                                              workers::PlaylistBuildSettings::from(m_config, *impl.mailer)));
        impl.media->start();
    }
    impl.server = std::make_unique<api::Server>(*impl.services, "127.0.0.1", 0, http_threads);
    impl.server->start();
}

BenchServer::~BenchServer() {
    m_impl->server->stop();
    if (m_impl->media)
        m_impl->media->stop();
}

int BenchServer::port() const {
    return m_impl->server->port();
}

engine::db::Connection& BenchServer::connection() {
    return *m_impl->connection;
}

std::string BenchServer::admin_token() const {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port()));
    Poco::Net::HTTPRequest request("POST", "/auth/login", Poco::Net::HTTPMessage::HTTP_1_1);
    const std::string body = std::string(R"({"email":")") + admin_email + R"(","password":")" + admin_password + R"("})";
    request.setContentLength(static_cast<std::streamsize>(body.size()));
    request.setContentType("application/json");
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::string text;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), text);
    Poco::JSON::Parser parser;
    return parser.parse(text).extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("access_token");
}

} // namespace slate::bench
