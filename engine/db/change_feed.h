#pragma once
// engine/db/change_feed.h: which tables changed, as PostgreSQL tells every process. A trigger
// on each table (migration 0007) sends NOTIFY slate_changes '<table>' when a statement that
// changed it commits; the feed LISTENs on its own connection and moves the table's version
// forward. Caches keep a value with the versions of the tables it was read from, and use it
// while they have not moved: several `slate serve` processes on one database (and Zou, psql
// or any tool writing to it) stay correct without a broker.

#include "engine/db/connection.h"

#include <any>
#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <thread>
#include <typeindex>
#include <unordered_map>
#include <vector>

namespace slate::engine::db {

class ChangeFeed {
public:
    explicit ChangeFeed(ConnectionSettings settings);
    ~ChangeFeed(); ///< stops
    ChangeFeed(const ChangeFeed&) = delete;
    ChangeFeed& operator=(const ChangeFeed&) = delete;

    /// Starts listening (its own connection and thread). Until it listens, and whenever the
    /// connection is lost, the feed is not live and caches read the database.
    void start();
    void stop();
    /// Whether changes are being heard, so that a cached value can be trusted.
    bool live() const { return m_live.load(std::memory_order_acquire); }

    /// A stamp of the given tables: it changes whenever one of them changes. Take it before
    /// reading, keep it with what was read.
    uint64_t stamp(std::initializer_list<std::string_view> tables) const;
    uint64_t stamp(const std::vector<std::string>& tables) const;

    /// Marks a table changed (the trigger's notification does this for every process).
    void table_changed(std::string_view table);
    /// Marks every table changed: after this process's own writes (so that its next reads
    /// see them before the notification arrives), and when notifications may have been missed.
    void everything_changed();

    /// Whether this thread's lease has written rows not yet known committed: its reads may see
    /// uncommitted data, which must not be kept for other threads.
    static bool thread_wrote();
    static void set_thread_wrote(bool wrote);

    /// One object of type T per feed (per database), made on first use: the caches a domain
    /// keeps for this database. T must be default-constructible and thread-safe.
    template <class T>
    T& slot() {
        std::lock_guard lock(m_slots_mutex);
        auto& held = m_slots[std::type_index(typeid(T))];
        if (!held)
            held = std::make_shared<T>();
        return *std::static_pointer_cast<T>(held);
    }

private:
    void listen_loop();
    uint64_t version_locked(std::string_view table) const;
    template <class Tables>
    uint64_t newest(const Tables& tables) const; ///< the stamp of either kind of list

    ConnectionSettings m_settings;
    std::atomic<bool> m_live{false};
    std::atomic<bool> m_stopping{false};
    std::thread m_thread;

    mutable std::shared_mutex m_versions_mutex;
    uint64_t m_clock = 1; ///< the last version handed out
    uint64_t m_floor = 1; ///< every table's version is at least this
    std::map<std::string, uint64_t, std::less<>> m_versions;

    std::mutex m_slots_mutex;
    std::unordered_map<std::type_index, std::shared_ptr<void>> m_slots;
};

/// A value per key read from some tables, kept while they do not change. Thread-safe.
template <class Value>
class VersionedCache {
public:
    explicit VersionedCache(std::size_t max_entries = 50000) : m_max_entries(max_entries) {}

    /// The value of `key`: cached when `tables` have not changed since it was read, else
    /// `load()` (kept for the next caller when nothing changed while it ran). Without a live
    /// feed, always `load()`.
    template <class Load>
    Value get(const ChangeFeed* feed, const std::string& key, std::initializer_list<std::string_view> tables,
              Load&& load) {
        return get_stamped(
            feed, key, [&] { return feed->stamp(tables); }, load);
    }
    template <class Load>
    Value get(const ChangeFeed* feed, const std::string& key, const std::vector<std::string>& tables, Load&& load) {
        return get_stamped(
            feed, key, [&] { return feed->stamp(tables); }, load);
    }

private:
    template <class Stamp, class Load>
    Value get_stamped(const ChangeFeed* feed, const std::string& key, const Stamp& stamp_now, Load& load) {
        if (!feed || !feed->live())
            return load();
        const uint64_t stamp = stamp_now();
        {
            std::shared_lock lock(m_mutex);
            if (auto found = m_entries.find(key); found != m_entries.end() && found->second.first == stamp)
                return found->second.second;
        }
        Value value = load();
        if (feed->live() && stamp_now() == stamp && !ChangeFeed::thread_wrote()) {
            std::unique_lock lock(m_mutex);
            if (m_entries.size() >= m_max_entries)
                m_entries.clear();
            m_entries.insert_or_assign(key, std::pair<uint64_t, Value>(stamp, value));
        }
        return value;
    }

    std::size_t m_max_entries;
    std::shared_mutex m_mutex;
    std::unordered_map<std::string, std::pair<uint64_t, Value>> m_entries;
};

} // namespace slate::engine::db
