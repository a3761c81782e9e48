// tests/workers/test_movie_frames.cpp: frames taken from movies made in the test (the
// picture found is the source's picture of that time) and Zou's tile sheet (media.md §4.3-9).
#include <catch2/catch.hpp>

#include "support/make_test_movie.h"
#include "workers/movie_frames.h"
#include "workers/movie_normalise.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace slate::workers;
using slate::test::make_test_movie;
using slate::test::mean_difference;
using slate::test::RgbPicture;
using slate::test::test_source_frame;
using slate::test::TestMovieSpec;

namespace {

struct TempDir {
    fs::path path;
    TempDir() {
        char pattern[] = "/tmp/slate-frames-XXXXXX";
        path = mkdtemp(pattern);
    }
    ~TempDir() { fs::remove_all(path); }
};

RgbPicture as_picture(const MovieFrame& frame) {
    REQUIRE(frame.stride == size_t(frame.width) * 3);
    return {frame.width, frame.height, frame.pixels};
}

RgbPicture crop(const RgbPicture& picture, int x, int y, int width, int height) {
    RgbPicture part{width, height, {}};
    for (int row = y; row < y + height; ++row)
        part.pixels.insert(part.pixels.end(), picture.at(x, row), picture.at(x, row) + width * 3);
    return part;
}

/// True when every pixel of the rows [top, bottom) is black (as black as YUV gets).
bool rows_black(const RgbPicture& picture, int top, int bottom) {
    for (int y = top; y < bottom; ++y)
        for (int x = 0; x < picture.width; ++x)
            for (int channel = 0; channel < 3; ++channel)
                if (picture.at(x, y)[channel] > 8)
                    return false;
    return true;
}

} // namespace

TEST_CASE("frame N is seeked to at (N - 1) / fps", "[workers][movie]") {
    CHECK(frame_time(0, {25, 1}) == 0.0); // the route's default
    CHECK(frame_time(1, {25, 1}) == 0.0);
    CHECK(frame_time(26, {25, 1}) == Approx(1.0));
    CHECK(frame_time(25, {24000, 1001}) == Approx(1.001));
}

TEST_CASE("the tile geometry is Zou's, with the real frame rate", "[workers][movie]") {
    TileGeometry tile = tile_geometry(2.0, 24, {16, 9});
    CHECK((tile.frames == 48 && tile.rows == 6 && tile.cell_width == 178 && tile.step == 1));
    CHECK((tile.width() == 1424 && tile.height() == 600));
    tile = tile_geometry(0.96, 25, {4, 3}); // 24 frames although 0.96 · 25 < 24 in binary
    CHECK((tile.frames == 24 && tile.rows == 3 && tile.cell_width == 134));
    tile = tile_geometry(2.0, 30000.0 / 1001, {2, 1}); // not 30000 · 2 frames
    CHECK((tile.frames == 59 && tile.rows == 8 && tile.cell_width == 200));
    tile = tile_geometry(153.6, 25, {16, 9}); // 3840 frames: just fits
    CHECK((tile.rows == 480 && tile.step == 1));
    tile = tile_geometry(1000, 25, {16, 9}); // 25000 frames: every 7th
    CHECK((tile.frames == 25000 && tile.rows == 480 && tile.step == 7));
    CHECK(tile_geometry(0, 25, {16, 9}).rows == 0);
}

