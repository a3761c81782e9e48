// api/areas/projects/budgets.cpp: a production's budgets and their entries, for its managers.
// Ids are checked first (Zou's check_id_parameter, 400), then the project and the caller.

#include "api/areas/projects/project_bodies.h"
#include "api/areas/projects/project_routes.h"

#include "engine/access.h"
#include "engine/db/pool.h"
#include "engine/json.h"
#include "engine/models/catalog.h"
#include "engine/people/auth_service.h"
#include "engine/production/budgets.h"
#include "engine/uuid.h"

#include <Poco/JSON/Object.h>

#include <cmath>

namespace slate::api::projects {
namespace {

using engine::access::Check;
using engine::access::SubjectKind;
namespace production = engine::production;

/// Checks the path's ids, then loads the project and checks manager access.
std::string managed_project(Request& request, engine::db::Connection& c,
                            std::initializer_list<const char*> other_ids = {}) {
    check_id_parameter(request.param("project_id"));
    for (const char* name : other_ids)
        check_id_parameter(request.param(name));
    auto project = engine::access::load_subject(c, SubjectKind::project, request.param("project_id"));
    engine::access::check_subject(request.caller(), c, project, Check::manager);
    return project.id;
}

Reply list_budgets(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    return json_reply(200, production::budgets_json(*lease, managed_project(request, *lease)));
}

/// `Optional[str]`, at most `length` characters (the column's).
std::optional<std::string> bounded_text(BodyFields& body, const std::string& name, std::size_t length) {
    auto value = body.optional_text(name);
    if (value && value->size() > length)
        body.invalid(name, "String should have at most " + std::to_string(length) + " characters");
    return value;
}

Reply create_budget(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    const std::string project = managed_project(request, *lease);
    BodyFields body(request);
    const std::string name = body.required_text("name");
    // Optional[str] = "USD": absent is USD, null is null.
    const bool sent = request.json().has("currency");
    auto currency = bounded_text(body, "currency", 3);
    body.check();
    if (!sent)
        currency = "USD";
    return json_reply(200, production::create_budget(*lease, request.caller().person_id, project, name, currency));
}

Reply get_budget(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    const std::string project = managed_project(request, *lease, {"budget_id"});
    return json_reply(200, production::budget_json(*lease, project, request.param("budget_id")));
}

Reply update_budget(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    const std::string project = managed_project(request, *lease, {"budget_id"});
    BodyFields body(request);
    const auto name = body.optional_text("name");
    const auto currency = bounded_text(body, "currency", 3);
    body.check();
    return json_reply(200, production::update_budget(*lease, request.caller().person_id, project,
                                                     request.param("budget_id"), name, currency));
}

Reply delete_budget(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    const std::string project = managed_project(request, *lease, {"budget_id"});
    production::delete_budget(*lease, request.caller().person_id, project, request.param("budget_id"));
    return no_content();
}

/// `Optional[float]`.
std::optional<double> optional_number(Request& request, BodyFields& body, const std::string& name) {
    const auto& object = request.json();
    if (!object.has(name) || object.isNull(name))
        return std::nullopt;
    const auto value = object.get(name);
    if (value.isNumeric() && !value.isBoolean())
        return value.convert<double>();
    if (value.isString()) {
        try {
            std::size_t used = 0;
            const std::string text = value.extract<std::string>();
            const double number = std::stod(text, &used);
            if (used == text.size())
                return number;
        } catch (const std::exception&) {
        }
    }
    body.invalid(name, "Input should be a valid number");
    return std::nullopt;
}

/// `Optional[str]` of a choice column: one of the column's choices (the database would take any
/// text, which Zou then cannot read back).
std::optional<std::string> entry_choice(BodyFields& body, const std::string& name) {
    auto value = body.optional_text(name);
    if (!value)
        return value;
    // Zou's POSITION_TYPES and SENIORITY_TYPES, which the catalog spells out on the person.
    const auto& choices = engine::models::table("person").column(name)->choices;
    std::string expected;
    for (std::size_t index = 0; index < choices.size(); ++index) {
        if (*value == choices[index])
            return value;
        expected += (index == 0 ? "" : index + 1 == choices.size() ? " or " : ", ") + ("'" + choices[index] + "'");
    }
    body.invalid(name, "Input should be " + expected);
    return std::nullopt;
}

/// Zou's _clean_exceptions: months with a positive whole number of days (numbers are cut to
/// integers as int() does); null and zero entries dropped.
std::string clean_exceptions(Request& request, BodyFields& body) {
    engine::JsonWriter out;
    out.begin_object();
    const auto& object = request.json();
    if (object.has("exceptions") && !object.isNull("exceptions")) {
        const auto exceptions = object.getObject("exceptions");
        if (!exceptions)
            body.invalid("exceptions", "Input should be a valid dictionary");
        else
            for (const auto& [month, value] : *exceptions) {
                if (value.isEmpty())
                    continue;
                long long days = 0;
                try {
                    if (value.isBoolean())
                        days = value.extract<bool>() ? 1 : 0;
                    else if (value.isString())
                        days = std::stoll(value.extract<std::string>());
                    else
                        days = static_cast<long long>(std::trunc(value.convert<double>()));
                } catch (const std::exception&) {
                    body.invalid("exceptions." + month, "Input should be a valid integer");
                    continue;
                }
                if (days > 0)
                    out.key(month).number(static_cast<int64_t>(days));
            }
    }
    out.end_object();
    return out.take();
}

/// BudgetEntrySchema / BudgetEntryUpdateSchema. The columns the database requires are required
/// here too (Zou lets the database refuse them with a 500).
production::BudgetEntryFields entry_fields(Request& request, BodyFields& body, bool creating) {
    production::BudgetEntryFields fields;
    fields.department_id =
        creating ? std::optional(body.required_text("department_id")) : body.optional_text("department_id");
    fields.person_id = body.optional_text("person_id");
    fields.start_date = body.optional_date("start_date");
    fields.months_duration = body.optional_integer("months_duration");
    fields.daily_salary = optional_number(request, body, "daily_salary");
    fields.position = entry_choice(body, "position");
    fields.seniority = entry_choice(body, "seniority");
    if (!creating)
        fields.exceptions_json = clean_exceptions(request, body);
    const auto& object = request.json();
    for (const char* name : {"department_id", "start_date", "months_duration", "daily_salary"})
        if (!object.has(name) || object.isNull(name)) {
            if (creating && std::string(name) == "department_id")
                continue; // required_text has said it
            body.invalid(name, "Field required");
        }
    for (auto* id : {&fields.department_id, &fields.person_id})
        if (*id && !(*id)->empty() && !engine::is_uuid(**id))
            body.invalid(id == &fields.department_id ? "department_id" : "person_id", "Input should be a valid UUID");
    return fields;
}

Reply list_entries(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    const std::string project = managed_project(request, *lease, {"budget_id"});
    return json_reply(200, production::budget_entries_json(*lease, project, request.param("budget_id")));
}

Reply create_entry(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    const std::string project = managed_project(request, *lease, {"budget_id"});
    BodyFields body(request);
    const auto fields = entry_fields(request, body, true);
    body.check();
    return json_reply(200, production::create_budget_entry(*lease, request.caller().person_id, project,
                                                           request.param("budget_id"), fields));
}

Reply get_entry(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    const std::string project = managed_project(request, *lease, {"budget_id", "entry_id"});
    return json_reply(
        200, production::budget_entry_json(*lease, project, request.param("budget_id"), request.param("entry_id")));
}

Reply update_entry(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    const std::string project = managed_project(request, *lease, {"budget_id", "entry_id"});
    BodyFields body(request);
    const auto fields = entry_fields(request, body, false);
    body.check();
    return json_reply(200,
                      production::update_budget_entry(*lease, request.caller().person_id, project,
                                                      request.param("budget_id"), request.param("entry_id"), fields));
}

Reply delete_entry(Request& request, Services& services) {
    auto lease = services.pool.acquire();
    const std::string project = managed_project(request, *lease, {"budget_id", "entry_id"});
    production::delete_budget_entry(*lease, request.caller().person_id, project, request.param("budget_id"),
                                    request.param("entry_id"));
    return no_content();
}

} // namespace

RouteList budget_routes() {
    const std::string budgets = "/data/projects/{project_id}/budgets";
    const std::string budget = budgets + "/{budget_id}";
    const std::string entries = budget + "/entries";
    RouteList routes;
    auto add = [&routes](Method method, std::string path, Handler handler) {
        routes.push_back(Route{method, std::move(path), Access::jwt, std::move(handler)});
    };
    add(Method::get, budgets, list_budgets);
    add(Method::post, budgets, create_budget);
    add(Method::get, budget, get_budget);
    add(Method::put, budget, update_budget);
    add(Method::del, budget, delete_budget);
    add(Method::get, entries, list_entries);
    add(Method::post, entries, create_entry);
    add(Method::get, entries + "/{entry_id}", get_entry);
    add(Method::put, entries + "/{entry_id}", update_entry);
    add(Method::del, entries + "/{entry_id}", delete_entry);
    return routes;
}

} // namespace slate::api::projects
