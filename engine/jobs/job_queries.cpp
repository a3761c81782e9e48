#include "engine/jobs/job_queries.h"

#include "engine/crud/values.h"
#include "engine/uuid.h"

namespace slate::engine::queries {

std::string enqueue_job(db::Connection& c, const std::string& kind, const std::string& payload_json) {
    const std::string id = new_uuid();
    c.exec(R"(INSERT INTO slate_job (id, kind, payload, lock_key)
              VALUES ($1::uuid, $2, $3::jsonb, nextval('slate_job_lock_key_seq')))",
           {id, kind, payload_json});
    c.exec("SELECT pg_notify('slate_jobs', $1)", {id});
    return id;
}

std::optional<ClaimedJob> claim_job(db::Connection& c, const std::string& worker,
                                    const std::vector<std::string>& kinds) {
    const auto claimed = c.exec(R"(
        UPDATE slate_job SET state = 'running', attempts = attempts + 1, worker = $1,
                             started_at = now() AT TIME ZONE 'utc'
        WHERE id = (SELECT id FROM slate_job WHERE state = 'queued' AND kind = ANY($2::text[])
                    ORDER BY created_at, id FOR UPDATE SKIP LOCKED LIMIT 1)
        RETURNING id, kind, payload::text AS payload, lock_key, attempts,
                  pg_advisory_lock(lock_key) AS locked)",
                                {worker, crud::array_literal(kinds)});
    // (locked in the claiming statement: a claimed job is never visible unlocked)
    if (claimed.rows() == 0)
        return std::nullopt;
    ClaimedJob job{std::string(claimed.get(0, "id")), std::string(claimed.get(0, "kind")),
                   std::string(claimed.get(0, "payload")), claimed.get_int(0, "lock_key"),
                   static_cast<int>(claimed.get_int(0, "attempts"))};
    return job;
}

void finish_job(db::Connection& c, const ClaimedJob& job, bool succeeded, const std::string& reason) {
    c.exec(R"(UPDATE slate_job SET state = $2, reason = NULLIF($3, ''),
                                   ended_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid)",
           {job.id, std::string(succeeded ? "done" : "failed"), reason});
    c.exec("SELECT pg_advisory_unlock($1::bigint)", {std::to_string(job.lock_key)});
}

int requeue_orphaned_jobs(db::Connection& c, int max_attempts) {
    // A job's lock can be taken here only if no live session holds it: its worker is gone.
    // (Advisory locks are re-entrant per session: call this on a connection that runs no job.)
    const auto running = c.exec("SELECT id, lock_key, attempts FROM slate_job WHERE state = 'running'");
    int requeued = 0;
    for (int row = 0; row < running.rows(); ++row) {
        const std::string key(running.get(row, "lock_key"));
        if (!c.exec("SELECT pg_try_advisory_lock($1::bigint) AS locked", {key}).get_bool(0, "locked"))
            continue; // its worker is alive
        const std::string id(running.get(row, "id"));
        if (running.get_int(row, "attempts") >= max_attempts) {
            c.exec(R"(UPDATE slate_job SET state = 'failed', ended_at = now() AT TIME ZONE 'utc',
                      reason = 'the worker running it stopped ' || attempts || ' times'
                      WHERE id = $1::uuid AND state = 'running')",
                   {id});
        } else {
            requeued += static_cast<int>(
                c.exec("UPDATE slate_job SET state = 'queued' WHERE id = $1::uuid AND state = 'running'", {id})
                    .affected());
        }
        c.exec("SELECT pg_advisory_unlock($1::bigint)", {key});
    }
    return requeued;
}

namespace {
// "slat" and 1: the key of the worker-pool presence lock.
constexpr const char* presence_class = "1936482676";
constexpr const char* presence_id = "1";
} // namespace

void announce_worker(db::Connection& c) {
    c.exec(std::string("SELECT pg_advisory_lock_shared(") + presence_class + ", " + presence_id + ")");
}

bool workers_alive(db::Connection& c) {
    return c.exec(std::string("SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 2 "
                              "AND granted AND database = (SELECT oid FROM pg_database "
                              "WHERE datname = current_database()) AND classid::bigint = ") +
                  presence_class + " AND objid::bigint = " + presence_id + " LIMIT 1")
               .rows() > 0;
}

db::Result job_state(db::Connection& c, const std::string& id) {
    return c.exec("SELECT state, reason, attempts, worker FROM slate_job WHERE id = $1::uuid", {id});
}

int64_t count_running_jobs(db::Connection& c) {
    return c.exec("SELECT count(*) AS n FROM slate_job WHERE state = 'running'").get_int(0, "n");
}

} // namespace slate::engine::queries
