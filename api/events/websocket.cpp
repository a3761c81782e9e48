#include "api/events/websocket.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

namespace slate::api::events {

std::string websocket_accept(std::string_view key) {
    const std::string text = std::string(key) + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    unsigned char digest[SHA_DIGEST_LENGTH];
    SHA1(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
    unsigned char encoded[4 * ((SHA_DIGEST_LENGTH + 2) / 3) + 1];
    const int length = EVP_EncodeBlock(encoded, digest, SHA_DIGEST_LENGTH);
    return std::string(reinterpret_cast<char*>(encoded), static_cast<std::size_t>(length));
}

std::string websocket_frame(std::string_view payload, uint8_t opcode) {
    std::string frame;
    frame.reserve(payload.size() + 10);
    frame.push_back(static_cast<char>(0x80 | opcode));
    const uint64_t size = payload.size();
    if (size < 126) {
        frame.push_back(static_cast<char>(size));
    } else if (size <= 0xffff) {
        frame.push_back(126);
        frame.push_back(static_cast<char>(size >> 8));
        frame.push_back(static_cast<char>(size & 0xff));
    } else {
        frame.push_back(127);
        for (int shift = 56; shift >= 0; shift -= 8)
            frame.push_back(static_cast<char>((size >> shift) & 0xff));
    }
    frame.append(payload);
    return frame;
}

std::vector<FrameReader::Item> FrameReader::feed(std::string_view bytes) {
    std::vector<Item> items;
    if (m_failed)
        return items;
    m_buffer.append(bytes);
    const auto fail = [&](const char* why) {
        m_failed = true;
        m_buffer.clear();
        items.push_back({Kind::error, why});
        return items;
    };
    std::size_t at = 0;
    for (;;) {
        const std::size_t left = m_buffer.size() - at;
        if (left < 2)
            break;
        const auto* head = reinterpret_cast<const unsigned char*>(m_buffer.data() + at);
        const bool fin = head[0] & 0x80;
        const uint8_t opcode = head[0] & 0x0f;
        if (head[0] & 0x70)
            return fail("reserved bits set");
        if (!(head[1] & 0x80))
            return fail("client frames must be masked");
        uint64_t size = head[1] & 0x7f;
        std::size_t header = 2;
        if (size == 126) {
            if (left < 4)
                break;
            size = (uint64_t(head[2]) << 8) | head[3];
            header = 4;
        } else if (size == 127) {
            if (left < 10)
                break;
            size = 0;
            for (int i = 0; i < 8; ++i)
                size = (size << 8) | head[2 + i];
            header = 10;
        }
        if (opcode >= 0x8 && (!fin || size > 125))
            return fail("control frames must be whole and short");
        if (size > m_max || m_message.size() + size > m_max)
            return fail("message too large");
        if (left < header + 4 + size)
            break;
        const unsigned char* mask = head + header;
        std::string payload(m_buffer.data() + at + header + 4, static_cast<std::size_t>(size));
        for (std::size_t i = 0; i < payload.size(); ++i)
            payload[i] = static_cast<char>(payload[i] ^ mask[i % 4]);
        at += header + 4 + static_cast<std::size_t>(size);
        switch (opcode) {
        case 0x0: // continuation
            if (!m_in_message)
                return fail("continuation without a message");
            m_message += payload;
            break;
        case 0x1:
        case 0x2:
            if (m_in_message)
                return fail("a new message inside another");
            m_message = std::move(payload);
            m_in_message = true;
            break;
        case 0x8:
            items.push_back({Kind::close, std::move(payload)});
            m_failed = true;
            return items;
        case 0x9: items.push_back({Kind::ping, std::move(payload)}); continue;
        case 0xA: continue; // pong
        default: return fail("unknown opcode");
        }
        if (fin) {
            items.push_back({Kind::message, std::move(m_message)});
            m_message.clear();
            m_in_message = false;
        }
    }
    m_buffer.erase(0, at);
    return items;
}

} // namespace slate::api::events
