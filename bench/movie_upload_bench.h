#pragma once
// bench/movie_upload_bench.h: a movie upload's full media work (the HD and LD movies, the
// first-frame thumbnail and the tile sheet) made by Slate in one decode, in-process, beside the
// wall time of the ffmpeg and ffprobe command sequence Zou runs for the same outputs.

#include <string>

namespace slate::bench {

struct MovieUploadBenchOptions {
    double seconds = 30;
    int width = 1920, height = 1080;
    std::string fps = "25"; ///< as a project's fps text
    bool separate = false;  ///< also time Slate's outputs made one by one (a decode each)
};

/// Makes a test clip (testsrc2 + a sine, H.264/AAC), times Zou's command sequence with the
/// ffmpeg and ffprobe programs (when on PATH), then Slate's make_movie_outputs on the same
/// clip; prints both wall times and their ratio. Returns a process exit code.
int run_movie_upload_bench(const MovieUploadBenchOptions& options);

} // namespace slate::bench
