#pragma once
// bench/requests_bench.h: `slate-bench requests`: what one request costs through the whole
// server, authenticated or not, beside the bare HTTP layer (GET /api/) of the same run.

namespace slate::bench {

struct RequestsBenchOptions {
    int tasks = 100000; ///< the production the paginated listings read
    double seconds = 3; ///< per route
    int clients = 16;
};

int run_requests_bench(const RequestsBenchOptions& options);

} // namespace slate::bench
