#pragma once
// bench/events_bench.h: `slate-bench events`: the event stream under many listening clients.
// A child process connects N Socket.IO clients (WebSockets on /events, as the web app and gazu
// end up); the benchmark then emits events through PostgreSQL's NOTIFY at a steady rate, as
// any `slate serve` or `slate worker` does after a commit, and the clients time each event
// from its commit to its arrival. Prints events delivered per second, that latency (median,
// p99) and the server's resident memory per connected client.

namespace slate::bench {

struct EventsBenchOptions {
    int clients = 1000;
    int events = 500;       ///< emitted in all
    double per_second = 100; ///< the emit rate
};

int run_events_bench(const EventsBenchOptions& options);

} // namespace slate::bench
