#pragma once
// bench/still_bench.h: `slate-bench stills`: a 4K EXR's four picture variants beside oiiotool
// doing the same transform and resizes, and an EXR sequence made into a movie, frames per second.

namespace slate::bench {

struct StillBenchOptions {
    int frames = 240; ///< of the 1080p EXR sequence
};

int run_still_bench(const StillBenchOptions& options);

} // namespace slate::bench
