#include "api/http/connection_loop.h"
#include "api/http/loop_shared.h"

#include "engine/log.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <unordered_set>
#include <thread>
#include <unordered_map>
#include <vector>

namespace slate::api::http {
namespace {

std::string address_text(const sockaddr_storage& address) {
    char text[INET6_ADDRSTRLEN] = {};
    if (address.ss_family == AF_INET) {
        const auto& v4 = reinterpret_cast<const sockaddr_in&>(address);
        ::inet_ntop(AF_INET, &v4.sin_addr, text, sizeof text);
    } else if (address.ss_family == AF_INET6) {
        const auto& v6 = reinterpret_cast<const sockaddr_in6&>(address);
        if (IN6_IS_ADDR_V4MAPPED(&v6.sin6_addr)) // an IPv4 client on a dual-stack socket
            ::inet_ntop(AF_INET, &v6.sin6_addr.s6_addr[12], text, sizeof text);
        else
            ::inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof text);
    }
    return text;
}

int status_of(HeadStatus status) {
    switch (status) {
    case HeadStatus::too_large: return 431;
    case HeadStatus::uri_too_long: return 414;
    case HeadStatus::not_implemented: return 501;
    default: return 400;
    }
}

} // namespace

namespace {

/// Sends a refusal on a socket the loop is about to close, without ever blocking: what the
/// client sent is drained first, so that closing does not reset the connection before the
/// client reads the answer.
void send_refusal(int fd, const std::string& response) {
    char sink[16 * 1024];
    for (int rounds = 0; rounds < 4 && ::recv(fd, sink, sizeof sink, MSG_DONTWAIT) > 0; ++rounds) {
    }
    [[maybe_unused]] const auto ignored = ::send(fd, response.data(), response.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    ::shutdown(fd, SHUT_WR);
}

} // namespace

void LoopShared::refuse(Connection& connection, int status, const std::string& message) {
    send_refusal(connection.fd, refusal(status, message));
    close_connection(connection);
}

void LoopShared::accept_all(Clock::time_point now) {
    for (int accepted = 0; accepted < 256; ++accepted) {
        sockaddr_storage address{};
        socklen_t size = sizeof address;
        const int fd = ::accept4(listen_fd, reinterpret_cast<sockaddr*>(&address), &size, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                // Out of descriptors: the pending connection would wake the loop again at once.
                // Stop listening for a moment; the connections held keep being served.
                ::epoll_ctl(epoll_fd, EPOLL_CTL_DEL, listen_fd, nullptr);
                accept_paused = true;
                accept_resumes = now + std::chrono::milliseconds(100);
                log::warning("out of file descriptors at " + std::to_string(open.load()) +
                             " connections: accepting paused");
            }
            return;
        }
        std::string peer = address_text(address);
        int& from_peer = per_address[peer];
        if (settings.max_connections_per_address > 0 && from_peer >= settings.max_connections_per_address) {
            send_refusal(fd, refusal(503, "Too many connections from this address."));
            ::close(fd);
            continue;
        }
        ++from_peer;
        const int yes = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
        auto connection = std::make_unique<Connection>();
        connection->fd = fd;
        connection->peer = std::move(peer);
        connection->deadline = now + settings.keep_alive_timeout;
        arm(*connection, EPOLL_CTL_ADD);
        connections.emplace(fd, std::move(connection));
        ++open;
    }
}

void LoopShared::read_from(int fd, uint32_t events, Clock::time_point now) {
    const auto found = connections.find(fd);
    if (found == connections.end() || found->second->in_worker.load(std::memory_order_acquire))
        return;
    Connection& connection = *found->second;
    if (connection.stream) {
        if (events & EPOLLOUT)
            connection.writer->flush();
        if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
            read_stream(connection);
        else
            connection.writer->arm();
        return;
    }
    char chunk[64 * 1024];
    bool peer_closed = false;
    for (;;) {
        const ssize_t got = ::recv(fd, chunk, sizeof chunk, 0);
        if (got > 0) {
            connection.buffer.append(chunk, static_cast<std::size_t>(got));
            // Enough to judge a head: more would only be held in memory.
            if (static_cast<std::size_t>(got) < sizeof chunk ||
                connection.buffer.size() > settings.head_limits.max_bytes)
                break;
            continue;
        }
        if (got < 0 && errno == EINTR)
            continue;
        peer_closed = got == 0 || (errno != EAGAIN && errno != EWOULDBLOCK);
        break;
    }
    look_for_head(connection, peer_closed, now);
}

