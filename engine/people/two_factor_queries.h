#pragma once
// engine/people/two_factor_queries.h: a person's second factors: TOTP secret, enabled methods,
// preferred method and hashed recovery codes.

#include "engine/db/connection.h"

#include <optional>
#include <string>
#include <vector>

namespace slate::engine::queries {

/// totp_enabled, totp_secret, email_otp_enabled, fido_enabled,
/// preferred_two_factor_authentication, email, and recovery_hashes (text[] of bcrypt hashes).
db::Result two_factor_state(db::Connection& c, const std::string& person_id);

/// Stores a new, not yet enabled TOTP secret.
void set_totp_secret(db::Connection& c, const std::string& person_id, const std::string& secret);

enum class SecondFactorMethod { totp, email_otp, fido };

/// Turns a method on; makes it preferred when none is, and stores recovery code hashes when
/// the person has none (an empty list leaves them as they are).
void enable_second_factor(db::Connection& c, const std::string& person_id, SecondFactorMethod method,
                          const std::vector<std::string>& recovery_hashes);

/// Turns a method off and forgets its secret; the preference falls back to another enabled
/// method, and with none left the preference and the recovery codes are cleared.
void disable_second_factor(db::Connection& c, const std::string& person_id, SecondFactorMethod method);

/// After a FIDO credential went: the preference falls back from FIDO to TOTP, then e-mail
/// OTP (even when FIDO stays on with other devices, as Zou does); with no method left, the
/// preference and the recovery codes are cleared.
void settle_after_fido_removal(db::Connection& c, const std::string& person_id);

/// Stores a new, not yet enabled e-mail OTP secret.
void set_email_otp_secret(db::Connection& c, const std::string& person_id, const std::string& secret);

/// Remembers the HOTP counter of the code just mailed to `email`, for `lifetime_seconds`.
void store_email_otp_counter(db::Connection& c, const std::string& email, int64_t counter, int lifetime_seconds);
/// Takes (reads and forgets) the live counter of `email`, if any.
std::optional<int64_t> take_email_otp_counter(db::Connection& c, const std::string& email);

/// Replaces the recovery code hashes.
void set_recovery_hashes(db::Connection& c, const std::string& person_id,
                         const std::vector<std::string>& recovery_hashes);

/// Removes one used recovery code hash.
void remove_recovery_hash(db::Connection& c, const std::string& person_id, const std::string& hash);

} // namespace slate::engine::queries
