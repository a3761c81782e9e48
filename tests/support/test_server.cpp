#include "support/test_server.h"

#include "support/test_database.h"

#include "api/application.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>
#include "engine/auth/password.h"
#include "engine/db/pool.h"
#include "engine/people/person_queries.h"
#include "engine/people/auth_service.h"

#include <catch2/catch.hpp>

namespace slate::test {

struct TestServer::Impl {
    std::filesystem::path data_dir;
    std::unique_ptr<api::Application> application;
};

TestServer::TestServer(const std::function<void(engine::Config&)>& adjust) : m_impl(std::make_unique<Impl>()) {
    m_config.secret_key = "test-secret-key-for-slate-tests-0123456789";
    m_config.bcrypt_rounds = 4; // fast hashes; the format is the same
    m_config.http_threads = 4;
    m_config.mail_server = "127.0.0.1";
    m_config.mail_port = m_mail.port();
    char pattern[] = "/tmp/slate-test-data-XXXXXX";
    m_impl->data_dir = mkdtemp(pattern);
    m_config.data_dir = m_impl->data_dir.string();
    m_config.event_stream_port = 0; // parallel test servers: the stream under /socket.io only
    if (adjust)
        adjust(m_config);
    api::ApplicationOptions options;
    options.http_threads = 4;
    options.pool_size = 8;
    options.worker_options = workers::WorkerPoolOptions{2, 3, 20, "test"};
    m_impl->application = std::make_unique<api::Application>(m_config, fresh_database(), options);
    {
        auto connection = pool().acquire();
        engine::services::create_admin(*connection, m_config, admin_email, admin_password);
    }
    m_impl->application->start();
}

TestServer::~TestServer() {
    m_impl->application->stop();
    std::error_code ignored;
    std::filesystem::remove_all(m_impl->data_dir, ignored);
}

int TestServer::port() const {
    return m_impl->application->port();
}

engine::db::Pool& TestServer::pool() {
    return m_impl->application->pool();
}

std::string TestServer::login(const std::string& email, const std::string& password) {
    const auto response =
        http_post(port(), "/auth/login", R"({"email":")" + email + R"(","password":")" + password + R"("})");
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

std::string TestServer::create_shot(const std::string& token, const std::string& project_id, const std::string& name) {
    auto connection = pool().acquire();
    const std::string shot_type(connection->exec("SELECT id FROM entity_type WHERE name = 'Shot'").get(0, 0));
    const auto created = http_call(port(), "POST", "/data/entities", token,
                                   R"({"name":")" + name + R"(","project_id":")" + project_id +
                                       R"(","entity_type_id":")" + shot_type + R"("})");
    INFO(created.body);
    REQUIRE(created.status == 201);
    return created.json()->getValue<std::string>("id");
}

std::string TestServer::create_task(const std::string& token, const std::string& project_id, const std::string& shot_id,
                                    const std::string& task_type) {
    auto connection = pool().acquire();
    const std::string type(
        connection->exec("SELECT id FROM task_type WHERE name = $1 AND for_entity = 'Shot'", {task_type}).get(0, 0));
    const auto created = http_call(port(), "POST", "/data/tasks", token,
                                   R"({"project_id":")" + project_id + R"(","entity_id":")" + shot_id +
                                       R"(","task_type_id":")" + type + R"("})");
    INFO(created.body);
    REQUIRE(created.status == 201);
    return created.json()->getValue<std::string>("id");
}

std::string TestServer::query(const std::string& sql, const std::vector<std::string>& params) {
    auto connection = pool().acquire();
    engine::db::Params values(params.begin(), params.end());
    const auto result = connection->exec(sql, values);
    return result.rows() ? std::string(result.get(0, 0)) : std::string();
}

std::string TestServer::uploaded_preview(const std::string& token, const std::string& task,
                                         const std::string& file_name, const std::string& bytes) {
    const auto comment =
        http_post(port(), "/actions/tasks/" + task + "/comment",
                  R"({"task_status_id":")" + query("SELECT id FROM task_status WHERE name = 'Todo'") + R"("})", token);
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
    auto connection = pool().acquire();
    return std::string(
        connection->exec("SELECT id FROM person WHERE email = $1", {std::string(admin_email)}).get(0, 0));
}

std::string TestServer::create_person(const std::string& email, const std::string& password, const std::string& role,
                                      bool active) {
    auto connection = pool().acquire();
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