TEST_CASE("an extracted frame is the source's picture of that time", "[workers][movie]") {
    TempDir dir;
    TestMovieSpec spec;
    spec.fps_num = 24;
    spec.seconds = 2.0;
    spec.video_bitrate = 4'000'000;
    make_test_movie(spec, dir.path / "clip.mp4"); // a keyframe every 12 pictures
    for (const int64_t number : {1, 2, 12, 13, 30, 48}) {
        INFO("frame " << number);
        const MovieFrame frame = extract_frame(dir.path / "clip.mp4", frame_time(number, {24, 1}));
        INFO(frame.reason);
        REQUIRE(frame.ok);
        CHECK((frame.width == 320 && frame.height == 180));
        CHECK(frame.time == Approx((number - 1) / 24.0).margin(0.001));
        // Nearer to its own source picture than to the pictures either side.
        const RgbPicture picture = as_picture(frame);
        const double own = mean_difference(picture, test_source_frame(spec, number - 1));
        CHECK(own < 6.0);
        if (number > 1)
            CHECK(own < mean_difference(picture, test_source_frame(spec, number - 2)));
        if (number < 48)
            CHECK(own < mean_difference(picture, test_source_frame(spec, number)));
    }
    // Between two pictures: the next one; inside the last one: the last; past it: none.
    CHECK(extract_frame(dir.path / "clip.mp4", 0.5 / 24).time == Approx(1 / 24.0).margin(0.001));
    CHECK(extract_frame(dir.path / "clip.mp4", 1.99).time == Approx(47 / 24.0).margin(0.001));
    const MovieFrame past = extract_frame(dir.path / "clip.mp4", 2.5);
    CHECK_FALSE(past.ok);
    CHECK_FALSE(past.reason.empty());
}

TEST_CASE("the first frame of a normalised anamorphic movie is letterboxed in black", "[workers][movie]") {
    TempDir dir;
    TestMovieSpec spec;
    spec.container = "mov";
    spec.video_codec = "mpeg4";
    spec.sar_num = 4;
    spec.sar_den = 3;
    make_test_movie(spec, dir.path / "anamorphic.mov");
    const auto normalised =
        normalise_movie(dir.path / "anamorphic.mov", dir.path / "out.mp4", {640, 360, {25, 1}, 2'000'000});
    INFO(normalised.reason);
    REQUIRE(normalised.ok);
    const MoviePicture png = extract_frame_png(dir.path / "out.mp4", 0, dir.path / "first.png");
    INFO(png.reason);
    REQUIRE(png.ok);
    CHECK((png.width == 640 && png.height == 360));
    CHECK(png.file_size == static_cast<int64_t>(fs::file_size(dir.path / "first.png")));
    // 320×180 at 4:3 pixels shows as 426×180, fitted to 640×270 and padded to 640×360 (the
    // pad filter puts it at row 44, chroma-aligned). Checked away from the macroblocks that
    // hold the edges, where encoding blurs the black.
    const RgbPicture first = slate::test::read_png(dir.path / "first.png");
    REQUIRE((first.width == 640 && first.height == 360));
    CHECK(rows_black(first, 0, 32));
    CHECK(rows_black(first, 320, 360));
    CHECK_FALSE(rows_black(first, 44, 45));
    CHECK_FALSE(rows_black(first, 313, 314));
    CHECK_FALSE(rows_black(first, 180, 181));
}

TEST_CASE("a phone's portrait movie is normalised upright, pillarboxed", "[workers][movie]") {
    TempDir dir;
    TestMovieSpec spec;
    spec.rotation = 90; // stored 320×180, shown 180×320
    make_test_movie(spec, dir.path / "portrait.mp4");
    const auto normalised =
        normalise_movie(dir.path / "portrait.mp4", dir.path / "out.mp4", {640, 360, {25, 1}, 2'000'000});
    INFO(normalised.reason);
    REQUIRE(normalised.ok);
    CHECK((normalised.width == 640 && normalised.height == 360));
    const MovieFrame frame = extract_frame(dir.path / "out.mp4", 0);
    REQUIRE(frame.ok);
    const RgbPicture first = as_picture(frame);
    // 180×320 fitted to 202×360, at column 218 (chroma-aligned): black on both sides.
    CHECK(rows_black(crop(first, 0, 0, 208, 360), 0, 360));
    CHECK(rows_black(crop(first, 432, 0, 208, 360), 0, 360));
    CHECK_FALSE(rows_black(crop(first, 218, 0, 2, 360), 0, 360));
    CHECK_FALSE(rows_black(crop(first, 418, 0, 2, 360), 0, 360));
    // Turned clockwise, as the display matrix says, not the other way.
    const RgbPicture upright = crop(first, 218, 0, 202, 360);
    const double clockwise =
        mean_difference(test_source_frame(spec, 0, "transpose=clock,scale=202:360:flags=bicubic"), upright);
    const double counter =
        mean_difference(test_source_frame(spec, 0, "transpose=cclock,scale=202:360:flags=bicubic"), upright);
    CHECK(clockwise < counter);
}

