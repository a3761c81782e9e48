// api/areas/people/desktop_logins.cpp: the desktop apps' presence records (Zou's DesktopLoginsResource,
// DesktopLoginLogsResource, PresenceLogsResource): a person's desktop logins, written by the
// apps and read by the person and managers, each updating the person's last presence, and
// the monthly presence sheet as CSV.

#include "api/areas/areas.h"
#include "api/body_fields.h"

#include "engine/db/pool.h"
#include "engine/json.h"
#include "engine/people/auth_service.h"
#include "engine/people/desktop_login_queries.h"
#include "engine/people/person_queries.h"
#include "engine/serialize.h"

#include <regex>

namespace slate::api {
namespace {

using engine::db::Connection;

void person_or_404(Connection& c, const std::string& person_id) {
    if (!engine::queries::person_exists(c, person_id))
        throw_not_found(not_found_message);
}

const std::string& person_of_caller(const Request& request) {
    const auto& caller = request.caller();
    if (caller.claims.identity_type != "person" && caller.claims.identity_type != "person_api" &&
        caller.claims.identity_type != "bot")
        throw_forbidden();
    return caller.person_id;
}

std::string logs_json(Connection& c, const std::string& person_id) {
    return engine::rows_json(engine::queries::desktop_login_logs(c, person_id), "DesktopLoginLog");
}

/// The `date` of a new log: Zou's two formats, or now (UTC) when absent or null.
std::optional<std::string> log_date(Request& request) {
    BodyFields body(request);
    const auto date = body.optional_text("date");
    std::optional<std::string> stamp;
    if (date && !date->empty()) {
        static const std::regex with_time(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})");
        static const std::regex day_only(R"(\d{4}-\d{2}-\d{2})");
        if (std::regex_match(*date, with_time))
            stamp = *date;
        else if (std::regex_match(*date, day_only))
            stamp = *date + "T00:00:00";
        else
            body.invalid("date", "Value error, Wrong date format. Expected: 2020-01-05T13:23:10 or 2020-01-05");
    }
    body.check();
    return stamp;
}

/// Writes a log and the person's last presence (the latest desktop login or time spent).
std::string add_log(Connection& c, const std::string& person_id, const std::optional<std::string>& date) {
    return engine::row_json(engine::queries::add_desktop_login_log(c, person_id, date), 0, "DesktopLoginLog");
}

Reply person_logs(Request& request, Services& services) {
    const std::string person_id = request.param("person_id");
    const auto& caller = request.caller();
    auto connection = services.pool.acquire();
    person_or_404(*connection, person_id);
    if (caller.person_id != person_id && caller.role != "admin" && caller.role != "manager")
        throw_forbidden();
    return json_reply(200, logs_json(*connection, person_id));
}

Reply add_person_log(Request& request, Services& services) {
    const std::string person_id = request.param("person_id");
    const auto date = log_date(request); // validated first, as Zou
    const auto& caller = request.caller();
    auto connection = services.pool.acquire();
    person_or_404(*connection, person_id);
    if (caller.person_id != person_id && caller.role != "admin")
        throw_forbidden();
    return json_reply(201, add_log(*connection, person_id, date));
}

Reply own_logs(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    return json_reply(200, logs_json(*connection, person_of_caller(request)));
}

Reply add_own_log(Request& request, Services& services) {
    const auto date = log_date(request);
    auto connection = services.pool.acquire();
    return json_reply(201, add_log(*connection, person_of_caller(request), date));
}

/// GET /data/persons/presence-logs/<YYYY-MM>: a row per active person, an X on each day of
/// the month with a desktop login.
Reply presence_sheet(Request& request, Services& services) {
    static const std::regex month_pattern(R"((\d{4})-(\d{1,2}))");
    std::smatch parts;
    const std::string month_text = request.param("month_date");
    if (!std::regex_match(month_text, parts, month_pattern) || std::stoi(parts[2]) < 1 || std::stoi(parts[2]) > 12)
        throw Error(ErrorKind::bad_request, "Invalid month or year.",
                    R"({"error":true,"message":"Invalid month or year.","data":null})");
    const int year = std::stoi(parts[1]), month = std::stoi(parts[2]);
    auto connection = services.pool.acquire();
    const auto presence = engine::queries::month_presence(*connection, year, month);
    const int days = presence.days_in_month;
    std::string csv = std::to_string(year);
    for (int day = 1; day <= days; ++day)
        csv += ";" + std::to_string(day);
    csv += "\r\n";
    for (const auto& row : presence.rows) {
        std::vector<bool> present(static_cast<size_t>(days) + 1, false);
        for (const int day : row.days)
            if (day >= 1 && day <= days)
                present[static_cast<size_t>(day)] = true;
        std::string name = row.first_name + " " + row.last_name;
        if (name.find_first_of(";\"\r\n") != std::string::npos) { // quoted as Python's csv writer does
            std::string quoted = "\"";
            for (const char ch : name)
                quoted += ch == '"' ? std::string("\"\"") : std::string(1, ch);
            name = quoted + "\"";
        }
        csv += name;
        for (int day = 1; day <= days; ++day)
            csv += present[static_cast<size_t>(day)] ? ";X" : ";";
        csv += "\r\n";
    }
    Reply reply;
    reply.body = csv;
    reply.content_type = "text/csv";
    reply.headers.emplace_back("Content-Disposition", "attachment; filename=kitsu_export.csv");
    return reply;
}

} // namespace

RouteList desktop_login_routes() {
    RouteList routes;
    auto add = [&routes](Method method, std::string path, Access access, Handler handler) {
        routes.push_back(Route{method, std::move(path), access, std::move(handler)});
    };
    add(Method::get, "/data/persons/{person_id}/desktop-login-logs", Access::jwt, person_logs);
    add(Method::post, "/data/persons/{person_id}/desktop-login-logs", Access::jwt, add_person_log);
    add(Method::get, "/data/user/desktop-login-logs", Access::jwt, own_logs);
    add(Method::post, "/data/user/desktop-login-logs", Access::jwt, add_own_log);
    add(Method::get, "/data/persons/presence-logs/{month_date}", Access::admin, presence_sheet);
    return routes;
}

} // namespace slate::api
