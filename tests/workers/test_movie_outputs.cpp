// tests/workers/test_movie_outputs.cpp: one upload's outputs from one decode (movie_outputs.h):
// the HD and LD movies, the thumbnail and the tile sheet of movies made in the test, checked
// against what the one-output functions make of the same source, and the source's decoder
// counted; numbered frames through the same path (image_sequence.h).
#include <catch2/catch.hpp>

#include "support/make_test_movie.h"
#include "workers/image_sequence.h"
#include "workers/movie_outputs.h"

#include <OpenImageIO/imageio.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace slate::workers;
using slate::test::make_test_movie;
using slate::test::mean_difference;
using slate::test::read_png;
using slate::test::TestMovieSpec;

namespace {

struct TempDir {
    fs::path path;
    TempDir() {
        char pattern[] = "/tmp/slate-outputs-XXXXXX";
        path = mkdtemp(pattern);
    }
    ~TempDir() { fs::remove_all(path); }
};

std::string file_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

MovieOutputsRequest full_request(const fs::path& dir, MovieSize hd, FrameRate fps) {
    MovieOutputsRequest request;
    request.hd = NormaliseTarget{hd.width, hd.height, fps, 2'000'000};
    request.hd_path = dir / "hd.mp4";
    request.ld = ld_target(hd, fps);
    request.ld.value().video_bitrate = 1'000'000;
    request.ld_path = dir / "ld.mp4";
    request.thumbnail_png = dir / "thumbnail.png";
    request.tile_png = dir / "tile.png";
    return request;
}

} // namespace

TEST_CASE("one decode makes the HD and LD movies, the thumbnail and the tile sheet", "[workers][movie][outputs]") {
    TempDir dir;
    TestMovieSpec spec; // 320×180, 1 s at 24 fps with a sine
    spec.fps_num = 24;
    spec.seconds = 2.0;
    make_test_movie(spec, dir.path / "source.mp4");
    const MovieOutputsRequest request = full_request(dir.path, {640, 360}, {25, 1});
    const MovieOutputs made = make_movie_outputs(dir.path / "source.mp4", request);
    INFO(made.reason);
    REQUIRE(made.ok);
    // The source was opened and decoded once: each of its 48 pictures once.
    CHECK(made.source_decodes == 1);
    CHECK(made.pictures_decoded == 48);

    const MovieProbe hd = probe_movie(request.hd_path);
    REQUIRE(hd.ok);
    CHECK((hd.width == 640 && hd.height == 360));
    CHECK(hd.frame_rate == FrameRate{25, 1});
    CHECK(hd.frame_count == 50);
    CHECK(hd.has_audio);
    CHECK(made.hd.frame_count == 50);
    CHECK(made.movie.width == 640);
    const MovieProbe ld = probe_movie(request.ld_path);
    REQUIRE(ld.ok);
    CHECK((ld.width == 1280 && ld.height == 720));
    CHECK(ld.frame_rate == FrameRate{25, 1});
    CHECK(ld.frame_count == 50);
    CHECK(ld.audio_codec == "aac");
    CHECK(ld.duration == Approx(hd.duration));

    // Each movie is, byte for byte, what normalise_movie makes of the same source alone.
    for (const auto& [target, path] : {std::pair{*request.hd, request.hd_path}, std::pair{*request.ld, request.ld_path}}) {
        INFO(path);
        const NormaliseResult alone = normalise_movie(dir.path / "source.mp4", dir.path / "alone.mp4", target);
        REQUIRE(alone.ok);
        CHECK(file_bytes(dir.path / "alone.mp4") == file_bytes(path));
    }

    REQUIRE(made.thumbnail.ok);
    CHECK((made.thumbnail.width == 640 && made.thumbnail.height == 360));
    const MoviePicture first = extract_frame_png(request.hd_path, 0, dir.path / "first.png");
    REQUIRE(first.ok);
    const auto thumbnail = read_png(request.thumbnail_png);
    REQUIRE((thumbnail.width == 640 && thumbnail.height == 360));
    CHECK(mean_difference(read_png(dir.path / "first.png"), thumbnail) < 2.0); // the encoder's loss only

    REQUIRE(made.tile.ok);
    CHECK((made.tile.geometry.width() == 8 * 178 && made.tile.geometry.height() == 7 * 100));
    CHECK(made.tile.frames_used == 50);
    const TileSheet sheet = build_tile_sheet(request.hd_path, dir.path / "sheet.png");
    REQUIRE(sheet.ok);
    CHECK(sheet.geometry.width() == made.tile.geometry.width());
    CHECK(sheet.geometry.height() == made.tile.geometry.height());
    CHECK(sheet.frames_used == made.tile.frames_used);
    const auto tile = read_png(request.tile_png);
    REQUIRE((tile.width == 1424 && tile.height == 700));
    CHECK(mean_difference(read_png(dir.path / "sheet.png"), tile) < 2.0);
}

