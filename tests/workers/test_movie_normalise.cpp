// tests/workers/test_movie_normalise.cpp: Zou's normalisation (media.md §4.3-5) of movies
// made in the test, read back with probe_movie and the packets of the output.
#include <catch2/catch.hpp>

#include "support/make_test_movie.h"
#include "workers/movie_frames.h"
#include "workers/movie_normalise.h"
#include "workers/movie_probe.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
using namespace slate::workers;
using slate::test::make_test_movie;
using slate::test::TestMovieSpec;

namespace {

struct TempDir {
    fs::path path;
    TempDir() {
        char pattern[] = "/tmp/slate-normalise-XXXXXX";
        path = mkdtemp(pattern);
    }
    ~TempDir() { fs::remove_all(path); }
};

/// The options x264 writes into its stream (an SEI message): how the movie was encoded.
std::string x264_options(const fs::path& movie) {
    std::ifstream in(movie, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const size_t start = bytes.find("x264 - core");
    if (start == std::string::npos)
        return {};
    const size_t options = bytes.find("options: ", start);
    return bytes.substr(options, bytes.find('\0', options) - options) + " ";
}

NormaliseTarget small_target(FrameRate fps = {25, 1}) {
    return {640, 360, fps, 2'000'000};
}

/// What every normalised movie is, whatever its source: checked on the written file.
MovieProbe check_normalised(const fs::path& movie, const NormaliseTarget& target) {
    const MovieProbe probe = probe_movie(movie);
    INFO(probe.reason);
    REQUIRE(probe.ok);
    CHECK(probe.video_codec == "h264");
    CHECK(probe.pixel_format == "yuv420p");
    CHECK(probe.width == target.width);
    CHECK(probe.height == target.height);
    CHECK(probe.sample_aspect_ratio == Rational{1, 1});
    CHECK(probe.frame_rate == target.fps);
    CHECK(probe.has_audio);
    CHECK(probe.audio_codec == "aac");
    // Zou's x264 settings: preset slow, average bitrate, keyint 2, no scene-cut keyframes.
    const std::string options = x264_options(movie);
    INFO(options);
    CHECK(options.find(" rc=abr ") != std::string::npos);
    CHECK(options.find(" bitrate=" + std::to_string(target.video_bitrate / 1000) + " ") != std::string::npos);
    CHECK(options.find(" keyint=2 ") != std::string::npos);
    CHECK(options.find(" scenecut=0 ") != std::string::npos);
    CHECK(options.find(" subme=8 ") != std::string::npos); // preset slow (medium has 7)
    // A keyframe every 2 frames (keyint=2, scenecut=0).
    const std::vector<bool> keys = slate::test::video_key_flags(movie);
    REQUIRE(keys.size() == static_cast<size_t>(probe.frame_count));
    for (size_t index = 0; index < keys.size(); ++index) {
        INFO("packet " << index);
        CHECK(keys[index] == (index % 2 == 0));
    }
    // +faststart: the index comes before the data.
    const int64_t moov = slate::test::mp4_atom_offset(movie, "moov");
    const int64_t mdat = slate::test::mp4_atom_offset(movie, "mdat");
    CHECK(moov > 0);
    CHECK(mdat > moov);
    CHECK_FALSE(fs::exists(movie.string() + ".part"));
    return probe;
}

} // namespace

TEST_CASE("the HD and LD targets are Zou's", "[workers][movie]") {
    const NormaliseTarget hd = hd_target({1920, 1080}, {25, 1});
    CHECK((hd.width == 1920 && hd.height == 1080 && hd.video_bitrate == 28'000'000));
    const NormaliseTarget ld = ld_target({1920, 1080}, {24000, 1001});
    CHECK((ld.width == 1280 && ld.height == 720 && ld.video_bitrate == 6'000'000));
    CHECK(ld.fps == FrameRate{24000, 1001});
}

TEST_CASE("a 24 fps MP4 becomes a 25 fps H.264 MP4 with its sound in AAC", "[workers][movie]") {
    TempDir dir;
    TestMovieSpec spec;
    spec.fps_num = 24;
    make_test_movie(spec, dir.path / "source.mp4");
    const NormaliseTarget target = small_target();
    const auto result = normalise_movie(dir.path / "source.mp4", dir.path / "out.mp4", target);
    INFO(result.reason);
    REQUIRE(result.ok);
    const MovieProbe probe = check_normalised(dir.path / "out.mp4", target);
    CHECK(probe.duration == Approx(1.0).margin(1.0 / 25));
    CHECK(probe.frame_count == 25);
    CHECK(probe.audio_sample_rate == 48000); // the source's rate and channels are kept
    CHECK(probe.audio_channels == 1);
    CHECK_FALSE(result.silent_audio);
    CHECK((result.width == 640 && result.height == 360));
    CHECK(result.frame_count == 25);
    CHECK(result.duration == Approx(probe.duration));
    CHECK(result.file_size == static_cast<int64_t>(fs::file_size(dir.path / "out.mp4")));
}

TEST_CASE("an anamorphic MOV and an odd-sized silent MKV fill the exact canvas", "[workers][movie]") {
    TempDir dir;
    TestMovieSpec mov;
    mov.container = "mov";
    mov.video_codec = "mpeg4";
    mov.audio_codec = "pcm_s16le";
    mov.sar_num = 4;
    mov.sar_den = 3;
    make_test_movie(mov, dir.path / "anamorphic.mov");
    const NormaliseTarget target = small_target();
    auto result = normalise_movie(dir.path / "anamorphic.mov", dir.path / "anamorphic.mp4", target);
    INFO(result.reason);
    REQUIRE(result.ok);
    check_normalised(dir.path / "anamorphic.mp4", target);

    TestMovieSpec mkv;
    mkv.container = "matroska";
    mkv.video_codec = "mjpeg";
    mkv.audio_codec.clear();
    mkv.width = 321;
    mkv.height = 241;
    mkv.seconds = 2.0;
    make_test_movie(mkv, dir.path / "odd.mkv");
    result = normalise_movie(dir.path / "odd.mkv", dir.path / "odd.mp4", target);
    INFO(result.reason);
    REQUIRE(result.ok);
    CHECK(result.silent_audio);
    const MovieProbe probe = check_normalised(dir.path / "odd.mp4", target);
    CHECK(probe.duration == Approx(2.0).margin(1.0 / 25));
    CHECK(probe.frame_count == 50);
    CHECK(probe.audio_sample_rate == 44100); // Zou's anullsrc: 44.1 kHz stereo
    CHECK(probe.audio_channels == 2);
}

TEST_CASE("variable frame rate, WebM and AVI sources reach the target rate", "[workers][movie]") {
    TempDir dir;
    TestMovieSpec vfr;
    vfr.container = "matroska";
    vfr.fps_num = 30;
    vfr.seconds = 2.0;
    vfr.variable_frame_rate = true;
    TestMovieSpec webm;
    webm.container = "webm";
    webm.video_codec = "libvpx";
    webm.audio_codec = "libopus";
    TestMovieSpec avi;
    avi.container = "avi";
    avi.video_codec = "mjpeg";
    avi.audio_codec = "pcm_s16le";
    avi.audio_sample_rate = 44100;
    const NormaliseTarget target = small_target({24000, 1001});
    for (const auto& [name, spec] : {std::pair{"vfr.mkv", vfr}, {"clip.webm", webm}, {"clip.avi", avi}}) {
        INFO(name);
        make_test_movie(spec, dir.path / name);
        const fs::path output = dir.path / (std::string(name) + ".mp4");
        const auto result = normalise_movie(dir.path / name, output, target);
        INFO(result.reason);
        REQUIRE(result.ok);
        const MovieProbe probe = check_normalised(output, target);
        // 23.976 fps: the pictures at 0, 1001/24000, … before the source's end.
        const double frame = 1001.0 / 24000.0;
        const auto expected = static_cast<int64_t>(std::ceil(spec.seconds / frame - 1e-9));
        CHECK(probe.frame_count == expected);
        CHECK(probe.duration == Approx(spec.seconds).margin(frame));
        CHECK(probe.audio_sample_rate == spec.audio_sample_rate);
    }
}

TEST_CASE("a 720p source normalised to Zou's LD target", "[workers][movie]") {
    TempDir dir;
    TestMovieSpec spec;
    spec.width = 1280;
    spec.height = 720;
    make_test_movie(spec, dir.path / "hd.mp4");
    const NormaliseTarget target = ld_target({1920, 1080}, {25, 1});
    const auto result = normalise_movie(dir.path / "hd.mp4", dir.path / "ld.mp4", target);
    INFO(result.reason);
    REQUIRE(result.ok);
    const MovieProbe probe = check_normalised(dir.path / "ld.mp4", target);
    CHECK(probe.frame_count == 25);
}

TEST_CASE("corrupt sources and bad targets leave no output behind", "[workers][movie]") {
    TempDir dir;
    {
        std::mt19937 random(7);
        std::ofstream noise(dir.path / "noise.mov", std::ios::binary);
        for (int i = 0; i < 256 * 1024; ++i)
            noise.put(static_cast<char>(random()));
    }
    TestMovieSpec spec;
    spec.faststart = true;
    make_test_movie(spec, dir.path / "cut.mp4");
    fs::resize_file(dir.path / "cut.mp4", fs::file_size(dir.path / "cut.mp4") / 2);
    spec.container = "matroska";
    spec.seconds = 2.0;
    make_test_movie(spec, dir.path / "cut.mkv");
    fs::resize_file(dir.path / "cut.mkv", fs::file_size(dir.path / "cut.mkv") / 2);
    std::ofstream(dir.path / "notes.mp4") << "not a movie\n";

    for (const char* name : {"noise.mov", "cut.mp4", "cut.mkv", "notes.mp4", "missing.mp4"}) {
        INFO(name);
        const fs::path output = dir.path / (std::string(name) + ".out.mp4");
        const auto result = normalise_movie(dir.path / name, output, small_target());
        CHECK_FALSE(result.ok);
        CHECK_FALSE(result.reason.empty());
        CHECK_FALSE(fs::exists(output));
        CHECK_FALSE(fs::exists(output.string() + ".part"));
    }

    make_test_movie({}, dir.path / "good.mp4");
    const auto odd = normalise_movie(dir.path / "good.mp4", dir.path / "odd.mp4", {641, 360, {25, 1}, 2'000'000});
    CHECK_FALSE(odd.ok);
    CHECK(odd.reason.find("even") != std::string::npos);
    CHECK_FALSE(fs::exists(dir.path / "odd.mp4"));
}

TEST_CASE("damaged bytes inside movies are answered, never a crash", "[workers][movie]") {
    // Damaged data is decoded as far as it goes, as ffmpeg does: a result either way.
    TempDir dir;
    std::mt19937 random(2024);
    for (const char* container : {"mp4", "matroska", "avi"}) {
        TestMovieSpec spec;
        spec.container = container;
        spec.video_codec = std::string(container) == "avi" ? "mjpeg" : "libx264";
        spec.audio_codec = std::string(container) == "avi" ? "pcm_s16le" : "aac";
        const fs::path good = dir.path / ("good." + std::string(container));
        make_test_movie(spec, good);
        const auto size = static_cast<size_t>(fs::file_size(good));
        for (int round = 0; round < 4; ++round) {
            INFO(container << " round " << round);
            std::string bytes(size, '\0');
            std::ifstream(good, std::ios::binary).read(bytes.data(), std::streamsize(size));
            // 0.5% of the bytes past the first kilobyte, set at random.
            std::uniform_int_distribution<size_t> where(1024, size - 1);
            for (size_t hit = 0; hit < size / 200; ++hit)
                bytes[where(random)] = static_cast<char>(random());
            const fs::path damaged = dir.path / "damaged.bin";
            std::ofstream(damaged, std::ios::binary).write(bytes.data(), std::streamsize(size));
            const fs::path output = dir.path / "damaged.mp4";
            const auto result = normalise_movie(damaged, output, small_target());
            CHECK(result.ok == fs::exists(output));
            CHECK((result.ok || !result.reason.empty()));
            CHECK_FALSE(fs::exists(output.string() + ".part"));
            fs::remove(output);
            const MovieFrame frame = extract_frame(damaged, 0.5);
            CHECK((frame.ok || !frame.reason.empty()));
            const TileSheet sheet = build_tile_sheet(damaged, dir.path / "tile.png");
            CHECK(sheet.ok == fs::exists(dir.path / "tile.png"));
            fs::remove(dir.path / "tile.png");
        }
    }
}

TEST_CASE("normalisations run side by side share nothing", "[workers][movie]") {
    TempDir dir;
    make_test_movie({}, dir.path / "source.mp4");
    TestMovieSpec silent;
    silent.container = "matroska";
    silent.audio_codec.clear();
    make_test_movie(silent, dir.path / "silent.mkv");
    NormaliseResult results[4];
    std::vector<std::thread> threads;
    for (int index = 0; index < 4; ++index)
        threads.emplace_back([&, index] {
            const fs::path source = dir.path / (index % 2 ? "silent.mkv" : "source.mp4");
            results[index] =
                normalise_movie(source, dir.path / ("out" + std::to_string(index) + ".mp4"), small_target());
        });
    for (std::thread& thread : threads)
        thread.join();
    for (int index = 0; index < 4; ++index) {
        INFO("run " << index << ": " << results[index].reason);
        CHECK(results[index].ok);
        CHECK(results[index].frame_count == 25);
        CHECK(results[index].silent_audio == (index % 2 == 1));
    }
}
