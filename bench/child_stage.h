#pragma once
// bench/child_stage.h: a benchmark stage run in a child process (so its peak memory and CPU
// time are its own), or a program on PATH run the same way.

#include <functional>
#include <string>
#include <vector>

namespace slate::bench {

/// What one timed stage cost, measured on the child process that ran it.
struct StageCost {
    bool ok = false;
    std::string reason;
    double wall = 0, cpu = 0; ///< seconds
    long peak_rss_kib = 0;
};

/// Runs `work` in a child process and waits. `work` returns an empty string on success,
/// else the reason it failed.
StageCost run_in_child(const std::function<std::string()>& work);

/// Runs a program found on PATH and waits; ok=false with reason "absent" when it is not there.
StageCost run_program(const std::vector<std::string>& arguments);

} // namespace slate::bench
