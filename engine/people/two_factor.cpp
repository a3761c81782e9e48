#include "engine/people/two_factor.h"

#include "engine/people/fido.h"

#include "engine/auth/jwt.h"
#include "engine/auth/password.h"
#include "engine/auth/totp.h"
#include "engine/config.h"
#include "engine/db/connection.h"
#include "engine/error.h"
#include "engine/json.h"
#include "engine/mail.h"
#include "engine/people/person_queries.h"
#include "engine/people/two_factor_queries.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

namespace slate::engine::services {
namespace {

const char* const otp_failed_body = R"({"error":true,"message":"OTP verification failed.","wrong_OTP":true})";

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
    std::vector<std::string> codes;
    for (int i = 0; i < 16; ++i)
        codes.push_back(auth::random_code(10));
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

constexpr int email_otp_lifetime_seconds = 5 * 60;

/// Whether `code` is the one last mailed to the person; a code is taken by its first check.
bool email_code_matches(db::Connection& c, const db::Result& state, const std::string& code) {
    const auto counter = queries::take_email_otp_counter(c, state.optional(0, "email").value_or(""));
    const auto secret = state.optional(0, "email_otp_secret");
    if (!counter || !secret)
        return false;
    const std::string expected = auth::hotp(*secret, static_cast<uint64_t>(*counter));
    return expected.size() == code.size() && CRYPTO_memcmp(expected.data(), code.data(), code.size()) == 0;
}

/// Mails a fresh code of the person's e-mail OTP secret (Zou's send_email_otp).
void send_email_code(db::Connection& c, Mailer& mailer, const std::string& person_id) {
    const auto state = state_of(c, person_id);
    const auto email = state.optional(0, "email");
    const auto secret = state.optional(0, "email_otp_secret");
    if (!email || !secret)
        return;
    uint64_t random = 0;
    if (RAND_bytes(reinterpret_cast<unsigned char*>(&random), sizeof random) != 1)
        throw Error(ErrorKind::internal, "no randomness available");
    const int64_t counter = static_cast<int64_t>(random % 1000000000000ULL);
    queries::store_email_otp_counter(c, *email, counter, email_otp_lifetime_seconds);
    const std::string code = auth::hotp(*secret, static_cast<uint64_t>(counter));
    Mail mail;
    mail.to = *email;
    mail.subject = "Kitsu: your verification code";
    mail.text = "Your Kitsu verification code is " + code + ". It is valid for five minutes.\n";
    mail.html = "<p>Your Kitsu verification code is <strong>" + code + "</strong>. It is valid for five minutes.</p>";
    mailer.send(mail);
}

} // namespace

std::vector<std::string> enable_with_recovery_codes(db::Connection& c, const Config& config,
                                                    const std::string& person_id, queries::SecondFactorMethod method) {
    std::vector<std::string> codes;
    if (recovery_hashes(state_of(c, person_id)).empty())
        codes = new_recovery_codes();
    queries::enable_second_factor(c, person_id, method, hashed(codes, config.bcrypt_rounds));
    return codes;
}

bool has_two_factor(db::Connection& c, const std::string& person_id) {
    return any_enabled(state_of(c, person_id));
}

bool check_second_factor(db::Connection& c, const std::string& person_id, const SecondFactor& given,
                         const std::string& missing_body) {
    const auto state = state_of(c, person_id);
    if (state.get_bool(0, "totp_enabled") && given.totp)
        return auth::verify_totp(state.optional(0, "totp_secret").value_or(""), *given.totp, auth::unix_now());
    if (state.get_bool(0, "email_otp_enabled") && given.email_otp)
        return email_code_matches(c, state, *given.email_otp);
    if (state.get_bool(0, "fido_enabled") && given.fido_response)
        return given.fido_settings && check_fido(c, *given.fido_settings, person_id, *given.fido_response);
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

std::string pre_enable_totp(db::Connection& c, const std::string& person_id, const std::string& organisation_name) {
    const auto state = state_of(c, person_id);
    if (state.get_bool(0, "totp_enabled"))
        throw Error(ErrorKind::bad_request, "TOTP already enabled.");
    const std::string secret = auth::random_base32();
    queries::set_totp_secret(c, person_id, secret);
    JsonWriter body;
    body.begin_object()
        .field("totp_provisionning_uri", auth::totp_provisioning_uri(secret, state.optional(0, "email").value_or(""),
                                                                     "Kitsu " + organisation_name))
        .field("otp_secret", secret)
        .end_object();
    return body.take();
}

std::vector<std::string> enable_totp(db::Connection& c, const Config& config, const std::string& person_id,
                                     const std::string& code) {
    const auto state = state_of(c, person_id);
    if (state.get_bool(0, "totp_enabled"))
        throw Error(ErrorKind::bad_request, "TOTP already enabled.");
    if (!auth::verify_totp(state.optional(0, "totp_secret").value_or(""), code, auth::unix_now()))
        throw Error(ErrorKind::bad_request, "TOTP verification failed.",
                    R"({"error":true,"message":"TOTP verification failed.","wrong_OTP":true})");
    return enable_with_recovery_codes(c, config, person_id, queries::SecondFactorMethod::totp);
}

void disable_totp(db::Connection& c, const std::string& person_id, const SecondFactor& given) {
    const auto state = state_of(c, person_id);
    if (!state.get_bool(0, "totp_enabled"))
        throw Error(ErrorKind::bad_request, "TOTP not enabled.");
    if (!check_second_factor(c, person_id, given, otp_failed_body))
        otp_failed();
    queries::disable_second_factor(c, person_id, queries::SecondFactorMethod::totp);
}

void request_email_otp(db::Connection& c, Mailer& mailer, const std::string& login) {
    const auto person = queries::find_person_for_login(c, login);
    if (person.rows() == 0 || !person.get_bool(0, "active") || !person.get_bool(0, "email_otp_enabled"))
        return;
    send_email_code(c, mailer, std::string(person.get(0, "id")));
}

void pre_enable_email_otp(db::Connection& c, Mailer& mailer, const std::string& person_id) {
    if (state_of(c, person_id).get_bool(0, "email_otp_enabled"))
        throw Error(ErrorKind::bad_request, "OTP by email already enabled.");
    queries::set_email_otp_secret(c, person_id, auth::random_base32());
    send_email_code(c, mailer, person_id);
}

std::vector<std::string> enable_email_otp(db::Connection& c, const Config& config, const std::string& person_id,
                                          const std::string& code) {
    const auto state = state_of(c, person_id);
    if (state.get_bool(0, "email_otp_enabled"))
        throw Error(ErrorKind::bad_request, "OTP by email already enabled.");
    if (!email_code_matches(c, state, code))
        throw Error(ErrorKind::bad_request, "OTP by email verification failed.",
                    R"({"error":true,"message":"OTP by email verification failed.","wrong_OTP":true})");
    return enable_with_recovery_codes(c, config, person_id, queries::SecondFactorMethod::email_otp);
}

void disable_email_otp(db::Connection& c, const std::string& person_id, const SecondFactor& given) {
    if (!state_of(c, person_id).get_bool(0, "email_otp_enabled"))
        throw Error(ErrorKind::bad_request, "OTP by email not enabled.");
    if (!check_second_factor(c, person_id, given, otp_failed_body))
        otp_failed();
    queries::disable_second_factor(c, person_id, queries::SecondFactorMethod::email_otp);
}

std::vector<std::string> regenerate_recovery_codes(db::Connection& c, const Config& config,
                                                   const std::string& person_id, const SecondFactor& given) {
    if (!any_enabled(state_of(c, person_id)))
        throw Error(ErrorKind::bad_request, "No two factor authentication enabled.");
    if (!check_second_factor(c, person_id, given, otp_failed_body))
        otp_failed();
    const auto codes = new_recovery_codes();
    queries::set_recovery_hashes(c, person_id, hashed(codes, config.bcrypt_rounds));
    return codes;
}

} // namespace slate::engine::services
