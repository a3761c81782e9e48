#pragma once
// api/smtp_mailer.h: the SMTP transport of engine::Mailer, with Poco Net (MAIL_* settings).

#include "engine/mail.h"

namespace slate::engine {
struct Config;
}

namespace slate::api {

class SmtpMailer : public engine::Mailer {
public:
    explicit SmtpMailer(const engine::Config& config) : m_config(config) {}
    /// Connects, sends and quits; errors are logged. Nothing is sent when MAIL_ENABLED is off.
    void send(const engine::Mail& mail) override;

private:
    const engine::Config& m_config;
};

} // namespace slate::api
