#pragma once
// bench/crud_bench.h: the generic CRUD routes against the bare SQL that answers them.

#include <string>

namespace slate::bench {

struct CrudBenchOptions {
    std::string size = "big"; ///< the sample production's
    unsigned long long seed = 1;
    int requests = 400; ///< per client, per route and concurrency
};

/// Loads the sample production, serves it in-process and prints latency (median, p99) and requests
/// per second of GET /data/tasks?project_id=…&page=1 and GET /data/tasks/{id} at 2 and 16
/// clients, beside the time of the bare queries. Returns a process exit code.
int run_crud_bench(const CrudBenchOptions& options);

} // namespace slate::bench
