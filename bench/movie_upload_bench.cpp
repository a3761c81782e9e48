#include "movie_upload_bench.h"

#include "child_stage.h"

#include "support/make_test_movie.h"
#include "workers/movie_frames.h"
#include "workers/movie_outputs.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace slate::bench {
namespace {

void print_cost(const char* name, const StageCost& cost, double movie_seconds) {
    if (!cost.ok) {
        std::printf("%-34s failed: %s\n", name, cost.reason.c_str());
        return;
    }
    std::printf("%-34s %7.2f s wall  %7.2f s cpu  %5.2fx realtime  peak RSS %6.1f MiB\n", name, cost.wall, cost.cpu,
                movie_seconds / cost.wall, cost.peak_rss_kib / 1024.0);
}

/// Zou's normalize_encoding as ffmpeg-python writes it (zou/app/utils/movie.py).
std::vector<std::string> zou_encode(const fs::path& source, const fs::path& output, const std::string& fps,
                                    const char* bitrate, int width, int height) {
    const std::string w = std::to_string(width), h = std::to_string(height);
    return {"ffmpeg", "-nostdin", "-loglevel", "error", "-i", source.string(), "-map", "0:v", "-map", "0:a",
            "-b", bitrate, "-f", "mp4", "-movflags", "+faststart", "-pix_fmt", "yuv420p", "-preset", "slow", "-r",
            fps, "-vcodec", "libx264",
            "-vf",
            "scale=trunc(iw*sar/2)*2:ih,scale=" + w + ":" + h +
                ":force_original_aspect_ratio=decrease:force_divisible_by=2,pad=" + w + ":" + h +
                ":(ow-iw)/2:(oh-ih)/2,setsar=1",
            "-x264opts", "keyint=2:scenecut=0", output.string(), "-y"};
}

std::vector<std::string> ffprobe(const fs::path& movie, const char* streams) {
    return {"ffprobe", "-v", "error", "-show_format", "-show_streams", "-of", "json", "-select_streams", streams,
            movie.string(), "-o", "/dev/null"};
}

/// Runs the steps in turn; the sum of their costs, or the first failure.
StageCost run_steps(const std::vector<std::pair<const char*, std::vector<std::string>>>& steps, double seconds) {
    StageCost total;
    total.ok = true;
    for (const auto& [name, arguments] : steps) {
        const StageCost cost = run_program(arguments);
        print_cost(name, cost, seconds);
        if (!cost.ok)
            return cost;
        total.wall += cost.wall;
        total.cpu += cost.cpu;
        total.peak_rss_kib = std::max(total.peak_rss_kib, cost.peak_rss_kib);
    }
    return total;
}

} // namespace

