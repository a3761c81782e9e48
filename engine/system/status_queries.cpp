#include "engine/system/status_queries.h"

namespace slate::engine::queries {

bool database_answers(db::Connection& c) {
    try {
        return c.exec("SELECT 1").rows() == 1;
    } catch (const Error&) {
        return false;
    }
}

db::Result main_stats(db::Connection& c) {
    return c.exec(R"(SELECT
        (SELECT count(*) FROM preview_file WHERE extension = 'mp4') AS number_of_video_previews,
        (SELECT count(*) FROM preview_file WHERE extension = 'png') AS number_of_picture_previews,
        (SELECT count(*) FROM preview_file WHERE extension = 'obj') AS number_of_model_previews,
        (SELECT count(*) FROM comment) AS number_of_comments)");
}

void notify_event(db::Connection& c, const std::string& payload_json) {
    c.exec("SELECT pg_notify('slate_events', $1)", {payload_json});
}

} // namespace slate::engine::queries
