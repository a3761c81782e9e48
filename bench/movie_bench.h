#pragma once
// bench/movie_bench.h: Zou's movie normalisation (HD and LD encodes) done in-process, timed,
// beside the ffmpeg command line Zou runs when an ffmpeg binary is on PATH.

#include <string>

namespace slate::bench {

struct MovieBenchOptions {
    double seconds = 30;
    int width = 1920, height = 1080;
    std::string fps = "25"; ///< as a project's fps text
};

/// Makes a test clip of that size, rate and length (testsrc2 + a sine, H.264/AAC), then prints
/// the wall time, CPU time, realtime factor and peak RSS of normalise_movie at Zou's HD and LD
/// targets, and the time of the equivalent ffmpeg command when ffmpeg is on PATH. Returns a
/// process exit code.
int run_movie_bench(const MovieBenchOptions& options);

} // namespace slate::bench
