#include "api/server.h"

#include "api/dispatch.h"
#include "api/events/event_stream.h"
#include "api/http/connection_loop.h"
#include "api/multipart.h"
#include "engine/config.h"
#include "engine/error.h"
#include "engine/log.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <istream>
#include <vector>

namespace slate::api {
namespace {

std::atomic<uint64_t> g_request_counter{0};

/// The pairs of a Cookie field: "a=1; b=\"two\"".
void read_cookies(std::string_view field, std::map<std::string, std::string>& cookies) {
    while (!field.empty()) {
        const auto semicolon = field.find(';');
        const std::string_view pair = http::trim_whitespace(field.substr(0, semicolon));
        field.remove_prefix(semicolon == std::string_view::npos ? field.size() : semicolon + 1);
        const auto equals = pair.find('=');
        if (pair.empty() || equals == 0)
            continue;
        std::string_view value =
            equals == std::string_view::npos ? std::string_view{} : http::trim_whitespace(pair.substr(equals + 1));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
            value = value.substr(1, value.size() - 2);
        cookies[std::string(http::trim_whitespace(pair.substr(0, equals)))] = std::string(value);
    }
}

/// The request as handlers see it, from the head alone: route, caller and limits are decided
/// from it before any body is read.
Request read_head(const http::Exchange& exchange) {
    const http::RequestHead& head = exchange.head();
    Request request;
    request.method = head.method;
    Poco::URI uri(head.target); // throws on a target it cannot read: a 400
    request.path = uri.getPath();
    for (const auto& [name, value] : uri.getQueryParameters())
        request.query.emplace(name, value);
    for (const auto& field : head.fields) {
        if (field.name == "cookie")
            read_cookies(field.value, request.cookies);
        request.headers[field.name] = field.value;
    }
    request.client_address = exchange.peer_address();
    return request;
}

/// The limits a body is read within.
struct BodyLimits {
    int64_t upload;    ///< multipart: streamed to disk (MAX_CONTENT_LENGTH)
    int64_t in_memory; ///< anything else (SLATE_MAX_JSON_BODY)
};

/// Reads the body: a multipart one onto disk as it arrives, anything else into memory, each
/// refused with 413 as soon as it passes its limit (a declared length before reading at all).
/// Returns whether the body was read to its end (the connection may then carry another request).
bool read_body(http::Exchange& exchange, Request& request, const BodyLimits& limits,
               const std::filesystem::path& spool_root) {
    const http::RequestHead& head = exchange.head();
    // HTTP/1.1: a request with neither a length nor chunked encoding has no body.
    if (!head.has_body())
        return true;
    const bool multipart = is_multipart(request.header("content-type"));
    const int64_t limit = multipart ? limits.upload : limits.in_memory;
    if (head.content_length && static_cast<int64_t>(*head.content_length) > limit)
        throw Error(ErrorKind::payload_too_large, "The request body is too large.");
    // The client waited for the go-ahead: it comes only now that route and caller are accepted.
    if (head.expect_continue && head.minor_version >= 1)
        exchange.channel().write_all("HTTP/1.1 100 Continue\r\n\r\n");
    http::BodyStreamBuf body_buffer(exchange.channel(), exchange.pending(), head.content_length, head.chunked);
    std::istream stream(&body_buffer);
    const auto unreadable = [&] {
        log::debug("request body from " + exchange.peer_address() + " not read: " + *body_buffer.failure());
        return Error(ErrorKind::bad_request, "The request body could not be read to its end.");
    };
    if (multipart) {
        // Uploads go to disk as they arrive: memory stays flat whatever their size.
        try {
            request.form = std::make_shared<const MultipartForm>(
                read_multipart(stream, request.header("content-type"), spool_root, limit));
        } catch (const Error&) {
            if (body_buffer.failure())
                throw unreadable();
            throw;
        }
        if (body_buffer.failure())
            throw unreadable();
        return body_buffer.complete();
    }
    std::string body;
    std::vector<char> chunk(1 << 16);
    while (stream) {
        stream.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        body.append(chunk.data(), static_cast<std::size_t>(stream.gcount()));
        if (static_cast<int64_t>(body.size()) > limit) // a chunked body: no length to check first
            throw Error(ErrorKind::payload_too_large, "The request body is too large.");
    }
    if (body_buffer.failure())
        throw unreadable();
    request.body = std::move(body);
    return body_buffer.complete();
}

/// The Date field's value, IMF-fixdate.
std::string http_date() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    ::gmtime_r(&now, &utc);
    char text[64];
    std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &utc);
    return text;
}

