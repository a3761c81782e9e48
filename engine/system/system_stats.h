#pragma once
// engine/system/system_stats.h: CPU and memory figures for /status/resources, read from /proc the
// way psutil computes them for Zou.

#include <vector>

namespace slate::engine {

struct MemoryStats {
    long long total = 0, used = 0, available = 0;
    double percent = 0;
};

/// Per-core busy percentage over `sample_ms` milliseconds.
std::vector<double> cpu_percent_per_core(int sample_ms);
/// The 1, 5 and 15 minute load averages.
std::vector<double> load_average();
MemoryStats memory_stats();

} // namespace slate::engine
