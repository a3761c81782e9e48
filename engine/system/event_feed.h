#pragma once
// engine/system/event_feed.h: the events every process emits, heard by every process. Writes
// send pg_notify('slate_events', {"name", "data", "project_id"?}) in their transaction, so
// PostgreSQL delivers each event once it commits, in commit order, to every listener: the
// event stream of each `slate serve` relays what any process (or `slate worker`) emitted.

#include "engine/db/connection.h"

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <thread>

namespace slate::engine::system {

struct StreamEvent {
    std::string name;
    std::string data_json;                 ///< the event's data object, as emitted
    std::optional<std::string> project_id; ///< the production it belongs to, if any
    std::optional<std::string> person_id;  ///< a notification's recipient, if any
    std::optional<std::string> event_id;   ///< set instead of the data when it was too large to notify
};

/// Reads a slate_events payload; nullopt when it is not one.
std::optional<StreamEvent> read_stream_event(const std::string& payload);
/// Completes an event announced by id from its api_event row (false if the row is gone).
bool read_back_event(db::Connection& c, StreamEvent& event);

class EventFeed {
public:
    using Handler = std::function<void(const StreamEvent&)>;
    EventFeed(db::ConnectionSettings settings, Handler handler);
    ~EventFeed();
    void start(); ///< its own connection and thread; reconnects when the database goes away
    void stop();
    bool live() const { return m_live.load(); }

private:
    void listen_loop();
    db::ConnectionSettings m_settings;
    Handler m_handler;
    std::atomic<bool> m_live{false};
    std::atomic<bool> m_stopping{false};
    std::thread m_thread;
};

} // namespace slate::engine::system