/// The status line and the fields of every answer, without the body's framing.
std::string head_fields(const Reply& reply, const http::RequestHead* request, bool keep) {
    std::string head = "HTTP/1.1 " + std::to_string(reply.status) + " " + http::reason_phrase(reply.status) + "\r\n";
    head += "Date: " + http_date() + "\r\n";
    if (!keep)
        head += "Connection: close\r\n";
    else if (request && request->minor_version == 0)
        head += "Connection: keep-alive\r\n";
    head += "Content-Type: " + reply.content_type + "\r\n";
    // Zou's security headers, on every response.
    head += "X-Content-Type-Options: nosniff\r\n"
            "X-Frame-Options: SAMEORIGIN\r\n"
            "Content-Security-Policy: frame-ancestors 'self'\r\n"
            "Referrer-Policy: strict-origin-when-cross-origin\r\n";
    for (const auto& [name, value] : reply.headers)
        head += name + ": " + value + "\r\n";
    for (const auto& cookie : reply.set_cookies)
        head += "Set-Cookie: " + cookie + "\r\n";
    return head;
}

} // namespace

std::string response_head(const Reply& reply, uint64_t length, const http::RequestHead* request, bool keep) {
    return head_fields(reply, request, keep) + "Content-Length: " + std::to_string(length) + "\r\n\r\n";
}

namespace {

/// Sends a reply whose body its writer makes now (streamed_reply): the head goes with the first
/// piece, so that what fails before it is still answered as an error; each piece is a chunk
/// (HTTP/1.0: the body ends when the connection closes). Returns the status sent.
int send_written(const Reply& reply, http::Exchange& exchange) {
    const bool head_only = exchange.head().method == "HEAD";
    const bool chunked = exchange.head().minor_version >= 1;
    if (!chunked)
        exchange.close_after();
    const bool keep = exchange.keeps_connection();
    const std::string head =
        head_fields(reply, &exchange.head(), keep) + (chunked ? "Transfer-Encoding: chunked\r\n\r\n" : "\r\n");
    if (head_only) {
        exchange.channel().write_all(head);
        return reply.status;
    }
    bool started = false;
    const auto sink = [&](std::string_view piece) {
        if (piece.empty())
            return; // an empty chunk would end the body
        std::string framing = started ? std::string() : head;
        started = true;
        if (chunked) { // the previous chunk's closing CRLF, then this one's size line
            char size[24];
            std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
            framing += (framing.empty() ? "\r\n" : "") + std::string(size);
        }
        exchange.channel().write_all(framing, piece);
    };
    try {
        reply.writer(sink);
    } catch (...) {
        const std::string where = exchange.head().method + " " + exchange.head().target.substr(0, 200);
        const Reply failed = error_answer(where); // logged there when it is the server's fault
        if (started) { // the status is sent: the client sees the body cut short
            exchange.close_after();
            return reply.status;
        }
        exchange.channel().write_all(response_head(failed, failed.body.size(), &exchange.head(), keep), failed.body);
        return failed.status;
    }
    if (!started)
        exchange.channel().write_all(head, chunked ? "0\r\n\r\n" : "");
    else if (chunked)
        exchange.channel().write_all("\r\n0\r\n\r\n");
    return reply.status;
}

/// Sends a reply. The one place that writes an answer to a connection. Returns the status sent.
int send(const Reply& reply, http::Exchange& exchange) {
    if (reply.writer)
        return send_written(reply, exchange);
    const bool keep = exchange.keeps_connection();
    const bool head_only = exchange.head().method == "HEAD";
    if (!reply.file) {
        exchange.channel().write_all(response_head(reply, reply.body.size(), &exchange.head(), keep),
                                     head_only ? std::string_view{} : std::string_view(reply.body));
        return reply.status;
    }
    struct Cleanup {
        const FileBody& file;
        int fd;
        ~Cleanup() {
            if (fd >= 0)
                ::close(fd);
            std::error_code ignored;
            if (file.remove_after)
                std::filesystem::remove(file.path, ignored);
        }
    } cleanup{*reply.file, ::open(reply.file->path.c_str(), O_RDONLY | O_CLOEXEC)};
    if (cleanup.fd < 0) {
        log::error("cannot open a file to send: " + reply.file->path);
        const Reply failed = error_reply(500, "Internal server error.");
        exchange.channel().write_all(response_head(failed, failed.body.size(), &exchange.head(), keep), failed.body);
        return failed.status;
    }
    exchange.channel().write_all(response_head(reply, reply.file->length, &exchange.head(), keep));
    if (!head_only)
        exchange.channel().send_file(cleanup.fd, reply.file->offset, reply.file->length);
    return reply.status;
}

bool is_event_stream(const std::string& target) {
    return target.rfind("/socket.io/", 0) == 0 || target.rfind("/socket.io?", 0) == 0;
}

/// Answers one request on a worker thread.
void answer(const Router& router, Services& services, events::EventStream& stream, http::Exchange& exchange) {
    const auto started = std::chrono::steady_clock::now();
    const uint64_t id = ++g_request_counter;
    if (is_event_stream(exchange.head().target)) {
        try {
            Request request = read_head(exchange);
            stream.handle(exchange, request);
        } catch (const Poco::Exception&) {
            const Reply refused = error_reply(400, "The request could not be read.");
            exchange.close_after();
            exchange.channel().write_all(response_head(refused, refused.body.size(), &exchange.head(), false),
                                         refused.body);
        }
        return;
    }
    Reply reply;
    bool body_read = false;
    bool body_complete = !exchange.head().has_body();
    try {
        Request request = read_head(exchange);
        const auto& config = services.config;
        const BodyLimits limits{config.max_content_length, std::min(config.max_json_body, config.max_content_length)};
        const auto spool = std::filesystem::path(config.data_dir) / "tmp";
        reply = dispatch(router, services, request, [&](Request& r) {
            body_read = true;
            body_complete = read_body(exchange, r, limits, spool);
        });
    } catch (const Error& e) {
        reply = error_reply(http_status(e.kind()), e.what());
    } catch (const Poco::Exception& e) {
        // A target Poco cannot read: the client's fault.
        log::debug("request_id=" + std::to_string(id) + " unreadable request: " + e.displayText());
        reply = error_reply(400, "The request could not be read.");
    } catch (const std::exception& e) {
        log::error("request_id=" + std::to_string(id) + " " + e.what());
        reply = error_reply(500, "Internal server error.");
    }
    // A body left unread (a request refused from its head) or half read (over its limit, or
    // cut) is not drained: the connection closes after the answer instead.
    if (!body_complete || (body_read && reply.status == 413))
        exchange.close_after();
    const int status = send(reply, exchange);
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    if (log::enabled(log::Level::info)) {
        char line[64];
        std::snprintf(line, sizeof line, " %d %.1fms id=%llu", status, ms, static_cast<unsigned long long>(id));
        const std::string& target = exchange.head().target;
        log::info(exchange.head().method + " " + target.substr(0, target.find('?')) + line);
    }
}

/// The whole answer the connection loop sends itself when it refuses a connection or a head.
std::string refusal(int status, const std::string& message) {
    const Reply reply = error_reply(status, message);
    return response_head(reply, reply.body.size(), nullptr, false) + reply.body;
}

} // namespace

