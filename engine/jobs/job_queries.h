#pragma once
// engine/jobs/job_queries.h: the job queue in PostgreSQL (slate_job). Claims use
// FOR UPDATE SKIP LOCKED, so any number of workers on any number of machines share it.

#include "engine/db/connection.h"

#include <optional>
#include <string>
#include <vector>

namespace slate::engine::queries {

struct ClaimedJob {
    std::string id;
    std::string kind;
    std::string payload_json;
    int64_t lock_key = 0;
    int attempts = 0; ///< including this one
};

/// Queues a job; returns its id. In the caller's transaction when there is one.
std::string enqueue_job(db::Connection& c, const std::string& kind, const std::string& payload_json);

/// Claims the oldest queued job of one of `kinds` for `worker` and takes its advisory lock on
/// this connection (held until finish_job or the session ends). nullopt when none is queued.
std::optional<ClaimedJob> claim_job(db::Connection& c, const std::string& worker,
                                    const std::vector<std::string>& kinds);

/// Ends a job: done, or failed with its reason; releases its lock.
void finish_job(db::Connection& c, const ClaimedJob& job, bool succeeded, const std::string& reason);

/// Queues again the running jobs whose worker died (nobody holds their lock); jobs that have
/// had `max_attempts` already fail with a reason. Returns how many were queued again.
int requeue_orphaned_jobs(db::Connection& c, int max_attempts);

/// A job's state and reason, for callers that wait on it.
db::Result job_state(db::Connection& c, const std::string& id);

/// Marks this session as a live worker pool until it ends (a shared advisory lock in the
/// two-integer key space, apart from the jobs' bigint keys).
void announce_worker(db::Connection& c);
/// Whether any worker pool is alive (for /status's job-queue-up).
bool workers_alive(db::Connection& c);

/// Jobs running now (for /status/resources).
int64_t count_running_jobs(db::Connection& c);

} // namespace slate::engine::queries
