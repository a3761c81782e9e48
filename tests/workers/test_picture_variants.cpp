// tests/workers/test_picture_variants.cpp: picture variants at Zou's sizes, read back from
// the PNG files written, and a truncated picture answered with a reason.
#include <catch2/catch.hpp>

#include "workers/picture_variants.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <Poco/Checksum.h>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
using slate::workers::make_picture_variants;
using slate::workers::thumbnail_placement;

namespace {

/// A w×h binary PPM with a horizontal gradient: a real picture, written by hand.
fs::path write_ppm(const fs::path& dir, int width, int height) {
    const fs::path path = dir / ("source-" + std::to_string(width) + "x" + std::to_string(height) + ".ppm");
    std::ofstream out(path, std::ios::binary);
    out << "P6\n" << width << " " << height << "\n255\n";
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            const char pixel[3] = {static_cast<char>(x * 255 / width), static_cast<char>(y * 255 / height), 64};
            out.write(pixel, 3);
        }
    return path;
}

struct PngHeader {
    int width = 0, height = 0, colour_type = -1;
};

/// Width, height and colour type from a PNG's IHDR chunk.
PngHeader read_png_header(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    unsigned char bytes[26] = {};
    in.read(reinterpret_cast<char*>(bytes), sizeof bytes);
    REQUIRE(in.gcount() == 26);
    REQUIRE(bytes[1] == 'P');
    auto be32 = [&](int at) {
        return (bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3];
    };
    return {be32(16), be32(20), bytes[25]};
}

} // namespace

TEST_CASE("thumbnails are placed as Zou's turn_into_thumbnail places them", "[workers]") {
    auto place = thumbnail_placement(300, 100, 150, 100); // wider than the canvas ratio
    CHECK((place.width == 150 && place.height == 50 && place.left == 0 && place.top == 25));
    place = thumbnail_placement(100, 100, 150, 100); // square in a wide canvas
    CHECK((place.width == 100 && place.height == 100 && place.left == 25 && place.top == 0));
    place = thumbnail_placement(50, 20, 150, 100); // smaller both ways: stretched first
    CHECK((place.width == 150 && place.height == 100 && place.left == 0 && place.top == 0));
    place = thumbnail_placement(1920, 1080, 100, 100);
    CHECK((place.width == 100 && place.height == 57 && place.left == 0 && place.top == 21));
}

TEST_CASE("a picture gives its original and Zou's three RGBA variants", "[workers]") {
    char pattern[] = "/tmp/slate-pictures-XXXXXX";
    const fs::path dir = mkdtemp(pattern);
    const auto variants = make_picture_variants(write_ppm(dir, 640, 360), dir / "out");
    INFO(variants.reason);
    REQUIRE(variants.ok);
    CHECK(variants.width == 640);
    CHECK(variants.height == 360);
    CHECK(variants.file_size == static_cast<int64_t>(fs::file_size(variants.original)));
    const auto thumbnail = read_png_header(variants.thumbnail);
    CHECK((thumbnail.width == 150 && thumbnail.height == 100 && thumbnail.colour_type == 6));
    const auto square = read_png_header(variants.square_thumbnail);
    CHECK((square.width == 100 && square.height == 100 && square.colour_type == 6));
    const auto preview = read_png_header(variants.preview);
    CHECK((preview.width == 1200 && preview.height == 675));
    const auto original = read_png_header(variants.original);
    CHECK((original.width == 640 && original.height == 360));
    fs::remove_all(dir);
}

TEST_CASE("a truncated PNG and a file that is no picture end with a reason", "[workers]") {
    char pattern[] = "/tmp/slate-pictures-XXXXXX";
    const fs::path dir = mkdtemp(pattern);
    const auto good = make_picture_variants(write_ppm(dir, 400, 300), dir / "good");
    REQUIRE(good.ok);
    const fs::path truncated = dir / "truncated.png";
    fs::copy_file(good.original, truncated);
    fs::resize_file(truncated, fs::file_size(truncated) / 2);
    const auto broken = make_picture_variants(truncated, dir / "broken");
    CHECK_FALSE(broken.ok);
    CHECK_FALSE(broken.reason.empty());
    const fs::path text = dir / "notes.png";
    std::ofstream(text) << "not a picture at all";
    const auto refused = make_picture_variants(text, dir / "refused");
    CHECK_FALSE(refused.ok);
    CHECK(refused.reason.rfind("the picture cannot be read", 0) == 0);
    fs::remove_all(dir);
}

