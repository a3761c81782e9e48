#pragma once
// engine/db/pool.h: a bounded pool of connections, handed out as leases.

#include "engine/db/change_feed.h"
#include "engine/db/connection.h"

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace slate::engine::db {

class Pool;

/// A borrowed connection; its destructor gives it back. Use it from one thread, and end it on
/// the thread that took it.
class Lease {
public:
    Lease(Pool& pool, std::unique_ptr<Connection> connection);
    /// A lease of the connection the thread already holds (see Pool::acquire): gives nothing back.
    Lease(Pool& pool, Connection& shared);
    Lease(Lease&& other) noexcept;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();

    Connection& operator*() { return *m_connection; }
    Connection* operator->() { return m_connection; }

private:
    friend class Pool;
    /// A lease of its own that this thread does not share (Pool::try_acquire_extra).
    static Lease unshared(Pool& pool, std::unique_ptr<Connection> connection);

    Pool* m_pool;
    Connection* m_connection;
    std::unique_ptr<Connection> m_owned; ///< null for a shared lease
};

/// Opens connections on demand up to `max_size`; a caller waits when all are out, up to
/// `wait` (then ErrorKind::unavailable). Thread-safe.
///
/// A thread holds at most one connection of a pool: while a lease is out on a thread, a
/// second acquire() there shares it (a service called by a handler works on the request's
/// connection, inside its transaction), so a request never needs two connections and
/// cannot deadlock the pool waiting for itself.
class Pool {
public:
    Pool(ConnectionSettings settings, int max_size, std::chrono::milliseconds wait = std::chrono::seconds(30));
    Pool(const Pool&) = delete;
    Pool& operator=(const Pool&) = delete;

    Lease acquire();
    /// A second connection beside the thread's own, for work split over two connections at once
    /// (a large listing read by two cursors in parallel): never shared with the thread's other
    /// acquires, and never waited for — nullopt when none is idle and the pool is full, so that
    /// requests cannot deadlock holding one connection each while waiting for a second.
    std::optional<Lease> try_acquire_extra();
    const ConnectionSettings& settings() const { return m_settings; }
    /// The change feed of this database, shared by the pool's connections (not started:
    /// the server starts it; until then caches read the database).
    ChangeFeed& changes() { return *m_changes; }

private:
    friend class Lease;
    void give_back(std::unique_ptr<Connection> connection);
    /// With `lock` held and a connection idle or a slot free: that connection, opened if need
    /// be (without the lock).
    std::unique_ptr<Connection> take(std::unique_lock<std::mutex>& lock);

    ConnectionSettings m_settings;
    int m_max_size;
    std::chrono::milliseconds m_wait;
    std::mutex m_mutex;
    std::condition_variable m_available;
    std::vector<std::unique_ptr<Connection>> m_idle;
    int m_open = 0;
    std::unique_ptr<ChangeFeed> m_changes;
};

} // namespace slate::engine::db
