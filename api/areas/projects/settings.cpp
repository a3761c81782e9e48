// api/areas/projects/settings.cpp: what a production uses from the studio's lists: task types
// (with their priority), task statuses, asset types, status automations, preview background
// files, and the batch the production settings page sends.

#include "api/areas/projects/project_bodies.h"
#include "api/areas/projects/project_routes.h"

#include "engine/access.h"
#include "engine/db/pool.h"
#include "engine/people/auth_service.h"
#include "engine/production/settings.h"

#include <Poco/JSON/Object.h>

namespace slate::api::projects {
namespace {

using engine::access::Check;
using engine::access::SubjectKind;
using engine::production::Setting;

engine::access::Subject managed_project(Request& request, engine::db::Connection& c) {
    auto project = engine::access::load_subject(c, SubjectKind::project, request.param("project_id"));
    engine::access::check_subject(request.caller(), c, project, Check::manager);
    return project;
}

/// The route loads the project and checks the access the list needs.
Handler list_of(Setting setting) {
    return [setting](Request& request, Services& services) {
        auto lease = services.pool.acquire();
        return json_reply(200, engine::production::settings_json(*lease, request.subject().project_id, setting));
    };
}

/// POST {<key>: id}: links the row, answers the project (201).
Handler add(Setting setting, std::string key) {
    return [setting, key](Request& request, Services& services) {
        BodyFields body(request);
        const std::string id = body.required_text(key);
        std::optional<long long> priority;
        if (setting == Setting::task_type)
            priority = body.optional_integer("priority");
        body.check();
        auto lease = services.pool.acquire();
        const auto project = managed_project(request, *lease);
        return json_reply(201, engine::production::add_setting(*lease, request.caller().person_id, project.id, setting,
                                                               id, priority));
    };
}

Handler remove(Setting setting, std::string param) {
    return [setting, param](Request& request, Services& services) {
        auto lease = services.pool.acquire();
        const auto project = managed_project(request, *lease);
        engine::production::remove_setting(*lease, request.caller().person_id, project.id, setting,
                                           request.param(param));
        return no_content();
    };
}

/// ProjectSettingsBatchSchema: task_types [{task_type_id, priority}], task_status_ids,
/// asset_type_ids, replace_task_types.
Reply batch(Request& request, Services& services) {
    BodyFields body(request);
    std::vector<engine::production::TaskTypeChoice> task_types;
    if (const auto list = array_member(request, body, "task_types"))
        for (unsigned index = 0; index < list->size(); ++index) {
            const std::string field = "task_types." + std::to_string(index);
            const auto item = list->getObject(index);
            if (!item) {
                body.invalid(field, "Input should be a valid dictionary or instance of ProjectTaskTypeSchema");
                continue;
            }
            engine::production::TaskTypeChoice choice;
            if (!item->has("task_type_id"))
                body.invalid(field + ".task_type_id", "Field required");
            else if (!item->get("task_type_id").isString())
                body.invalid(field + ".task_type_id", "Input should be a valid string");
            else if ((choice.task_type_id = item->getValue<std::string>("task_type_id")).empty())
                body.invalid(field + ".task_type_id", "String should have at least 1 character");
            if (item->has("priority") && !item->isNull("priority")) {
                const auto priority = item->get("priority");
                if (priority.isInteger())
                    choice.priority = priority.convert<long long>();
                else
                    body.invalid(field + ".priority", "Input should be a valid integer");
            }
            task_types.push_back(choice);
        }
    const auto task_status_ids = text_list(request, body, "task_status_ids");
    const auto asset_type_ids = text_list(request, body, "asset_type_ids");
    const bool replace = body.boolean("replace_task_types", false);
    body.check();
    auto lease = services.pool.acquire();
    const auto project = managed_project(request, *lease);
    return json_reply(200, engine::production::update_settings(*lease, request.caller().person_id, project.id,
                                                               task_types, task_status_ids, asset_type_ids, replace));
}

} // namespace

RouteList settings_routes() {
    const std::string settings = "/data/projects/{project_id}/settings";
    RouteList routes;
    auto add_route = [&routes](Method method, std::string path, Handler handler) {
        routes.push_back(Route{method, std::move(path), Access::jwt, std::move(handler)});
    };
    auto list_route = [&routes](std::string path, Setting setting, Check check) {
        routes.push_back(Route{Method::get, std::move(path), Access::jwt, list_of(setting)}.loads(SubjectKind::project,
                                                                                                  "project_id", check));
    };
    list_route("/data/projects/{project_id}/task-types", Setting::task_type, Check::project_access);
    add_route(Method::post, settings + "/asset-types", add(Setting::asset_type, "asset_type_id"));
    add_route(Method::del, settings + "/asset-types/{asset_type_id}", remove(Setting::asset_type, "asset_type_id"));
    list_route(settings + "/task-types", Setting::task_type, Check::project_access); // gazu 1.1.12
    add_route(Method::post, settings + "/task-types", add(Setting::task_type, "task_type_id"));
    add_route(Method::del, settings + "/task-types/{task_type_id}", remove(Setting::task_type, "task_type_id"));
    list_route(settings + "/task-status", Setting::task_status, Check::project_access);
    add_route(Method::post, settings + "/task-status", add(Setting::task_status, "task_status_id"));
    add_route(Method::del, settings + "/task-status/{task_status_id}", remove(Setting::task_status, "task_status_id"));
    list_route(settings + "/status-automations", Setting::status_automation, Check::manager);
    add_route(Method::post, settings + "/status-automations", add(Setting::status_automation, "status_automation_id"));
    add_route(Method::del, settings + "/status-automations/{status_automation_id}",
              remove(Setting::status_automation, "status_automation_id"));
    list_route(settings + "/preview-background-files", Setting::preview_background_file, Check::project_access);
    add_route(Method::post, settings + "/preview-background-files",
              add(Setting::preview_background_file, "preview_background_file_id"));
    add_route(Method::del, settings + "/preview-background-files/{preview_background_file_id}",
              remove(Setting::preview_background_file, "preview_background_file_id"));
    add_route(Method::post, settings + "/batch", batch);
    return routes;
}

} // namespace slate::api::projects
