#include "api/http/channel.h"

#include <cerrno>
#include <poll.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

namespace slate::api::http {

/// After a failed send: waits until the socket can take more (EAGAIN), retries (EINTR), or
/// reports the client gone.
void Channel::wait_after_send_failure() {
    if (errno == EAGAIN || errno == EWOULDBLOCK)
        wait(POLLOUT);
    else if (errno != EINTR)
        throw ConnectionLost("the client went away");
}

void Channel::wait(short events) {
    pollfd entry{m_fd, events, 0};
    for (;;) {
        const int ready = ::poll(&entry, 1, static_cast<int>(m_timeout.count()));
        if (ready > 0)
            return; // readable, writable, or an error the next call reports
        if (ready == 0)
            throw ConnectionLost("the client was silent past the timeout");
        if (errno != EINTR)
            throw ConnectionLost("poll failed");
    }
}

std::size_t Channel::read_some(char* data, std::size_t size) {
    for (;;) {
        const ssize_t got = ::recv(m_fd, data, size, 0);
        if (got >= 0)
            return static_cast<std::size_t>(got);
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            wait(POLLIN);
        else if (errno != EINTR)
            throw ConnectionLost("the connection was reset");
    }
}

void Channel::write_all(std::string_view first, std::string_view second) {
    while (!first.empty() || !second.empty()) {
        iovec parts[2] = {{const_cast<char*>(first.data()), first.size()},
                          {const_cast<char*>(second.data()), second.size()}};
        msghdr message{};
        message.msg_iov = first.empty() ? parts + 1 : parts;
        message.msg_iovlen = first.empty() || second.empty() ? 1 : 2;
        const ssize_t sent = ::sendmsg(m_fd, &message, MSG_NOSIGNAL);
        if (sent < 0) {
            wait_after_send_failure();
            continue;
        }
        auto done = static_cast<std::size_t>(sent);
        const std::size_t from_first = std::min(done, first.size());
        first.remove_prefix(from_first);
        second.remove_prefix(done - from_first);
    }
}

void Channel::send_file(int file_fd, uint64_t offset, uint64_t length) {
    auto position = static_cast<off_t>(offset);
    while (length > 0) {
        const ssize_t sent =
            ::sendfile(m_fd, file_fd, &position, static_cast<std::size_t>(std::min<uint64_t>(length, 1 << 30)));
        if (sent < 0) {
            wait_after_send_failure();
            continue;
        }
        if (sent == 0)
            throw ConnectionLost("the file is shorter than announced");
        length -= static_cast<uint64_t>(sent);
    }
}

BodyStreamBuf::BodyStreamBuf(Channel& channel, std::string& pending, std::optional<uint64_t> length, bool chunked)
    : m_channel(channel), m_pending(pending), m_left(length.value_or(0)), m_chunked(chunked) {
    m_complete = !chunked && m_left == 0;
}

/// Makes sure unread bytes are pending, reading the socket if needed; false (with the reason
/// kept) if the client closed or failed.
bool BodyStreamBuf::fill_pending() {
    if (m_pending_used < m_pending.size())
        return true;
    m_pending.clear();
    m_pending_used = 0;
    char chunk[64 * 1024];
    try {
        const std::size_t got = m_channel.read_some(chunk, sizeof chunk);
        if (got == 0) {
            m_failure = "the client closed the connection before the end of the body";
            return false;
        }
        m_pending.assign(chunk, got);
        return true;
    } catch (const ConnectionLost& e) {
        m_failure = e.what();
        return false;
    }
}

BodyStreamBuf::int_type BodyStreamBuf::underflow() {
    if (gptr() < egptr())
        return traits_type::to_int_type(*gptr());
    m_out.clear();
    while (m_out.empty() && !m_complete && !m_failure) {
        if (!fill_pending())
            break;
        const std::string_view available(m_pending.data() + m_pending_used, m_pending.size() - m_pending_used);
        if (m_chunked) {
            m_pending_used += m_decoder.feed(available, m_out);
            if (m_decoder.failed())
                m_failure = "the chunked body is malformed";
            m_complete = m_decoder.done();
        } else {
            const auto take = static_cast<std::size_t>(std::min<uint64_t>(m_left, available.size()));
            m_out.assign(available.data(), take);
            m_pending_used += take;
            m_left -= take;
            m_complete = m_left == 0;
        }
    }
    // Whatever follows the body stays pending for the next request on this connection.
    if (m_pending_used > 0) {
        m_pending.erase(0, m_pending_used);
        m_pending_used = 0;
    }
    if (m_out.empty())
        return traits_type::eof();
    setg(m_out.data(), m_out.data(), m_out.data() + m_out.size());
    return traits_type::to_int_type(*gptr());
}

} // namespace slate::api::http