TEST_CASE("without HD the LD movie gives the pictures, without either the source does",
          "[workers][movie][outputs]") {
    TempDir dir;
    TestMovieSpec spec;
    spec.fps_num = 24;
    spec.audio_codec.clear(); // a silent track is made
    make_test_movie(spec, dir.path / "source.mp4");

    MovieOutputsRequest low = full_request(dir.path, {640, 360}, {25, 1});
    low.hd.reset();
    const MovieOutputs made = make_movie_outputs(dir.path / "source.mp4", low);
    INFO(made.reason);
    REQUIRE(made.ok);
    CHECK_FALSE(fs::exists(low.hd_path));
    CHECK(made.ld.silent_audio);
    CHECK(probe_movie(low.ld_path).has_audio);
    CHECK((made.thumbnail.width == 1280 && made.thumbnail.height == 720));
    CHECK(made.tile.geometry.height() == 4 * 100); // 25 pictures at 25 fps
    CHECK(made.pictures_decoded == 24);

    MovieOutputsRequest kept;
    kept.thumbnail_png = dir.path / "kept.png";
    kept.tile_png = dir.path / "kept-tile.png";
    const MovieOutputs as_sent = make_movie_outputs(dir.path / "source.mp4", kept);
    INFO(as_sent.reason);
    REQUIRE(as_sent.ok);
    CHECK((as_sent.thumbnail.width == 320 && as_sent.thumbnail.height == 180));
    CHECK((as_sent.movie.width == 320 && as_sent.movie.frame_count == 24));
    CHECK(as_sent.tile.frames_used == 24);
    CHECK(as_sent.tile.geometry.height() == 3 * 100);
    const MoviePicture first = extract_frame_png(dir.path / "source.mp4", 0, dir.path / "first.png");
    REQUIRE(first.ok);
    CHECK(mean_difference(read_png(dir.path / "first.png"), read_png(kept.thumbnail_png)) == 0.0);
    const TileSheet sheet = build_tile_sheet(dir.path / "source.mp4", dir.path / "sheet.png");
    REQUIRE(sheet.ok);
    CHECK(mean_difference(read_png(dir.path / "sheet.png"), read_png(kept.tile_png)) == 0.0);
}

TEST_CASE("a corrupt upload makes nothing and says why", "[workers][movie][outputs]") {
    TempDir dir;
    std::ofstream(dir.path / "notes.mp4") << "not a movie\n";
    TestMovieSpec spec;
    spec.faststart = true;
    make_test_movie(spec, dir.path / "cut.mp4");
    fs::resize_file(dir.path / "cut.mp4", fs::file_size(dir.path / "cut.mp4") / 2);
    for (const char* name : {"notes.mp4", "cut.mp4", "missing.mp4"}) {
        INFO(name);
        const MovieOutputsRequest request = full_request(dir.path, {640, 360}, {25, 1});
        const MovieOutputs made = make_movie_outputs(dir.path / name, request);
        CHECK_FALSE(made.ok);
        CHECK_FALSE(made.reason.empty());
        for (const fs::path& path : {request.hd_path, request.ld_path, request.thumbnail_png, request.tile_png})
            CHECK_FALSE(fs::exists(path));
        CHECK_FALSE(fs::exists(request.hd_path.string() + ".part"));
    }
}

