// tests/workers/test_movie_probe.cpp: probing real movies made in the test (several
// containers and codecs, anamorphic, without audio) and refusing files that are no movie.
#include <catch2/catch.hpp>

#include "support/make_test_movie.h"
#include "workers/movie_probe.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

namespace fs = std::filesystem;
using slate::test::make_test_movie;
using slate::test::TestMovieSpec;
using slate::workers::probe_movie;
using slate::workers::Rational;

namespace {

struct TempDir {
    fs::path path;
    TempDir() {
        char pattern[] = "/tmp/slate-movie-XXXXXX";
        path = mkdtemp(pattern);
    }
    ~TempDir() { fs::remove_all(path); }
};

} // namespace

TEST_CASE("an MP4 with H.264 and AAC is probed", "[workers][movie]") {
    TempDir dir;
    const fs::path movie = dir.path / "clip.mp4";
    make_test_movie({}, movie); // 320×180, 25 fps, 1 s, AAC 48 kHz mono
    const auto probe = probe_movie(movie);
    INFO(probe.reason);
    REQUIRE(probe.ok);
    CHECK(probe.width == 320);
    CHECK(probe.height == 180);
    CHECK(probe.video_codec == "h264");
    CHECK(probe.pixel_format == "yuv420p");
    CHECK(probe.frame_rate == Rational{25, 1});
    CHECK(probe.fps == Approx(25.0));
    CHECK(probe.duration == Approx(1.0).margin(0.04));
    CHECK(probe.frame_count == 25);
    CHECK(probe.sample_aspect_ratio == Rational{1, 1});
    CHECK(probe.display_aspect_ratio == Rational{16, 9});
    CHECK(probe.rotation == 0);
    CHECK(probe.has_audio);
    CHECK(probe.audio_codec == "aac");
    CHECK(probe.audio_sample_rate == 48000);
    CHECK(probe.audio_channels == 1);
    CHECK(probe.file_size == static_cast<int64_t>(fs::file_size(movie)));
}

TEST_CASE("other containers, an anamorphic stream and a silent movie are probed", "[workers][movie]") {
    TempDir dir;
    TestMovieSpec mov;
    mov.container = "mov";
    mov.video_codec = "mpeg4";
    mov.audio_codec = "pcm_s16le";
    mov.sar_num = 4;
    mov.sar_den = 3;
    make_test_movie(mov, dir.path / "anamorphic.mov");
    auto probe = probe_movie(dir.path / "anamorphic.mov");
    INFO(probe.reason);
    REQUIRE(probe.ok);
    CHECK(probe.video_codec == "mpeg4");
    CHECK(probe.sample_aspect_ratio == Rational{4, 3});
    CHECK(probe.display_aspect_ratio == Rational{64, 27}); // 320·4 : 180·3
    CHECK(probe.audio_codec == "pcm_s16le");

    TestMovieSpec portrait;
    portrait.rotation = 90;
    make_test_movie(portrait, dir.path / "portrait.mp4");
    probe = probe_movie(dir.path / "portrait.mp4");
    REQUIRE(probe.ok);
    CHECK(probe.rotation == 90);
    CHECK((probe.width == 320 && probe.height == 180)); // stored size, as ffprobe says

    TestMovieSpec mkv;
    mkv.container = "matroska";
    mkv.video_codec = "mjpeg";
    mkv.audio_codec.clear();
    mkv.width = 321;
    mkv.height = 241;
    make_test_movie(mkv, dir.path / "silent.mkv");
    probe = probe_movie(dir.path / "silent.mkv");
    INFO(probe.reason);
    REQUIRE(probe.ok);
    CHECK(probe.width == 321);
    CHECK(probe.height == 241);
    CHECK_FALSE(probe.has_audio);
    CHECK(probe.duration == Approx(1.0).margin(0.04));
    CHECK(probe.frame_count == 25);
}

TEST_CASE("files that are no movie, or a cut movie, are answered with a reason", "[workers][movie]") {
    TempDir dir;
    std::ofstream(dir.path / "notes.mov") << "This is a text file, not a movie.\n";
    auto probe = probe_movie(dir.path / "notes.mov");
    CHECK_FALSE(probe.ok);
    CHECK_FALSE(probe.reason.empty());

    {
        std::mt19937 random(42);
        std::ofstream noise(dir.path / "noise.mp4", std::ios::binary);
        for (int i = 0; i < 64 * 1024; ++i)
            noise.put(static_cast<char>(random()));
    }
    probe = probe_movie(dir.path / "noise.mp4");
    CHECK_FALSE(probe.ok);
    CHECK_FALSE(probe.reason.empty());

    probe = probe_movie(dir.path / "missing.mp4");
    CHECK_FALSE(probe.ok);
    CHECK_FALSE(probe.reason.empty());

    // Cut in half: with the index first (faststart) the index outlives the data; without,
    // the index is lost; a Matroska file keeps its declared duration.
    for (const char* name : {"faststart.mp4", "plain.mp4", "cut.mkv"}) {
        TestMovieSpec spec;
        spec.faststart = std::string(name) == "faststart.mp4";
        if (std::string(name) == "cut.mkv") {
            spec.container = "matroska";
            spec.seconds = 2.0;
        }
        const fs::path movie = dir.path / name;
        make_test_movie(spec, movie);
        REQUIRE(probe_movie(movie).ok);
        fs::resize_file(movie, fs::file_size(movie) / 2);
        probe = probe_movie(movie);
        INFO(name);
        CHECK_FALSE(probe.ok);
        CHECK_FALSE(probe.reason.empty());
    }
}
