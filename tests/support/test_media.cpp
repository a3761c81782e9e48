#include "support/test_media.h"

#include "workers/picture_variants.h"

#include <vips/vips.h>

#include <catch2/catch.hpp>

#include <fstream>

namespace fs = std::filesystem;

namespace slate::test {

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string make_png(const fs::path& dir, int width, int height) {
    static int made_count = 0; // a new name each time: a file is never rewritten under a reader
    const std::string stem = "source-" + std::to_string(++made_count);
    const fs::path ppm = dir / (stem + ".ppm");
    {
        std::ofstream out(ppm, std::ios::binary);
        out << "P6\n" << width << " " << height << "\n255\n";
        for (int i = 0; i < width * height; ++i)
            out.write("\x20\x80\xc0", 3);
    }
    const auto made = workers::make_picture_variants(ppm, dir / ("made-" + stem));
    REQUIRE(made.ok);
    return read_file(made.original);
}

std::string make_hdr(const fs::path& dir, int width, int height) {
    workers::init_media_libraries();
    VipsImage *ramp = nullptr, *scaled = nullptr, *rgb = nullptr;
    REQUIRE(vips_xyz(&ramp, width, height, nullptr) == 0); // two bands: x and y
    REQUIRE(vips_linear1(ramp, &scaled, 4.0 / width, 0.0, nullptr) == 0);
    VipsImage* bands[] = {scaled, scaled, scaled};
    VipsImage* joined = nullptr;
    REQUIRE(vips_bandjoin(bands, &joined, 3, nullptr) == 0);
    REQUIRE(vips_extract_band(joined, &rgb, 0, "n", 3, nullptr) == 0);
    const fs::path path = dir / "background.hdr";
    REQUIRE(vips_radsave(rgb, path.c_str(), nullptr) == 0);
    for (VipsImage* image : {ramp, scaled, joined, rgb})
        g_object_unref(image);
    return read_file(path);
}

namespace {
int be32(const std::string& png, int at) {
    REQUIRE(png.size() > 24);
    auto byte = [&](int i) { return static_cast<unsigned char>(png[at + i]); };
    return (byte(0) << 24) | (byte(1) << 16) | (byte(2) << 8) | byte(3);
}
} // namespace

int png_width(const std::string& png) {
    return be32(png, 16);
}
int png_height(const std::string& png) {
    return be32(png, 20);
}

} // namespace slate::test
