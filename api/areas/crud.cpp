// api/areas/crud.cpp: the /data/<collection> routes, five per model of the CRUD descriptors,
// all served by the one generic service.

#include "api/areas/areas.h"

#include "engine/config.h"
#include "engine/crud/crud_service.h"
#include "engine/crud/project_links.h"
#include "engine/db/pool.h"
#include "engine/people/notification_mails.h"

namespace slate::api {
namespace {

using engine::crud::ModelDescriptor;

Reply no_content() {
    Reply reply;
    reply.status = 204;
    reply.content_type = "text/html; charset=utf-8"; // Flask's empty 204
    return reply;
}

/// A write's JSON object; no body at all, or JSON null, is Zou's "Data are empty" (an empty
/// object is not: a PUT {} only touches updated_at).
const Poco::JSON::Object& written_data(Request& r) {
    const auto first = r.body.find_first_not_of(" \t\r\n");
    const auto last = r.body.find_last_not_of(" \t\r\n");
    if (first == std::string::npos || r.body.compare(first, last + 1 - first, "null") == 0)
        engine::crud::refuse_empty_data();
    return r.json();
}

} // namespace

RouteList crud_routes() {
    RouteList routes;
    for (const ModelDescriptor& model : engine::crud::descriptors()) {
        const ModelDescriptor* m = &model; // descriptors() lives for the whole process
        const std::string many = "/data/" + model.collection;
        const std::string one = many + "/{instance_id}";
        routes.push_back({Method::get, many, Access::jwt, [m](Request& r, Services& s) {
                              return json_reply(200, s.crud.list(*m, r.caller(), r.query));
                          }});
        routes.push_back({Method::post, many, Access::jwt, [m](Request& r, Services& s) {
                              return json_reply(201, s.crud.create(*m, r.caller(), written_data(r)));
                          }});
        routes.push_back({Method::get, one, Access::jwt, [m](Request& r, Services& s) {
                              return json_reply(200, s.crud.get(*m, r.caller(), r.param("instance_id"), r.query));
                          }});
        routes.push_back({Method::put, one, Access::jwt, [m](Request& r, Services& s) {
                              std::vector<std::string> notified;
                              std::string answer;
                              try {
                                  answer = s.crud.update(*m, r.caller(), r.param("instance_id"), written_data(r),
                                                         &notified);
                              } catch (const Error& refused) {
                                  if (!m->plain_update_refusals || refused.kind() != ErrorKind::bad_request)
                                      throw;
                                  throw Error(ErrorKind::bad_request, refused.what()); // the standard body
                              }
                              if (!notified.empty()) {
                                  auto connection = s.pool.acquire();
                                  engine::people::send_notification_mails(*connection, s.config, s.mailer, notified);
                              }
                              return json_reply(200, std::move(answer));
                          }});
        routes.push_back({Method::del, one, Access::jwt, [m](Request& r, Services& s) {
                              engine::storage::remove_deleted_files(
                                  s.files, s.crud.remove(*m, r.caller(), r.param("instance_id"), r.query),
                                  s.config.remove_files);
                              return no_content();
                          }});
    }
    using namespace engine::crud;
    // Built through a function taking the path by value: GCC 12 warns falsely (-Warray-bounds)
    // on braced Routes holding long literals.
    auto add = [&routes](Method method, std::string path, Handler handler) {
        routes.push_back(Route{method, std::move(path), Access::jwt, std::move(handler)});
    };
    add(Method::post, "/data/task-type-links",
        [](Request& r, Services& s) { return json_reply(201, link_task_type(s.pool, r.caller(), r.json())); });
    add(Method::post, "/data/task-status-links",
        [](Request& r, Services& s) { return json_reply(201, link_task_status(s.pool, r.caller(), r.json())); });
    add(Method::post, "/actions/projects/{project_id}/task-type-links/reorder", [](Request& r, Services& s) {
        return json_reply(200, reorder_project_task_types(s.pool, r.caller(), r.param("project_id"), r.json()));
    });
    add(Method::post, "/actions/projects/{project_id}/task-status-links/reorder", [](Request& r, Services& s) {
        return json_reply(200, reorder_project_task_statuses(s.pool, r.caller(), r.param("project_id"), r.json()));
    });
    add(Method::post, "/actions/task-types/reorder",
        [](Request& r, Services& s) { return json_reply(200, reorder_task_types(s.pool, r.caller(), r.json())); });
    return routes;
}

} // namespace slate::api
