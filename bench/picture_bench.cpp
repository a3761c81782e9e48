#include "picture_bench.h"

#include "workers/picture_variants.h"

#include <tbb/parallel_for.h>
#include <vips/vips.h>

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;

namespace slate::bench {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double peak_rss_mib() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024.0;
}

/// A picture of that size: a colour gradient, as JPEG or PNG.
bool make_picture(const fs::path& path, int width, int height) {
    VipsImage *xy = nullptr, *scaled = nullptr, *joined = nullptr, *bytes = nullptr;
    bool ok = vips_xyz(&xy, width, height, nullptr) == 0 &&
              vips_linear1(xy, &scaled, 255.0 / std::max(width, height), 0.0, nullptr) == 0;
    if (ok) {
        VipsImage* bands[] = {scaled, scaled};
        VipsImage* four = nullptr;
        ok = vips_bandjoin(bands, &four, 2, nullptr) == 0 &&
             vips_extract_band(four, &joined, 0, "n", 3, nullptr) == 0 &&
             vips_cast(joined, &bytes, VIPS_FORMAT_UCHAR, nullptr) == 0 &&
             vips_image_write_to_file(bytes, path.c_str(), nullptr) == 0;
        if (four)
            g_object_unref(four);
    }
    for (VipsImage* image : {xy, scaled, joined, bytes})
        if (image)
            g_object_unref(image);
    return ok;
}

std::string find_program(const char* name) {
    const char* path = std::getenv("PATH");
    std::string paths = path ? path : "/usr/bin:/bin";
    size_t start = 0;
    while (start <= paths.size()) {
        size_t end = paths.find(':', start);
        if (end == std::string::npos)
            end = paths.size();
        const fs::path candidate = fs::path(paths.substr(start, end - start)) / name;
        if (access(candidate.c_str(), X_OK) == 0)
            return candidate.string();
        start = end + 1;
    }
    return {};
}

} // namespace

int run_picture_bench(const PictureBenchOptions& options) {
    workers::init_media_libraries();
    char pattern[] = "/tmp/slate-bench-pictures-XXXXXX";
    const fs::path dir = mkdtemp(pattern);
    const int sizes[][2] = {{320, 240}, {1280, 720}, {1920, 1080}, {3840, 2160}, {4000, 3000}, {800, 1200}};
    std::vector<fs::path> pictures;
    const auto made = std::chrono::steady_clock::now();
    for (int i = 0; i < options.count; ++i) {
        const auto& size = sizes[i % 6];
        std::string name = "picture-";
        name.append(std::to_string(i)).append(i % 2 ? ".jpg" : ".png");
        const fs::path path = dir / name;
        if (!make_picture(path, size[0], size[1])) {
            std::fprintf(stderr, "cannot make %s\n", path.c_str());
            return 1;
        }
        pictures.push_back(path);
    }
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    std::printf("pictures: %d mixed JPEG/PNG from 320x240 to 4000x3000 (made in %.2f s)\nmachine: %u cores\n",
                options.count, seconds_since(made), cores);

    auto run = [&](const char* label, auto work) {
        const auto start = std::chrono::steady_clock::now();
        tbb::parallel_for(size_t(0), pictures.size(), [&](size_t i) { work(i); });
        const double wall = seconds_since(start);
        std::printf("%-28s %7.2f s wall  %7.1f pictures/s  peak RSS %6.1f MiB\n", label, wall, pictures.size() / wall,
                    peak_rss_mib());
        return wall;
    };
    const double thumbnails = run("slate 150x100 thumbnails", [&](size_t i) {
        workers::make_fitted_picture(pictures[i], dir / ("thumb-" + std::to_string(i) + ".png"), 150, 100);
    });
    run("slate Zou's four variants",
        [&](size_t i) { workers::make_picture_variants(pictures[i], dir / ("variants-" + std::to_string(i))); });

    const std::string vipsthumbnail = find_program("vipsthumbnail");
    if (vipsthumbnail.empty()) {
        std::printf("vipsthumbnail: not installed (Debian's libvips-tools), no comparison\n");
    } else {
        // The same job for libvips' own tool: each picture fitted in 150x100, as PNG.
        std::string command = vipsthumbnail;
        command.append(" --size 150x100 -o ").append((dir / "vt-%s.png").string());
        for (const auto& picture : pictures)
            command.append(" ").append(picture.string());
        const auto start = std::chrono::steady_clock::now();
        const int status = std::system(command.c_str());
        const double wall = seconds_since(start);
        std::printf("%-28s %7.2f s wall  %7.1f pictures/s  (exit %d)\n", "vipsthumbnail 150x100", wall,
                    pictures.size() / wall, status);
        std::printf("slate / vipsthumbnail        %.2f (wall time of the thumbnails)\n", thumbnails / wall);
    }
    std::error_code ignored;
    fs::remove_all(dir, ignored);
    return 0;
}

} // namespace slate::bench
