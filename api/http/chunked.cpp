#include "api/http/chunked.h"

#include <algorithm>

namespace slate::api::http {
namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Extensions and trailers carry nothing Slate uses: a bounded amount is skipped, more is refused.
constexpr std::size_t max_skipped = 16 * 1024;
// 15 hex digits: sizes up to 2^60, far above any upload limit, and no overflow.
constexpr int max_size_digits = 15;

} // namespace

std::size_t ChunkedDecoder::feed(std::string_view in, std::string& out) {
    std::size_t at = 0;
    while (at < in.size() && m_state != State::done && m_state != State::failed) {
        if (m_state == State::data) {
            const auto take = static_cast<std::size_t>(std::min<uint64_t>(m_left, in.size() - at));
            out.append(in.data() + at, take);
            at += take;
            m_left -= take;
            if (m_left == 0)
                m_state = State::data_cr;
            continue;
        }
        const char c = in[at++];
        switch (m_state) {
        case State::size: {
            const int digit = hex_value(c);
            if (digit >= 0 && m_digits < max_size_digits) {
                m_left = m_left * 16 + static_cast<uint64_t>(digit);
                ++m_digits;
            } else if (m_digits > 0 && (c == ';' || c == ' ' || c == '\t')) {
                m_state = State::extension;
            } else if (m_digits > 0 && c == '\r') {
                m_state = State::size_lf;
            } else if (m_digits > 0 && c == '\n') {
                m_state = m_left == 0 ? State::trailer_start : State::data;
            } else {
                m_state = State::failed;
            }
            break;
        }
        case State::extension:
            if (c == '\r')
                m_state = State::size_lf;
            else if (c == '\n')
                m_state = m_left == 0 ? State::trailer_start : State::data;
            else if (++m_skipped > max_skipped)
                m_state = State::failed;
            break;
        case State::size_lf:
            m_state = c == '\n' ? (m_left == 0 ? State::trailer_start : State::data) : State::failed;
            break;
        case State::data_cr:
            if (c == '\r')
                m_state = State::data_lf;
            else if (c == '\n') {
                m_state = State::size;
                m_digits = 0;
            } else
                m_state = State::failed;
            break;
        case State::data_lf:
            if (c == '\n') {
                m_state = State::size;
                m_digits = 0;
            } else
                m_state = State::failed;
            break;
        case State::trailer_start:
            if (c == '\r')
                m_state = State::final_lf;
            else if (c == '\n')
                m_state = State::done;
            else
                m_state = ++m_skipped > max_skipped ? State::failed : State::trailer_line;
            break;
        case State::trailer_line:
            if (c == '\n')
                m_state = State::trailer_start;
            else if (++m_skipped > max_skipped)
                m_state = State::failed;
            break;
        case State::final_lf: m_state = c == '\n' ? State::done : State::failed; break;
        case State::data:
        case State::done:
        case State::failed: break;
        }
    }
    return at;
}

} // namespace slate::api::http
