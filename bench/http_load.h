#pragma once
// bench/http_load.h: closed-loop HTTP load from N client threads, each on its own keep-alive
// connection, with per-request latencies.

#include <string>
#include <vector>

namespace slate::bench {

struct LoadResult {
    std::vector<double> latencies_ms;
    double seconds = 0;
    int errors = 0;
};

/// Sends `requests_per_client` GETs of `path` from `clients` threads.
LoadResult run_load(int port, const std::string& path, const std::string& token, int clients, int requests_per_client);

/// The `index`th of many connections to 127.0.0.1:`port`, from 127.0.0.2 for the first 1000,
/// 127.0.0.3 for the next… (under the server's per-address cap); -1 on failure.
int connect_from_loopback(int port, int index);

/// This process's resident memory (VmRSS), in KiB.
long resident_kib();

/// Median and 99th percentile of a sample (sorted in place).
double percentile(std::vector<double>& values, double fraction);

} // namespace slate::bench

namespace slate::bench {

/// Closed-loop GETs of `path` from `clients` keep-alive connections for `seconds`, over raw
/// sockets (a request written once, the answer read by its Content-Length), so the load
/// generator costs as little CPU as possible beside the server on the same machine.
LoadResult run_timed_load(int port, const std::string& path, const std::string& token, int clients, double seconds);

} // namespace slate::bench
