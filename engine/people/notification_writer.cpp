#include "engine/people/notification_writer.h"

#include "engine/crud/queries.h"
#include "engine/db/connection.h"
#include "engine/json.h"

namespace slate::engine::people {

std::string write_notification(db::Connection& c, const NewNotification& n) {
    const auto row = c.exec_prepared(R"(INSERT INTO notification (id, read, change, type, person_id, author_id, task_id,
                                   comment_id, reply_id, playlist_id, created_at, updated_at)
                               VALUES (gen_random_uuid(), false, $1::boolean, $2, $3::uuid, $4::uuid, $5::uuid,
                                       $6::uuid, $7::uuid, $8::uuid,
                                       COALESCE($9::timestamp, now() AT TIME ZONE 'utc'), now() AT TIME ZONE 'utc')
                               RETURNING id)",
                            {n.change ? "true" : "false", n.type, n.person_id, n.author_id, n.task_id, n.comment_id,
                             n.reply_id, n.playlist_id, n.created_at});
    const std::string id(row.get(0, 0));
    JsonWriter live;
    live.begin_object()
        .field("notification_id", id)
        .field("person_id", n.person_id)
        .field("project_id", n.project_id)
        .end_object();
    queries::signal_event(c, "notification:new", n.project_id, live.take());
    return id;
}

} // namespace slate::engine::people
