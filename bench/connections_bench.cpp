#include "connections_bench.h"

#include "bench_server.h"
#include "http_load.h"

#include "api/http/connection_loop.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace slate::bench {
namespace {

long resident_kib() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmRSS:", 0) == 0)
            return std::stol(line.substr(6));
    return 0;
}

/// In the child: opens `count` connections, one request each, spread over loopback source
/// addresses (at most 1000 each, under the server's per-address cap), and reports how many are
/// held. Never returns: it holds them until the parent closes `hold`.
[[noreturn]] void hold_connections(int port, int count, int report, int hold) {
    api::http::raise_open_file_limit();
    std::vector<int> held;
    const std::string request = "GET /api/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    for (int i = 0; i < count; ++i) {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in from{};
        from.sin_family = AF_INET;
        from.sin_addr.s_addr = htonl(0x7f000000u + 2u + static_cast<uint32_t>(i / 1000));
        sockaddr_in to{};
        to.sin_family = AF_INET;
        to.sin_port = htons(static_cast<uint16_t>(port));
        to.sin_addr.s_addr = htonl(0x7f000001u);
        if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0 ||
            ::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
            if (fd >= 0)
                ::close(fd);
            break;
        }
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
    _exit(0);
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

        int report[2], hold[2];
        if (::pipe(report) != 0 || ::pipe(hold) != 0)
            throw std::runtime_error("pipe failed");
        std::fflush(stdout);
        const pid_t child = ::fork();
        if (child == 0) {
            ::close(report[0]);
            ::close(hold[1]);
            hold_connections(server.port(), options.idle, report[1], hold[0]);
        }
        ::close(report[1]);
        ::close(hold[0]);
        int opened = 0;
        if (::read(report[0], &opened, sizeof opened) != sizeof opened)
            opened = 0;
        const long with_idle = resident_kib();
        row("idle held", opened);
        std::printf("\n%d idle keep-alive connections held: the server's RSS grew by %.1f MiB (%.1f KiB each)\n",
                    opened, double(with_idle - before) / 1024, opened ? double(with_idle - before) / opened : 0.0);
        if (opened < options.idle)
            std::printf("(only %d of %d could be opened: see the open-file limits)\n", opened, options.idle);
        ::close(hold[1]);
        ::close(report[0]);
        int status = 0;
        ::waitpid(child, &status, 0);
    }
    std::error_code ignored;
    std::filesystem::remove_all(data_dir, ignored);
    return 0;
}

} // namespace slate::bench
