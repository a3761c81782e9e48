#include "bench_server.h"

#include "api/application.h"
#include "engine/db/embedded_cluster.h"
#include "engine/db/migrate.h"
#include "engine/people/auth_service.h"

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
    std::unique_ptr<api::Application> application;
};

BenchServer::BenchServer(const std::string& data_dir, int http_threads, bool with_media_workers)
    : m_impl(std::make_unique<Impl>()) {
    m_config.secret_key = "benchmark-secret-key-benchmark-secret-key";
    m_config.bcrypt_rounds = 4;
    m_config.mail_enabled = false;
    m_config.event_stream_port = 0; // the stream under /socket.io of the bench port only
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
    api::ApplicationOptions options;
    options.http_threads = http_threads;
    options.pool_size = 20;
    options.media_workers = with_media_workers;
    impl.application = std::make_unique<api::Application>(m_config, settings, options);
    impl.application->start();
}

BenchServer::~BenchServer() {
    m_impl->application->stop();
}

int BenchServer::port() const {
    return m_impl->application->port();
}

engine::db::Connection& BenchServer::connection() {
    return *m_impl->connection;
}

std::string BenchServer::admin_token() const {
    return login(admin_email, admin_password);
}

std::string BenchServer::login(const std::string& email, const std::string& password) const {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port()));
    Poco::Net::HTTPRequest request("POST", "/auth/login", Poco::Net::HTTPMessage::HTTP_1_1);
    const std::string body = R"({"email":")" + email + R"(","password":")" + password + R"("})";
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
