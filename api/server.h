#pragma once
// api/server.h: the HTTP front: the connection layer (api/http) hands each complete request
// head to a worker thread, which dispatches it; every route answered at / and under /api.

#include "api/router.h"

#include <cstdint>
#include <memory>
#include <string>

namespace slate::api {

class Server {
public:
    /// Builds the route table. `services` must outlive the server.
    Server(Services& services, std::string host, int port, int threads);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    /// Binds and starts serving; throws Error(unavailable) if the address is taken.
    void start();
    /// Stops accepting, waits for the requests in flight.
    void stop();
    /// The bound port (useful when constructed with port 0).
    int port() const;
    const Router& router() const { return m_router; }

private:
    struct Impl;
    Services& m_services;
    Router m_router;
    std::string m_host;
    int m_port;
    int m_threads;
    std::unique_ptr<Impl> m_impl;
};

namespace http {
struct RequestHead;
}
/// The status line and fields of `reply` for a body of `length` bytes, closing the connection
/// after unless `keep` (Zou's security headers included).
std::string response_head(const Reply& reply, uint64_t length, const http::RequestHead* request, bool keep);

/// Every route Slate serves, area by area.
RouteList all_routes();

} // namespace slate::api
