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
#include <mutex>
#include <string>
#include <string_view>

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

struct LoopShared;

/// A connection taken over from HTTP once a 101 answer was sent (a WebSocket): the loop reads
/// it and hands the bytes over on its own thread; writes go through the StreamWriter.
class StreamSession {
public:
    virtual ~StreamSession() = default;
    /// Bytes arrived, on the loop thread (be quick). False closes the connection.
    virtual bool on_bytes(std::string_view bytes) = 0;
    /// The connection is closed (the client went, or the server closed it); once, on the loop thread.
    virtual void on_closed() = 0;
};

/// Writes to a taken-over connection from any thread, never blocking: what the socket cannot
/// take at once waits in a backlog the loop sends when it can. A client that lets its backlog
/// pass the limit (it stopped reading) is disconnected, so it slows nobody else.
class StreamWriter {
public:
    StreamWriter(std::shared_ptr<LoopShared> loop, int fd, std::size_t backlog_limit);
    /// Queues `bytes`; false if the connection is closed or was closed for its backlog.
    bool send(std::string_view bytes);
    /// Closes the connection (the loop then calls the session's on_closed).
    void close();

    // The loop's side.
    void flush();       ///< sends what the backlog holds (the socket became writable)
    void arm();         ///< re-enables the loop's interest: reads, and writes while a backlog waits
    void mark_closed(); ///< the descriptor is about to be closed: nothing may use it after this

private:
    void arm_locked();
    std::shared_ptr<LoopShared> m_loop;
    std::mutex m_mutex;
    int m_fd;
    std::string m_backlog;
    std::size_t m_limit;
    bool m_closed = false;
};

/// An answer given later, by any thread (a long poll answered when an event arrives): the
/// connection waits with no thread until `complete`, then a worker sends the answer.
class DeferredAnswer {
public:
    DeferredAnswer(std::shared_ptr<LoopShared> loop, void* connection)
        : m_loop(std::move(loop)), m_connection(connection) {}
    /// Sends `response` (status line, fields and body) and keeps or closes the connection.
    /// Only the first call counts; false if it had been completed or cancelled already.
    bool complete(std::string response, bool keep);
    /// The loop stopped: the answer will never be sent.
    void cancel();

private:
    std::shared_ptr<LoopShared> m_loop;
    void* m_connection;
    std::mutex m_mutex;
    bool m_done = false;
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

    /// Takes the connection over once the handler has sent its 101 answer: `make` gets the
    /// writer and returns the session the loop feeds from now on.
    /// `backlog_limit`: the bytes the writer may hold for a client that does not read.
    void upgrade(const std::function<std::shared_ptr<StreamSession>(std::shared_ptr<StreamWriter>)>& make,
                 std::size_t backlog_limit);
    /// Answers later: the handler returns without answering, and the connection waits, holding
    /// no thread, until the returned object is completed.
    std::shared_ptr<DeferredAnswer> defer();

    Exchange(RequestHead head, const std::string& peer, Channel channel, std::string& pending,
             std::shared_ptr<LoopShared> loop, void* connection)
        : m_head(std::move(head)), m_peer(peer), m_channel(channel), m_pending(pending), m_loop(std::move(loop)),
          m_connection(connection) {}

    // The loop's side.
    std::shared_ptr<StreamSession> taken_over() const { return m_session; }
    std::shared_ptr<StreamWriter> taken_over_writer() const { return m_writer; }
    bool deferred() const { return m_deferred; }

private:
    RequestHead m_head;
    const std::string& m_peer;
    Channel m_channel;
    std::string& m_pending;
    bool m_keep = true;
    std::shared_ptr<LoopShared> m_loop;
    void* m_connection;
    std::shared_ptr<StreamSession> m_session;
    std::shared_ptr<StreamWriter> m_writer;
    bool m_deferred = false;
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
    std::size_t streams = 0;    ///< of which taken over (WebSockets)
    std::size_t deferred = 0;   ///< of which waiting for a deferred answer
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
    LoopSettings m_settings;
    ExchangeHandler m_handler;
    RefusalWriter m_refusal;
    int m_port = 0;
    std::shared_ptr<LoopShared> m_state;
};

/// Raises this process's open-file limit to its hard limit (each connection is a descriptor);
/// returns the limit now in force.
long raise_open_file_limit();

} // namespace slate::api::http
