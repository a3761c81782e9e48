#include "engine/production/episode_stats.h"

#include "engine/db/connection.h"
#include "engine/json.h"

#include <algorithm>
#include <array>
#include <map>

namespace slate::engine::production {
namespace {

/// count, frames and drawings of some tasks.
struct Bucket {
    int64_t count = 0, frames = 0, drawings = 0;
    void add(int64_t tasks, int64_t nb_frames, int64_t nb_drawings) {
        count += tasks;
        frames += nb_frames;
        drawings += nb_drawings;
    }
};

void write_bucket(JsonWriter& out, const Bucket& bucket) {
    out.begin_object()
        .field("count", bucket.count)
        .field("frames", bucket.frames)
        .field("drawings", bucket.drawings)
        .end_object();
}

// The project's tasks through their entity's sequence's episode. $1 project, $2 assignee.
constexpr const char* episode_tasks = R"(
    FROM task t
    JOIN project p ON p.id = t.project_id
    JOIN task_status ts ON ts.id = t.task_status_id
    JOIN entity e ON e.id = t.entity_id
    JOIN entity sequence ON sequence.id = e.parent_id
    JOIN entity episode ON episode.id = sequence.parent_id
    WHERE t.project_id = $1::uuid
      AND ($2::uuid IS NULL OR EXISTS (SELECT 1 FROM task_person_link a
                                       WHERE a.task_id = t.id AND a.person_id = $2::uuid)))";

/// A status entry: its short name and color, and its bucket.
struct StatusEntry {
    std::string name, color;
    Bucket bucket;
};
using StatusMap = std::map<std::string, StatusEntry>;

/// One retake stats entry. Buckets indexed done, retake, other.
struct RetakeEntry {
    int64_t max_retake_count = 0;
    std::map<int64_t, std::array<Bucket, 3>> evolution;
    std::array<Bucket, 3> current;
};

void write_buckets(JsonWriter& out, const std::array<Bucket, 3>& buckets) {
    out.key("done");
    write_bucket(out, buckets[0]);
    out.key("retake");
    write_bucket(out, buckets[1]);
    out.key("other");
    write_bucket(out, buckets[2]);
}

} // namespace

std::string episode_stats_json(db::Connection& c, const std::string& project_id,
                               const std::optional<std::string>& assignee) {
    const auto rows = c.exec(std::string(R"(
        SELECT episode.id::text AS episode_id, t.task_type_id::text AS task_type_id,
               t.task_status_id::text AS task_status_id, ts.short_name, ts.color, count(t.id) AS count,
               COALESCE(sum(t.nb_drawings), 0) AS drawings, COALESCE(sum(e.nb_frames), 0) AS frames)") +
                                 episode_tasks + R"(
        GROUP BY t.project_id, episode.id, t.task_type_id, t.task_status_id, ts.short_name, ts.color)",
                             {project_id, assignee});
    // episode (or "all") → task type (or "all") → status
    std::map<std::string, std::map<std::string, StatusMap>> results;
    for (int row = 0; row < rows.rows(); ++row) {
        const std::string episode(rows.get(row, "episode_id"));
        const std::string task_type = rows.optional(row, "task_type_id").value_or("None");
        const std::string status(rows.get(row, "task_status_id"));
        const std::string name = rows.optional(row, "short_name").value_or("");
        const std::string color = rows.optional(row, "color").value_or("");
        const int64_t count = rows.get_int(row, "count"), frames = rows.get_int(row, "frames"),
                      drawings = rows.get_int(row, "drawings");
        for (const auto& [key1, key2] :
             {std::pair{episode, task_type}, std::pair{episode, std::string("all")},
              std::pair{std::string("all"), task_type}, std::pair{std::string("all"), std::string("all")}}) {
            StatusEntry& entry = results[key1][key2][status];
            entry.name = name;
            entry.color = color;
            entry.bucket.add(count, frames, drawings);
        }
    }
    JsonWriter out;
    out.begin_object();
    for (const auto& [episode, task_types] : results) {
        out.key(episode).begin_object();
        for (const auto& [task_type, statuses] : task_types) {
            out.key(task_type).begin_object();
            for (const auto& [status, entry] : statuses) {
                out.key(status).begin_object().field("name", entry.name).field("color", entry.color);
                out.field("count", entry.bucket.count)
                    .field("frames", entry.bucket.frames)
                    .field("drawings", entry.bucket.drawings)
                    .end_object();
            }
            out.end_object();
        }
        out.end_object();
    }
    out.end_object();
    return out.take();
}

std::string episode_retake_stats_json(db::Connection& c, const std::string& project_id,
                                      const std::optional<std::string>& assignee) {
    const auto rows = c.exec(std::string(R"(
        SELECT episode.id::text AS episode_id, COALESCE(t.nb_drawings, 0) AS drawings,
               COALESCE(e.nb_frames, 0) AS frames, COALESCE(t.task_type_id::text, 'None') AS task_type_id,
               COALESCE(t.retake_count, 0) AS retake_count, COALESCE(ts.is_done, false) AS is_done,
               COALESCE(ts.is_retake, false) AS is_retake)") +
                                 episode_tasks,
                             {project_id, assignee});
    std::map<std::string, std::map<std::string, RetakeEntry>> results;
    results["all"]["all"];
    // The current state at the four levels, and each entry's highest retake count.
    for (int row = 0; row < rows.rows(); ++row) {
        const std::string episode(rows.get(row, "episode_id")), task_type(rows.get(row, "task_type_id"));
        const int64_t retakes = rows.get_int(row, "retake_count");
        const int state = rows.get_bool(row, "is_done") ? 0 : rows.get_bool(row, "is_retake") ? 1 : 2;
        for (const auto& [key1, key2] :
             {std::pair{std::string("all"), std::string("all")}, std::pair{std::string("all"), task_type},
              std::pair{episode, std::string("all")}, std::pair{episode, task_type}}) {
            RetakeEntry& entry = results[key1][key2];
            entry.max_retake_count = std::max(entry.max_retake_count, retakes);
            entry.current[state].add(1, rows.get_int(row, "frames"), rows.get_int(row, "drawings"));
        }
    }
    // The evolution per episode, take by take up to the entry's highest retake count: a task
    // is a retake up to its retake count, then done or other.
    for (int row = 0; row < rows.rows(); ++row) {
        const std::string episode(rows.get(row, "episode_id")), task_type(rows.get(row, "task_type_id"));
        const int64_t retakes = rows.get_int(row, "retake_count");
        const bool done = rows.get_bool(row, "is_done");
        for (const std::string& key2 : {std::string("all"), task_type}) {
            RetakeEntry& entry = results[episode][key2];
            for (int64_t take = 1; take <= entry.max_retake_count; ++take) {
                const int state = retakes > 0 && take <= retakes ? 1 : done ? 0 : 2;
                entry.evolution[take][state].add(1, rows.get_int(row, "frames"), rows.get_int(row, "drawings"));
            }
        }
    }
    JsonWriter out;
    out.begin_object();
    for (const auto& [episode, task_types] : results) {
        out.key(episode).begin_object();
        for (const auto& [task_type, entry] : task_types) {
            out.key(task_type).begin_object().field("max_retake_count", entry.max_retake_count);
            out.key("evolution").begin_object();
            for (const auto& [take, buckets] : entry.evolution) {
                out.key(std::to_string(take)).begin_object();
                write_buckets(out, buckets);
                out.end_object();
            }
            out.end_object();
            write_buckets(out, entry.current);
            out.end_object();
        }
        out.end_object();
    }
    out.end_object();
    return out.take();
}

} // namespace slate::engine::production
