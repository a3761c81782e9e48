#include "events_bench.h"

#include "bench_server.h"
#include "child_stage.h"
#include "http_load.h"

#include "api/http/connection_loop.h"
#include "engine/db/connection.h"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace slate::bench {
namespace {

int64_t now_ns() {
    // steady_clock is CLOCK_MONOTONIC: the same clock in the parent and the forked child.
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

/// What the child reports once the parent is done emitting.
struct Deliveries {
    int64_t count = 0;
    int64_t first_ns = 0, last_ns = 0;
    double median_ms = 0, p99_ms = 0;
};

/// A client's WebSocket text frame, masked with a zero key (RFC 6455 requires a mask).
std::string client_frame(const std::string& payload) {
    return std::string("\x81") + static_cast<char>(0x80 | payload.size()) + std::string(4, '\0') + payload;
}

/// The `index`th WebSocket on /events, authenticated by header; -1 when the server refused or
/// the descriptors ran out.
int connect_client(int port, int index, const std::string& token) {
    const int fd = connect_from_loopback(port, index);
    if (fd < 0)
        return -1;
    const std::string upgrade = "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                                "Authorization: Bearer " +
                                token + "\r\n\r\n";
    const std::string join = client_frame("40/events,");
    std::string seen;
    char buffer[4096];
    bool joined = ::send(fd, upgrade.data(), upgrade.size(), MSG_NOSIGNAL) == ssize_t(upgrade.size());
    bool sent_join = false;
    while (joined && seen.find("40/events,") == std::string::npos) {
        const ssize_t got = ::recv(fd, buffer, sizeof buffer, 0);
        if (got <= 0) {
            joined = false;
            break;
        }
        seen.append(buffer, static_cast<std::size_t>(got));
        if (!sent_join && seen.find("\r\n\r\n") != std::string::npos) {
            joined = seen.rfind("HTTP/1.1 101", 0) == 0 &&
                     ::send(fd, join.data(), join.size(), MSG_NOSIGNAL) == ssize_t(join.size());
            sent_join = true;
        }
    }
    if (!joined) {
        ::close(fd);
        return -1;
    }
    return fd;
}

/// The server's frames on one client, parsed as they come.
struct ClientStream {
    int fd = -1;
    std::string pending;
};

/// Reads the whole frames `stream` holds: ticks are timed, pings answered.
void take_frames(ClientStream& stream, std::vector<double>& latencies_ms, Deliveries& seen) {
    static const std::string tick = "42/events,[\"bench:tick\",{\"t\":";
    std::string& data = stream.pending;
    std::size_t at = 0;
    while (data.size() - at >= 2) {
        std::size_t length = static_cast<unsigned char>(data[at + 1]) & 0x7f;
        std::size_t header = 2;
        if (length == 126) {
            if (data.size() - at < 4)
                break;
            length = (std::size_t(static_cast<unsigned char>(data[at + 2])) << 8) | static_cast<unsigned char>(data[at + 3]);
            header = 4;
        } else if (length == 127) {
            break; // never this large here
        }
        if (data.size() - at < header + length)
            break;
        const std::string payload = data.substr(at + header, length);
        at += header + length;
        if (payload == "2") {
            const std::string pong = client_frame("3");
            [[maybe_unused]] auto sent = ::send(stream.fd, pong.data(), pong.size(), MSG_NOSIGNAL);
        } else if (payload.rfind(tick, 0) == 0) {
            const int64_t arrived = now_ns();
            const int64_t emitted = std::stoll(payload.substr(tick.size()));
            latencies_ms.push_back(double(arrived - emitted) / 1e6);
            if (seen.count++ == 0)
                seen.first_ns = arrived;
            seen.last_ns = arrived;
        }
    }
    data.erase(0, at);
}

/// In the child: connects `count` clients (at most 1000 per loopback source address, under the
/// server's per-address cap), reports how many, reads until the parent closes `hold`, then
/// reports what arrived.
void listen_clients(int port, const std::string& token, int count, int report, int hold) {
    api::http::raise_open_file_limit();
    std::vector<ClientStream> clients;
    for (int i = 0; i < count; ++i) {
        const int fd = connect_client(port, i, token);
        if (fd < 0)
            break;
        clients.push_back({fd, {}});
    }
    const int connected = static_cast<int>(clients.size());
    [[maybe_unused]] auto written = ::write(report, &connected, sizeof connected);

    const int poll = ::epoll_create1(EPOLL_CLOEXEC);
    epoll_event interest{};
    interest.events = EPOLLIN;
    interest.data.u64 = clients.size(); // the hold pipe
    ::epoll_ctl(poll, EPOLL_CTL_ADD, hold, &interest);
    for (std::size_t i = 0; i < clients.size(); ++i) {
        interest.data.u64 = i;
        ::epoll_ctl(poll, EPOLL_CTL_ADD, clients[i].fd, &interest);
    }
    std::vector<double> latencies_ms;
    Deliveries seen;
    std::vector<epoll_event> ready(256);
    char buffer[65536];
    for (bool holding = true; holding;) {
        const int n = ::epoll_wait(poll, ready.data(), static_cast<int>(ready.size()), 1000);
        for (int e = 0; e < n; ++e) {
            if (ready[e].data.u64 == clients.size()) {
                holding = false;
                continue;
            }
            ClientStream& stream = clients[ready[e].data.u64];
            const ssize_t got = ::recv(stream.fd, buffer, sizeof buffer, MSG_DONTWAIT);
            if (got <= 0) {
                ::epoll_ctl(poll, EPOLL_CTL_DEL, stream.fd, nullptr);
                continue;
            }
            stream.pending.append(buffer, static_cast<std::size_t>(got));
            take_frames(stream, latencies_ms, seen);
        }
    }
    seen.median_ms = percentile(latencies_ms, 0.5);
    seen.p99_ms = percentile(latencies_ms, 0.99);
    written = ::write(report, &seen, sizeof seen);
}

} // namespace

int run_events_bench(const EventsBenchOptions& options) {
    char pattern[] = "/tmp/slate-bench-XXXXXX";
    const std::string data_dir = mkdtemp(pattern);
    {
        api::http::raise_open_file_limit();
        BenchServer server(data_dir, 4, false);
        const std::string token = server.admin_token();
        std::printf("server on 127.0.0.1:%d; %d clients on /events; %d events at %.0f per second\n\n",
                    server.port(), options.clients, options.events, options.per_second);
        const long before = resident_kib();
        HeldChild listeners(
            [&](int report, int hold) { listen_clients(server.port(), token, options.clients, report, hold); });
        int connected = 0;
        if (!listeners.read(&connected, sizeof connected))
            connected = 0;
        std::this_thread::sleep_for(std::chrono::milliseconds(300)); // the last joins settle
        const long with_clients = resident_kib();

        // Each NOTIFY commits on its own, as an API process's event does after its transaction.
        const auto step = std::chrono::nanoseconds(static_cast<int64_t>(1e9 / options.per_second));
        auto next = std::chrono::steady_clock::now();
        for (int i = 0; i < options.events; ++i) {
            std::this_thread::sleep_until(next);
            next += step;
            server.connection().exec(
                "SELECT pg_notify('slate_events', '{\"name\":\"bench:tick\",\"data\":{\"t\":' || $1 || '}}')",
                {std::to_string(now_ns())});
        }
        std::this_thread::sleep_for(std::chrono::seconds(2)); // the last ones arrive
        listeners.release();
        Deliveries seen;
        if (!listeners.read(&seen, sizeof seen))
            throw std::runtime_error("the clients' process reported nothing");

        const double span_s = double(seen.last_ns - seen.first_ns) / 1e9;
        const int64_t expected = int64_t(connected) * options.events;
        std::printf("%-40s %12d\n", "clients connected", connected);
        std::printf("%-40s %12lld of %lld\n", "events delivered", static_cast<long long>(seen.count),
                    static_cast<long long>(expected));
        std::printf("%-40s %12.0f\n", "deliveries per second", span_s > 0 ? double(seen.count) / span_s : 0.0);
        std::printf("%-40s %12.2f ms\n", "commit to client, median", seen.median_ms);
        std::printf("%-40s %12.2f ms\n", "commit to client, p99", seen.p99_ms);
        std::printf("%-40s %12.1f KiB (RSS %ld -> %ld MiB)\n", "server memory per connected client",
                    connected ? double(with_clients - before) / connected : 0.0, before / 1024, with_clients / 1024);
    }
    std::error_code ignored;
    std::filesystem::remove_all(data_dir, ignored);
    return 0;
}

} // namespace slate::bench
