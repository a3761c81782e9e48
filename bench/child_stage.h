#pragma once
// bench/child_stage.h: a benchmark stage run in a child process (so its peak memory and CPU
// time are its own), or a program on PATH run the same way.

#include <cstddef>
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

/// A child process working beside the benchmark (holding connections, listening) until it is
/// released: `work(report, hold)` writes what it has to say to `report` and keeps working until
/// `hold` reads end of file. The child exits when `work` returns.
class HeldChild {
public:
    explicit HeldChild(const std::function<void(int report, int hold)>& work);
    ~HeldChild(); ///< releases and waits for it
    HeldChild(const HeldChild&) = delete;
    HeldChild& operator=(const HeldChild&) = delete;
    /// Reads exactly `size` bytes of the child's report; false when it ended first.
    bool read(void* into, std::size_t size);
    /// Ends the child's `hold`: it finishes its work (and may still report).
    void release();

private:
    int m_pid = -1;
    int m_report = -1, m_hold = -1; ///< the parent's ends
};

/// Runs a program found on PATH and waits; ok=false with reason "absent" when it is not there.
StageCost run_program(const std::vector<std::string>& arguments);

} // namespace slate::bench
