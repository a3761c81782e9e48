#include "still_bench.h"

#include "workers/image_sequence.h"
#include "workers/movie_normalise.h"
#include "workers/still_images.h"

#include <OpenImageIO/imageio.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace slate::bench {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// A linear half-float RGBA EXR: a gradient, shifted by `phase`.
bool write_exr(const fs::path& path, int width, int height, float phase) {
    OIIO::ImageSpec spec(width, height, 4, OIIO::TypeDesc::HALF);
    std::vector<float> pixels(size_t(width) * height * 4);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            float* p = &pixels[(size_t(y) * width + x) * 4];
            p[0] = float(x) / width + phase;
            p[1] = float(y) / height;
            p[2] = 0.18f;
            p[3] = 1.0f;
        }
    auto out = OIIO::ImageOutput::create(path.string());
    return out && out->open(path.string(), spec) && out->write_image(OIIO::TypeDesc::FLOAT, pixels.data()) &&
           out->close();
}

bool installed(const char* program) {
    return std::system((std::string("command -v ") + program + " >/dev/null 2>&1").c_str()) == 0;
}

} // namespace

int run_still_bench(const StillBenchOptions& options) {
    char pattern[] = "/tmp/slate-bench-stills-XXXXXX";
    const fs::path dir = mkdtemp(pattern);
    const fs::path exr = dir / "frame.exr";
    if (!write_exr(exr, 4096, 2160, 0.0f)) {
        std::fprintf(stderr, "the 4K EXR cannot be written\n");
        return 1;
    }
    // Best of three: the first run also warms the file cache.
    double ours = 1e9;
    for (int run = 0; run < 3; ++run) {
        const auto start = std::chrono::steady_clock::now();
        const auto made = workers::make_still_variants(exr, dir / "variants");
        ours = std::min(ours, seconds_since(start));
        if (!made.ok) {
            std::fprintf(stderr, "variants: %s\n", made.reason.c_str());
            return 1;
        }
    }
    std::printf("4K EXR, Zou's four variants (sRGB transfer)   %7.2f s\n", ours);
    if (installed("oiiotool")) {
        const std::string command = "oiiotool " + exr.string() + " --colorconvert linear sRGB -d uint8 -o " +
                                    (dir / "o.png").string() + " --dup --resize 1200x633 -o " +
                                    (dir / "p.png").string() + " --pop --dup --fit:pad=1 150x100 -o " +
                                    (dir / "t.png").string() + " --pop --fit:pad=1 100x100 -o " +
                                    (dir / "s.png").string();
        double theirs = 1e9;
        for (int run = 0; run < 3; ++run) {
            const auto start = std::chrono::steady_clock::now();
            if (std::system(command.c_str()) != 0) {
                theirs = 0;
                break;
            }
            theirs = std::min(theirs, seconds_since(start));
        }
        std::printf("oiiotool, the same transform and resizes     %7.2f s\n", theirs);
        if (theirs > 0)
            std::printf("slate / oiiotool                             %7.2f (goal: at most 1.2)\n", ours / theirs);
    } else {
        std::printf("oiiotool: not installed (Debian's openimageio-tools), no comparison\n");
    }

    workers::Frames frames;
    const auto writing = std::chrono::steady_clock::now();
    for (int i = 0; i < options.frames; ++i) {
        const fs::path path = dir / ("seq." + std::to_string(1001 + i) + ".exr");
        if (!write_exr(path, 1920, 1080, float(i) / float(options.frames)))
            return 1;
        frames.emplace_back(1001 + i, path);
    }
    std::printf("%d 1080p EXR frames written in %.1f s\n", options.frames, seconds_since(writing));
    // One pass: each frame decoded and colour-managed on the TBB pool, straight into the HD and
    // LD encoders (no intermediate file).
    const auto making = std::chrono::steady_clock::now();
    const auto made = workers::make_sequence_movie(frames, {24, 1}, [&](int width, int height) {
        const workers::MovieSize hd{width + width % 2, height + height % 2};
        workers::MovieOutputsRequest request;
        request.hd = workers::hd_target(hd, {24, 1});
        request.hd_path = dir / "hd.mp4";
        request.ld = workers::ld_target(hd, {24, 1});
        request.ld_path = dir / "ld.mp4";
        return request;
    });
    const double spent = seconds_since(making);
    if (!made.ok) {
        std::fprintf(stderr, "sequence: %s\n", made.reason.c_str());
        return 1;
    }
    std::printf("sequence to normalised HD and LD movies      %7.2f s  %6.1f frames/s\n", spent,
                options.frames / spent);
    std::error_code ignored;
    fs::remove_all(dir, ignored);
    return 0;
}

} // namespace slate::bench
