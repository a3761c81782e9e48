#include "movie_bench.h"

#include "support/make_test_movie.h"
#include "workers/movie_normalise.h"
#include "workers/movie_probe.h"

#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

extern char** environ;

namespace fs = std::filesystem;

namespace slate::bench {
namespace {

/// What one timed stage cost, measured on the child process that ran it.
struct StageCost {
    bool ok = false;
    std::string reason;
    double wall = 0, cpu = 0; ///< seconds
    long peak_rss_kib = 0;
};

double seconds_of(const timeval& value) {
    return value.tv_sec + value.tv_usec / 1e6;
}

/// Runs `work` in a child process (so its peak RSS and CPU time are its own) and waits.
/// `work` returns an empty string on success, else the reason it failed.
StageCost run_in_child(const std::function<std::string()>& work) {
    StageCost cost;
    int reason_pipe[2];
    if (pipe(reason_pipe) != 0) {
        cost.reason = "pipe failed";
        return cost;
    }
    const auto begin = std::chrono::steady_clock::now();
    const pid_t child = fork();
    if (child == 0) {
        close(reason_pipe[0]);
        const std::string reason = work();
        if (!reason.empty() && write(reason_pipe[1], reason.data(), reason.size()) < 0)
            _exit(3);
        _exit(reason.empty() ? 0 : 1);
    }
    close(reason_pipe[1]);
    char buffer[512];
    ssize_t got = 0;
    while ((got = read(reason_pipe[0], buffer, sizeof buffer)) > 0)
        cost.reason.append(buffer, size_t(got));
    close(reason_pipe[0]);
    int status = 0;
    rusage usage{};
    if (child < 0 || wait4(child, &status, 0, &usage) != child) {
        cost.reason = "the child process could not be run";
        return cost;
    }
    cost.wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    cost.cpu = seconds_of(usage.ru_utime) + seconds_of(usage.ru_stime);
    cost.peak_rss_kib = usage.ru_maxrss;
    cost.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (!cost.ok && cost.reason.empty())
        cost.reason = "the child process failed";
    return cost;
}

/// Runs a program found on PATH and waits; ok=false with "absent" when it is not there.
StageCost run_program(const std::vector<std::string>& arguments) {
    StageCost cost;
    std::vector<char*> argv;
    for (const std::string& argument : arguments)
        argv.push_back(const_cast<char*>(argument.c_str()));
    argv.push_back(nullptr);
    const auto begin = std::chrono::steady_clock::now();
    pid_t child = 0;
    const int spawned = posix_spawnp(&child, argv[0], nullptr, nullptr, argv.data(), environ);
    if (spawned != 0) {
        cost.reason = spawned == ENOENT ? "absent" : std::strerror(spawned);
        return cost;
    }
    int status = 0;
    rusage usage{};
    if (wait4(child, &status, 0, &usage) != child) {
        cost.reason = "wait failed";
        return cost;
    }
    cost.wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    cost.cpu = seconds_of(usage.ru_utime) + seconds_of(usage.ru_stime);
    cost.peak_rss_kib = usage.ru_maxrss;
    cost.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (!cost.ok)
        cost.reason = "exit status " + std::to_string(WEXITSTATUS(status));
    return cost;
}

void print_stage(const char* name, const StageCost& cost, double movie_seconds,
                 const fs::path& output) {
    if (!cost.ok) {
        std::printf("%-16s failed: %s\n", name, cost.reason.c_str());
        return;
    }
    std::printf("%-16s %7.2f s wall  %7.2f s cpu  %5.2fx realtime  peak RSS %6.1f MiB", name,
                cost.wall, cost.cpu, movie_seconds / cost.wall, cost.peak_rss_kib / 1024.0);
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
    std::printf("movie: %.0f s of testsrc2 %dx%d at %s fps, H.264 + AAC (made in-process)\n",
                options.seconds, options.width, options.height,
                workers::movie_fps_text(options.fps).c_str());
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
    const workers::MovieSize size{options.width + options.width % 2,
                                  options.height + options.height % 2};
    const workers::NormaliseTarget hd = workers::hd_target(size, *rate);
    const workers::NormaliseTarget ld = workers::ld_target(size, *rate);
    const auto normalise = [&](const workers::NormaliseTarget& target, const fs::path& output) {
        return run_in_child([&]() -> std::string {
            return workers::normalise_movie(source, output, target).reason;
        });
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
            std::printf("ffmpeg / slate    %.2f (wall time of the HD encode)\n",
                        ffmpeg.wall / hd_cost.wall);
    }
    std::error_code ignored;
    fs::remove_all(dir, ignored);
    return hd_cost.ok && ld_cost.ok ? 0 : 1;
}

} // namespace slate::bench