void LoopShared::look_for_head(Connection& connection, bool peer_closed, Clock::time_point now) {
    std::string& buffer = connection.buffer;
    if (!connection.head_started) {
        // Empty lines before a request line are ignored (RFC 9112 §2.2).
        const auto first = buffer.find_first_not_of("\r\n");
        buffer.erase(0, first == std::string::npos ? buffer.size() : first);
        connection.scanned = 0;
        if (!buffer.empty()) {
            connection.head_started = true;
            connection.deadline = now + settings.head_timeout; // the whole head, however it trickles
        }
    }
    const std::size_t end = find_head_end(buffer, connection.scanned);
    if (end == std::string::npos && buffer.size() <= settings.head_limits.max_bytes) {
        connection.scanned = buffer.size();
        if (peer_closed)
            close_connection(connection);
        else
            arm(connection, EPOLL_CTL_MOD);
        return;
    }
    HeadResult read = parse_request_head(buffer, settings.head_limits);
    if (read.status != HeadStatus::complete) {
        log::debug("refused a request head from " + connection.peer + ": " + read.reason);
        refuse(connection, status_of(read.status), read.reason);
        return;
    }
    buffer.erase(0, read.consumed);
    connection.scanned = 0;
    connection.head_started = false;
    connection.next_head = std::move(read.head);
    if (peer_closed) // the client sent its request and shut its side: answer, then close
        connection.next_head.keep_alive = false;
    connection.in_worker = true;
    ++in_workers;
    {
        std::lock_guard lock(work_mutex);
        work.push_back(&connection);
    }
    work_ready.notify_one();
}

void LoopShared::finish(Connection& connection, bool keep) {
    if (keep && connection.buffer.empty() && !stopping) {
        // The common keep-alive case, without a detour through the loop thread: the worker
        // re-arms the connection itself (epoll_ctl is thread-safe).
        connection.head_started = false;
        connection.scanned = 0;
        if (connection.buffer.capacity() > 4096)
            std::string().swap(connection.buffer); // an idle connection keeps no large buffer
        connection.deadline = Clock::now() + settings.keep_alive_timeout;
        connection.in_worker.store(false, std::memory_order_release);
        --in_workers;
        arm(connection, EPOLL_CTL_MOD);
        return;
    }
    // To be closed, or with bytes of a next request already read: the loop decides.
    hand_back(connection, !keep);
}

void LoopShared::hand_back(Connection& connection, bool close) {
    connection.close_when_back = close;
    {
        std::lock_guard lock(back_mutex);
        back.push_back(&connection);
    }
    wake();
}

void LoopShared::read_stream(Connection& connection) {
    char chunk[64 * 1024];
    for (;;) {
        const ssize_t got = ::recv(connection.fd, chunk, sizeof chunk, 0);
        if (got > 0) {
            if (!connection.stream->on_bytes(std::string_view(chunk, static_cast<std::size_t>(got)))) {
                close_connection(connection);
                return;
            }
            continue;
        }
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            connection.writer->arm();
            return;
        }
        close_connection(connection); // the client closed, or the writer shut it down
        return;
    }
}

void LoopShared::take_back(Clock::time_point now) {
    std::vector<Connection*> returned;
    {
        std::lock_guard lock(back_mutex);
        returned.swap(back);
    }
    for (Connection* connection : returned) {
        connection->in_worker = false;
        --in_workers;
        if (connection->close_when_back || stopping) {
            close_connection(*connection);
            continue;
        }
        if (connection->stream) { // taken over: no HTTP deadline, the session keeps its own
            ++streams;
            connection->deadline = Clock::time_point::max();
            std::string early = std::exchange(connection->buffer, {});
            if (!early.empty() && !connection->stream->on_bytes(early))
                close_connection(*connection);
            else
                connection->writer->arm();
            continue;
        }
        connection->deadline = now + settings.keep_alive_timeout;
        if (connection->buffer.empty() && connection->buffer.capacity() > 4096)
            std::string().swap(connection->buffer); // an idle connection keeps no large buffer
        // A pipelined request may be there already: it goes straight back to a worker.
        look_for_head(*connection, false, now);
    }
}

