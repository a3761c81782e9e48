#include "movie_bench.h"

#include "child_stage.h"

#include "support/make_test_movie.h"
#include "workers/movie_normalise.h"
#include "workers/movie_probe.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace slate::bench {
namespace {

void print_stage(const char* name, const StageCost& cost, double movie_seconds, const fs::path& output) {
    if (!cost.ok) {
        std::printf("%-16s failed: %s\n", name, cost.reason.c_str());
        return;
    }
    std::printf("%-16s %7.2f s wall  %7.2f s cpu  %5.2fx realtime  peak RSS %6.1f MiB", name, cost.wall, cost.cpu,
                movie_seconds / cost.wall, cost.peak_rss_kib / 1024.0);
    const workers::MovieProbe probe = workers::probe_movie(output);
    if (probe.ok)
        std::printf("  -> %dx%d, %lld frames, %.2f s, %.1f Mb/s", probe.width, probe.height,
                    static_cast<long long>(probe.frame_count), probe.duration,
                    probe.file_size * 8.0 / probe.duration / 1e6);
    std::printf("\n");
}

/// Zou's filter for a W×H target, as the ffmpeg command line writes it.
std::string zou_filter(int width, int height) {
    const std::string w = std::to_string(width), h = std::to_string(height);
    return "scale=trunc(iw*sar/2)*2:ih,scale=" + w + ":" + h +
           ":force_original_aspect_ratio=decrease:force_divisible_by=2,pad=" + w + ":" + h +
           ":(ow-iw)/2:(oh-ih)/2:black,setsar=1";
}

} // namespace

int run_movie_bench(const MovieBenchOptions& options) {
    const auto rate = workers::parse_frame_rate(workers::movie_fps_text(options.fps));
    if (!rate) {
        std::fprintf(stderr, "slate-bench: bad fps %s\n", options.fps.c_str());
        return 2;
    }
    char pattern[] = "/tmp/slate-movie-bench-XXXXXX";
    if (!mkdtemp(pattern)) {
        std::perror("slate-bench: mkdtemp");
        return 1;
    }
    const fs::path dir = pattern;
    const fs::path source = dir / "source.mp4";
    std::printf("movie: %.0f s of testsrc2 %dx%d at %s fps, H.264 + AAC (made in-process)\n", options.seconds,
                options.width, options.height, workers::movie_fps_text(options.fps).c_str());
    std::printf("machine: %ld cores\n", sysconf(_SC_NPROCESSORS_ONLN));

    test::TestMovieSpec spec;
    spec.width = options.width;
    spec.height = options.height;
    spec.fps_num = rate->num;
    spec.fps_den = rate->den;
    spec.seconds = options.seconds;
    spec.video_bitrate = 20'000'000;
    const StageCost made = run_in_child([&]() -> std::string {
        try {
            test::make_test_movie(spec, source);
            return {};
        } catch (const std::exception& e) {
            return e.what();
        }
    });
    print_stage("make source", made, options.seconds, source);
    if (!made.ok)
        return 1;

    // Zou rounds the project's size up to even.
    const workers::MovieSize size{options.width + options.width % 2, options.height + options.height % 2};
    const workers::NormaliseTarget hd = workers::hd_target(size, *rate);
    const workers::NormaliseTarget ld = workers::ld_target(size, *rate);
    const auto normalise = [&](const workers::NormaliseTarget& target, const fs::path& output) {
        return run_in_child([&]() -> std::string { return workers::normalise_movie(source, output, target).reason; });
    };
    const StageCost hd_cost = normalise(hd, dir / "hd.mp4");
    print_stage("slate HD 28M", hd_cost, options.seconds, dir / "hd.mp4");
    const StageCost ld_cost = normalise(ld, dir / "ld.mp4");
    print_stage("slate LD 6M", ld_cost, options.seconds, dir / "ld.mp4");

    // The command line Zou runs for the HD encode, when ffmpeg is installed.
    const std::string fps_text = workers::movie_fps_text(options.fps);
    const StageCost ffmpeg = run_program({"ffmpeg",
                                          "-nostdin",
                                          "-y",
                                          "-loglevel",
                                          "error",
                                          "-i",
                                          source.string(),
                                          "-map",
                                          "0:v:0",
                                          "-map",
                                          "0:a:0?",
                                          "-c:v",
                                          "libx264",
                                          "-preset",
                                          "slow",
                                          "-b:v",
                                          "28M",
                                          "-r",
                                          fps_text,
                                          "-x264opts",
                                          "keyint=2:scenecut=0",
                                          "-pix_fmt",
                                          "yuv420p",
                                          "-vf",
                                          zou_filter(hd.width, hd.height),
                                          "-c:a",
                                          "aac",
                                          "-b:a",
                                          "128k",
                                          "-movflags",
                                          "+faststart",
                                          (dir / "ffmpeg-hd.mp4").string()});
    if (ffmpeg.reason == "absent") {
        std::printf("ffmpeg HD 28M     not run: no ffmpeg on PATH\n");
    } else {
        print_stage("ffmpeg HD 28M", ffmpeg, options.seconds, dir / "ffmpeg-hd.mp4");
        if (ffmpeg.ok && hd_cost.ok)
            std::printf("ffmpeg / slate    %.2f (wall time of the HD encode)\n", ffmpeg.wall / hd_cost.wall);
    }
    std::error_code ignored;
    fs::remove_all(dir, ignored);
    return hd_cost.ok && ld_cost.ok ? 0 : 1;
}

} // namespace slate::bench
