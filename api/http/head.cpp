#include "api/http/head.h"

#include <algorithm>

namespace slate::api::http {
namespace {

bool is_token_char(unsigned char c) {
    // RFC 9110 tchar.
    if (c >= '0' && c <= '9')
        return true;
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
        return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

bool is_token(std::string_view text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return is_token_char(static_cast<unsigned char>(c)); });
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (auto& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

/// Whether `list` (a comma-separated field value) holds `token`, compared case-insensitively.
bool list_has(std::string_view list, std::string_view token) {
    while (!list.empty()) {
        const auto comma = list.find(',');
        const std::string_view item = trim_whitespace(list.substr(0, comma));
        if (item.size() == token.size() && lower(item) == token)
            return true;
        if (comma == std::string_view::npos)
            break;
        list.remove_prefix(comma + 1);
    }
    return false;
}

HeadResult refuse(HeadStatus status, std::string reason) {
    HeadResult result;
    result.status = status;
    result.reason = std::move(reason);
    return result;
}

/// The request line: METHOD SP target SP HTTP/1.x.
bool read_request_line(std::string_view line, RequestHead& head, std::string& reason) {
    const auto first = line.find(' ');
    const auto last = line.rfind(' ');
    if (first == std::string_view::npos || first == last) {
        reason = "The request line is not METHOD TARGET HTTP/1.x.";
        return false;
    }
    const std::string_view method = line.substr(0, first);
    const std::string_view target = line.substr(first + 1, last - first - 1);
    const std::string_view version = line.substr(last + 1);
    if (!is_token(method) || method.size() > 32) {
        reason = "The request method is not valid.";
        return false;
    }
    if (target.empty() || std::any_of(target.begin(), target.end(), [](char c) {
            const auto u = static_cast<unsigned char>(c);
            return u <= 0x20 || u == 0x7f;
        })) {
        reason = "The request target is not valid.";
        return false;
    }
    if (version == "HTTP/1.1")
        head.minor_version = 1;
    else if (version == "HTTP/1.0")
        head.minor_version = 0;
    else {
        reason = "Only HTTP/1.0 and HTTP/1.1 are served.";
        return false;
    }
    head.method = std::string(method);
    head.target = std::string(target);
    return true;
}

/// A decimal Content-Length without sign, spaces or overflow.
std::optional<uint64_t> parse_length(std::string_view text) {
    if (text.empty() || text.size() > 18)
        return std::nullopt;
    uint64_t value = 0;
    for (char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        value = value * 10 + static_cast<uint64_t>(c - '0');
    }
    return value;
}

} // namespace

std::string_view trim_whitespace(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

const std::string* RequestHead::field(std::string_view lower_name) const {
    for (auto it = fields.rbegin(); it != fields.rend(); ++it)
        if (it->name == lower_name)
            return &it->value;
    return nullptr;
}

std::size_t find_head_end(std::string_view buffer, std::size_t from) {
    std::size_t at = from >= 2 ? from - 2 : 0;
    while ((at = buffer.find('\n', at)) != std::string_view::npos) {
        if (at + 1 < buffer.size() && buffer[at + 1] == '\n')
            return at + 2;
        if (at + 2 < buffer.size() && buffer[at + 1] == '\r' && buffer[at + 2] == '\n')
            return at + 3;
        ++at;
    }
    return std::string_view::npos;
}

HeadResult parse_request_head(std::string_view buffer, const HeadLimits& limits) {
    std::size_t start = 0;
    while (start < buffer.size() && (buffer[start] == '\r' || buffer[start] == '\n'))
        ++start;
    if (start > 64)
        return refuse(HeadStatus::bad_request, "The request starts with empty lines.");
    const std::size_t end = find_head_end(buffer.substr(start), 0);
    if (end == std::string_view::npos || end > limits.max_bytes) {
        const std::string_view pending = buffer.substr(start);
        if (pending.size() <= limits.max_bytes && end == std::string_view::npos)
            return HeadResult{};
        if (pending.substr(0, limits.max_bytes).find('\n') == std::string_view::npos)
            return refuse(HeadStatus::uri_too_long, "The request line is too long.");
        return refuse(HeadStatus::too_large, "The request head is too large.");
    }

    HeadResult result;
    RequestHead& head = result.head;
    std::string_view rest = buffer.substr(start, end);
    bool first_line = true;
    std::optional<uint64_t> length;
    bool has_transfer_encoding = false;
    std::string connection;
    while (!rest.empty()) {
        const auto newline = rest.find('\n');
        if (newline == std::string_view::npos)
            break; // unreachable: the head ends with its blank line
        std::string_view line = rest.substr(0, newline);
        rest.remove_prefix(newline + 1);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (line.empty())
            break; // the blank line closing the head
        if (line.find('\r') != std::string_view::npos || line.find('\0') != std::string_view::npos)
            return refuse(HeadStatus::bad_request, "The request head holds a stray control character.");
        if (first_line) {
            if (!read_request_line(line, head, result.reason))
                return refuse(HeadStatus::bad_request, result.reason);
            first_line = false;
            continue;
        }
        // obs-fold (a line continuing the previous field) is refused, as RFC 9112 §5.2 allows.
        if (line.front() == ' ' || line.front() == '\t')
            return refuse(HeadStatus::bad_request, "Folded header lines are not accepted.");
        const auto colon = line.find(':');
        if (colon == std::string_view::npos || !is_token(line.substr(0, colon)))
            return refuse(HeadStatus::bad_request, "A header line is not NAME: value.");
        if (head.fields.size() >= limits.max_fields)
            return refuse(HeadStatus::too_large, "The request has too many header fields.");
        const std::string_view value = trim_whitespace(line.substr(colon + 1));
        if (std::any_of(value.begin(), value.end(), [](char c) {
                const auto u = static_cast<unsigned char>(c);
                return (u < 0x20 && u != '\t') || u == 0x7f;
            }))
            return refuse(HeadStatus::bad_request, "A header value holds a control character.");
        HeaderField field{lower(line.substr(0, colon)), std::string(value)};
        if (field.name == "content-length") {
            const auto parsed = parse_length(field.value);
            // Two different lengths would let a proxy and this server read different bodies.
            if (!parsed || (length && *length != *parsed))
                return refuse(HeadStatus::bad_request, "The Content-Length is not valid.");
            length = parsed;
        } else if (field.name == "transfer-encoding") {
            if (has_transfer_encoding || lower(field.value) != "chunked")
                return refuse(HeadStatus::not_implemented, "Only the chunked transfer coding is served.");
            has_transfer_encoding = true;
        } else if (field.name == "connection") {
            connection += "," + field.value;
        } else if (field.name == "expect") {
            head.expect_continue = lower(field.value) == "100-continue";
        }
        head.fields.push_back(std::move(field));
    }
    if (first_line)
        return refuse(HeadStatus::bad_request, "The request has no request line.");
    // Both framings at once is how requests are smuggled past a proxy (RFC 9112 §6.3): refused.
    if (has_transfer_encoding && length)
        return refuse(HeadStatus::bad_request, "Content-Length and Transfer-Encoding are exclusive.");
    head.content_length = length;
    head.chunked = has_transfer_encoding;
    head.keep_alive = head.minor_version >= 1 ? !list_has(connection, "close") : list_has(connection, "keep-alive");
    result.status = HeadStatus::complete;
    result.consumed = start + end;
    return result;
}

const char* reason_phrase(int status) {
    switch (status) {
    case 100: return "Continue";
    case 101: return "Switching Protocols";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 413: return "Request Entity Too Large";
    case 414: return "Request-URI Too Long";
    case 415: return "Unsupported Media Type";
    case 416: return "Requested Range Not Satisfiable";
    case 422: return "Unprocessable Entity";
    case 423: return "Locked";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default: return status < 300 ? "OK" : status < 400 ? "Redirect" : status < 500 ? "Client Error" : "Server Error";
    }
}

} // namespace slate::api::http
