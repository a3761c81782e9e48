#include "support/test_media.h"

#include "workers/picture_variants.h"

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

namespace {
int be32(const std::string& png, int at) {
    REQUIRE(png.size() > 24);
    auto byte = [&](int i) { return static_cast<unsigned char>(png[at + i]); };
    return (byte(0) << 24) | (byte(1) << 16) | (byte(2) << 8) | byte(3);
}
} // namespace

int png_width(const std::string& png) { return be32(png, 16); }
int png_height(const std::string& png) { return be32(png, 20); }

} // namespace slate::test