TEST_CASE("failures on several threads at once each give their own reason, without paths", "[workers]") {
    char pattern[] = "/tmp/slate-pictures-XXXXXX";
    const fs::path dir = mkdtemp(pattern);
    const auto good = make_picture_variants(write_ppm(dir, 64, 48), dir / "good");
    REQUIRE(good.ok);
    constexpr int jobs = 8;
    std::vector<std::string> reasons(jobs);
    std::vector<std::thread> threads;
    for (int job = 0; job < jobs; ++job)
        threads.emplace_back([&, job] {
            // Odd jobs read text, even ones a truncated PNG: libvips' errors differ by file.
            const fs::path input = dir / ("input-" + std::to_string(job) + ".png");
            if (job % 2) {
                std::ofstream(input) << "not a picture " << job;
            } else {
                fs::copy_file(good.original, input);
                fs::resize_file(input, fs::file_size(input) / 3);
            }
            for (int attempt = 0; attempt < 5; ++attempt) {
                const auto result = make_picture_variants(input, dir / ("out-" + std::to_string(job)));
                if (!result.ok)
                    reasons[job] = result.reason;
            }
        });
    for (auto& thread : threads)
        thread.join();
    for (int job = 0; job < jobs; ++job) {
        INFO(job << ": " << reasons[job]);
        CHECK(reasons[job].rfind("the picture ", 0) == 0);
        CHECK(reasons[job].find("input-") == std::string::npos); // no file name, ours or another job's
        CHECK(reasons[job].find('/') == std::string::npos);
    }
    fs::remove_all(dir);
}

namespace {

/// A PNG whose header claims `width`×`height` and whose data is one empty IDAT: tiny on disk.
void write_claiming_png(const fs::path& path, uint32_t width, uint32_t height) {
    auto be32 = [](std::string& out, uint32_t value) {
        for (int shift : {24, 16, 8, 0})
            out.push_back(static_cast<char>((value >> shift) & 0xff));
    };
    auto chunk = [&](std::string& out, const std::string& type, const std::string& data) {
        be32(out, static_cast<uint32_t>(data.size()));
        const std::string body = type + data;
        Poco::Checksum crc(Poco::Checksum::TYPE_CRC32);
        crc.update(body.data(), static_cast<unsigned>(body.size()));
        out += body;
        be32(out, crc.checksum());
    };
    std::string png = "\x89PNG\r\n\x1a\n";
    std::string header;
    be32(header, width);
    be32(header, height);
    header += std::string("\x08\x06\x00\x00\x00", 5); // 8-bit RGBA, deflate, no filter, no interlace
    chunk(png, "IHDR", header);
    chunk(png, "IDAT", std::string("\x78\x9c\x03\x00\x00\x00\x00\x01", 8));
    chunk(png, "IEND", "");
    std::ofstream(path, std::ios::binary) << png;
}

} // namespace

TEST_CASE("a picture claiming more pixels than the limit is refused from its header", "[workers]") {
    char pattern[] = "/tmp/slate-pictures-XXXXXX";
    const fs::path dir = mkdtemp(pattern);
    const fs::path bomb = dir / "bomb.png";
    write_claiming_png(bomb, 20000, 20000); // 400 megapixels in a few dozen bytes
    REQUIRE(fs::file_size(bomb) < 100);
    const auto refused = make_picture_variants(bomb, dir / "out");
    CHECK_FALSE(refused.ok);
    CHECK(refused.reason == "the picture is too large (20000x20000 pixels; the limit is 178956970 pixels)");
    CHECK_FALSE(fs::exists(dir / "out" / "original.png"));
    const auto fitted = slate::workers::make_fitted_picture(bomb, dir / "avatar.png", 150, 150);
    CHECK_FALSE(fitted.ok);
    CHECK(fitted.reason.rfind("the picture is too large", 0) == 0);
    // The limit is a setting: a lower one refuses an ordinary picture.
    const fs::path small = write_ppm(dir, 64, 48);
    slate::workers::set_picture_pixel_limit(1000);
    CHECK_FALSE(make_picture_variants(small, dir / "limited").ok);
    slate::workers::set_picture_pixel_limit(178956970);
    CHECK(make_picture_variants(small, dir / "allowed").ok);
    fs::remove_all(dir);
}
