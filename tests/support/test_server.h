#pragma once
// tests/support/test_server.h: an in-process Slate server on a free port of 127.0.0.1, on
// this process's fresh database, with a known admin.

#include "support/http_client.h"
#include "support/smtp_sink.h"

#include "api/router.h"
#include "engine/config.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace slate::test {

constexpr const char* admin_email = "admin@example.com";
constexpr const char* admin_password = "mysecretpassword";

class TestServer {
public:
    /// `adjust`, when given, changes the configuration before the server starts (settings
    /// read once at start, such as the connection layer's deadlines).
    explicit TestServer(const std::function<void(engine::Config&)>& adjust = {});
    ~TestServer();

    int port() const;
    engine::Config& config() { return m_config; }
    engine::db::Pool& pool();
    /// The SMTP server the test server sends its mail to.
    SmtpSink& mail() { return m_mail; }

    /// Logs in and returns the access token (fails the test on refusal).
    std::string login(const std::string& email = admin_email, const std::string& password = admin_password);
    /// The admin's person id.
    std::string login_user_id();
    /// Production rows through the API, as an admin: returns the new id.
    std::string create_project(const std::string& token, const std::string& name);
    std::string create_shot(const std::string& token, const std::string& project_id, const std::string& name);
    /// A task of the shot task type `task_type` (default Animation).
    std::string create_task(const std::string& token, const std::string& project_id, const std::string& shot_id,
                            const std::string& task_type = "Animation");

    /// A new preview of `task` (a comment, then add-preview) with `bytes` uploaded as
    /// `file_name`, once the worker pool is done with it (ready or broken): its id.
    std::string uploaded_preview(const std::string& token, const std::string& task, const std::string& file_name,
                                 const std::string& bytes);
    /// The first column of the first row `sql` answers, or "" when it answers none.
    std::string query(const std::string& sql, const std::vector<std::string>& params = {});

    /// Creates a person with that role and password; returns its id.
    std::string create_person(const std::string& email, const std::string& password, const std::string& role,
                              bool active = true);

private:
    struct Impl;
    SmtpSink m_mail;
    engine::Config m_config;
    std::unique_ptr<Impl> m_impl;
};

} // namespace slate::test
