#pragma once
// api/http/connection_loop.h: the connection layer. One event-loop thread (epoll) accepts
// connections and reads request heads; a connection costs memory while it waits, never a
// thread. Only a complete head goes to a worker thread, which reads the body, answers, and
// gives the connection back to the loop (keep-alive) or closes it. The loop enforces the
// deadlines (a head must arrive whole within its time; an idle keep-alive connection is closed)
// and the cap of connections per client address.

#include "api/http/channel.h"
#include "api/http/head.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace slate::api::http {

struct LoopSettings {
    std::string host = "127.0.0.1";
    int port = 0; ///< 0: any free port
    int worker_threads = 16;
    std::chrono::milliseconds head_timeout{10'000};       ///< a whole head, from its first byte
    std::chrono::milliseconds keep_alive_timeout{60'000}; ///< idle between requests
    std::chrono::milliseconds io_timeout{60'000};         ///< a worker's wait on a body or a slow reader
    int max_connections_per_address = 1024;               ///< 0: no cap
    HeadLimits head_limits;
};

/// One request on a worker thread: its head, the client, the socket, and the bytes that came
/// after the head (the body's start, or pipelined requests).
class Exchange {
public:
    const RequestHead& head() const { return m_head; }
    const std::string& peer_address() const { return m_peer; }
    Channel& channel() { return m_channel; }
    /// Bytes received after the head and not used yet.
    std::string& pending() { return m_pending; }
    /// The connection closes after this answer instead of waiting for another request.
    void close_after() { m_keep = false; }
    bool keeps_connection() const { return m_keep && m_head.keep_alive; }

    Exchange(RequestHead head, const std::string& peer, Channel channel, std::string& pending)
        : m_head(std::move(head)), m_peer(peer), m_channel(channel), m_pending(pending) {}

private:
    RequestHead m_head;
    const std::string& m_peer;
    Channel m_channel;
    std::string& m_pending;
    bool m_keep = true;
};

/// Answers one request; runs on a worker thread. May throw ConnectionLost (the connection is
/// then closed); any other exception is the handler's bug and also closes the connection.
using ExchangeHandler = std::function<void(Exchange&)>;
/// The bytes of a complete response the loop sends itself (a head it refuses, a cap reached,
/// a head that timed out), always closing the connection after.
using RefusalWriter = std::function<std::string(int status, const std::string& message)>;

struct LoopCounters {
    std::size_t open = 0;       ///< connections held
    std::size_t in_workers = 0; ///< of which a worker is answering
};

class ConnectionLoop {
public:
    ConnectionLoop(LoopSettings settings, ExchangeHandler handler, RefusalWriter refusal);
    ~ConnectionLoop();
    ConnectionLoop(const ConnectionLoop&) = delete;
    ConnectionLoop& operator=(const ConnectionLoop&) = delete;

    /// Binds, listens and starts the loop and its workers. Throws std::runtime_error if the
    /// address cannot be bound.
    void start();
    /// Stops accepting, closes waiting connections, lets the workers finish their answers.
    void stop();
    int port() const { return m_port; }
    LoopCounters counters() const;

private:
    struct State;
    LoopSettings m_settings;
    ExchangeHandler m_handler;
    RefusalWriter m_refusal;
    int m_port = 0;
    std::unique_ptr<State> m_state;
};

/// Raises this process's open-file limit to its hard limit (each connection is a descriptor);
/// returns the limit now in force.
long raise_open_file_limit();

} // namespace slate::api::http