void LoopShared::sweep(Clock::time_point now) {
    std::vector<Connection*> expired;
    for (auto& [fd, connection] : connections)
        if (!connection->in_worker.load(std::memory_order_acquire) && connection->deadline <= now)
            expired.push_back(connection.get());
    for (Connection* connection : expired) {
        if (connection->head_started)
            refuse(*connection, 408, "The request head did not arrive in time.");
        else
            close_connection(*connection); // idle keep-alive: closed silently, as every server does
    }
}

void LoopShared::begin_stopping() {
    ::epoll_ctl(epoll_fd, EPOLL_CTL_DEL, listen_fd, nullptr);
    ::close(listen_fd);
    listen_fd = -1;
    std::vector<Connection*> waiting;
    for (auto& [fd, connection] : connections)
        if (!connection->in_worker.load(std::memory_order_acquire))
            waiting.push_back(connection.get());
    for (Connection* connection : waiting)
        close_connection(*connection);
}

void LoopShared::run() {
    constexpr int tick_ms = 250; // deadlines are checked this often
    std::vector<epoll_event> events(256);
    auto last_sweep = Clock::now();
    for (;;) {
        const int ready = ::epoll_wait(epoll_fd, events.data(), static_cast<int>(events.size()), tick_ms);
        const auto now = Clock::now();
        for (int i = 0; i < ready; ++i) {
            const int fd = events[static_cast<std::size_t>(i)].data.fd;
            if (fd == listen_fd)
                accept_all(now);
            else if (fd == wake_fd) {
                uint64_t count = 0;
                [[maybe_unused]] const auto ignored = ::read(wake_fd, &count, sizeof count);
                take_back(now);
            } else
                read_from(fd, events[static_cast<std::size_t>(i)].events, now);
        }
        if (stopping) {
            if (listen_fd >= 0)
                begin_stopping();
            take_back(now);
            if (in_workers == 0)
                return;
            continue;
        }
        if (accept_paused && now >= accept_resumes) {
            epoll_event event{};
            event.events = EPOLLIN;
            event.data.fd = listen_fd;
            ::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, listen_fd, &event);
            accept_paused = false;
        }
        if (now - last_sweep >= std::chrono::milliseconds(tick_ms)) {
            sweep(now);
            last_sweep = now;
        }
    }
}

ConnectionLoop::ConnectionLoop(LoopSettings settings, ExchangeHandler handler, RefusalWriter refusal)
    : m_settings(std::move(settings)), m_handler(std::move(handler)), m_refusal(std::move(refusal)) {}

ConnectionLoop::~ConnectionLoop() {
    stop();
}

LoopCounters ConnectionLoop::counters() const {
    if (!m_state)
        return {};
    std::lock_guard lock(m_state->work_mutex);
    return {m_state->open.load(), m_state->in_workers.load(), m_state->streams.load(),
            m_state->waiting_deferred.size()};
}

long raise_open_file_limit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return -1;
    if (limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
        ::getrlimit(RLIMIT_NOFILE, &limit);
    }
    return static_cast<long>(limit.rlim_cur);
}

