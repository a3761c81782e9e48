#include "support/raw_client.h"

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace slate::test {

RawClient::RawClient(int port, const std::string& source, int receive_buffer) {
    m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(m_fd >= 0);
    if (receive_buffer > 0)
        ::setsockopt(m_fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
    sockaddr_in from{};
    from.sin_family = AF_INET;
    ::inet_pton(AF_INET, source.c_str(), &from.sin_addr);
    REQUIRE(::bind(m_fd, reinterpret_cast<sockaddr*>(&from), sizeof from) == 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(static_cast<uint16_t>(port));
    ::inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    INFO(std::strerror(errno));
    REQUIRE(::connect(m_fd, reinterpret_cast<sockaddr*>(&to), sizeof to) == 0);
}

RawClient::~RawClient() {
    if (m_fd >= 0)
        ::close(m_fd);
}

bool RawClient::send(std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t sent = ::send(m_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (sent < 0 && errno == EINTR)
            continue;
        if (sent <= 0)
            return false;
        bytes.remove_prefix(static_cast<std::size_t>(sent));
    }
    return true;
}

bool RawClient::fill(std::chrono::steady_clock::time_point deadline) {
    if (m_closed)
        return false;
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
        return false;
    pollfd entry{m_fd, POLLIN, 0};
    if (::poll(&entry, 1, static_cast<int>(left.count())) <= 0)
        return false;
    char chunk[16 * 1024];
    const ssize_t got = ::recv(m_fd, chunk, sizeof chunk, 0);
    if (got <= 0) {
        m_closed = true;
        return false;
    }
    m_buffer.append(chunk, static_cast<std::size_t>(got));
    return true;
}

std::string RawClient::read_response(std::chrono::milliseconds timeout, bool to_head) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::size_t head_end;
    while ((head_end = m_buffer.find("\r\n\r\n")) == std::string::npos)
        if (!fill(deadline))
            return std::exchange(m_buffer, {});
    head_end += 4;
    std::size_t length = 0;
    const std::string head = m_buffer.substr(0, head_end);
    if (to_head) { // the answer to a HEAD request: no body, whatever its fields say
        m_buffer.erase(0, head_end);
        return head;
    }
    if (head.find("\r\nTransfer-Encoding: chunked\r\n") != std::string::npos)
        return read_chunked(head_end, deadline);
    if (const auto at = head.find("\r\nContent-Length: "); at != std::string::npos)
        length = std::stoul(head.substr(at + 18));
    while (m_buffer.size() < head_end + length)
        if (!fill(deadline))
            return std::exchange(m_buffer, {});
    std::string response = m_buffer.substr(0, head_end + length);
    m_buffer.erase(0, head_end + length);
    return response;
}

std::string RawClient::read_chunked(std::size_t head_end, std::chrono::steady_clock::time_point deadline) {
    std::string body;
    std::size_t at = head_end;
    for (;;) {
        std::size_t line_end;
        while ((line_end = m_buffer.find("\r\n", at)) == std::string::npos)
            if (!fill(deadline))
                return std::exchange(m_buffer, {});
        const std::size_t size = std::stoul(m_buffer.substr(at, line_end - at), nullptr, 16);
        const std::size_t data = line_end + 2;
        while (m_buffer.size() < data + size + 2)
            if (!fill(deadline))
                return std::exchange(m_buffer, {});
        if (m_buffer.compare(data + size, 2, "\r\n") != 0)
            return std::exchange(m_buffer, {}); // broken framing: what came, undecoded
        body.append(m_buffer, data, size);
        at = data + size + 2;
        if (size == 0)
            break;
    }
    std::string response = m_buffer.substr(0, head_end) + body;
    m_buffer.erase(0, at);
    return response;
}

bool RawClient::closed_within(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!m_closed && std::chrono::steady_clock::now() < deadline)
        fill(deadline);
    return m_closed;
}

int status_of(std::string_view response) {
    if (response.size() < 12 || response.substr(0, 5) != "HTTP/")
        return 0;
    return std::atoi(std::string(response.substr(9, 3)).c_str());
}

} // namespace slate::test
