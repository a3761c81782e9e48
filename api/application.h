#pragma once
// api/application.h: everything a Slate server process runs, assembled once from its settings
// and a database: the connection pool, the services, the file store, the media worker pool and
// the HTTP server (`slate serve`, the test server, the benchmark server).

#include "api/router.h"
#include "engine/db/connection.h"
#include "workers/worker_pool.h"

#include <memory>
#include <string>

namespace slate::api {

struct ApplicationOptions {
    std::string host = "127.0.0.1";
    int port = 0; ///< 0: a free port (see Application::port)
    int http_threads = 8;
    int pool_size = 16;        ///< database connections
    bool media_workers = true; ///< run the media worker pool in this process
    workers::WorkerPoolOptions worker_options;
};

class Application {
public:
    /// `config` must outlive the application; services read it as it is when asked.
    Application(const engine::Config& config, const engine::db::ConnectionSettings& database,
                ApplicationOptions options);
    ~Application(); ///< stops
    Application(const Application&) = delete;
    Application& operator=(const Application&) = delete;

    /// Starts the worker pool, then serves.
    void start();
    /// Stops serving, then waits for the jobs in progress.
    void stop();

    int port() const;
    engine::db::Pool& pool();
    Services& services();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace slate::api
