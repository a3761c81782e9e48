#pragma once
// engine/people/auth_service.h: logging in and out, tokens, and who a token belongs to,
// as Zou's auth blueprint does it (conventions.md §4). Knows nothing of HTTP.

#include "engine/fwd.h"
#include "engine/auth/jwt.h"
#include "engine/people/login_throttle.h"
#include "engine/people/two_factor.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace slate::engine::services {

/// Who is calling, once their token has been checked.
struct Identity {
    std::string person_id;
    std::string role; ///< admin, manager, supervisor, user, client or vendor
    auth::TokenClaims claims;
};

enum class TokenUse { access, refresh };

struct LoginAttempt {
    std::string login; ///< e-mail or desktop login
    std::string password;
    std::string ip_address;
    bool from_browser = false; ///< decides the login_log origin ("web" or "script")
    SecondFactor second_factor;
};

/// Who an identity provider (OIDC, SAML) says signed in.
struct ExternalIdentity {
    std::string email;
    std::optional<std::string> first_name, last_name; ///< when the provider gave them
    // What Zou's SAML sign-on also takes from the assertion, when given:
    std::optional<std::string> phone;
    std::optional<std::string> country;                     ///< two letters (upper-cased); "" clears it; else ignored
    std::optional<std::string> studio_id;                   ///< a studio's id (unknown ones ignored)
    std::optional<std::vector<std::string>> department_ids; ///< replaces the person's (unknown ones dropped)
};

/// The outcome of a sign-in by an identity provider.
struct ExternalSignIn {
    bool active = false; ///< an inactive person gets no tokens
    std::string access_token, refresh_token;
};

struct IssuedLogin {
    std::string body; ///< the JSON answered to the client
    std::string access_token;
    std::string refresh_token;
};

class AuthService {
public:
    AuthService(const Config& config, db::Pool& pool);

    /// Checks the credentials. Failures are slate::Error with Zou's bodies ({"login": false},
    /// lock-out, inactive user).
    IssuedLogin login(const LoginAttempt& attempt);

    /// Checks a token and loads its person. Errors carry flask-jwt-extended's and Zou's bodies.
    Identity authenticate(const std::string& token, TokenUse use);

    /// The body of GET /auth/authenticated.
    std::string authenticated_body(const Identity& identity);

    /// A new access token paired with the presented refresh token.
    std::string refresh_access_token(const Identity& refresh_identity);

    /// Revokes the access token and its refresh token. Bots get 403.
    void logout(const Identity& identity);

    /// A fresh access and refresh token pair (after a 2FA registration, as Zou re-issues).
    std::pair<std::string, std::string> issue_tokens(const std::string& person_id);

    /// POST /auth/change-password: checks the old password (counting failures, honouring the
    /// lock-out), the length and the confirmation, then stores the new hash.
    void change_password(const Identity& identity, const std::string& old_password, const std::string& password,
                         const std::string& confirmation);

    /// A sign-in an identity provider vouched for (Zou's OIDC callback and SAML ACS): the
    /// person with that e-mail (not a bot) takes the provider's names when they differ
    /// (person:update), or is created as an artist with a random password (person:new, within
    /// USER_LIMIT); an active person gets tokens (restricted under ENFORCE_2FA unless
    /// `skip_2fa_setup`) and a "web" login log. The lock-out and second factors are not asked,
    /// as in Zou: the provider authenticated the person.
    ExternalSignIn sign_in_external(const ExternalIdentity& identity, const std::string& ip_address,
                                    bool skip_2fa_setup);

    /// POST /actions/persons/<id>/change-password, by an admin: not for bots (403), nor for a
    /// protected account or another admin who has a password (400 with Zou's messages).
    void set_password_by_admin(const Identity& admin, const std::string& person_id, const std::string& password,
                               const std::string& confirmation);

private:
    /// MIN_PASSWORD_LENGTH, then the confirmation, in Zou's order.
    void check_new_password(const std::string& password, const std::string& confirmation) const;
    std::string issue(const std::string& person_id, const std::string& type, const std::string& jti,
                      const std::string& refresh_jti, int64_t now, int64_t lifetime, bool requires_2fa_setup = false);
    /// ENFORCE_2FA: a person without a second factor (and not exempt) gets tokens that only
    /// reach the 2FA set-up routes.
    bool requires_2fa_setup(db::Connection& c, const std::string& person_id, const std::string& email) const;

    const Config& m_config;
    db::Pool& m_pool;
    LoginThrottle m_throttle;
};

/// `create-admin`: creates the admin, or makes the person with that e-mail an active admin
/// with that password. Throws bad_request for an invalid e-mail or a too short password.
/// Returns true when a new person was created.
bool create_admin(db::Connection& connection, const Config& config, const std::string& email,
                  const std::string& password);

/// Zou's check_password_change_allowed on a get_person_with_hash row: an admin acts on their own
/// account, but not on a protected account nor on another admin who has a password (400 with
/// Zou's messages).
void check_password_change_allowed(const Config& config, const Identity& admin, const db::Result& person);

} // namespace slate::engine::services
