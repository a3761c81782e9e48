#include "support/test_server.h"

#include "support/test_database.h"

#include "api/server.h"
#include "api/smtp_mailer.h"
#include "engine/services/password_reset.h"
#include "engine/storage/file_store.h"
#include "workers/media_jobs.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>
#include "engine/auth/password.h"
#include "engine/crud/crud_service.h"
#include "engine/db/pool.h"
#include "engine/queries/persons.h"
#include "engine/services/auth_service.h"

#include <catch2/catch.hpp>

namespace slate::test {

struct TestServer::Impl {
    std::unique_ptr<engine::db::Pool> pool;
    std::unique_ptr<engine::services::AuthService> auth;
    std::unique_ptr<engine::crud::CrudService> crud;
    std::unique_ptr<api::SmtpMailer> mailer;
    std::unique_ptr<engine::services::PasswordReset> password_reset;
    std::unique_ptr<engine::storage::LocalFileStore> files;
    std::unique_ptr<workers::WorkerPool> media;
    std::filesystem::path data_dir;
    std::unique_ptr<api::Services> services;
    std::unique_ptr<api::Server> server;
};

TestServer::TestServer() : m_impl(std::make_unique<Impl>()) {
    m_config.secret_key = "test-secret-key-for-slate-tests-0123456789";
    m_config.bcrypt_rounds = 4; // fast hashes; the format is the same
    m_config.http_threads = 4;
    const auto settings = fresh_database();
    m_impl->pool = std::make_unique<engine::db::Pool>(settings, 8);
    {
        auto connection = m_impl->pool->acquire();
        engine::services::create_admin(*connection, m_config, admin_email, admin_password);
    }
    m_impl->auth = std::make_unique<engine::services::AuthService>(m_config, *m_impl->pool);
    m_impl->crud = std::make_unique<engine::crud::CrudService>(m_config, *m_impl->pool);
    m_config.mail_server = "127.0.0.1";
    m_config.mail_port = m_mail.port();
    m_impl->mailer = std::make_unique<api::SmtpMailer>(m_config);
    m_impl->password_reset = std::make_unique<engine::services::PasswordReset>(
        m_config, *m_impl->pool, *m_impl->mailer);
    char pattern[] = "/tmp/slate-test-data-XXXXXX";
    m_impl->data_dir = mkdtemp(pattern);
    m_config.data_dir = m_impl->data_dir.string();
    m_impl->files = std::make_unique<engine::storage::LocalFileStore>(m_config.file_store_root());
    m_impl->media = std::make_unique<workers::WorkerPool>(
        settings, workers::media_handlers(*m_impl->files, workers::MovieSettings::from(m_config),
                                          workers::PlaylistBuildSettings::from(m_config, *m_impl->mailer)), workers::WorkerPoolOptions{2, 3, 20, "test"});
    m_impl->media->start();
    m_impl->services = std::make_unique<api::Services>(api::Services{
        m_config, *m_impl->pool, *m_impl->auth, *m_impl->crud, *m_impl->password_reset,
        *m_impl->mailer, *m_impl->files});
    m_impl->server = std::make_unique<api::Server>(*m_impl->services, "127.0.0.1", 0, 4);
    m_impl->server->start();
}

TestServer::~TestServer() {
    m_impl->server->stop();
    m_impl->media->stop();
    std::error_code ignored;
    std::filesystem::remove_all(m_impl->data_dir, ignored);
}

int TestServer::port() const { return m_impl->server->port(); }

engine::db::Pool& TestServer::pool() { return *m_impl->pool; }

std::string TestServer::login(const std::string& email, const std::string& password) {
    const auto response = http_post(
        port(), "/auth/login",
        R"({"email":")" + email + R"(","password":")" + password + R"("})");
    INFO(response.body);
    REQUIRE(response.status == 200);
    return response.json()->getValue<std::string>("access_token");
}

std::string TestServer::create_project(const std::string& token, const std::string& name) {
    const auto created = http_call(port(), "POST", "/data/projects", token, R"({"name":")" + name + R"("})");
    INFO(created.body);
    REQUIRE(created.status == 201);
    return created.json()->getValue<std::string>("id");
}

std::string TestServer::create_shot(const std::string& token, const std::string& project_id,
                                    const std::string& name) {
    auto connection = m_impl->pool->acquire();
    const std::string shot_type(connection->exec("SELECT id FROM entity_type WHERE name = 'Shot'").get(0, 0));
    const auto created = http_call(port(), "POST", "/data/entities", token,
                                   R"({"name":")" + name + R"(","project_id":")" + project_id +
                                       R"(","entity_type_id":")" + shot_type + R"("})");
    INFO(created.body);
    REQUIRE(created.status == 201);
    return created.json()->getValue<std::string>("id");
}

std::string TestServer::create_task(const std::string& token, const std::string& project_id,
                                    const std::string& shot_id, const std::string& task_type) {
    auto connection = m_impl->pool->acquire();
    const std::string type(connection->exec(
        "SELECT id FROM task_type WHERE name = $1 AND for_entity = 'Shot'", {task_type}).get(0, 0));
    const auto created = http_call(port(), "POST", "/data/tasks", token,
                                   R"({"project_id":")" + project_id + R"(","entity_id":")" + shot_id +
                                       R"(","task_type_id":")" + type + R"("})");
    INFO(created.body);
    REQUIRE(created.status == 201);
    return created.json()->getValue<std::string>("id");
}

std::string TestServer::query(const std::string& sql, const std::vector<std::string>& params) {
    auto connection = m_impl->pool->acquire();
    engine::db::Params values(params.begin(), params.end());
    const auto result = connection->exec(sql, values);
    return result.rows() ? std::string(result.get(0, 0)) : std::string();
}

std::string TestServer::uploaded_preview(const std::string& token, const std::string& task,
                                         const std::string& file_name, const std::string& bytes) {
    const auto comment = http_post(port(), "/actions/tasks/" + task + "/comment",
                                   R"({"task_status_id":")" + query("SELECT id FROM task_status WHERE name = 'Todo'") +
                                       R"("})",
                                   token);
    REQUIRE(comment.status == 201);
    const std::string comment_id = comment.json()->getValue<std::string>("id");
    const auto added =
        http_post(port(), "/actions/tasks/" + task + "/comments/" + comment_id + "/add-preview", "{}", token);
    REQUIRE(added.status == 201);
    const std::string id = added.json()->getValue<std::string>("id");
    const auto uploaded = http_upload(port(), "/pictures/preview-files/" + id, token, file_name, bytes);
    INFO(uploaded.body);
    REQUIRE(uploaded.status == 201);
    for (int i = 0; i < 1200 && query("SELECT status FROM preview_file WHERE id = $1::uuid", {id}) == "processing"; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    return id;
}

std::string TestServer::login_user_id() {
    auto connection = m_impl->pool->acquire();
    return std::string(connection->exec("SELECT id FROM person WHERE email = $1",
                                        {std::string(admin_email)}).get(0, 0));
}

std::string TestServer::create_person(const std::string& email, const std::string& password,
                                      const std::string& role, bool active) {
    auto connection = m_impl->pool->acquire();
    engine::queries::NewPerson person;
    person.email = email;
    person.first_name = "Test";
    person.last_name = role;
    person.password_hash = engine::auth::hash_password(password, m_config.bcrypt_rounds);
    person.role = role;
    person.timezone = m_config.default_timezone;
    person.locale = m_config.default_locale;
    const std::string id = engine::queries::insert_person(*connection, person);
    if (!active)
        connection->exec("UPDATE person SET active = false WHERE id = $1::uuid", {id});
    return id;
}

} // namespace slate::test
