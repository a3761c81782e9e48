#pragma once
// workers/worker_pool.h: the pool that runs queued jobs on a oneTBB arena, off the HTTP
// threads. `slate serve` runs one in-process; `slate worker` runs one alone, on any machine
// that reaches the database.

#include "engine/db/connection.h"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace slate::workers {

/// What a job handler answers: media code never throws across a task, it returns a reason.
struct JobResult {
    bool succeeded = true;
    std::string reason; ///< why it failed, for the job row (and the preview marked broken)

    static JobResult ok() { return {}; }
    static JobResult failed(std::string why) { return {false, std::move(why)}; }
};

/// A job kind's work: the payload (JSON text) and a connection of its own.
using JobHandler = std::function<JobResult(const std::string& payload_json, engine::db::Connection&)>;

/// The handlers of each job kind.
class JobHandlers {
public:
    void add(const std::string& kind, JobHandler handler) { m_handlers[kind] = std::move(handler); }
    const JobHandler* find(const std::string& kind) const;
    std::vector<std::string> kinds() const;
    bool empty() const { return m_handlers.empty(); }

private:
    std::map<std::string, JobHandler> m_handlers;
};

struct WorkerPoolOptions {
    int concurrency = 0;    ///< jobs at once; 0: the number of cores
    int max_attempts = 3;   ///< a job whose worker died this many times fails
    int idle_poll_ms = 250; ///< how often an idle pool looks for new jobs
    std::string name;       ///< recorded on the jobs it runs; default host:pid
};

class WorkerPool {
public:
    WorkerPool(engine::db::ConnectionSettings settings, JobHandlers handlers, WorkerPoolOptions options = {});
    ~WorkerPool(); ///< stops, waiting for the jobs in progress
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    /// Queues again the jobs of dead workers, then claims and runs jobs until stop().
    void start();
    /// Stops claiming and waits for the running jobs to end.
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace slate::workers
