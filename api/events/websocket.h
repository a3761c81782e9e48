#pragma once
// api/events/websocket.h: RFC 6455 framing for the event stream: the handshake's accept key,
// server frames, and a reader of client frames that enforces what the RFC requires of them
// (masked, control frames short and whole) and bounds a message's size.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace slate::api::events {

/// Sec-WebSocket-Accept for a client's Sec-WebSocket-Key.
std::string websocket_accept(std::string_view key);

/// A server frame (never masked): text by default.
std::string websocket_frame(std::string_view payload, uint8_t opcode = 0x1);

class FrameReader {
public:
    enum class Kind { message, ping, close, error };
    struct Item {
        Kind kind;
        std::string payload;
    };
    explicit FrameReader(std::size_t max_message) : m_max(max_message) {}
    /// Adds received bytes; returns the messages and control frames they completed. After an
    /// error item, nothing more is read.
    std::vector<Item> feed(std::string_view bytes);

private:
    std::string m_buffer;
    std::string m_message;
    bool m_in_message = false;
    bool m_failed = false;
    std::size_t m_max;
};

} // namespace slate::api::events
