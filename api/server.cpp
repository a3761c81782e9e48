#include "api/server.h"

#include "api/dispatch.h"
#include "api/multipart.h"
#include "engine/config.h"
#include "engine/error.h"
#include "engine/log.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <cstdio>
#include <vector>

namespace slate::api {
namespace {

using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

std::atomic<uint64_t> g_request_counter{0};

/// Copies the head of Poco's request (method, path, query, headers, cookies, address): what
/// the route and the caller are decided from, before any body is read.
Request read_head(HTTPServerRequest& in) {
    Request request;
    request.method = in.getMethod();
    Poco::URI uri(in.getURI());
    request.path = uri.getPath();
    for (const auto& [name, value] : uri.getQueryParameters())
        request.query.emplace(name, value);
    for (const auto& [name, value] : in) {
        std::string lower = name;
        for (auto& c : lower)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        request.headers[lower] = value;
    }
    Poco::Net::NameValueCollection cookies;
    in.getCookies(cookies);
    for (const auto& [name, value] : cookies)
        request.cookies[name] = value;
    request.client_address = in.clientAddress().host().toString();
    return request;
}

/// The limits a body is read within.
struct BodyLimits {
    int64_t upload;    ///< multipart: streamed to disk (MAX_CONTENT_LENGTH)
    int64_t in_memory; ///< anything else (SLATE_MAX_JSON_BODY)
};

/// Reads the body: a multipart one onto disk as it arrives, anything else into memory, each
/// refused with 413 as soon as it passes its limit (a declared length before reading at all).
void read_body(HTTPServerRequest& in, Request& request, const BodyLimits& limits,
               const std::filesystem::path& spool_root) {
    // HTTP/1.1: a request with neither a length nor chunked encoding has no body (reading
    // one would wait until the client closes).
    if (!in.hasContentLength() && !in.getChunkedTransferEncoding())
        return;
    const bool multipart = is_multipart(request.header("content-type"));
    const int64_t limit = multipart ? limits.upload : limits.in_memory;
    if (in.hasContentLength() && in.getContentLength64() > limit)
        throw Error(ErrorKind::payload_too_large, "The request body is too large.");
    if (multipart) {
        // Uploads go to disk as they arrive: memory stays flat whatever their size.
        request.form = std::make_shared<const MultipartForm>(
            read_multipart(in.stream(), request.header("content-type"), spool_root, limit));
        return;
    }
    std::string body;
    std::vector<char> chunk(1 << 16);
    std::istream& stream = in.stream();
    while (stream) {
        stream.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        body.append(chunk.data(), static_cast<std::size_t>(stream.gcount()));
        if (static_cast<int64_t>(body.size()) > limit) // a chunked body: no length to check first
            throw Error(ErrorKind::payload_too_large, "The request body is too large.");
    }
    request.body = std::move(body);
}

/// Sends a reply. The one place that writes to Poco's response.
void send(const Reply& reply, const std::string& method, HTTPServerResponse& out) {
    // The reason phrase follows the status ("400 Bad Request", not Poco's default "OK").
    out.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
    out.setContentType(reply.content_type);
    // Zou's security headers, on every response.
    out.set("X-Content-Type-Options", "nosniff");
    out.set("X-Frame-Options", "SAMEORIGIN");
    out.set("Content-Security-Policy", "frame-ancestors 'self'");
    out.set("Referrer-Policy", "strict-origin-when-cross-origin");
    for (const auto& [name, value] : reply.headers)
        out.set(name, value);
    for (const auto& cookie : reply.set_cookies)
        out.add("Set-Cookie", cookie);
    if (reply.file) {
        struct Cleanup {
            const FileBody& file;
            ~Cleanup() {
                std::error_code ignored;
                if (file.remove_after)
                    std::filesystem::remove(file.path, ignored);
            }
        } cleanup{*reply.file};
        out.setContentLength64(static_cast<Poco::Int64>(reply.file->length));
        std::ostream& stream = out.send();
        if (method == "HEAD")
            return;
        std::ifstream file(reply.file->path, std::ios::binary);
        file.seekg(static_cast<std::streamoff>(reply.file->offset));
        std::vector<char> chunk(1 << 16);
        uint64_t left = reply.file->length;
        while (left > 0 && file && stream) {
            const auto want = static_cast<std::streamsize>(std::min<uint64_t>(left, chunk.size()));
            file.read(chunk.data(), want);
            const auto got = file.gcount();
            if (got <= 0)
                break;
            stream.write(chunk.data(), got);
            left -= static_cast<uint64_t>(got);
        }
        return;
    }
    out.setContentLength64(static_cast<Poco::Int64>(reply.body.size()));
    std::ostream& stream = out.send();
    if (method != "HEAD")
        stream.write(reply.body.data(), static_cast<std::streamsize>(reply.body.size()));
}

class RouteHandler : public Poco::Net::HTTPRequestHandler {
public:
    RouteHandler(const Router& router, Services& services) : m_router(router), m_services(services) {}