TEST_CASE("the tile sheet holds every picture in Zou's grid", "[workers][movie]") {
    TempDir dir;
    TestMovieSpec spec;
    spec.fps_num = 24;
    spec.seconds = 2.0;
    spec.video_bitrate = 4'000'000;
    make_test_movie(spec, dir.path / "clip.mp4");
    const TileSheet sheet = build_tile_sheet(dir.path / "clip.mp4", dir.path / "tile.png");
    INFO(sheet.reason);
    REQUIRE(sheet.ok);
    CHECK((sheet.geometry.width() == 1424 && sheet.geometry.height() == 600));
    CHECK(sheet.frames_used == 48);
    const RgbPicture tile = slate::test::read_png(dir.path / "tile.png");
    REQUIRE((tile.width == 1424 && tile.height == 600));
    // Picture n sits at column n mod 8, row n div 8, stretched to 178×100: nearer to the
    // source's picture n (scaled alike) than to its neighbours.
    for (const int index : {0, 9, 30, 47}) {
        INFO("cell " << index);
        const int x = (index % 8) * 178, y = (index / 8) * 100;
        const double own = mean_difference(test_source_frame(spec, index, "scale=178:100:flags=bicubic"), tile, x, y);
        CHECK(own < 6.0);
        if (index > 0)
            CHECK(own < mean_difference(test_source_frame(spec, index - 1, "scale=178:100:flags=bicubic"), tile, x, y));
        if (index < 47)
            CHECK(own < mean_difference(test_source_frame(spec, index + 1, "scale=178:100:flags=bicubic"), tile, x, y));
    }

    // One second at 25 fps: 25 pictures in 4 rows, the last 7 cells black.
    spec.fps_num = 25;
    spec.seconds = 1.0;
    make_test_movie(spec, dir.path / "short.mp4");
    const TileSheet short_sheet = build_tile_sheet(dir.path / "short.mp4", dir.path / "short.png");
    INFO(short_sheet.reason);
    REQUIRE(short_sheet.ok);
    CHECK((short_sheet.geometry.width() == 1424 && short_sheet.geometry.height() == 400));
    CHECK(short_sheet.frames_used == 25);
    const RgbPicture short_tile = slate::test::read_png(dir.path / "short.png");
    CHECK_FALSE(rows_black(crop(short_tile, 0, 300, 178, 100), 0, 100));
    CHECK(rows_black(crop(short_tile, 178, 300, 178 * 7, 100), 0, 100));
}

TEST_CASE("frames and tiles of what is no movie end with a reason and no file", "[workers][movie]") {
    TempDir dir;
    std::ofstream(dir.path / "notes.mp4") << "not a movie\n";
    const MovieFrame frame = extract_frame(dir.path / "notes.mp4", 0);
    CHECK_FALSE(frame.ok);
    CHECK_FALSE(frame.reason.empty());
    const MoviePicture png = extract_frame_png(dir.path / "notes.mp4", 0, dir.path / "f.png");
    CHECK_FALSE(png.ok);
    CHECK_FALSE(fs::exists(dir.path / "f.png"));
    const TileSheet sheet = build_tile_sheet(dir.path / "notes.mp4", dir.path / "t.png");
    CHECK_FALSE(sheet.ok);
    CHECK_FALSE(sheet.reason.empty());
    CHECK_FALSE(fs::exists(dir.path / "t.png"));
}
