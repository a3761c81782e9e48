#include "workers/worker_pool.h"

#include "engine/error.h"
#include "engine/log.h"
#include "engine/jobs/job_queries.h"

#include <tbb/global_control.h>
#include <tbb/task_arena.h>
#include <tbb/task_group.h>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace slate::workers {

using engine::db::Connection;
using engine::queries::ClaimedJob;

const JobHandler* JobHandlers::find(const std::string& kind) const {
    auto it = m_handlers.find(kind);
    return it == m_handlers.end() ? nullptr : &it->second;
}

std::vector<std::string> JobHandlers::kinds() const {
    std::vector<std::string> names;
    for (const auto& [kind, handler] : m_handlers)
        names.push_back(kind);
    return names;
}

struct WorkerPool::Impl {
    engine::db::ConnectionSettings settings;
    JobHandlers handlers;
    WorkerPoolOptions options;
    std::unique_ptr<tbb::global_control> threads; ///< enough TBB workers for `concurrency`
    std::unique_ptr<tbb::task_arena> arena;
    tbb::task_group group;
    std::thread dispatcher;
    std::atomic<bool> stopping{false};
    std::atomic<int> running{0};
    std::mutex mutex;
    std::condition_variable wake;
    std::vector<std::shared_ptr<Connection>> idle_connections; ///< one per job, reused
    std::vector<std::string> kinds;                            ///< the kinds this pool claims

    std::shared_ptr<Connection> take_connection() {
        {
            std::lock_guard lock(mutex);
            while (!idle_connections.empty()) {
                auto connection = std::move(idle_connections.back());
                idle_connections.pop_back();
                if (connection->healthy())
                    return connection;
            }
        }
        return std::make_shared<Connection>(settings);
    }

    void give_back(std::shared_ptr<Connection> connection) {
        std::lock_guard lock(mutex);
        if (connection->healthy())
            idle_connections.push_back(std::move(connection));
    }

    /// Runs one job; never throws (a TBB task must not).
    void run(const ClaimedJob& job, Connection& connection) {
        const std::string label = "job=" + job.id + " kind=" + job.kind;
        log::info(label + " running (attempt " + std::to_string(job.attempts) + ")");
        JobResult result;
        if (const JobHandler* handler = handlers.find(job.kind)) {
            try {
                result = (*handler)(job.payload_json, connection);
            } catch (const std::exception& e) {
                result = JobResult::failed(e.what());
            } catch (...) {
                result = JobResult::failed("the job stopped on an unknown error");
            }
        } else { // claims name only the kinds handled here: a programming error
            result = JobResult::failed("no handler for jobs of kind " + job.kind);
        }
        try {
            engine::queries::finish_job(connection, job, result.succeeded, result.reason);
            log::info(label + (result.succeeded ? " done" : " failed: " + result.reason));
        } catch (const std::exception& e) {
            // The lock goes with the session: another worker will run it again.
            log::error(label + " could not be recorded: " + e.what());
        }
    }

    void sleep_idle() {
        std::unique_lock lock(mutex);
        wake.wait_for(lock, std::chrono::milliseconds(options.idle_poll_ms), [this] { return stopping.load(); });
    }

    void dispatch() {
        auto last_recovery = std::chrono::steady_clock::time_point{};
        std::unique_ptr<Connection> control;
        while (!stopping) {
            try {
                if (!control || !control->healthy()) {
                    control = std::make_unique<Connection>(settings);
                    engine::queries::announce_worker(*control); // held while the pool lives
                }
                // Jobs of dead workers: at start, then now and then.
                if (std::chrono::steady_clock::now() - last_recovery > std::chrono::seconds(30)) {
                    const int requeued = engine::queries::requeue_orphaned_jobs(*control, options.max_attempts);
                    if (requeued > 0)
                        log::info("queued again " + std::to_string(requeued) + " job(s) of stopped workers");
                    last_recovery = std::chrono::steady_clock::now();
                }
                if (running >= options.concurrency) {
                    std::unique_lock lock(mutex);
                    wake.wait_for(lock, std::chrono::milliseconds(100),
                                  [this] { return stopping || running < options.concurrency; });
                    continue;
                }
                auto connection = take_connection();
                auto job = engine::queries::claim_job(*connection, options.name, kinds);
                if (!job) {
                    give_back(std::move(connection));
                    sleep_idle();
                    continue;
                }
                ++running;
                arena->execute([this, connection, claimed = *job] {
                    group.run([this, connection, claimed] {
                        run(claimed, *connection); // the job's lock lives on this connection
                        give_back(connection);
                        --running;
                        wake.notify_all();
                    });
                });
            } catch (const std::exception& e) {
                log::warning(std::string("worker pool: ") + e.what());
                sleep_idle();
            }
        }
        arena->execute([this] { group.wait(); });
    }
};

WorkerPool::WorkerPool(engine::db::ConnectionSettings settings, JobHandlers handlers, WorkerPoolOptions options)
    : m_impl(std::make_unique<Impl>()) {
    if (options.concurrency <= 0)
        options.concurrency = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    if (options.name.empty()) {
        char host[256] = "worker";
        gethostname(host, sizeof host - 1);
        options.name = std::string(host) + ":" + std::to_string(getpid());
    }
    m_impl->settings = std::move(settings);
    m_impl->handlers = std::move(handlers);
    m_impl->kinds = m_impl->handlers.kinds();
    m_impl->options = std::move(options);
    // TBB starts one worker fewer than the cores (the main thread counts as one); jobs run on
    // workers only, so ask for as many as jobs at once. No slot is reserved for the dispatcher
    // thread: it claims while the workers run the jobs.
    const auto current = tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism);
    m_impl->threads = std::make_unique<tbb::global_control>(
        tbb::global_control::max_allowed_parallelism,
        std::max<std::size_t>(current, static_cast<std::size_t>(m_impl->options.concurrency) + 1));
    m_impl->arena = std::make_unique<tbb::task_arena>(m_impl->options.concurrency, 0);
}

WorkerPool::~WorkerPool() {
    stop();
}

void WorkerPool::start() {
    if (m_impl->handlers.empty()) {
        log::info("worker pool: no job kinds handled here; not started");
        return;
    }
    m_impl->stopping = false;
    m_impl->dispatcher = std::thread([this] { m_impl->dispatch(); });
    log::info("worker pool " + m_impl->options.name + " running " + std::to_string(m_impl->options.concurrency) +
              " job(s) at once");
}

void WorkerPool::stop() {
    if (!m_impl->dispatcher.joinable())
        return;
    m_impl->stopping = true;
    m_impl->wake.notify_all();
    m_impl->dispatcher.join();
}

} // namespace slate::workers
