#include "engine/people/bots.h"

#include "engine/auth/jwt.h"
#include "engine/config.h"
#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/people/person_queries.h"
#include "engine/uuid.h"

#include <Poco/DateTimeParser.h>

#include <regex>

namespace slate::engine::services {

std::string issue_api_token(db::Connection& c, const Config& config, const std::string& person_id) {
    const auto person = queries::get_person(c, person_id);
    if (person.rows() == 0)
        throw_not_found(not_found_message);
    auth::TokenClaims claims;
    claims.sub = person_id;
    claims.jti = new_uuid();
    claims.type = "access";
    claims.identity_type = person.get_bool(0, "is_bot") ? "bot" : "person_api";
    claims.iat = claims.nbf = auth::unix_now();
    if (const auto expiration = person.optional(0, "expiration_date")) {
        int zone = 0;
        const auto day = Poco::DateTimeParser::parse("%Y-%m-%d", *expiration, zone);
        claims.exp = day.timestamp().epochTime() + 24 * 3600 - 1; // the end of that day
    }
    const std::string token = auth::encode_token(claims, config.secret_key);
    queries::set_person_jti(c, person_id, claims.jti);
    return token;
}

std::string create_bot(db::Connection& c, const Config& config, const std::string& email, const std::string& name,
                       const std::optional<std::string>& expiration_date, const std::string& role) {
    static const std::regex email_pattern(R"(^[^@\s]+@[^@\s]+\.[^@\s]+$)");
    if (!std::regex_match(email, email_pattern))
        throw_bad_request("Email is not valid.");
    static const std::regex date_pattern(R"(^\d{4}-\d{2}-\d{2}$)");
    if (expiration_date && !std::regex_match(*expiration_date, date_pattern))
        throw_bad_request("Expiration date is not valid (YYYY-MM-DD).");
    static const char* const roles[] = {"user", "admin", "supervisor", "manager", "client", "vendor"};
    if (std::find(std::begin(roles), std::end(roles), role) == std::end(roles))
        throw_bad_request("Invalid role");
    db::Transaction tx(c);
    queries::NewPerson bot;
    bot.email = email;
    bot.first_name = name;
    bot.last_name = "";
    bot.role = role;
    bot.timezone = config.default_timezone;
    bot.locale = config.default_locale;
    bot.is_bot = true;
    bot.expiration_date = expiration_date;
    const std::string id = queries::insert_person(c, bot);
    std::string token = issue_api_token(c, config, id);
    tx.commit();
    return token;
}

} // namespace slate::engine::services
