#pragma once
// api/http/loop_shared.h: the connection layer's inside, shared by its two halves — the event
// loop (connection_loop.cpp) and the hand-offs that let other threads answer later or write to a
// taken-over connection (handoffs.cpp). Not for use outside api/http.

#include "api/http/connection_loop.h"

#include <sys/epoll.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace slate::api::http {

using Clock = std::chrono::steady_clock;

/// One client connection. The loop thread owns it; while `in_worker`, only that worker
/// touches it (its descriptor is out of epoll's interest by EPOLLONESHOT until re-armed).
struct Connection {
    int fd = -1;
    std::string peer;
    std::string buffer;        ///< received and not used yet
    std::size_t scanned = 0;   ///< bytes of `buffer` already searched for a head's end
    bool head_started = false; ///< bytes of the next head arrived: the head deadline runs
    /// A worker has it. Set by the loop; cleared by the worker that re-arms it (release: the
    /// fields it reset are then the loop's to read).
    std::atomic<bool> in_worker{false};
    bool close_when_back = false;
    Clock::time_point deadline;
    RequestHead next_head; ///< the head a worker is about to answer
    /// Taken over (a WebSocket): the loop feeds `stream`; `writer` writes.
    std::shared_ptr<StreamSession> stream;
    std::shared_ptr<StreamWriter> writer;
    /// A deferred answer, completed: the worker that picks the connection up sends it.
    std::optional<std::string> deferred_response;
    bool deferred_keep = false;
    std::shared_ptr<DeferredAnswer> deferred; ///< while waiting for it
};

struct LoopShared {
    LoopShared(const LoopSettings& settings, const RefusalWriter& refusal) : settings(settings), refusal(refusal) {}
    const LoopSettings& settings;
    const RefusalWriter& refusal;
    int epoll_fd = -1;
    int listen_fd = -1;
    int wake_fd = -1;
    std::thread loop_thread;
    std::vector<std::thread> workers;

    // The loop thread's own.
    std::unordered_map<int, std::unique_ptr<Connection>> connections;
    std::unordered_map<std::string, int> per_address;
    bool accept_paused = false;
    Clock::time_point accept_resumes;

    // Heads ready for a worker.
    std::mutex work_mutex;
    std::condition_variable work_ready;
    std::deque<Connection*> work;
    bool workers_stop = false;

    // Connections the workers are done with.
    std::mutex back_mutex;
    std::vector<Connection*> back;

    std::atomic<bool> stopping{false};
    std::atomic<std::size_t> open{0};
    std::atomic<std::size_t> in_workers{0};
    std::atomic<std::size_t> streams{0};
    /// Connections waiting for a deferred answer (under work_mutex): closed at stop.
    std::unordered_set<Connection*> waiting_deferred;

    ~LoopShared() {
        for (int fd : {epoll_fd, listen_fd, wake_fd})
            if (fd >= 0)
                ::close(fd);
        for (auto& [fd, connection] : connections)
            ::close(fd);
    }

    void wake() const {
        const uint64_t one = 1;
        [[maybe_unused]] const auto ignored = ::write(wake_fd, &one, sizeof one);
    }

    void arm(Connection& connection, int operation) const {
        epoll_event event{};
        event.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT;
        event.data.fd = connection.fd;
        ::epoll_ctl(epoll_fd, operation, connection.fd, &event);
    }

    void close_connection(Connection& connection) {
        const int fd = connection.fd;
        if (connection.writer)
            connection.writer->mark_closed();
        if (connection.stream) {
            const auto stream = std::move(connection.stream);
            stream->on_closed();
            --streams;
        }
        ::epoll_ctl(epoll_fd, EPOLL_CTL_DEL, fd, nullptr);
        ::close(fd);
        if (auto it = per_address.find(connection.peer); it != per_address.end() && --it->second <= 0)
            per_address.erase(it);
        connections.erase(fd); // destroys `connection`
        --open;
    }

    void run();
    void finish(Connection& connection, bool keep);
    void hand_back(Connection& connection, bool close);
    void read_stream(Connection& connection);
    void accept_all(Clock::time_point now);
    void read_from(int fd, uint32_t events, Clock::time_point now);
    void look_for_head(Connection& connection, bool peer_closed, Clock::time_point now);
    void take_back(Clock::time_point now);
    void sweep(Clock::time_point now);
    void refuse(Connection& connection, int status, const std::string& message);
    void begin_stopping();
};

} // namespace slate::api::http
