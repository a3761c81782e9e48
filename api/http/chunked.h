#pragma once
// api/http/chunked.h: the chunked transfer coding of a request body (RFC 9112 §7.1), decoded
// as bytes arrive. It stops exactly after the body's last line so that a pipelined request
// behind it stays in the connection's buffer.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace slate::api::http {

class ChunkedDecoder {
public:
    /// Decodes what it can of `in`, appending the body's bytes to `out`; returns how many bytes
    /// of `in` it used (all of them unless the body ended or the coding is broken).
    std::size_t feed(std::string_view in, std::string& out);
    bool done() const { return m_state == State::done; }
    bool failed() const { return m_state == State::failed; }

private:
    enum class State {
        size,      // hex digits of a chunk's size
        extension, // ";name=value" after the size, skipped
        size_lf,   // the LF after the size line's CR
        data,      // the chunk's bytes
        data_cr,   // the CRLF after a chunk's bytes
        data_lf,
        trailer_start, // after the last chunk: a trailer field or the closing blank line
        trailer_line,  // a trailer field, skipped
        final_lf,      // the LF of the closing blank line
        done,
        failed,
    };
    State m_state = State::size;
    uint64_t m_left = 0;       ///< chunk bytes still to copy
    int m_digits = 0;          ///< hex digits read of the current size
    std::size_t m_skipped = 0; ///< bytes of extensions and trailers, bounded
};

} // namespace slate::api::http
