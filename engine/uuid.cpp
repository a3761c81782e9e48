#include "engine/uuid.h"

#include <sys/random.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <system_error>

namespace slate::engine {

std::string new_uuid() {
    // Version 4 from the kernel's randomness (as Python's uuid4 is), read 4 KiB at a time per
    // thread: one system call for 256 ids instead of one each, and no shared lock.
    thread_local unsigned char pool[4096];
    thread_local std::size_t used = sizeof pool;
    if (used + 16 > sizeof pool) {
        std::size_t filled = 0;
        while (filled < sizeof pool) {
            const ssize_t got = getrandom(pool + filled, sizeof pool - filled, 0);
            if (got < 0) {
                if (errno == EINTR)
                    continue;
                throw std::system_error(errno, std::generic_category(), "getrandom");
            }
            filled += static_cast<std::size_t>(got);
        }
        used = 0;
    }
    unsigned char bytes[16];
    std::memcpy(bytes, pool + used, 16);
    used += 16;
    bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0f) | 0x40); // version 4
    bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3f) | 0x80); // RFC 4122 variant
    static constexpr char hex[] = "0123456789abcdef";
    std::string text;
    text.reserve(36);
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            text.push_back('-');
        text.push_back(hex[bytes[i] >> 4]);
        text.push_back(hex[bytes[i] & 0x0f]);
    }
    return text;
}

bool is_uuid(std::string_view text) {
    if (text.size() != 36)
        return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? text[i] != '-' : !std::isxdigit(static_cast<unsigned char>(text[i])))
            return false;
    }
    return true;
}

} // namespace slate::engine
