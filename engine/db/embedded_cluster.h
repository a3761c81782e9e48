#pragma once
// engine/db/embedded_cluster.h: the private PostgreSQL cluster `slate` runs under its data
// folder when no DB_HOST is set (Debian's initdb/pg_ctl). It listens on a Unix socket only,
// inside the data folder, so nothing else on the machine can reach it.

#include "engine/db/connection.h"

#include <string>

namespace slate::engine::db {

class EmbeddedCluster {
public:
    /// `data_dir` is Slate's data folder; the cluster lives in <data_dir>/postgres.
    explicit EmbeddedCluster(std::string data_dir, std::string pg_bin_dir = default_bin_dir());
    EmbeddedCluster(const EmbeddedCluster&) = delete;
    EmbeddedCluster& operator=(const EmbeddedCluster&) = delete;
    /// Stops the cluster if this object started it.
    ~EmbeddedCluster();

    /// Creates the cluster on first use, then starts it unless it already runs (another
    /// slate process on the same folder). Throws Error(unavailable) with PostgreSQL's words.
    void start();
    /// Stops the cluster if this object started it, waiting for a clean shutdown.
    void stop();
    /// Stops the cluster whoever started it.
    void stop_any();
    bool running() const;
    /// Leaves the cluster running when this object goes away (`slate db-start`).
    void detach() { m_started_here = false; }

    /// Settings to reach database `database` as the cluster's superuser.
    ConnectionSettings settings(const std::string& database) const;
    /// Creates `database` if the cluster lacks it.
    void ensure_database(const std::string& database);

    const std::string& cluster_dir() const { return m_cluster_dir; }
    static std::string default_bin_dir();

private:
    std::string pg_bin(const std::string& tool) const;
    void locate();

    std::string m_data_dir;
    std::string m_pg_bin_dir;
    std::string m_cluster_dir;
    std::string m_socket_dir;
    bool m_started_here = false;
};

} // namespace slate::engine::db
