#pragma once
// bench/connections_bench.h: `slate-bench connections`: what held connections cost the server.
// N idle keep-alive connections (each has made one request, as a browser's would) are opened by
// a child process; the server's resident memory and an active client's latency are measured
// beside them, and without them first.

namespace slate::bench {

struct ConnectionsBenchOptions {
    int idle = 10000;
    double seconds = 3; ///< per latency measurement
};

int run_connections_bench(const ConnectionsBenchOptions& options);

} // namespace slate::bench
