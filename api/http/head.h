#pragma once
// api/http/head.h: the HTTP/1.1 request head (request line and header fields) read from the
// bytes a connection received: strict where leniency lets requests be smuggled or memory be
// taken (lengths, folding, control characters), lenient where clients differ harmlessly
// (bare LF line ends, leading empty lines). No I/O: the connection loop and the fuzzer feed it.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace slate::api::http {

struct HeaderField {
    std::string name; ///< lower-cased
    std::string value;
};

struct RequestHead {
    std::string method;
    std::string target;    ///< as sent: origin form, absolute form or "*"
    int minor_version = 1; ///< HTTP/1.minor_version
    std::vector<HeaderField> fields;
    std::optional<uint64_t> content_length;
    bool chunked = false;
    bool keep_alive = true; ///< HTTP/1.1 unless "Connection: close"; HTTP/1.0 only with keep-alive
    bool expect_continue = false;

    /// The last value of a field (names are compared lower-cased), or null.
    const std::string* field(std::string_view lower_name) const;
    /// Whether a body follows the head.
    bool has_body() const { return chunked || (content_length && *content_length > 0); }
};

enum class HeadStatus {
    incomplete,      ///< no blank line yet, under the size limit: wait for more bytes
    complete,        ///< `head` is filled and `consumed` bytes (the blank line included) were read
    bad_request,     ///< 400: not an HTTP/1.x request head, or an ambiguous body length
    too_large,       ///< 431: over the head's size or field-count limit
    uri_too_long,    ///< 414: the request line alone is over the limit
    not_implemented, ///< 501: a transfer coding other than chunked
};

struct HeadLimits {
    std::size_t max_bytes = 64 * 1024; ///< request line and fields together
    std::size_t max_fields = 100;
};

struct HeadResult {
    HeadStatus status = HeadStatus::incomplete;
    std::size_t consumed = 0;
    RequestHead head;
    std::string reason; ///< what was wrong, for the log and the answer's message
};

/// Reads one request head from the start of `buffer` (leading empty lines skipped).
HeadResult parse_request_head(std::string_view buffer, const HeadLimits& limits = {});

/// Where the head's closing blank line ends in `buffer`, searching from `from` (bytes before it
/// were searched already; a marker straddling `from` is found), or npos. Lets a connection that
/// receives a head a byte at a time look at each byte once.
std::size_t find_head_end(std::string_view buffer, std::size_t from);

/// `text` without the spaces and tabs around it (HTTP's optional whitespace).
std::string_view trim_whitespace(std::string_view text);

/// The standard reason phrase of a status ("Bad Request").
const char* reason_phrase(int status);

} // namespace slate::api::http
