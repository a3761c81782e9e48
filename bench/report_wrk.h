#pragma once
// bench/report_wrk.h: one route measured with wrk (Debian's `wrk`, on loopback), and a single
// request to see whether a server answers a route at all.

#include <string>
#include <vector>

namespace slate::bench {

/// A server: "http://host:port" split.
struct Target {
    std::string host = "127.0.0.1";
    int port = 0;
    std::string url() const { return "http://" + host + ":" + std::to_string(port); }
};

/// "http://host[:port][/]" → Target; a bad request error for anything else.
Target parse_target(const std::string& url);

struct Request {
    std::string method = "GET";
    std::string path;
    std::string token;
    std::string body;               ///< JSON, for POST and PUT
    std::vector<std::string> turns; ///< when given, wrk asks these paths in turn (`path` is the first)
};

/// One request's status and body (0 and the reason when the server cannot be reached).
struct Probe {
    int status = 0;
    std::string body;
};
Probe probe(const Target& target, const Request& request);

/// The access token of a login, or a runtime_error naming the server and what it answered.
std::string login(const Target& target, const std::string& email, const std::string& password);

struct WrkFigures {
    double median_ms = 0, p99_ms = 0, per_second = 0;
    long long requests = 0, errors = 0; ///< errors: socket errors and non-2xx/3xx answers
};

/// wrk with `connections` connections for `seconds`: its latency distribution and rate.
WrkFigures run_wrk(const Target& target, const Request& request, int connections, double seconds,
                   const std::string& scratch_dir);

/// Whether the wrk command is installed.
bool wrk_available();

} // namespace slate::bench
