// tests/workers/test_worker_pool.cpp: the job queue and the pool: jobs run once each, off the
// caller's thread, failures keep their reason, and a job whose worker died runs again.
#include <catch2/catch.hpp>

#include "support/test_database.h"

#include "engine/db/connection.h"
#include "engine/jobs/job_queries.h"
#include "workers/worker_pool.h"

#include <chrono>
#include <thread>

using slate::engine::db::Connection;
using slate::workers::JobHandlers;
using slate::workers::JobResult;
using slate::workers::WorkerPool;

namespace {

/// Polls until every listed job has ended, with a deadline.
bool wait_until_ended(Connection& c, const std::vector<std::string>& ids, int seconds = 30) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < deadline) {
        bool all = true;
        for (const auto& id : ids) {
            const auto state = slate::engine::queries::job_state(c, id);
            const std::string s(state.get(0, "state"));
            all = all && (s == "done" || s == "failed");
        }
        if (all)
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
}

/// Real work for the tests: each run of a job writes a row naming it.
JobHandlers recording_handlers() {
    JobHandlers handlers;
    handlers.add("record", [](const std::string& payload, Connection& c) {
        c.exec("INSERT INTO job_runs (payload) VALUES ($1)", {payload});
        return JobResult::ok();
    });
    handlers.add("refuse",
                 [](const std::string&, Connection&) { return JobResult::failed("the source is not a movie"); });
    handlers.add("throw",
                 [](const std::string&, Connection&) -> JobResult { throw std::runtime_error("decoder exploded"); });
    return handlers;
}

/// The server ends a closed session a moment after the client leaves: wait until the lock of
/// a job it held is gone, as it is when a worker's process has died.
void wait_for_lock_release(Connection& c, int64_t lock_key) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (
        std::chrono::steady_clock::now() < deadline &&
        c.exec("SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = $1::bigint", {std::to_string(lock_key)})
                .rows() > 0)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

} // namespace

TEST_CASE("queued jobs run once each, failures keep their reason", "[workers][pg]") {
    const auto settings = slate::test::fresh_database();
    Connection c(settings);
    c.exec("CREATE TABLE job_runs (payload jsonb)");
    std::vector<std::string> ids;
    for (int i = 0; i < 40; ++i)
        ids.push_back(slate::engine::queries::enqueue_job(c, "record", R"({"n":)" + std::to_string(i) + "}"));
    const std::string refused = slate::engine::queries::enqueue_job(c, "refuse", "{}");
    const std::string thrown = slate::engine::queries::enqueue_job(c, "throw", "{}");
    // A kind no pool here handles stays queued for a worker that does.
    const std::string unknown = slate::engine::queries::enqueue_job(c, "no-such-kind", "{}");
    {
        // Two pools share the queue, as two machines would.
        WorkerPool first(settings, recording_handlers(), {2, 3, 20, "first"});
        WorkerPool second(settings, recording_handlers(), {2, 3, 20, "second"});
        first.start();
        second.start();
        REQUIRE(wait_until_ended(c, ids));
        REQUIRE(wait_until_ended(c, {refused, thrown}));
    }
    CHECK(c.exec("SELECT count(*) AS n FROM job_runs").get_int(0, "n") == 40);
    CHECK(c.exec("SELECT count(DISTINCT payload) AS n FROM job_runs").get_int(0, "n") == 40);
    CHECK(c.exec("SELECT count(*) AS n FROM slate_job WHERE state = 'done'").get_int(0, "n") == 40);
    CHECK(c.exec("SELECT count(DISTINCT worker) AS n FROM slate_job WHERE kind = 'record'").get_int(0, "n") == 2);
    auto reason = [&](const std::string& id) {
        return std::string(slate::engine::queries::job_state(c, id).get(0, "reason"));
    };
    CHECK(reason(refused) == "the source is not a movie");
    CHECK(reason(thrown) == "decoder exploded");
    CHECK(std::string(slate::engine::queries::job_state(c, unknown).get(0, "state")) == "queued");
}

TEST_CASE("a job whose worker died runs again, after too many deaths it fails", "[workers][pg]") {
    const auto settings = slate::test::fresh_database();
    Connection c(settings);
    c.exec("CREATE TABLE job_runs (payload jsonb)");
    const std::string orphan = slate::engine::queries::enqueue_job(c, "record", R"({"n":"orphan"})");
    int64_t orphan_lock = 0;
    {
        // A worker claims the job, then its process dies: its session, and lock, go away.
        Connection dying(settings);
        auto job = slate::engine::queries::claim_job(dying, "dying-worker", {"record"});
        REQUIRE(job);
        orphan_lock = job->lock_key;
    }
    wait_for_lock_release(c, orphan_lock);
    CHECK(std::string(slate::engine::queries::job_state(c, orphan).get(0, "state")) == "running");
    {
        // At its start, a pool queues the orphan again and runs it.
        WorkerPool pool(settings, recording_handlers(), {1, 3, 20, "restarted"});
        pool.start();
        REQUIRE(wait_until_ended(c, {orphan}));
    }
    CHECK(std::string(slate::engine::queries::job_state(c, orphan).get(0, "state")) == "done");
    CHECK(c.exec("SELECT count(*) AS n FROM job_runs WHERE payload->>'n' = 'orphan'").get_int(0, "n") == 1);

    // A job that kills its worker every time is given up after the third death.
    const std::string spent = slate::engine::queries::enqueue_job(c, "record", R"({"n":"spent"})");
    for (int death = 1; death <= 3; ++death) {
        int64_t lock = 0;
        {
            Connection dying(settings);
            auto job = slate::engine::queries::claim_job(dying, "dying-worker", {"record"});
            REQUIRE(job);
            CHECK(job->id == spent);
            lock = job->lock_key;
            // While its worker lives, the job is not taken from it.
            CHECK(slate::engine::queries::requeue_orphaned_jobs(c, 3) == 0);
        }
        wait_for_lock_release(c, lock);
        slate::engine::queries::requeue_orphaned_jobs(c, 3);
        const std::string state(slate::engine::queries::job_state(c, spent).get(0, "state"));
        CHECK(state == (death < 3 ? "queued" : "failed"));
    }
    CHECK(std::string(slate::engine::queries::job_state(c, spent).get(0, "reason")) ==
          "the worker running it stopped 3 times");
}

TEST_CASE("a running pool is seen alive, and no longer once stopped", "[workers][pg]") {
    const auto settings = slate::test::fresh_database();
    Connection c(settings);
    CHECK_FALSE(slate::engine::queries::workers_alive(c));
    auto eventually = [&](bool wanted) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (slate::engine::queries::workers_alive(c) != wanted && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        return slate::engine::queries::workers_alive(c) == wanted;
    };
    {
        WorkerPool pool(settings, recording_handlers(), {1, 3, 20, "alive"});
        pool.start();
        CHECK(eventually(true));
    }
    CHECK(eventually(false));
}