void ConnectionLoop::start() {
    auto state = std::make_shared<LoopShared>(m_settings, m_refusal);
    const std::string where = m_settings.host + ":" + std::to_string(m_settings.port);
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    if (const int failed =
            ::getaddrinfo(m_settings.host.c_str(), std::to_string(m_settings.port).c_str(), &hints, &found))
        throw std::runtime_error("cannot listen on " + where + ": " + ::gai_strerror(failed));
    std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses(found, &::freeaddrinfo);
    state->listen_fd = ::socket(found->ai_family, found->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    const int yes = 1;
    if (state->listen_fd < 0 || ::setsockopt(state->listen_fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes) != 0 ||
        ::bind(state->listen_fd, found->ai_addr, found->ai_addrlen) != 0 || ::listen(state->listen_fd, 1024) != 0)
        throw std::runtime_error("cannot listen on " + where + ": " + std::strerror(errno));
    sockaddr_storage bound{};
    socklen_t bound_size = sizeof bound;
    ::getsockname(state->listen_fd, reinterpret_cast<sockaddr*>(&bound), &bound_size);
    m_port = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6&>(bound).sin6_port
                                               : reinterpret_cast<sockaddr_in&>(bound).sin_port);

    state->epoll_fd = ::epoll_create1(EPOLL_CLOEXEC);
    state->wake_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (state->epoll_fd < 0 || state->wake_fd < 0)
        throw std::runtime_error(std::string("cannot start the connection loop: ") + std::strerror(errno));
    for (int fd : {state->listen_fd, state->wake_fd}) {
        epoll_event event{};
        event.events = EPOLLIN;
        event.data.fd = fd;
        ::epoll_ctl(state->epoll_fd, EPOLL_CTL_ADD, fd, &event);
    }
    raise_open_file_limit();
    m_state = std::move(state);
    LoopShared& s = *m_state;

    for (int i = 0; i < std::max(1, m_settings.worker_threads); ++i)
        s.workers.emplace_back([this, &s] {
            for (;;) {
                Connection* connection = nullptr;
                {
                    std::unique_lock lock(s.work_mutex);
                    s.work_ready.wait(lock, [&] { return s.workers_stop || !s.work.empty(); });
                    if (s.work.empty())
                        return;
                    connection = s.work.front();
                    s.work.pop_front();
                }
                if (connection->deferred_response) {
                    // A deferred answer, completed: sent here, where blocking on a slow reader
                    // costs a worker for the socket's timeout at most, never the loop.
                    const std::string response = std::move(*connection->deferred_response);
                    connection->deferred_response.reset();
                    bool keep = false;
                    try {
                        Channel(connection->fd, m_settings.io_timeout).write_all(response);
                        keep = connection->deferred_keep;
                    } catch (const ConnectionLost& e) {
                        log::debug(std::string("connection closed: ") + e.what());
                    }
                    s.finish(*connection, keep);
                    continue;
                }
                Exchange exchange(std::move(connection->next_head), connection->peer,
                                  Channel(connection->fd, m_settings.io_timeout), connection->buffer, m_state,
                                  connection);
                bool keep = false;
                try {
                    m_handler(exchange);
                    keep = exchange.keeps_connection();
                } catch (const ConnectionLost& e) {
                    log::debug(std::string("connection closed: ") + e.what());
                } catch (const std::exception& e) {
                    log::error(std::string("connection handler failed: ") + e.what());
                } catch (...) {
                    log::error("connection handler failed");
                }
                if (exchange.taken_over() && keep) {
                    connection->stream = exchange.taken_over();
                    connection->writer = exchange.taken_over_writer();
                    s.hand_back(*connection, false); // the loop feeds it from now on
                } else if (exchange.deferred()) {
                    --s.in_workers; // waits for its answer with no thread, out of the loop's reach
                } else {
                    s.finish(*connection, keep);
                }
            }
        });
    s.loop_thread = std::thread([&s] { s.run(); });
}

void ConnectionLoop::stop() {
    if (!m_state)
        return;
    LoopShared& s = *m_state;
    s.stopping = true;
    s.wake();
    if (s.loop_thread.joinable())
        s.loop_thread.join();
    {
        std::lock_guard lock(s.work_mutex);
        s.workers_stop = true;
    }
    s.work_ready.notify_all();
    for (auto& worker : s.workers)
        worker.join();
    {
        // Answers still deferred will not be sent: their connections close with the loop.
        std::lock_guard lock(s.work_mutex);
        for (Connection* connection : s.waiting_deferred)
            connection->deferred->cancel();
        s.waiting_deferred.clear();
    }
    for (auto& [fd, connection] : s.connections) {
        if (connection->writer)
            connection->writer->mark_closed();
        ::close(fd);
    }
    s.connections.clear();
    m_state.reset();
}

} // namespace slate::api::http
