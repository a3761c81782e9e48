#include "api/file_reply.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <charconv>
#include <fstream>
#include <optional>

namespace fs = std::filesystem;

namespace slate::api {
namespace {

struct ByteRange {
    uint64_t first = 0, last = 0; ///< inclusive
};

std::optional<uint64_t> number(std::string_view text) {
    uint64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty())
        return std::nullopt;
    return value;
}

enum class RangeAnswer { whole, part, unsatisfiable };

/// Reads "bytes=a-b", "bytes=a-" or "bytes=-n" against a file of `size` bytes.
RangeAnswer parse_range(const std::string& header, uint64_t size, ByteRange& range) {
    const std::string prefix = "bytes=";
    if (header.rfind(prefix, 0) != 0)
        return RangeAnswer::whole; // not a byte range: ignored, as Werkzeug does
    const std::string_view spec = std::string_view(header).substr(prefix.size());
    if (spec.find(',') != std::string_view::npos)
        return RangeAnswer::unsatisfiable; // several ranges: Zou answers 416
    const auto dash = spec.find('-');
    if (dash == std::string_view::npos)
        return RangeAnswer::whole;
    const auto first = number(spec.substr(0, dash));
    const auto last = number(spec.substr(dash + 1));
    if (!first && last) { // suffix: the last n bytes
        if (*last == 0)
            return RangeAnswer::unsatisfiable;
        range.first = *last >= size ? 0 : size - *last;
        range.last = size - 1;
    } else if (first) {
        if (*first >= size)
            return RangeAnswer::unsatisfiable;
        range.first = *first;
        range.last = last ? std::min(*last, size - 1) : size - 1;
        if (last && *last < *first)
            return RangeAnswer::whole;
    } else {
        return RangeAnswer::whole;
    }
    return size == 0 ? RangeAnswer::unsatisfiable : RangeAnswer::part;
}

} // namespace

Reply file_reply(const Request& request, const fs::path& path, const std::string& content_type,
                 const std::string& cache_control) {
    const uint64_t size = fs::file_size(path);
    const auto stamp = fs::last_write_time(path).time_since_epoch().count();
    std::string etag(1, '"'); // appended: GCC 12 warns falsely on "\"" + std::to_string()
    etag.append(std::to_string(stamp)).append("-").append(std::to_string(size));
    etag.push_back('"');

    Reply reply;
    reply.content_type = content_type;
    reply.headers.emplace_back("ETag", etag);
    reply.headers.emplace_back("Accept-Ranges", "bytes");
    reply.headers.emplace_back("Cache-Control", cache_control);
    const auto max_age = cache_control.find("max-age=");
    if (max_age != std::string::npos) {
        const auto seconds = std::strtoll(cache_control.c_str() + max_age + 8, nullptr, 10);
        reply.headers.emplace_back("Expires", http_date(std::time(nullptr) + seconds));
    }
    if (request.header("if-none-match") == etag) {
        reply.status = 304;
        return reply;
    }
    ByteRange range;
    const std::string range_header = request.header("range");
    const std::string if_range = request.header("if-range");
    RangeAnswer answer = range_header.empty() || (!if_range.empty() && if_range != etag)
                             ? RangeAnswer::whole
                             : parse_range(range_header, size, range);
    if (answer == RangeAnswer::unsatisfiable) {
        Reply refused = error_reply(416, "The server cannot provide the requested range.");
        refused.headers.emplace_back("Content-Range", "bytes */" + std::to_string(size));
        return refused;
    }
    if (answer == RangeAnswer::part) {
        reply.status = 206;
        reply.file = FileBody{path.string(), range.first, range.last - range.first + 1};
        reply.headers.emplace_back("Content-Range", "bytes " + std::to_string(range.first) + "-" +
                                                        std::to_string(range.last) + "/" + std::to_string(size));
        return reply;
    }
    reply.file = FileBody{path.string(), 0, size};
    return reply;
}

std::string http_date(int64_t epoch_seconds) {
    const std::time_t time = static_cast<std::time_t>(epoch_seconds);
    std::tm parts{};
    gmtime_r(&time, &parts);
    static const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char text[64];
    std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[parts.tm_wday], parts.tm_mday,
                  months[parts.tm_mon], parts.tm_year + 1900, parts.tm_hour, parts.tm_min, parts.tm_sec);
    return text;
}

Reply file_reply(const Request& request, const fs::path& path, const std::string& content_type,
                 const std::string& cache_control, const std::string& last_modified_utc) {
    std::tm parts{};
    if (strptime(last_modified_utc.c_str(), "%Y-%m-%d %H:%M:%S", &parts) == nullptr)
        return file_reply(request, path, content_type, cache_control);
    const std::string modified = http_date(timegm(&parts));
    // If-Modified-Since: the same second or later is not modified (when no ETag decides).
    const std::string since = request.header("if-modified-since");
    std::tm since_parts{};
    if (request.header("if-none-match").empty() && !since.empty() &&
        strptime(since.c_str(), "%a, %d %b %Y %H:%M:%S", &since_parts) != nullptr &&
        timegm(&since_parts) >= timegm(&parts)) {
        Reply not_modified;
        not_modified.status = 304;
        not_modified.headers.emplace_back("Last-Modified", modified);
        not_modified.headers.emplace_back("Cache-Control", cache_control);
        return not_modified;
    }
    Reply reply = file_reply(request, path, content_type, cache_control);
    reply.headers.emplace_back("Last-Modified", modified);
    return reply;
}

namespace {

/// Werkzeug's quote_header_value: a token stays bare, anything else is quoted.
std::string header_value(const std::string& value) {
    static const std::string token_chars =
        "!#$%&'*+-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ^_`abcdefghijklmnopqrstuvwxyz|~";
    if (!value.empty() && value.find_first_not_of(token_chars) == std::string::npos)
        return value;
    std::string quoted = "\"";
    for (char ch : value) {
        if (ch == '"' || ch == '\\')
            quoted += '\\';
        quoted += ch;
    }
    return quoted + "\"";
}

} // namespace

std::string content_disposition(bool as_inline, const std::string& filename) {
    const std::string kind = as_inline ? "inline" : "attachment";
    if (filename.empty())
        return kind + "; filename=\"\"";
    bool ascii = true;
    for (unsigned char ch : filename)
        ascii = ascii && ch < 0x80;
    if (ascii)
        return kind + "; filename=" + header_value(filename);
    std::string fallback, encoded;
    static const std::string safe = "!#$&+^`|~-._";
    for (unsigned char ch : filename) {
        if (ch < 0x80)
            fallback += static_cast<char>(ch);
        if (std::isalnum(ch) && ch < 0x80) {
            encoded += static_cast<char>(ch);
        } else if (safe.find(static_cast<char>(ch)) != std::string::npos) {
            encoded += static_cast<char>(ch);
        } else {
            static const char* hex = "0123456789ABCDEF";
            encoded += '%';
            encoded += hex[ch >> 4];
            encoded += hex[ch & 15];
        }
    }
    return kind + "; filename=" + header_value(fallback) + "; filename*=UTF-8''" + encoded;
}

Reply generated_file_reply(const Request& request, const fs::path& path, const std::string& content_type,
                           bool as_inline, const std::string& filename) {
    Reply reply = file_reply(request, path, content_type, "no-cache");
    reply.headers.emplace_back("Content-Disposition", content_disposition(as_inline, filename));
    if (reply.file) {
        reply.file->remove_after = true; // streamed, then deleted
    } else {
        std::error_code ignored;
        fs::remove(path, ignored);
    }
    return reply;
}

} // namespace slate::api
