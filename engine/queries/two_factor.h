#pragma once
// engine/queries/two_factor.h: a person's second factors: TOTP secret, enabled methods,
// preferred method and hashed recovery codes.

#include "engine/db/connection.h"

#include <string>
#include <vector>

namespace slate::engine::queries {

/// totp_enabled, totp_secret, email_otp_enabled, fido_enabled,
/// preferred_two_factor_authentication, email, and recovery_hashes (text[] of bcrypt hashes).
db::Result two_factor_state(db::Connection& c, const std::string& person_id);

/// Stores a new, not yet enabled TOTP secret.
void set_totp_secret(db::Connection& c, const std::string& person_id, const std::string& secret);

/// Turns TOTP on; makes it preferred when none is, and stores recovery code hashes when the
/// person has none (an empty list leaves them as they are).
void enable_totp(db::Connection& c, const std::string& person_id,
                 const std::vector<std::string>& recovery_hashes);

/// Turns TOTP off; the preference falls back to another enabled method, and with none left
/// the preference and the recovery codes are cleared.
void disable_totp(db::Connection& c, const std::string& person_id);

/// Replaces the recovery code hashes.
void set_recovery_hashes(db::Connection& c, const std::string& person_id,
                         const std::vector<std::string>& recovery_hashes);

/// Removes one used recovery code hash.
void remove_recovery_hash(db::Connection& c, const std::string& person_id, const std::string& hash);

} // namespace slate::engine::queries
