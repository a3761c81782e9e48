#pragma once
// bench/bench_server.h: a Slate server for a benchmark: a throw-away PostgreSQL cluster in a
// folder, the schema and Zou's default data, an admin, the HTTP server on a free port of
// 127.0.0.1 and, when asked, the media worker pool. Everything stops with the object.

#include "engine/config.h"
#include "engine/db/connection.h"

#include <memory>
#include <string>

namespace slate::bench {

class BenchServer {
public:
    BenchServer(const std::string& data_dir, int http_threads, bool with_media_workers);
    ~BenchServer();
    BenchServer(const BenchServer&) = delete;
    BenchServer& operator=(const BenchServer&) = delete;

    int port() const;
    /// A connection of the benchmark's own (for loading data and the bare-SQL figures).
    engine::db::Connection& connection();
    engine::Config& config() { return m_config; }
    /// The admin's access token.
    std::string admin_token() const;
    /// The access token of a login through the API.
    std::string login(const std::string& email, const std::string& password) const;

private:
    struct Impl;
    engine::Config m_config;
    std::unique_ptr<Impl> m_impl;
};

} // namespace slate::bench