TEST_CASE("numbered frames go through the same one pass", "[workers][movie][outputs][sequence]") {
    TempDir dir;
    Frames frames;
    for (const int number : {1, 2, 4, 5, 6}) { // 3 is missing: frame 2 is held
        const fs::path path = dir.path / ("f." + std::to_string(number) + ".png");
        OIIO::ImageSpec spec(96, 54, 3, OIIO::TypeDesc::UINT8);
        std::vector<uint8_t> pixels(96 * 54 * 3, uint8_t(40 * number));
        auto out = OIIO::ImageOutput::create(path.string());
        REQUIRE(out->open(path.string(), spec));
        REQUIRE(out->write_image(OIIO::TypeDesc::UINT8, pixels.data()));
        out->close();
        frames.emplace_back(number, path);
    }
    MovieOutputsRequest asked;
    const SequenceMovie made = make_sequence_movie(frames, {24, 1}, [&](int width, int height) {
        CHECK((width == 96 && height == 54));
        asked = full_request(dir.path, {192, 108}, {24, 1});
        return asked;
    });
    INFO(made.reason);
    REQUIRE(made.ok);
    CHECK(made.frames == 6);
    CHECK(made.outputs.pictures_decoded == 5); // each file once
    CHECK(made.notes.find("missing frames 3") != std::string::npos);
    REQUIRE(made.outputs.ok);
    const MovieProbe hd = probe_movie(asked.hd_path);
    CHECK((hd.width == 192 && hd.height == 108 && hd.frame_count == 6));
    CHECK(hd.frame_rate == FrameRate{24, 1});
    CHECK(probe_movie(asked.ld_path).frame_count == 6);
    CHECK((made.outputs.thumbnail.width == 192 && made.outputs.thumbnail.height == 108));
    CHECK(made.outputs.tile.frames_used == 6);
    CHECK(made.outputs.tile.geometry.height() == 100);
    // No intermediate stream is written beside the frames.
    for (const auto& entry : fs::directory_iterator(dir.path))
        CHECK(entry.path().extension() != ".y4m");

    std::ofstream(dir.path / "bad.7.png") << "not a picture";
    const SequenceMovie none =
        make_sequence_movie({{7, dir.path / "bad.7.png"}}, {24, 1}, [&](int, int) { return asked; });
    CHECK_FALSE(none.ok);
    CHECK(none.reason.find("no frame") != std::string::npos);
}

TEST_CASE("a long movie's tiles take every step-th picture, as from the movie made", "[workers][movie][outputs]") {
    // 3,845 pictures at 100 fps: past 480 rows of 8, every second picture goes into a cell.
    TempDir dir;
    TestMovieSpec spec;
    spec.width = 64;
    spec.height = 36;
    spec.fps_num = 100;
    spec.seconds = 38.45;
    spec.audio_codec.clear();
    spec.video_bitrate = 200'000;
    make_test_movie(spec, dir.path / "long.mp4");
    MovieOutputsRequest request;
    request.hd = NormaliseTarget{64, 36, {100, 1}, 4'000'000};
    request.hd_path = dir.path / "hd.mp4";
    request.tile_png = dir.path / "tile.png";
    const MovieOutputs made = make_movie_outputs(dir.path / "long.mp4", request);
    INFO(made.reason);
    REQUIRE(made.ok);
    CHECK(made.hd.frame_count == 3845);
    REQUIRE(made.tile.ok);
    CHECK(made.tile.geometry.step == 2);
    CHECK(made.tile.geometry.rows == 480);
    CHECK(made.tile.frames_used == 1923);
    CHECK(made.source_decodes == 1);
    const TileSheet sheet = build_tile_sheet(request.hd_path, dir.path / "sheet.png");
    REQUIRE(sheet.ok);
    CHECK(sheet.frames_used == made.tile.frames_used);
    CHECK(mean_difference(read_png(dir.path / "sheet.png"), read_png(request.tile_png)) < 2.0);
}
