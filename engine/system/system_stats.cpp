#include "engine/system/system_stats.h"

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>

namespace slate::engine {
namespace {

struct CoreTimes {
    unsigned long long busy = 0, total = 0;
};

std::vector<CoreTimes> read_core_times() {
    std::vector<CoreTimes> cores;
    std::ifstream stat("/proc/stat");
    std::string line;
    while (std::getline(stat, line)) {
        if (line.rfind("cpu", 0) != 0 || line.size() < 4 || !std::isdigit(line[3]))
            continue;
        std::istringstream fields(line);
        std::string name;
        fields >> name;
        unsigned long long value, idle = 0, total = 0;
        for (int index = 0; fields >> value; ++index) {
            total += value;
            if (index == 3 || index == 4) // idle and iowait
                idle += value;
        }
        cores.push_back({total - idle, total});
    }
    return cores;
}

} // namespace

std::vector<double> cpu_percent_per_core(int sample_ms) {
    const auto before = read_core_times();
    std::this_thread::sleep_for(std::chrono::milliseconds(sample_ms));
    const auto after = read_core_times();
    std::vector<double> percent;
    for (std::size_t core = 0; core < before.size() && core < after.size(); ++core) {
        const double total = double(after[core].total - before[core].total);
        const double busy = double(after[core].busy - before[core].busy);
        percent.push_back(total > 0 ? std::round(busy / total * 1000.0) / 10.0 : 0.0);
    }
    return percent;
}

std::vector<double> load_average() {
    double loads[3] = {0, 0, 0};
    if (getloadavg(loads, 3) != 3)
        return {0, 0, 0};
    return {loads[0], loads[1], loads[2]};
}

MemoryStats memory_stats() {
    std::map<std::string, long long> kib;
    std::ifstream meminfo("/proc/meminfo");
    std::string name;
    long long value;
    std::string unit;
    while (meminfo >> name >> value) {
        std::getline(meminfo, unit);
        kib[name.substr(0, name.size() - 1)] = value;
    }
    MemoryStats stats;
    stats.total = kib["MemTotal"] * 1024;
    stats.available = kib["MemAvailable"] * 1024;
    // psutil: used = total - free - buffers - cached (cached includes SReclaimable).
    stats.used = (kib["MemTotal"] - kib["MemFree"] - kib["Buffers"] - kib["Cached"] - kib["SReclaimable"]) * 1024;
    if (stats.used < 0)
        stats.used = (kib["MemTotal"] - kib["MemFree"]) * 1024;
    stats.percent = stats.total > 0 ? std::round(double(stats.total - stats.available) / stats.total * 1000) / 10 : 0;
    return stats;
}

} // namespace slate::engine
