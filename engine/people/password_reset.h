#pragma once
// engine/people/password_reset.h: "forgot my password": a token sent by mail, then a new
// password set with it (Zou's ResetPasswordResource). Tokens live two hours.

#include "engine/fwd.h"

#include <string>

namespace slate::engine::services {

/// The link of the reset mails (build_password_reset_url): `type` "new" for invitations.
std::string password_reset_url(const Config& config, const std::string& email, const std::string& token,
                               const std::string& type = "");

class PasswordReset {
public:
    PasswordReset(const Config& config, db::Pool& pool, Mailer& mailer)
        : m_config(config), m_pool(pool), m_mailer(mailer) {}

    /// POST /auth/reset-password: mails a token to an active person with that e-mail. Says
    /// nothing about whether the account exists.
    void request(const std::string& email, const std::string& client_ip);

    /// GET /actions/persons/<id>/invite: mails the person a link to set their password (a
    /// reset token good seven days, link type "new"). 404 for an unknown person, 403 for a bot.
    void invite(const std::string& person_id);

    /// PUT /auth/reset-password: sets the password when the token matches and is alive.
    void apply(const std::string& email, const std::string& token, const std::string& password,
               const std::string& confirmation);

private:
    const Config& m_config;
    db::Pool& m_pool;
    Mailer& m_mailer;
};

} // namespace slate::engine::services
