#pragma once
// api/http/channel.h: one connection's socket as a worker thread uses it while it answers a
// request: every wait bounded (a client that stops reading or sending loses the connection,
// not a thread for ever), and the request body read as a stream, de-chunked, without ever
// reading past its end (the bytes behind it belong to the next request).

#include "api/http/chunked.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <streambuf>
#include <string>
#include <string_view>

namespace slate::api::http {

/// The client went away, or stayed silent past the channel's timeout.
class ConnectionLost : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Channel {
public:
    /// `fd` is non-blocking and stays owned by the connection loop.
    Channel(int fd, std::chrono::milliseconds timeout) : m_fd(fd), m_timeout(timeout) {}

    /// Reads up to `size` bytes, waiting at most the timeout for the first; 0 when the client
    /// closed. Throws ConnectionLost on a timeout or a socket error.
    std::size_t read_some(char* data, std::size_t size);
    /// Writes all of `first` then `second` (one system call when they fit the socket's buffer).
    void write_all(std::string_view first, std::string_view second = {});
    /// Sends `length` bytes of the open file `file_fd` from `offset`, by sendfile(2).
    void send_file(int file_fd, uint64_t offset, uint64_t length);

private:
    void wait(short events);
    void wait_after_send_failure();
    int m_fd;
    std::chrono::milliseconds m_timeout;
};

/// A request body as a std::streambuf: the bytes that came with the head first (`pending`),
/// then the socket; bounded by Content-Length or decoded from chunks. A read that fails (the
/// client went away, a timeout, broken chunks) ends the stream and is kept in `failure()`.
class BodyStreamBuf : public std::streambuf {
public:
    BodyStreamBuf(Channel& channel, std::string& pending, std::optional<uint64_t> length, bool chunked);

    /// Whether the whole body was read: the connection can then carry another request.
    bool complete() const { return m_complete; }
    const std::optional<std::string>& failure() const { return m_failure; }

protected:
    int_type underflow() override;

private:
    bool fill_pending();
    Channel& m_channel;
    std::string& m_pending;
    std::size_t m_pending_used = 0;
    uint64_t m_left = 0; ///< length-framed: bytes still to read
    bool m_chunked = false;
    ChunkedDecoder m_decoder;
    std::string m_out;
    bool m_complete = false;
    std::optional<std::string> m_failure;
};

} // namespace slate::api::http
