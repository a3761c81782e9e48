#include "engine/db/pool.h"

#include <algorithm>

namespace slate::engine::db {
namespace {

/// The connection each pool has lent to this thread.
struct ThreadLease {
    const Pool* pool;
    Connection* connection;
};
thread_local std::vector<ThreadLease> t_leases;

Connection* lent_to_this_thread(const Pool* pool) {
    for (const ThreadLease& lease : t_leases)
        if (lease.pool == pool)
            return lease.connection;
    return nullptr;
}

} // namespace

Lease::Lease(Pool& pool, std::unique_ptr<Connection> connection)
    : m_pool(&pool), m_connection(connection.get()), m_owned(std::move(connection)) {
    t_leases.push_back({m_pool, m_connection});
}

Lease::Lease(Pool& pool, Connection& shared) : m_pool(&pool), m_connection(&shared) {}

Lease Lease::unshared(Pool& pool, std::unique_ptr<Connection> connection) {
    Lease lease(pool, std::move(connection));
    t_leases.pop_back(); // the constructor lent it to this thread: an extra lease is not shared
    return lease;
}

Lease::Lease(Lease&& other) noexcept
    : m_pool(other.m_pool), m_connection(other.m_connection), m_owned(std::move(other.m_owned)) {
    other.m_connection = nullptr;
}

Lease::~Lease() {
    if (!m_owned)
        return;
    std::erase_if(t_leases, [this](const ThreadLease& lease) {
        return lease.pool == m_pool && lease.connection == m_connection;
    });
    m_pool->give_back(std::move(m_owned));
}

Pool::Pool(ConnectionSettings settings, int max_size, std::chrono::milliseconds wait)
    : m_settings(std::move(settings)), m_max_size(std::max(1, max_size)), m_wait(wait),
      m_changes(std::make_unique<ChangeFeed>(m_settings)) {}

Lease Pool::acquire() {
    if (Connection* mine = lent_to_this_thread(this))
        return Lease(*this, *mine);
    std::unique_lock lock(m_mutex);
    const bool got = m_available.wait_for(lock, m_wait, [this] { return !m_idle.empty() || m_open < m_max_size; });
    if (!got)
        throw Error(ErrorKind::unavailable, "No database connection is free.");
    return Lease(*this, take(lock));
}

std::optional<Lease> Pool::try_acquire_extra() {
    std::unique_lock lock(m_mutex);
    if (m_idle.empty() && m_open >= m_max_size)
        return std::nullopt;
    return Lease::unshared(*this, take(lock));
}

std::unique_ptr<Connection> Pool::take(std::unique_lock<std::mutex>& lock) {
    if (!m_idle.empty()) {
        auto connection = std::move(m_idle.back());
        m_idle.pop_back();
        lock.unlock();
        return connection;
    }
    ++m_open; // reserve the slot, then connect without holding the lock
    lock.unlock();
    try {
        auto connection = std::make_unique<Connection>(m_settings);
        connection->set_change_feed(m_changes.get());
        return connection;
    } catch (...) {
        std::lock_guard relock(m_mutex);
        --m_open;
        m_available.notify_one();
        throw;
    }
}

void Pool::give_back(std::unique_ptr<Connection> connection) {
    // A connection left inside a transaction (an exception between BEGIN and the
    // Transaction's destructor cannot do this, but a raw BEGIN could) is not reused.
    const bool reusable = connection->healthy() && !connection->in_transaction();
    // This process's caches drop what they hold as soon as a lease that wrote ends, so its
    // next reads see the change before the feed's notification arrives (which could miss a
    // table a cascade changed).
    if (connection->take_wrote())
        m_changes->everything_changed();
    ChangeFeed::set_thread_wrote(false);
    std::lock_guard lock(m_mutex);
    if (reusable)
        m_idle.push_back(std::move(connection));
    else
        --m_open; // dropped: a fresh one is opened next time
    m_available.notify_one();
}

} // namespace slate::engine::db