int run_movie_upload_bench(const MovieUploadBenchOptions& options) {
    const auto rate = workers::parse_frame_rate(workers::movie_fps_text(options.fps));
    if (!rate) {
        std::fprintf(stderr, "slate-bench: bad fps %s\n", options.fps.c_str());
        return 2;
    }
    char pattern[] = "/tmp/slate-upload-bench-XXXXXX";
    if (!mkdtemp(pattern)) {
        std::perror("slate-bench: mkdtemp");
        return 1;
    }
    const fs::path dir = pattern;
    const fs::path source = dir / "source.mp4";
    const std::string fps_text = workers::movie_fps_text(options.fps);
    std::printf("movie upload: %.0f s of testsrc2 %dx%d at %s fps, H.264 20 Mb/s + AAC (made in-process)\n",
                options.seconds, options.width, options.height, fps_text.c_str());
    std::printf("outputs: HD %dx%d 28 Mb/s, LD 1280 wide 6 Mb/s (x264 slow, keyint 2), thumbnail, tile sheet\n",
                options.width + options.width % 2, options.height + options.height % 2);
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
    print_cost("make source", made, options.seconds);
    if (!made.ok)
        return 1;

    const workers::MovieSize hd{options.width + options.width % 2, options.height + options.height % 2};
    const workers::MovieSize ld = workers::lowdef_size(hd);
    workers::MovieOutputsRequest request;
    request.hd = workers::hd_target(hd, *rate);
    request.hd_path = dir / "hd.mp4";
    request.ld = workers::ld_target(hd, *rate);
    request.ld_path = dir / "ld.mp4";
    request.thumbnail_png = dir / "thumbnail.png";
    request.tile_png = dir / "tile.png";

    // Zou's prepare_and_store_movie: probes, the HD then the LD encode, the thumbnail from
    // the HD movie's first frame, a probe and the tile sheet of the HD movie.
    const workers::TileGeometry tile = workers::tile_geometry(options.seconds, rate->value(), {hd.width, hd.height});
    std::string select;
    if (tile.rows == 480)
        select = "select='not(mod(n\\," + std::to_string(tile.step) + "))',";
    std::printf("\nZou's command sequence (ffmpeg and ffprobe programs, one after the other):\n");
    const StageCost zou = run_steps(
        {{"  ffprobe (size)", ffprobe(source, "v")},
         {"  ffprobe (sound track)", ffprobe(source, "a")},
         {"  ffmpeg HD 28M", zou_encode(source, dir / "zou-hd.mp4", fps_text, "28M", hd.width, hd.height)},
         {"  ffmpeg LD 6M", zou_encode(source, dir / "zou-ld.mp4", fps_text, "6M", ld.width, ld.height)},
         {"  ffmpeg thumbnail",
          {"ffmpeg", "-nostdin", "-loglevel", "error", "-ss", "00:00:00", "-i", (dir / "zou-hd.mp4").string(),
           "-vframes", "1", "-update", "1", (dir / "zou-thumbnail.png").string(), "-y"}},
         {"  ffprobe (tile)", ffprobe(dir / "zou-hd.mp4", "v")},
         {"  ffmpeg tile",
          {"ffmpeg", "-nostdin", "-loglevel", "error", "-i", (dir / "zou-hd.mp4").string(), "-vf",
           select + "scale=" + std::to_string(tile.cell_width) + ":100,tile=8x" + std::to_string(tile.rows),
           (dir / "zou-tile.png").string(), "-y"}}},
        options.seconds);
    if (zou.reason == "absent")
        std::printf("  not run: no ffmpeg or ffprobe on PATH (Debian's ffmpeg package)\n");
    else
        print_cost("Zou's sequence, total", zou, options.seconds);

    std::printf("\nSlate, in-process:\n");
    if (options.separate) {
        const StageCost separate = run_in_child([&]() -> std::string {
            const auto high = workers::normalise_movie(source, dir / "sep-hd.mp4", *request.hd);
            const auto low = workers::normalise_movie(source, dir / "sep-ld.mp4", *request.ld);
            const auto first = workers::extract_frame_png(dir / "sep-hd.mp4", 0, dir / "sep-thumbnail.png");
            const auto sheet = workers::build_tile_sheet(dir / "sep-hd.mp4", dir / "sep-tile.png");
            return high.reason + low.reason + first.reason + sheet.reason;
        });
        print_cost("  one output at a time (4 decodes)", separate, options.seconds);
    }
    const StageCost slate = run_in_child([&]() -> std::string {
        const workers::MovieOutputs outputs = workers::make_movie_outputs(source, request);
        return outputs.ok ? std::string() : outputs.reason;
    });
    print_cost("  one decode, every output", slate, options.seconds);
    if (slate.ok) {
        const workers::MovieProbe high = workers::probe_movie(request.hd_path);
        const workers::MovieProbe low = workers::probe_movie(request.ld_path);
        std::printf("  -> HD %dx%d %lld frames %.1f Mb/s, LD %dx%d %lld frames %.1f Mb/s\n", high.width, high.height,
                    static_cast<long long>(high.frame_count), high.file_size * 8.0 / high.duration / 1e6, low.width,
                    low.height, static_cast<long long>(low.frame_count), low.file_size * 8.0 / low.duration / 1e6);
    }
    if (slate.ok && zou.ok)
        std::printf("\nslate / Zou's sequence: %.2f (wall time; goal at most 0.8)\n", slate.wall / zou.wall);
    std::error_code ignored;
    fs::remove_all(dir, ignored);
    return slate.ok ? 0 : 1;
}

} // namespace slate::bench