    void handleRequest(HTTPServerRequest& in, HTTPServerResponse& out) override {
        const auto started = std::chrono::steady_clock::now();
        const uint64_t id = ++g_request_counter;
        Reply reply;
        std::string method = in.getMethod();
        std::string path = in.getURI().substr(0, in.getURI().find('?'));
        bool body_read = false;
        try {
            Request request = read_head(in);
            const auto& config = m_services.config;
            const BodyLimits limits{config.max_content_length,
                                    std::min(config.max_json_body, config.max_content_length)};
            const auto spool = std::filesystem::path(m_services.config.data_dir) / "tmp";
            reply = dispatch(m_router, m_services, request, [&](Request& r) {
                body_read = true;
                read_body(in, r, limits, spool);
            });
        } catch (const Error& e) {
            reply = error_reply(http_status(e.kind()), e.what());
        } catch (const Poco::Exception& e) {
            // A URI or header Poco cannot read: the client's fault.
            log::debug("request_id=" + std::to_string(id) + " unreadable request: " + e.displayText());
            reply = error_reply(400, "The request could not be read.");
        } catch (const std::exception& e) {
            log::error("request_id=" + std::to_string(id) + " " + e.what());
            reply = error_reply(500, "Internal server error.");
        }
        // A body left unread (a request refused from its head) or half read (over its limit)
        // is not drained: the connection closes after the answer instead.
        const bool has_body = (in.hasContentLength() && in.getContentLength64() > 0) || in.getChunkedTransferEncoding();
        if (has_body && (!body_read || reply.status == 413))
            out.setKeepAlive(false);
        try {
            send(reply, method, out);
        } catch (const std::exception& e) {
            log::debug("request_id=" + std::to_string(id) + " client went away: " + e.what());
        }
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
        if (log::enabled(log::Level::info)) {
            char line[64];
            std::snprintf(line, sizeof line, " %d %.1fms id=%llu", reply.status, ms,
                          static_cast<unsigned long long>(id));
            log::info(method + " " + path + line);
        }
    }

private:
    const Router& m_router;
    Services& m_services;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    Factory(const Router& router, Services& services) : m_router(router), m_services(services) {}
    // Never null: unknown paths are answered by the route handler's 404 path.
    Poco::Net::HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override {
        return new RouteHandler(m_router, m_services); // adopted by Poco
    }

private:
    const Router& m_router;
    Services& m_services;
};

} // namespace

struct Server::Impl {
    std::unique_ptr<Poco::ThreadPool> threads;
    std::unique_ptr<Poco::Net::HTTPServer> server;
    int bound_port = 0;
};

Server::Server(Services& services, std::string host, int port, int threads)
    : m_services(services), m_host(std::move(host)), m_port(port), m_threads(threads),
      m_impl(std::make_unique<Impl>()) {
    m_router.add(all_routes());
}

Server::~Server() {
    stop();
}

void Server::start() {
    Poco::Net::ServerSocket socket;
    try {
        socket.bind(Poco::Net::SocketAddress(m_host, static_cast<Poco::UInt16>(m_port)), true);
        socket.listen(256);
    } catch (const Poco::Exception& e) {
        throw Error(ErrorKind::unavailable,
                    "cannot listen on " + m_host + ":" + std::to_string(m_port) + ": " + e.displayText());
    }
    m_impl->bound_port = socket.address().port();
    auto* params = new Poco::Net::HTTPServerParams; // adopted by HTTPServer
    params->setMaxThreads(m_threads);
    params->setMaxQueued(1024);
    params->setKeepAlive(true);
    params->setTimeout(Poco::Timespan(60, 0));
    m_impl->threads = std::make_unique<Poco::ThreadPool>(2, m_threads + 2);
    m_impl->server =
        std::make_unique<Poco::Net::HTTPServer>(new Factory(m_router, m_services), *m_impl->threads, socket, params);
    m_impl->server->start();
    log::info("serving " + std::to_string(m_router.size()) + " routes on http://" + m_host + ":" +
              std::to_string(m_impl->bound_port) + " with " + std::to_string(m_threads) + " threads");
}

void Server::stop() {
    if (!m_impl || !m_impl->server)
        return;
    m_impl->server->stopAll(false);
    m_impl->threads->joinAll();
    m_impl->server.reset();
    m_impl->threads.reset();
}

int Server::port() const {
    return m_impl->bound_port;
}

} // namespace slate::api
