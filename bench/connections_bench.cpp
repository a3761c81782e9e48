#include "connections_bench.h"

#include "bench_server.h"
#include "child_stage.h"
#include "http_load.h"

#include "api/http/connection_loop.h"

#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

namespace slate::bench {
namespace {

/// In the child: opens `count` connections, one request each, spread over loopback source
/// addresses (at most 1000 each, under the server's per-address cap), and reports how many are
/// held; holds them until the parent closes `hold`.
void hold_connections(int port, int count, int report, int hold) {
    api::http::raise_open_file_limit();
    std::vector<int> held;
    const std::string request = "GET /api/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    for (int i = 0; i < count; ++i) {
        const int fd = connect_from_loopback(port, i);
        if (fd < 0)
            break;
        char answer[4096];
        if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size()) ||
            ::recv(fd, answer, sizeof answer, 0) <= 0) {
            ::close(fd);
            break;
        }
        held.push_back(fd);
    }
    const int opened = static_cast<int>(held.size());
    [[maybe_unused]] auto written = ::write(report, &opened, sizeof opened);
    char byte;
    while (::read(hold, &byte, 1) > 0) {
    }
}

struct Latency {
    double per_second, median, p99;
    int errors;
};

Latency measure(int port, const std::string& token, int clients, double seconds) {
    run_timed_load(port, "/api/auth/authenticated", token, clients, 0.3);
    LoadResult load = run_timed_load(port, "/api/auth/authenticated", token, clients, seconds);
    return {double(load.latencies_ms.size()) / load.seconds, percentile(load.latencies_ms, 0.5),
            percentile(load.latencies_ms, 0.99), load.errors};
}

} // namespace

int run_connections_bench(const ConnectionsBenchOptions& options) {
    char pattern[] = "/tmp/slate-bench-XXXXXX";
    const std::string data_dir = mkdtemp(pattern);
    {
        const long limit = api::http::raise_open_file_limit();
        BenchServer server(data_dir, 16, false);
        const std::string token = server.admin_token();
        std::printf("open-file limit %ld; server on 127.0.0.1:%d with 16 worker threads\n\n", limit, server.port());
        std::printf("%-34s %10s %9s %9s %9s %12s\n", "", "held", "req/s", "median", "p99", "server RSS");
        const auto row = [&](const char* label, int held) {
            for (int clients : {1, 16}) {
                const Latency l = measure(server.port(), token, clients, options.seconds);
                char name[96];
                std::snprintf(name, sizeof name, "%s, %d active client%s", label, clients, clients > 1 ? "s" : "");
                std::printf("%-34s %10d %9.0f %9.2f %9.2f %9ld MiB%s\n", name, held, l.per_second, l.median, l.p99,
                            resident_kib() / 1024, l.errors ? " (errors!)" : "");
            }
        };
        row("no idle connection", 0);
        const long before = resident_kib();

        {
            HeldChild holder([&](int report, int hold) { hold_connections(server.port(), options.idle, report, hold); });
            int opened = 0;
            if (!holder.read(&opened, sizeof opened))
                opened = 0;
            const long with_idle = resident_kib();
            row("idle held", opened);
            std::printf("\n%d idle keep-alive connections held: the server's RSS grew by %.1f MiB (%.1f KiB each)\n",
                        opened, double(with_idle - before) / 1024, opened ? double(with_idle - before) / opened : 0.0);
            if (opened < options.idle)
                std::printf("(only %d of %d could be opened: see the open-file limits)\n", opened, options.idle);
        }
    }
    std::error_code ignored;
    std::filesystem::remove_all(data_dir, ignored);
    return 0;
}

} // namespace slate::bench
