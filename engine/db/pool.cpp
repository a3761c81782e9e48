#include "engine/db/pool.h"

namespace slate::engine::db {

Lease::Lease(Pool& pool, std::unique_ptr<Connection> connection)
    : m_pool(&pool), m_connection(std::move(connection)) {}

Lease::Lease(Lease&& other) noexcept
    : m_pool(other.m_pool), m_connection(std::move(other.m_connection)) {}

Lease::~Lease() {
    if (m_connection)
        m_pool->give_back(std::move(m_connection));
}

Pool::Pool(ConnectionSettings settings, int max_size, std::chrono::milliseconds wait)
    : m_settings(std::move(settings)), m_max_size(std::max(1, max_size)), m_wait(wait) {}

Lease Pool::acquire() {
    std::unique_lock lock(m_mutex);
    const bool got = m_available.wait_for(lock, m_wait, [this] {
        return !m_idle.empty() || m_open < m_max_size;
    });
    if (!got)
        throw Error(ErrorKind::unavailable, "No database connection is free.");
    if (!m_idle.empty()) {
        auto connection = std::move(m_idle.back());
        m_idle.pop_back();
        return Lease(*this, std::move(connection));
    }
    ++m_open; // reserve the slot, then connect without holding the lock
    lock.unlock();
    try {
        return Lease(*this, std::make_unique<Connection>(m_settings));
    } catch (...) {
        std::lock_guard relock(m_mutex);
        --m_open;
        m_available.notify_one();
        throw;
    }
}

void Pool::give_back(std::unique_ptr<Connection> connection) {
    std::lock_guard lock(m_mutex);
    if (connection->healthy())
        m_idle.push_back(std::move(connection));
    else
        --m_open; // dropped: a fresh one is opened next time
    m_available.notify_one();
}

} // namespace slate::engine::db
