#pragma once
// tests/support/raw_client.h: a plain TCP client for the connection-layer tests: bytes exactly
// as written (slow, partial, malformed, pipelined), from a chosen loopback source address
// (127.0.0.2, 127.0.0.3… are all this machine: the per-address cap can be tested without a
// second host), and answers read with a deadline.

#include <chrono>
#include <string>
#include <string_view>

namespace slate::test {

class RawClient {
public:
    /// Connects to 127.0.0.1:`port` from `source`; fails the test if it cannot.
    /// `receive_buffer`, when given, is the socket's SO_RCVBUF (a client that reads slowly).
    explicit RawClient(int port, const std::string& source = "127.0.0.1", int receive_buffer = 0);
    ~RawClient();
    RawClient(const RawClient&) = delete;
    RawClient& operator=(const RawClient&) = delete;

    /// Writes all of `bytes`; false if the server closed or reset the connection.
    bool send(std::string_view bytes);
    /// One whole answer (status line, fields, Content-Length body or a chunked body, returned
    /// decoded; a 100 Continue is one too), or what arrived before the deadline or the close.
    /// `to_head`: the answer to a HEAD request, its head alone.
    std::string read_response(std::chrono::milliseconds timeout = std::chrono::seconds(10), bool to_head = false);
    /// Whether the server closes the connection (EOF or reset) within `timeout`; bytes that
    /// arrive first are kept in `received()`.
    bool closed_within(std::chrono::milliseconds timeout);
    const std::string& received() const { return m_buffer; }

private:
    bool fill(std::chrono::steady_clock::time_point deadline);
    std::string read_chunked(std::size_t head_end, std::chrono::steady_clock::time_point deadline);
    int m_fd = -1;
    std::string m_buffer;
    bool m_closed = false;
};

/// The status code of an answer's status line ("HTTP/1.1 200 OK" → 200), 0 if none.
int status_of(std::string_view response);

} // namespace slate::test
