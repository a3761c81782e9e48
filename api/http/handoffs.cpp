// api/http/handoffs.cpp: what other threads do with a connection the loop holds: take it over
// (a WebSocket written through a StreamWriter) or answer it later (a DeferredAnswer).
#include "api/http/loop_shared.h"

#include <sys/socket.h>

#include <cerrno>

namespace slate::api::http {

void Exchange::upgrade(const std::function<std::shared_ptr<StreamSession>(std::shared_ptr<StreamWriter>)>& make,
                       std::size_t backlog_limit) {
    auto* connection = static_cast<Connection*>(m_connection);
    // A small, fixed kernel buffer: a client that stops reading fills its backlog and is dropped
    // soon, instead of the kernel holding megabytes for it (loopback autotuning goes to 4 MiB).
    const int send_buffer = 256 * 1024;
    ::setsockopt(connection->fd, SOL_SOCKET, SO_SNDBUF, &send_buffer, sizeof send_buffer);
    m_writer = std::make_shared<StreamWriter>(m_loop, connection->fd, backlog_limit);
    m_session = make(m_writer);
}

std::shared_ptr<DeferredAnswer> Exchange::defer() {
    auto* connection = static_cast<Connection*>(m_connection);
    auto answer = std::make_shared<DeferredAnswer>(m_loop, connection);
    std::lock_guard lock(m_loop->work_mutex);
    connection->deferred = answer;
    m_loop->waiting_deferred.insert(connection);
    m_deferred = true;
    return answer;
}

bool DeferredAnswer::complete(std::string response, bool keep) {
    std::shared_ptr<DeferredAnswer> self; // released after the locks below
    std::lock_guard own(m_mutex);
    if (m_done)
        return false;
    m_done = true;
    auto* connection = static_cast<Connection*>(m_connection);
    {
        std::lock_guard lock(m_loop->work_mutex);
        if (m_loop->workers_stop)
            return false;
        m_loop->waiting_deferred.erase(connection);
        self = std::move(connection->deferred);
        connection->deferred_response = std::move(response);
        connection->deferred_keep = keep;
        ++m_loop->in_workers;
        m_loop->work.push_back(connection);
    }
    m_loop->work_ready.notify_one();
    return true;
}

void DeferredAnswer::cancel() {
    std::lock_guard own(m_mutex);
    m_done = true;
}

StreamWriter::StreamWriter(std::shared_ptr<LoopShared> loop, int fd, std::size_t backlog_limit)
    : m_loop(std::move(loop)), m_fd(fd), m_limit(backlog_limit) {}

bool StreamWriter::send(std::string_view bytes) {
    std::lock_guard lock(m_mutex);
    if (m_closed)
        return false;
    if (m_backlog.empty()) {
        const ssize_t sent = ::send(m_fd, bytes.data(), bytes.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
        if (sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            return false; // the loop sees the error and closes
        bytes.remove_prefix(sent > 0 ? static_cast<std::size_t>(sent) : 0);
    }
    if (bytes.empty())
        return true;
    m_backlog.append(bytes);
    if (m_backlog.size() > m_limit) {
        // It stopped reading: disconnected rather than held in memory or waited for.
        ::shutdown(m_fd, SHUT_RDWR);
        m_backlog.clear();
        return false;
    }
    arm_locked();
    return true;
}

void StreamWriter::close() {
    std::lock_guard lock(m_mutex);
    if (!m_closed)
        ::shutdown(m_fd, SHUT_RDWR); // the loop reads the end and closes
}

void StreamWriter::flush() {
    std::lock_guard lock(m_mutex);
    if (m_closed || m_backlog.empty())
        return;
    const ssize_t sent = ::send(m_fd, m_backlog.data(), m_backlog.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    if (sent > 0)
        m_backlog.erase(0, static_cast<std::size_t>(sent));
}

void StreamWriter::arm() {
    std::lock_guard lock(m_mutex);
    arm_locked();
}

void StreamWriter::arm_locked() {
    if (m_closed)
        return;
    epoll_event event{};
    event.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT | (m_backlog.empty() ? 0u : uint32_t(EPOLLOUT));
    event.data.fd = m_fd;
    ::epoll_ctl(m_loop->epoll_fd, EPOLL_CTL_MOD, m_fd, &event);
}

void StreamWriter::mark_closed() {
    std::lock_guard lock(m_mutex);
    m_closed = true;
}

} // namespace slate::api::http
