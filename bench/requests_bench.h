#pragma once
// bench/requests_bench.h: `slate-bench requests`: what one request costs through the whole
// server, authenticated or not, beside the bare HTTP layer (GET /api/) of the same run.

#include <string>

namespace slate::bench {

struct RequestsBenchOptions {
    std::string size = "big"; ///< the sample production the paginated listings read
    unsigned long long seed = 1;
    double seconds = 3; ///< per route
    int clients = 16;
};

int run_requests_bench(const RequestsBenchOptions& options);

} // namespace slate::bench
