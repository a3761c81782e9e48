// tests/workers/test_playlist_movie.cpp: a playlist's movies joined into one MP4 (media.md
// §10): packets copied when the movies share their encoding, foreign movies normalised
// first, the sound continuous and in step with the pictures, a broken input a reason.
#include <catch2/catch.hpp>

#include "support/make_test_movie.h"
#include "workers/movie_normalise.h"
#include "workers/movie_probe.h"
#include "workers/playlist_movie.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace slate::workers;
using slate::test::make_test_movie;
using slate::test::TestMovieSpec;

namespace {

struct Scratch {
    fs::path path;
    Scratch() {
        char pattern[] = "/tmp/slate-playlist-movie-XXXXXX";
        path = mkdtemp(pattern);
    }
    ~Scratch() { fs::remove_all(path); }
};

const NormaliseTarget target{320, 180, {25, 1}, 1'000'000};

/// A source movie normalised as an upload would be: a playlist's usual input.
fs::path normalised_movie(const fs::path& dir, const std::string& name, double seconds, bool with_sound) {
    TestMovieSpec spec;
    spec.width = 480;
    spec.height = 270;
    spec.seconds = seconds;
    spec.audio_codec = with_sound ? "aac" : "";
    make_test_movie(spec, dir / (name + "-source.mp4"));
    const fs::path movie = dir / (name + ".mp4");
    const NormaliseResult done = normalise_movie(dir / (name + "-source.mp4"), movie, target);
    INFO(done.reason);
    REQUIRE(done.ok);
    return movie;
}

} // namespace

TEST_CASE("movies of one project are joined by copying their pictures", "[workers][movie][playlist]") {
    Scratch scratch;
    const fs::path first = normalised_movie(scratch.path, "sh010", 1.0, true);
    const fs::path second = normalised_movie(scratch.path, "sh020", 1.6, false);
    const int64_t frames = probe_movie(first).frame_count + probe_movie(second).frame_count;

    const fs::path output = scratch.path / "playlist.mp4";
    const PlaylistMovieResult built =
        build_playlist_movie({first, second, first}, output, target, scratch.path / "work");
    INFO(built.reason);
    REQUIRE(built.ok);
    CHECK(built.normalised_inputs == 0);
    CHECK(built.frame_count == frames + probe_movie(first).frame_count);
    CHECK_FALSE(fs::exists(output.string() + ".part"));

    const MovieProbe joined = probe_movie(output);
    REQUIRE(joined.ok);
    CHECK(joined.video_codec == "h264");
    CHECK(joined.width == 320);
    CHECK(joined.height == 180);
    CHECK(joined.frame_rate == FrameRate{25, 1});
    CHECK(joined.duration == Approx(3.6).margin(0.05));
    CHECK(joined.frame_count == built.frame_count);
    REQUIRE(joined.has_audio);
    CHECK(joined.audio_codec == "aac");
    // The silent middle movie still has its length of sound: the third one starts in step.
    CHECK(slate::test::audio_seconds(output) == Approx(3.6).margin(0.05));
    // Each joined movie starts on a keyframe, and the index is first (+faststart).
    const std::vector<bool> keys = slate::test::video_key_flags(output);
    REQUIRE(keys.size() == static_cast<size_t>(built.frame_count));
    CHECK(keys[0]);
    CHECK(keys[static_cast<size_t>(probe_movie(first).frame_count)]);
    CHECK(slate::test::mp4_atom_offset(output, "moov") < slate::test::mp4_atom_offset(output, "mdat"));
}

TEST_CASE("a movie of another size or encoder is normalised before joining", "[workers][movie][playlist]") {
    Scratch scratch;
    const fs::path normalised = normalised_movie(scratch.path, "sh010", 1.0, true);
    TestMovieSpec spec;
    spec.width = 640;
    spec.height = 480;
    spec.seconds = 0.8;
    spec.video_codec = "mpeg4";
    spec.container = "mov";
    const fs::path foreign = scratch.path / "foreign.mov";
    make_test_movie(spec, foreign);

    const fs::path output = scratch.path / "playlist.mp4";
    PlaylistMovieResult built = build_playlist_movie({normalised, foreign}, output, target, scratch.path / "work");
    INFO(built.reason);
    REQUIRE(built.ok);
    CHECK(built.normalised_inputs == 1);
    MovieProbe joined = probe_movie(output);
    CHECK(joined.width == 320);
    CHECK(joined.height == 180);
    CHECK(joined.duration == Approx(1.8).margin(0.05));
    CHECK(slate::test::audio_seconds(output) == Approx(1.8).margin(0.05));
    // The scratch copies are gone.
    CHECK(fs::is_empty(scratch.path / "work"));

    // `full` (normalise_all) makes every movie again.
    built = build_playlist_movie({normalised, foreign}, output, target, scratch.path / "work", true);
    REQUIRE(built.ok);
    CHECK(built.normalised_inputs == 2);
    CHECK(probe_movie(output).duration == Approx(1.8).margin(0.05));
}

TEST_CASE("a broken movie fails the build with a reason and leaves no file", "[workers][movie][playlist]") {
    Scratch scratch;
    const fs::path good = normalised_movie(scratch.path, "sh010", 0.6, true);
    const fs::path broken = scratch.path / "broken.mp4";
    std::ofstream(broken, std::ios::binary) << "not a movie at all, only some bytes";

    const fs::path output = scratch.path / "playlist.mp4";
    const PlaylistMovieResult built = build_playlist_movie({good, broken}, output, target, scratch.path / "work");
    CHECK_FALSE(built.ok);
    CHECK_FALSE(built.reason.empty());
    CHECK_FALSE(fs::exists(output));
    CHECK_FALSE(fs::exists(output.string() + ".part"));

    const PlaylistMovieResult empty = build_playlist_movie({}, output, target, scratch.path / "work");
    CHECK_FALSE(empty.ok);
    CHECK(empty.reason == "the playlist has no movie");
}
