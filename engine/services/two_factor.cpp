#include "engine/services/two_factor.h"

#include "engine/auth/jwt.h"
#include "engine/auth/password.h"
#include "engine/auth/totp.h"
#include "engine/config.h"
#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/json.h"
#include "engine/queries/two_factor.h"

#include <openssl/rand.h>

namespace slate::engine::services {
namespace {

const char* const otp_failed_body =
    R"({"error":true,"message":"OTP verification failed.","wrong_OTP":true})";

[[noreturn]] void otp_failed() {
    throw Error(ErrorKind::bad_request, "OTP verification failed.", otp_failed_body);
}

db::Result state_of(db::Connection& c, const std::string& person_id) {
    auto state = queries::two_factor_state(c, person_id);
    if (state.rows() == 0)
        throw Error(ErrorKind::unauthorized, unauthorized_message);
    return state;
}

bool any_enabled(const db::Result& state) {
    return state.get_bool(0, "totp_enabled") || state.get_bool(0, "email_otp_enabled") ||
           state.get_bool(0, "fido_enabled");
}

std::vector<std::string> recovery_hashes(const db::Result& state) {
    std::vector<std::string> hashes;
    const std::string_view literal = state.get(0, "recovery_hashes");
    // {h1,h2}: bcrypt hashes contain no comma, quote or brace.
    std::size_t start = 1;
    while (start + 1 < literal.size()) {
        std::size_t comma = literal.find(',', start);
        if (comma == std::string_view::npos)
            comma = literal.size() - 1;
        hashes.emplace_back(literal.substr(start, comma - start));
        start = comma + 1;
    }
    return hashes;
}

/// 16 codes of 10 characters from A-Z0-9 (Zou's generate_recovery_codes).
std::vector<std::string> new_recovery_codes() {
    static const char characters[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    std::vector<std::string> codes;
    for (int i = 0; i < 16; ++i) {
        unsigned char random[10];
        if (RAND_bytes(random, sizeof random) != 1)
            throw Error(ErrorKind::internal, "no randomness available");
        std::string code;
        for (unsigned char r : random)
            code.push_back(characters[r % 36]);
        codes.push_back(code);
    }
    return codes;
}

std::vector<std::string> hashed(const std::vector<std::string>& codes, int rounds) {
    std::vector<std::string> hashes;
    for (const auto& code : codes)
        hashes.push_back(auth::hash_password(code, rounds));
    return hashes;
}

std::vector<std::string> enabled_methods(const db::Result& state) {
    std::vector<std::string> methods{"recovery_code"};
    if (state.get_bool(0, "totp_enabled"))
        methods.emplace_back("totp");
    if (state.get_bool(0, "email_otp_enabled"))
        methods.emplace_back("email_otp");
    if (state.get_bool(0, "fido_enabled"))
        methods.emplace_back("fido");
    return methods;
}

} // namespace

bool has_two_factor(db::Connection& c, const std::string& person_id) {
    return any_enabled(state_of(c, person_id));
}

bool check_second_factor(db::Connection& c, const std::string& person_id,
                         const SecondFactor& given, const std::string& missing_body) {
    const auto state = state_of(c, person_id);
    if (state.get_bool(0, "totp_enabled") && given.totp)
        return auth::verify_totp(state.optional(0, "totp_secret").value_or(""), *given.totp,
                                 auth::unix_now());
    // E-mail codes and FIDO assertions are not verified yet: they never pass.
    if (state.get_bool(0, "email_otp_enabled") && given.email_otp)
        return false;
    if (state.get_bool(0, "fido_enabled") && given.fido_response)
        return false;
    if (given.recovery_code) {
        for (const auto& hash : recovery_hashes(state))
            if (auth::check_password(*given.recovery_code, hash)) {
                queries::remove_recovery_hash(c, person_id, hash);
                return true;
            }
        return false;
    }
    throw Error(ErrorKind::bad_request, "Missing OTP.", missing_body);
}

std::string missing_otp_login_body(db::Connection& c, const std::string& person_id) {
    const auto state = state_of(c, person_id);
    JsonWriter body;
    body.begin_object().field("error", true).field("login", false).field("missing_OTP", true);
    body.key("preferred_two_factor_authentication");
    if (auto preferred = state.optional(0, "preferred_two_factor_authentication"))
        body.string(*preferred);
    else
        body.null();
    body.key("two_factor_authentication_enabled").begin_array();
    for (const auto& method : enabled_methods(state))
        body.string(method);
    body.end_array().end_object();
    return body.take();
}

std::string pre_enable_totp(db::Connection& c, const std::string& person_id,
                            const std::string& organisation_name) {
    const auto state = state_of(c, person_id);
    if (state.get_bool(0, "totp_enabled"))
        throw Error(ErrorKind::bad_request, "TOTP already enabled.");
    const std::string secret = auth::random_base32();
    queries::set_totp_secret(c, person_id, secret);
    JsonWriter body;
    body.begin_object()
        .field("totp_provisionning_uri",
               auth::totp_provisioning_uri(secret, state.optional(0, "email").value_or(""),
                                           "Kitsu " + organisation_name))
        .field("otp_secret", secret)
        .end_object();
    return body.take();
}

std::vector<std::string> enable_totp(db::Connection& c, const Config& config,
                                     const std::string& person_id, const std::string& code) {
    const auto state = state_of(c, person_id);
    if (state.get_bool(0, "totp_enabled"))
        throw Error(ErrorKind::bad_request, "TOTP already enabled.");
    if (!auth::verify_totp(state.optional(0, "totp_secret").value_or(""), code, auth::unix_now()))
        throw Error(ErrorKind::bad_request, "TOTP verification failed.",
                    R"({"error":true,"message":"TOTP verification failed.","wrong_OTP":true})");
    std::vector<std::string> codes;
    if (recovery_hashes(state).empty())
        codes = new_recovery_codes();
    queries::enable_totp(c, person_id, hashed(codes, config.bcrypt_rounds));
    return codes;
}

void disable_totp(db::Connection& c, const std::string& person_id, const SecondFactor& given) {
    const auto state = state_of(c, person_id);
    if (!state.get_bool(0, "totp_enabled"))
        throw Error(ErrorKind::bad_request, "TOTP not enabled.");
    if (!check_second_factor(c, person_id, given, otp_failed_body))
        otp_failed();
    queries::disable_totp(c, person_id);
}

std::vector<std::string> regenerate_recovery_codes(db::Connection& c, const Config& config,
                                                   const std::string& person_id,
                                                   const SecondFactor& given) {
    if (!any_enabled(state_of(c, person_id)))
        throw Error(ErrorKind::bad_request, "No two factor authentication enabled.");
    if (!check_second_factor(c, person_id, given, otp_failed_body))
        otp_failed();
    const auto codes = new_recovery_codes();
    queries::set_recovery_hashes(c, person_id, hashed(codes, config.bcrypt_rounds));
    return codes;
}

} // namespace slate::engine::services
