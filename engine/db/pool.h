#pragma once
// engine/db/pool.h: a bounded pool of connections, handed out as leases.

#include "engine/db/connection.h"

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

namespace slate::engine::db {

class Pool;

/// A borrowed connection; its destructor gives it back. Use it from one thread.
class Lease {
public:
    Lease(Pool& pool, std::unique_ptr<Connection> connection);
    Lease(Lease&& other) noexcept;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();

    Connection& operator*() { return *m_connection; }
    Connection* operator->() { return m_connection.get(); }

private:
    Pool* m_pool;
    std::unique_ptr<Connection> m_connection;
};

/// Opens connections on demand up to `max_size`; a caller waits when all are out, up to
/// `wait` (then ErrorKind::unavailable). Thread-safe.
class Pool {
public:
    Pool(ConnectionSettings settings, int max_size,
         std::chrono::milliseconds wait = std::chrono::seconds(30));
    Pool(const Pool&) = delete;
    Pool& operator=(const Pool&) = delete;

    Lease acquire();
    const ConnectionSettings& settings() const { return m_settings; }

private:
    friend class Lease;
    void give_back(std::unique_ptr<Connection> connection);

    ConnectionSettings m_settings;
    int m_max_size;
    std::chrono::milliseconds m_wait;
    std::mutex m_mutex;
    std::condition_variable m_available;
    std::vector<std::unique_ptr<Connection>> m_idle;
    int m_open = 0;
};

} // namespace slate::engine::db