struct Server::Impl {
    std::unique_ptr<events::EventStream> stream;
    std::unique_ptr<http::ConnectionLoop> loop;
    std::unique_ptr<http::ConnectionLoop> stream_loop; ///< EVENT_STREAM_PORT
    int bound_port = 0;
};

Server::Server(Services& services, std::string host, int port, int threads)
    : m_services(services), m_host(std::move(host)), m_port(port), m_threads(threads),
      m_impl(std::make_unique<Impl>()) {
    m_router.add(all_routes());
    // Asked by /status from the workers, which run only while the stream exists.
    m_services.event_stream_up = [impl = m_impl.get()] { return impl->stream && impl->stream->stats().live; };
}

Server::~Server() {
    stop();
}

void Server::start() {
    const auto& config = m_services.config;
    http::LoopSettings settings;
    settings.host = m_host;
    settings.port = m_port;
    settings.worker_threads = m_threads;
    settings.head_timeout = std::chrono::milliseconds(config.head_timeout_ms);
    settings.keep_alive_timeout = std::chrono::milliseconds(config.keep_alive_timeout_ms);
    settings.io_timeout = std::chrono::milliseconds(config.io_timeout_ms);
    settings.max_connections_per_address = config.max_connections_per_address;
    m_impl->stream = std::make_unique<events::EventStream>(m_services);
    const auto handler = [this](http::Exchange& exchange) { answer(m_router, m_services, *m_impl->stream, exchange); };
    m_impl->loop = std::make_unique<http::ConnectionLoop>(settings, handler, refusal);
    try {
        m_impl->loop->start();
    } catch (const std::runtime_error& e) {
        m_impl->loop.reset();
        throw Error(ErrorKind::unavailable, e.what());
    }
    m_impl->bound_port = m_impl->loop->port();
    m_impl->stream->start();
    if (config.event_stream_port > 0) {
        // Zou's clients find the stream on its own port; every route answers there too.
        settings.port = config.event_stream_port;
        m_impl->stream_loop = std::make_unique<http::ConnectionLoop>(settings, handler, refusal);
        try {
            m_impl->stream_loop->start();
        } catch (const std::runtime_error& e) {
            log::warning(std::string("event stream only under /socket.io of the main port: ") + e.what());
            m_impl->stream_loop.reset();
        }
    }

    log::info("serving " + std::to_string(m_router.size()) + " routes on http://" + m_host + ":" +
              std::to_string(port()) + " with " + std::to_string(m_threads) + " threads");
}

void Server::stop() {
    if (!m_impl || !m_impl->loop)
        return;
    m_impl->stream->stop(); // answers the pending polls before the loops stop
    if (m_impl->stream_loop)
        m_impl->stream_loop->stop();
    m_impl->loop->stop();
    m_impl->loop.reset();
    m_impl->stream_loop.reset();
    m_impl->stream.reset();
}

int Server::port() const {
    return m_impl->bound_port;
}

} // namespace slate::api
