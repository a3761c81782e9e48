// api/areas/people/auth.cpp: logging in and out and refreshing tokens (conventions.md §4).

#include "api/areas/areas.h"
#include "api/areas/people/token_cookies.h"
#include "api/body_fields.h"

#include "engine/config.h"
#include "engine/db/pool.h"
#include "engine/json.h"
#include "engine/mail.h"
#include "engine/people/person_queries.h"
#include "engine/people/password_reset.h"
#include "engine/people/account_mails.h"
#include "engine/people/fido.h"
#include "engine/people/two_factor.h"

#include <Poco/Net/IPAddress.h>

namespace slate::api {
namespace {

using engine::services::IssuedLogin;
using engine::services::LoginAttempt;

/// A form or query value, Zou's fallback when the body is not JSON.
std::string field_value(Request& request, const std::string& name) {
    const auto& body = request.json();
    return engine::optional_string(body, name, request.query_value(name).value_or(""));
}

/// The second-factor fields of a body (login, disabling TOTP, new recovery codes).
engine::services::SecondFactor second_factor(Request& request, const Services& services) {
    const auto& body = request.json();
    engine::services::SecondFactor given;
    auto member = [&](const char* name) -> std::optional<std::string> {
        if (!body.has(name) || body.isNull(name))
            return std::nullopt;
        return body.get(name).toString();
    };
    given.totp = member("totp");
    given.email_otp = member("email_otp");
    given.recovery_code = member("recovery_code");
    given.fido_settings = engine::services::FidoSettings::from(services.config);
    if (body.has("fido_authentication_response") && !body.isNull("fido_authentication_response")) {
        given.fido_response = body.getObject("fido_authentication_response");
        if (!given.fido_response) // sent as a JSON string
            given.fido_response = engine::parse_json_object(body.get("fido_authentication_response").toString());
    }
    return given;
}

/// Zou's require_person: bots and API keys may not manage a person's credentials.
const engine::services::Identity& person_caller(Request& request) {
    const auto& caller = request.caller();
    if (caller.claims.identity_type != "person")
        throw_forbidden();
    return caller;
}

/// A required body string, with Zou's validation error when absent.
std::string required_field(Request& request, const std::string& name) {
    const std::string value = engine::optional_string(request.json(), name);
    if (value.empty()) { // empty counts as absent here, unlike BodyFields::required_text
        BodyFields body(request);
        body.invalid(name, "Field required");
        body.check();
    }
    return value;
}

Reply login(Request& request, Services& services) {
    LoginAttempt attempt;
    attempt.login = field_value(request, "email");
    attempt.password = request.json().has("password") || request.query_value("password")
                           ? field_value(request, "password")
                           : "default"; // Zou's default when no password is sent
    attempt.ip_address =
        request.header("x-forwarded-for").empty() ? request.client_address : request.header("x-forwarded-for");
    attempt.from_browser = request.from_browser();
    attempt.second_factor = second_factor(request, services);
    IssuedLogin issued = services.auth.login(attempt);
    Reply reply = json_reply(200, std::move(issued.body));
    if (attempt.from_browser) {
        add_token_cookies(reply, services.config, issued.access_token, issued.refresh_token,
                          services.config.jwt_access_seconds, services.config.jwt_refresh_seconds);
    }
    return reply;
}

Reply authenticated(Request& request, Services& services) {
    return json_reply(200, services.auth.authenticated_body(request.caller()));
}

Reply refresh_token(Request& request, Services& services) {
    const std::string access = services.auth.refresh_access_token(request.caller());
    if (request.from_browser()) {
        Reply reply = json_reply(200, R"({"refresh":true})");
        reply.set_cookies.push_back(
            token_cookie(services.config, access_cookie, access, "/", services.config.jwt_access_seconds));
        return reply;
    }
    engine::JsonWriter out;
    out.begin_object().field("access_token", access).end_object();
    return json_reply(200, out.take());
}

Reply logout(Request& request, Services& services) {
    services.auth.logout(request.caller());
    Reply reply = json_reply(200, R"({"logout":true})");
    if (request.from_browser()) {
        reply.set_cookies.push_back(expired_cookie(access_cookie, "/"));
        reply.set_cookies.push_back(expired_cookie(refresh_cookie, refresh_cookie_path));
    }
    return reply;
}

Reply change_password(Request& request, Services& services) {
    const auto& body = request.json();
    const auto& caller = person_caller(request);
    services.auth.change_password(caller, engine::optional_string(body, "old_password"),
                                  engine::optional_string(body, "password"),
                                  engine::optional_string(body, "password_2"));
    // Zou tells the person, with the X-Forwarded-For the change came with.
    auto connection = services.pool.acquire();
    services.mailer.send(engine::services::password_changed_mail(*connection, caller.person_id,
                                                                 request.header("x-forwarded-for"), false));
    return json_reply(200, R"({"success":true})");
}

/// The first address of X-Forwarded-For when it is an IP address (Zou's admin route).
std::string forwarded_ip(const Request& request) {
    std::string first = request.header("x-forwarded-for");
    first = first.substr(0, first.find(','));
    first.erase(0, first.find_first_not_of(' '));
    first.erase(first.find_last_not_of(' ') + 1);
    Poco::Net::IPAddress address;
    return Poco::Net::IPAddress::tryParse(first, address) ? first : std::string();
}

Reply change_password_for_person(Request& request, Services& services) {
    BodyFields body(request);
    const std::string password = body.required_text("password");
    const std::string confirmation = body.required_text("password_2");
    // ChangePasswordSchema's model validator: an error of the whole body (pydantic 2: no field).
    if (!password.empty() && !confirmation.empty() && password != confirmation)
        body.invalid("", "Value error, Confirmation password doesn't match.");
    body.check();
    const std::string person_id = request.param("person_id");
    services.auth.set_password_by_admin(request.caller(), person_id, password, confirmation);
    auto connection = services.pool.acquire();
    services.mailer.send(engine::services::password_changed_mail(*connection, person_id, forwarded_ip(request), true));
    return json_reply(200, R"({"success":true})");
}

Reply pre_enable_totp(Request& request, Services& services) {
    const auto& caller = person_caller(request);
    auto connection = services.pool.acquire();
    const auto organisation = engine::queries::get_or_create_organisation(*connection);
    return json_reply(200, engine::services::pre_enable_totp(*connection, caller.person_id,
                                                             std::string(organisation.get(0, "name"))));
}

/// After a 2FA registration Zou answers fresh tokens without the set-up restriction.
Reply with_fresh_tokens(Request& request, Services& services, engine::JsonWriter& body, const std::string& person_id) {
    const auto [access, refresh] = services.auth.issue_tokens(person_id);
    body.field("access_token", access).field("refresh_token", refresh).end_object();
    Reply reply = json_reply(200, body.take());
    if (request.from_browser()) {
        add_token_cookies(reply, services.config, access, refresh, services.config.jwt_access_seconds,
                          services.config.jwt_refresh_seconds);
    }
    return reply;
}

void write_codes(engine::JsonWriter& body, const std::vector<std::string>& codes) {
    body.key("otp_recovery_codes");
    if (codes.empty()) {
        body.null(); // the person already had codes: Zou answers None
        return;
    }
    body.begin_array();
    for (const auto& code : codes)
        body.string(code);
    body.end_array();
}

Reply enable_totp(Request& request, Services& services) {
    const auto& caller = person_caller(request);
    const std::string code = required_field(request, "totp");
    auto connection = services.pool.acquire();
    const auto codes = engine::services::enable_totp(*connection, services.config, caller.person_id, code);
    engine::JsonWriter body;
    body.begin_object();
    write_codes(body, codes);
    return with_fresh_tokens(request, services, body, caller.person_id);
}

Reply fido_challenge(Request& request, Services& services) {
    const std::string login = request.query_value("email").value_or("");
    if (login.empty())
        throw Error(ErrorKind::bad_request, "Missing required parameter: email",
                    R"({"error":true,"message":"Missing required parameter: email","data":null})");
    auto connection = services.pool.acquire();
    return json_reply(200, engine::services::fido_challenge(
                               *connection, engine::services::FidoSettings::from(services.config), login));
}

Reply pre_register_fido(Request& request, Services& services) {
    const auto& caller = person_caller(request);
    auto connection = services.pool.acquire();
    return json_reply(200, engine::services::pre_register_fido(
                               *connection, engine::services::FidoSettings::from(services.config), caller.person_id));
}

Reply register_fido(Request& request, Services& services) {
    const auto& caller = person_caller(request);
    const auto& body = request.json();
    const auto registration = body.getObject("registration_response");
    const std::string device_name = engine::optional_string(body, "device_name");
    if (!registration || device_name.empty()) {
        BodyFields fields(request);
        if (!registration)
            fields.invalid("registration_response", "Input should be a valid dictionary");
        else
            fields.invalid("device_name", "String should have at least 1 character");
        fields.check();
    }
    auto connection = services.pool.acquire();
    const auto codes = engine::services::register_fido(*connection, services.config,
                                                       engine::services::FidoSettings::from(services.config),
                                                       caller.person_id, *registration, device_name);
    engine::JsonWriter reply;
    reply.begin_object();
    write_codes(reply, codes);
    return with_fresh_tokens(request, services, reply, caller.person_id);
}

Reply unregister_fido(Request& request, Services& services) {
    const auto& caller = person_caller(request);
    const std::string device_name = required_field(request, "device_name");
    auto connection = services.pool.acquire();
    auto& c = *connection;
    if (!engine::queries::fido_enabled(c, caller.person_id))
        throw Error(ErrorKind::bad_request, "FIDO not enabled.");
    try {
        if (!engine::services::check_second_factor(c, caller.person_id, second_factor(request, services),
                                                   R"({"error":true,"message":"Wrong OTP."})"))
            throw Error(ErrorKind::bad_request, "Wrong OTP.");
    } catch (const Error& error) {
        if (error.kind() == ErrorKind::bad_request)
            throw Error(ErrorKind::bad_request, "Wrong OTP.");
        throw;
    }
    engine::services::unregister_fido(c, caller.person_id, device_name);
    return json_reply(200, R"({"success":true})");
}

Reply send_email_otp(Request& request, Services& services) {
    const std::string login = request.query_value("email").value_or("");
    if (login.empty())
        throw Error(ErrorKind::bad_request, "Missing required parameter: email",
                    R"({"error":true,"message":"Missing required parameter: email","data":null})");
    auto connection = services.pool.acquire();
    engine::services::request_email_otp(*connection, services.mailer, login);
    return json_reply(200, R"({"success":true})");
}

Reply pre_enable_email_otp(Request& request, Services& services) {
    const auto& caller = person_caller(request);
    auto connection = services.pool.acquire();
    engine::services::pre_enable_email_otp(*connection, services.mailer, caller.person_id);
    return json_reply(200, R"({"success":true})");
}

Reply enable_email_otp(Request& request, Services& services) {
    const auto& caller = person_caller(request);
    const std::string code = required_field(request, "email_otp");
    auto connection = services.pool.acquire();
    const auto codes = engine::services::enable_email_otp(*connection, services.config, caller.person_id, code);
    engine::JsonWriter body;
    body.begin_object();
    write_codes(body, codes);
    return with_fresh_tokens(request, services, body, caller.person_id);
}

Reply disable_email_otp(Request& request, Services& services) {
    const auto& caller = person_caller(request);
    auto connection = services.pool.acquire();
    engine::services::disable_email_otp(*connection, caller.person_id, second_factor(request, services));
    return json_reply(200, R"({"success":true})");
}

Reply disable_totp(Request& request, Services& services) {
    const auto& caller = person_caller(request);
    auto connection = services.pool.acquire();
    engine::services::disable_totp(*connection, caller.person_id, second_factor(request, services));
    return json_reply(200, R"({"success":true})");
}

Reply new_recovery_codes(Request& request, Services& services) {
    const auto& caller = person_caller(request);
    auto connection = services.pool.acquire();
    const auto codes = engine::services::regenerate_recovery_codes(*connection, services.config, caller.person_id,
                                                                   second_factor(request, services));
    engine::JsonWriter body;
    body.begin_object();
    write_codes(body, codes);
    body.end_object();
    return json_reply(200, body.take());
}

Reply request_password_reset(Request& request, Services& services) {
    const std::string email = required_field(request, "email");
    services.password_reset.request(email, request.header("x-forwarded-for"));
    return json_reply(200, R"({"success":"Reset token sent"})");
}

Reply apply_password_reset(Request& request, Services& services) {
    services.password_reset.apply(required_field(request, "email"), required_field(request, "token"),
                                  required_field(request, "password"), required_field(request, "password2"));
    return json_reply(200, R"({"success":true})");
}

} // namespace

RouteList auth_routes() {
    return {
        {Method::post, "/auth/login", Access::open, login},
        {Method::get, "/auth/authenticated", Access::jwt, authenticated},
        {Method::get, "/auth/refresh-token", Access::jwt_refresh, refresh_token},
        {Method::get, "/auth/logout", Access::jwt, logout},
        {Method::post, "/auth/change-password", Access::jwt, change_password},
        {Method::post, "/actions/persons/{person_id}/change-password", Access::admin, change_password_for_person},
        {Method::put, "/auth/totp", Access::jwt, pre_enable_totp},
        {Method::post, "/auth/totp", Access::jwt, enable_totp},
        {Method::del, "/auth/totp", Access::jwt, disable_totp},
        {Method::put, "/auth/recovery-codes", Access::jwt, new_recovery_codes},
        {Method::get, "/actions/persons/{person_id}/invite", Access::admin,
         [](Request& r, Services& s) {
             s.password_reset.invite(r.param("person_id"));
             return json_reply(200, R"({"success":true,"message":"Email sent"})");
         }},
        {Method::get, "/auth/fido", Access::open, fido_challenge},
        {Method::put, "/auth/fido", Access::jwt, pre_register_fido},
        {Method::post, "/auth/fido", Access::jwt, register_fido},
        {Method::del, "/auth/fido", Access::jwt, unregister_fido},
        {Method::get, "/auth/email-otp", Access::open, send_email_otp},
        {Method::put, "/auth/email-otp", Access::jwt, pre_enable_email_otp},
        {Method::post, "/auth/email-otp", Access::jwt, enable_email_otp},
        {Method::del, "/auth/email-otp", Access::jwt, disable_email_otp},
        {Method::post, "/auth/reset-password", Access::open, request_password_reset},
        {Method::put, "/auth/reset-password", Access::open, apply_password_reset},
    };
}

} // namespace slate::api
