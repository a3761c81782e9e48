#pragma once
// api/events/event_stream.h: Zou's event stream: Socket.IO v5 over Engine.IO v4 (long-polling,
// then the WebSocket upgrade, or a WebSocket at once), namespace /events. Every event any
// process emits reaches, after its commit and in commit order (PostgreSQL's NOTIFY), the
// clients allowed to see its production; the review rooms are held here. Polls wait with no
// thread (deferred answers); WebSockets are read by the connection loop.

#include "api/router.h"

#include <memory>
#include <string>

namespace slate::api {
namespace http {
class Exchange;
}
namespace events {

struct StreamStats {
    std::size_t sessions = 0;
    std::size_t rooms = 0;
    bool live = false; ///< hearing the database's events
};

class EventStream {
public:
    explicit EventStream(Services& services);
    ~EventStream();
    void start();
    /// Closes every session (pending polls answered) before the connection loop stops.
    void stop();
    /// Answers a request under /socket.io/ (`request` holds its query, headers and cookies).
    void handle(http::Exchange& exchange, Request& request);
    StreamStats stats() const;

    struct Impl; ///< (public only for the file's own WebSocket session class)

private:
    std::unique_ptr<Impl> m_impl;
};

} // namespace events
} // namespace slate::api
