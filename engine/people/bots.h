#pragma once
// engine/people/bots.h: bots and personal API keys: persons whose long-lived access token
// is valid while its jti is the one stored on their row (Zou's
// create_access_token_for_raw_person). A new token revokes the previous one.

#include "engine/fwd.h"

#include <optional>
#include <string>

namespace slate::engine::services {

/// Issues the person's API token ("bot" for bots, else "person_api"), without expiry unless
/// the person has an expiration date (then it ends with that day), and stores its jti.
std::string issue_api_token(db::Connection& c, const Config& config, const std::string& person_id);

/// `slate create-bot`: a bot person with that e-mail, name, role and optional expiration date
/// (YYYY-MM-DD). Returns its access token.
std::string create_bot(db::Connection& c, const Config& config, const std::string& email, const std::string& name,
                       const std::optional<std::string>& expiration_date, const std::string& role);

} // namespace slate::engine::services
