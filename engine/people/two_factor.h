#pragma once
// engine/people/two_factor.h: second factors as Zou's auth_service handles them: TOTP
// set-up, enabling and disabling, recovery codes, and the check a login makes.

#include "engine/fwd.h"
#include "engine/people/two_factor_queries.h"
#include "engine/people/fido.h"

#include <optional>
#include <string>
#include <vector>

namespace slate::engine::services {

/// The second-factor fields of a login or of a protected 2FA route.
struct SecondFactor {
    std::optional<std::string> totp;
    std::optional<std::string> email_otp;
    std::optional<std::string> recovery_code;
    Poco::JSON::Object::Ptr fido_response; ///< a FIDO assertion, when one was sent
    /// Where FIDO assertions are checked (set by the routes that accept one).
    std::optional<FidoSettings> fido_settings;
};

/// Turns a method on; when the person has no recovery codes yet, makes 16 and returns them
/// (stored hashed).
std::vector<std::string> enable_with_recovery_codes(db::Connection& c, const Config& config,
                                                    const std::string& person_id, queries::SecondFactorMethod method);

/// Whether the person has any second factor on.
bool has_two_factor(db::Connection& c, const std::string& person_id);

/// Zou's check_two_factor_authentication: verifies the first factor given that the person has
/// enabled (a recovery code is spent once). Throws Error(bad_request) with `missing_body` when
/// none was given. Returns false when the one given is wrong.
bool check_second_factor(db::Connection& c, const std::string& person_id, const SecondFactor& given,
                         const std::string& missing_body);

/// The body of a refused login when a second factor is needed and none was sent.
std::string missing_otp_login_body(db::Connection& c, const std::string& person_id);

/// PUT /auth/totp: a fresh secret and its provisioning URI ({"totp_provisionning_uri",
/// "otp_secret"}). 400 "TOTP already enabled." when it is on.
std::string pre_enable_totp(db::Connection& c, const std::string& person_id, const std::string& organisation_name);

/// POST /auth/totp: checks the code against the pending secret and turns TOTP on. Returns
/// the recovery codes made now (none when the person already had some).
std::vector<std::string> enable_totp(db::Connection& c, const Config& config, const std::string& person_id,
                                     const std::string& code);

/// DELETE /auth/totp, after a second-factor check.
void disable_totp(db::Connection& c, const std::string& person_id, const SecondFactor& given);

/// GET /auth/email-otp?email=: mails a code to an active person with e-mail OTP on; says
/// nothing either way.
void request_email_otp(db::Connection& c, Mailer& mailer, const std::string& login);

/// PUT /auth/email-otp: a fresh secret, and a first code by mail. 400 when already on.
void pre_enable_email_otp(db::Connection& c, Mailer& mailer, const std::string& person_id);

/// POST /auth/email-otp: checks the mailed code and turns e-mail OTP on; returns the recovery
/// codes made now (none when the person already had some).
std::vector<std::string> enable_email_otp(db::Connection& c, const Config& config, const std::string& person_id,
                                          const std::string& code);

/// DELETE /auth/email-otp, after a second-factor check.
void disable_email_otp(db::Connection& c, const std::string& person_id, const SecondFactor& given);

/// PUT /auth/recovery-codes, after a second-factor check: 16 new codes.
std::vector<std::string> regenerate_recovery_codes(db::Connection& c, const Config& config,
                                                   const std::string& person_id, const SecondFactor& given);

} // namespace slate::engine::services
