// api/areas/people/person_admin.cpp: an admin's actions on a person (Zou's AddToDepartmentResource,
// RemoveFromDepartmentResource, ResetPasswordLinkResource,
// DisableTwoFactorAuthenticationPersonResource).

#include "api/areas/areas.h"
#include "api/body_fields.h"

#include "engine/db/pool.h"
#include "engine/json.h"
#include "engine/log.h"
#include "engine/mail.h"
#include "engine/people/person_admin.h"
#include "engine/uuid.h"

namespace slate::api {
namespace {

namespace people = engine::services;

Reply add_to_department(Request& request, Services& services) {
    BodyFields body(request);
    const std::string department = body.required_text("department_id");
    if (!department.empty() && !engine::is_uuid(department))
        body.invalid("department_id", "Input should be a valid UUID");
    body.check();
    auto connection = services.pool.acquire();
    return json_reply(201, people::add_to_department(*connection, request.param("person_id"), department,
                                                     request.caller().person_id));
}

Reply remove_from_department(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    people::remove_from_department(*connection, request.param("person_id"), request.param("department_id"),
                                   request.caller().person_id);
    Reply reply;
    reply.status = 204;
    return reply;
}

Reply reset_password_link(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    const std::string link =
        people::password_reset_link(*connection, services.config, request.caller(), request.param("person_id"));
    engine::JsonWriter out;
    out.begin_object().field("reset_password_link", link).end_object();
    return json_reply(200, out.take());
}

/// The first address of X-Forwarded-For when it reads as an IP address, as Zou keeps it.
std::string forwarded_ip(const Request& request) {
    std::string ip = request.header("x-forwarded-for");
    ip = ip.substr(0, ip.find(','));
    const auto first = ip.find_first_not_of(" \t");
    if (first == std::string::npos)
        return "";
    ip = ip.substr(first, ip.find_last_not_of(" \t") - first + 1);
    return ip.find_first_not_of("0123456789abcdefABCDEF.:") == std::string::npos ? ip : "";
}

Reply disable_two_factor(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    const auto mail = people::disable_two_factor_by_admin(*connection, request.caller(), request.param("person_id"),
                                                          forwarded_ip(request));
    log::warning("person " + request.caller().person_id + " turned off the second factors of person " +
                 request.param("person_id"));
    services.mailer.send(mail);
    return json_reply(200, R"({"success":true})");
}

} // namespace

RouteList person_admin_routes() {
    const std::string person = "/actions/persons/{person_id}";
    return {
        Route{Method::post, person + "/departments/add", Access::admin, add_to_department},
        Route{Method::del, person + "/departments/{department_id}", Access::admin, remove_from_department},
        Route{Method::post, person + "/reset-password-link", Access::admin, reset_password_link},
        Route{Method::del, person + "/disable-two-factor-authentication", Access::admin, disable_two_factor},
    };
}

} // namespace slate::api
