// api/areas/tasks/tasks.cpp: a task's page, comments and who works on it (Zou's
// TaskFullResource, TaskCommentsResource, TaskAssignResource, TasksAssignResource,
// ClearAssignationResource), its time spents per person and day (GetTimeSpentResource,
// GetTimeSpentDateResource, SetTimeSpentResource, AddTimeSpentResource), a production's tasks,
// comments and previews, and the admins' lists of its subscriptions and notifications.

#include "api/areas/user/user_areas.h"
#include "api/body_fields.h"

#include "engine/db/pool.h"
#include "engine/production/production_common.h"
#include "engine/json.h"
#include "engine/uuid.h"
#include "engine/tasks/assignments.h"
#include "engine/tasks/open_tasks.h"
#include "engine/tasks/project_lists.h"
#include "engine/tasks/task_comments.h"
#include "engine/tasks/task_full.h"
#include "engine/tasks/time_spents.h"
#include "engine/people/user_assignments.h"
#include "engine/people/notification_mails.h"
#include "engine/people/user_notifications.h"
#include "engine/people/user_todos.h"

#include <regex>

namespace slate::api {
namespace {

namespace tasks = engine::tasks;
using engine::access::Check;
using engine::access::SubjectKind;

[[noreturn]] void assignee_missing() {
    throw Error(ErrorKind::bad_request, "Assignee doesn't exist in database.",
                R"({"error": "Assignee doesn't exist in database."})");
}

Reply full_task(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    return json_reply(200, tasks::full_task_json(*connection, request.subject().id, request.caller().person_id));
}

Reply assign_task(Request& request, Services& services) {
    BodyFields body(request);
    const std::string person = body.required_text("person_id");
    body.check();
    auto connection = services.pool.acquire();
    const auto project = tasks::task_project(*connection, request.param("task_id"));
    if (!project)
        throw_not_found(not_found_message);
    try {
        tasks::require_not_bot(*connection, person, project);
    } catch (const tasks::AssigneeMissing&) {
        assignee_missing();
    }
    if (!tasks::may_assign(*connection, request.caller(), request.param("task_id"), person))
        throw_forbidden();
    std::vector<std::string> notified;
    std::string task = tasks::assign(*connection, request.caller(), request.param("task_id"), person, notified);
    tasks::add_team_member(*connection, *project, person);
    engine::people::send_notification_mails(*connection, services.config, services.mailer, notified);
    return json_reply(200, std::move(task));
}

Reply assign_tasks(Request& request, Services& services) {
    BodyFields body(request);
    const auto ids = required_ids(request, body, "task_ids");
    body.check();
    const std::string& person = request.param("person_id");
    auto connection = services.pool.acquire();
    engine::JsonWriter out;
    out.begin_array();
    std::optional<std::string> first_project;
    std::vector<std::string> notified;
    for (const auto& id : ids) {
        const auto project = tasks::task_project(*connection, id);
        if (!project)
            continue; // unknown tasks are skipped, as Zou does
        try {
            tasks::require_not_bot(*connection, person, project);
        } catch (const tasks::AssigneeMissing&) {
            assignee_missing();
        } catch (const Error& e) {
            if (e.kind() == ErrorKind::forbidden)
                continue;
            throw;
        }
        if (!tasks::may_assign(*connection, request.caller(), id, person))
            continue;
        out.raw(tasks::assign(*connection, request.caller(), id, person, notified));
        if (!first_project)
            first_project = project;
    }
    out.end_array();
    if (first_project)
        tasks::add_team_member(*connection, *first_project, person);
    engine::people::send_notification_mails(*connection, services.config, services.mailer, notified);
    return json_reply(200, out.take());
}

Reply clear_assignation(Request& request, Services& services) {
    BodyFields body(request);
    const auto ids = required_ids(request, body, "task_ids");
    const auto person = body.optional_text("person_id");
    body.check();
    auto connection = services.pool.acquire();
    engine::JsonWriter out;
    out.begin_array();
    for (const auto& id : ids) {
        if (!tasks::may_unassign(*connection, request.caller(), id, person))
            continue; // refused or unknown: skipped, as Zou does
        tasks::clear_assignation(*connection, id, person);
        out.string(id);
    }
    out.end_array();
    return json_reply(200, out.take());
}

/// SetTasksPrioritySchema: task ids and a priority of at least 0; tasks unknown or refused are
/// skipped, as Zou does.
Reply set_priority(Request& request, Services& services) {
    BodyFields body(request);
    const auto ids = required_ids(request, body, "task_ids");
    std::optional<long long> priority;
    if (!body_sets(request, "priority"))
        body.invalid("priority", "Field required");
    else if ((priority = body.optional_integer("priority")) && *priority < 0)
        body.invalid("priority", "Input should be greater than or equal to 0");
    else if (!priority)
        body.invalid("priority", "Input should be a valid integer");
    body.check();
    auto connection = services.pool.acquire();
    engine::JsonWriter out;
    out.begin_array();
    for (const auto& id : ids)
        if (tasks::may_set_priority(*connection, request.caller(), id))
            out.raw(tasks::set_priority(*connection, request.caller(), id, *priority));
    out.end_array();
    return json_reply(200, out.take());
}

Reply time_spents(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    return json_reply(200, tasks::task_time_spents_json(*connection, request.subject().id, std::nullopt));
}

Reply day_time_spents(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    return json_reply(200, tasks::task_time_spents_json(*connection, request.subject().id, request.param("date")));
}

/// The path's date as Zou's get_date_from_string reads it.
void check_day(const std::string& date) {
    static const std::regex day(R"(\d{4}-\d{1,2}-\d{1,2})");
    if (!std::regex_match(date, day))
        throw_wrong_parameter("Invalid date format.");
}

Handler write_time_spent(bool add) {
    return [add](Request& request, Services& services) {
        const std::string& task = request.param("task_id");
        const std::string& person = request.param("person_id");
        auto connection = services.pool.acquire();
        const auto project = tasks::task_project(*connection, task);
        if (!project)
            throw_not_found(not_found_message);
        try {
            tasks::require_not_bot(*connection, person, project);
        } catch (const tasks::AssigneeMissing&) {
            throw_not_found(not_found_message);
        }
        BodyFields body(request);
        const auto duration = positive_number(request, body, "duration");
        body.check();
        tasks::require_time_spent_access(*connection, request.caller(), task, person);
        check_day(request.param("date"));
        try {
            return json_reply(201, tasks::set_time_spent(*connection, request.caller(), task, person,
                                                         request.param("date"), *duration, add));
        } catch (const engine::db::DbError& e) {
            if (e.kind() != ErrorKind::bad_request)
                throw;
            throw_wrong_parameter("Invalid date format."); // 2026-02-30 and the like
        }
    };
}

Reply delete_time_spent(Request& request, Services& services) {
    const std::string& task = request.param("task_id");
    const std::string& person = request.param("person_id");
    auto connection = services.pool.acquire();
    try {
        tasks::require_not_bot(*connection, person, std::nullopt);
    } catch (const tasks::AssigneeMissing&) {
        throw_not_found(not_found_message);
    }
    tasks::require_time_spent_access(*connection, request.caller(), task, person);
    check_day(request.param("date"));
    try {
        return json_reply(201,
                          tasks::delete_time_spent(*connection, request.caller(), task, person, request.param("date")));
    } catch (const engine::db::DbError& e) {
        if (e.kind() != ErrorKind::bad_request)
            throw;
        throw_wrong_parameter("Invalid date format.");
    }
}

Reply task_comments(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    const auto& task = request.subject();
    const std::string role = engine::access::effective_role(request.caller(), *connection, task.project_id);
    return json_reply(200, tasks::task_comments_json(*connection, request.caller(), task.id, role));
}

/// One comment of the task. (Zou hands check_comment_access the comment instead of its id, so
/// it answers 500 to all but admins; its rule is applied here as written.)
Reply task_comment(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    const auto& comment = request.subject();
    if (comment.task_id != request.param("task_id"))
        throw_not_found(not_found_message);
    tasks::require_comment_access(*connection, request.caller(), comment.id);
    return json_reply(200, tasks::task_comment_json(*connection, request.param("task_id"), comment.id));
}

/// ArgsMixin.get_integer_parameter.
int64_t integer_query(const Request& request, const std::string& name, int64_t fallback) {
    const auto text = request.query_value(name);
    if (!text)
        return fallback;
    try {
        std::size_t used = 0;
        const int64_t value = std::stoll(*text, &used);
        if (used == text->size())
            return value;
    } catch (const std::exception&) {
    }
    throw_bad_request(name + " must be an integer.");
}

tasks::Paging paging_of(const Request& request, bool with_limit) {
    return tasks::Paging{integer_query(request, "page", -1), with_limit ? integer_query(request, "limit", 0) : 0};
}

Reply project_tasks(Request& request, Services& services) {
    const auto paging = paging_of(request, false);
    auto connection = services.pool.acquire();
    return json_reply(200, tasks::project_tasks_json(*connection, request.caller(), request.subject().id,
                                                     request.query_value("task_type_id"),
                                                     request.query_value("episode_id"), paging));
}

Reply project_comments(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    const std::string role =
        engine::access::effective_role(request.caller(), *connection, request.subject().project_id);
    if (role == "vendor" || role == "client")
        throw_forbidden();
    const auto paging = paging_of(request, true);
    return json_reply(200, tasks::project_comments_json(*connection, request.subject().id, paging));
}

Reply project_preview_files(Request& request, Services& services) {
    const auto paging = paging_of(request, false);
    auto connection = services.pool.acquire();
    return json_reply(200, tasks::project_preview_files_json(*connection, request.subject().id, paging));
}

Reply task_previews(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    return json_reply(200, tasks::task_previews_json(*connection, request.subject().id));
}

Reply entity_task_type_tasks(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    return json_reply(
        200, tasks::entity_task_type_tasks_json(*connection, request.subject().id, request.param("task_type_id")));
}

Reply open_tasks(Request& request, Services& services) {
    engine::user::OpenTaskFilters filters;
    filters.project_id = request.query_value("project_id");
    filters.task_type_id = request.query_value("task_type_id");
    filters.task_status_id = request.query_value("task_status_id");
    filters.person_id = request.query_value("person_id");
    filters.studio_id = request.query_value("studio_id");
    filters.department_id = request.query_value("department_id");
    filters.start_date = request.query_value("start_date");
    filters.due_date = request.query_value("due_date");
    filters.priority = request.query_value("priority");
    filters.page = integer_query(request, "page", 0);
    filters.limit = integer_query(request, "limit", 100);
    if (filters.limit < 1)
        throw_bad_request("limit must be a positive integer.");
    auto connection = services.pool.acquire();
    return json_reply(200, engine::user::open_tasks_json(*connection, request.caller(), filters));
}

Reply persons_task_dates(Request& request, Services& services) {
    auto project = request.query_value("project_id");
    if (project) { // blank is no filter
        const auto first = project->find_first_not_of(" \t\r\n");
        project =
            first == std::string::npos
                ? std::nullopt
                : std::optional<std::string>(project->substr(first, project->find_last_not_of(" \t\r\n") - first + 1));
    }
    if (project && !engine::is_uuid(*project))
        throw_bad_request("Invalid project_id.");
    const auto& caller = request.caller();
    auto connection = services.pool.acquire();
    if (caller.role != "admin") {
        if (caller.role != "manager" && caller.role != "supervisor")
            throw_forbidden();
        if (project && !engine::access::has_project_access(caller, *connection, *project))
            throw_forbidden();
    }
    return json_reply(200, tasks::persons_task_dates_json(*connection, caller, project));
}

Reply open_tasks_stats(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    return json_reply(200, tasks::open_tasks_stats_json(*connection, request.caller()));
}

Reply project_subscriptions(Request& request, Services& services) {
    auto connection = services.pool.acquire();
    engine::user::require_project(*connection, request.param("project_id"));
    return json_reply(200, engine::user::project_subscriptions_json(*connection, request.param("project_id")));
}

Reply project_notifications(Request& request, Services& services) {
    const int64_t page = integer_query(request, "page", -1);
    auto connection = services.pool.acquire();
    engine::user::require_project(*connection, request.param("project_id"));
    return json_reply(200, engine::user::project_notifications_json(*connection, request.param("project_id"), page));
}

} // namespace

RouteList task_routes() {
    const std::string spent = "/actions/tasks/{task_id}/time-spents/{date}/persons/{person_id}";
    return {
        Route{Method::get, "/data/tasks/{task_id}/full", Access::jwt, full_task}.loads(SubjectKind::task, "task_id",
                                                                                       Check::entity_access),
        Route{Method::get, "/data/tasks/{task_id}/comments", Access::jwt, task_comments}.loads(
            SubjectKind::task, "task_id", Check::task_access),
        Route{Method::get, "/data/tasks/{task_id}/comments/{comment_id}", Access::jwt, task_comment}.loads(
            SubjectKind::comment, "comment_id"),
        Route{Method::put, "/actions/tasks/{task_id}/assign", Access::jwt, assign_task},
        Route{Method::put, "/actions/persons/{person_id}/assign", Access::jwt, assign_tasks},
        Route{Method::put, "/actions/tasks/clear-assignation", Access::jwt, clear_assignation},
        Route{Method::put, "/actions/tasks/set-priority", Access::jwt, set_priority},
        Route{Method::get, "/actions/tasks/{task_id}/time-spents", Access::jwt, time_spents}.loads(
            SubjectKind::task, "task_id", Check::task_access),
        Route{Method::get, "/actions/tasks/{task_id}/time-spents/{date}", Access::jwt, day_time_spents}.loads(
            SubjectKind::task, "task_id", Check::task_access),
        Route{Method::post, spent, Access::jwt, write_time_spent(false)},
        Route{Method::post, spent + "/add", Access::jwt, write_time_spent(true)},
        Route{Method::del, spent, Access::jwt, delete_time_spent},
        Route{Method::get, "/data/projects/{project_id}/subscriptions", Access::admin, project_subscriptions},
        Route{Method::get, "/data/tasks/open-tasks", Access::jwt, open_tasks},
        Route{Method::get, "/data/persons/task-dates", Access::jwt, persons_task_dates},
        Route{Method::get, "/data/tasks/open-tasks/stats", Access::jwt, open_tasks_stats},
        Route{Method::get, "/data/projects/{project_id}/tasks", Access::jwt, project_tasks}.loads(
            SubjectKind::project, "project_id", Check::project_access),
        Route{Method::get, "/data/projects/{project_id}/comments", Access::jwt, project_comments}.loads(
            SubjectKind::project, "project_id", Check::project_access),
        Route{Method::get, "/data/projects/{project_id}/preview-files", Access::admin, project_preview_files}.loads(
            SubjectKind::project, "project_id"),
        Route{Method::get, "/data/tasks/{task_id}/previews", Access::jwt, task_previews}.loads(
            SubjectKind::task, "task_id", Check::task_access),
        Route{Method::get, "/data/entities/{entity_id}/task-types/{task_type_id}/tasks", Access::jwt,
              entity_task_type_tasks}
            .loads(SubjectKind::entity, "entity_id", Check::project_access),
        Route{Method::get, "/data/projects/{project_id}/notifications", Access::admin, project_notifications},
    };
}

} // namespace slate::api
