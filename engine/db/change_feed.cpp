#include "engine/db/change_feed.h"

#include "engine/log.h"

#include <chrono>

namespace slate::engine::db {
namespace {

constexpr const char* channel = "slate_changes";
constexpr int poll_ms = 200; ///< how soon stop() is noticed
thread_local bool t_thread_wrote = false;

} // namespace

ChangeFeed::ChangeFeed(ConnectionSettings settings) : m_settings(std::move(settings)) {}

ChangeFeed::~ChangeFeed() {
    stop();
}

void ChangeFeed::start() {
    if (m_thread.joinable())
        return;
    m_stopping = false;
    m_thread = std::thread([this] { listen_loop(); });
    // Serve from the cache only once listening: wait briefly for the first LISTEN.
    for (int waited = 0; waited < 100 && !live(); ++waited)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

void ChangeFeed::stop() {
    m_stopping = true;
    if (m_thread.joinable())
        m_thread.join();
    m_live = false;
}

void ChangeFeed::listen_loop() {
    std::unique_ptr<Connection> listener;
    bool reported = false;
    while (!m_stopping) {
        try {
            if (!listener) {
                listener = std::make_unique<Connection>(m_settings);
                listener->exec(std::string("LISTEN ") + channel);
                // Whatever changed while nobody listened is unknown: start afresh.
                everything_changed();
                m_live.store(true, std::memory_order_release);
                if (reported)
                    log::info("change feed listening again");
                reported = false;
            }
            for (const Notification& notification : listener->wait_for_notifications(poll_ms))
                if (notification.channel == channel)
                    table_changed(notification.payload);
        } catch (const std::exception& e) {
            m_live.store(false, std::memory_order_release);
            everything_changed();
            listener.reset();
            if (!reported)
                log::warning(std::string("change feed stopped listening, caches bypassed: ") + e.what());
            reported = true;
            for (int waited = 0; waited < 5 && !m_stopping; ++waited)
                std::this_thread::sleep_for(std::chrono::milliseconds(poll_ms));
        }
    }
    m_live.store(false, std::memory_order_release);
}

uint64_t ChangeFeed::version_locked(std::string_view table) const {
    const auto found = m_versions.find(table);
    return found == m_versions.end() ? m_floor : std::max(found->second, m_floor);
}

template <class Tables>
uint64_t ChangeFeed::newest(const Tables& tables) const {
    std::shared_lock lock(m_versions_mutex);
    uint64_t newest = m_floor;
    for (const auto& table : tables)
        newest = std::max(newest, version_locked(table));
    return newest;
}

uint64_t ChangeFeed::stamp(std::initializer_list<std::string_view> tables) const {
    return newest(tables);
}

uint64_t ChangeFeed::stamp(const std::vector<std::string>& tables) const {
    return newest(tables);
}

void ChangeFeed::table_changed(std::string_view table) {
    std::unique_lock lock(m_versions_mutex);
    const uint64_t version = ++m_clock;
    if (auto found = m_versions.find(table); found != m_versions.end())
        found->second = version;
    else
        m_versions.emplace(std::string(table), version);
}

bool ChangeFeed::thread_wrote() {
    return t_thread_wrote;
}

void ChangeFeed::set_thread_wrote(bool wrote) {
    t_thread_wrote = wrote;
}

void ChangeFeed::everything_changed() {
    std::unique_lock lock(m_versions_mutex);
    m_floor = ++m_clock;
}

} // namespace slate::engine::db
