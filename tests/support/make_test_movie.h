#pragma once
// tests/support/make_test_movie.h: real movies for the movie tests and the benchmark, made
// in-process from FFmpeg's lavfi sources (testsrc2 for the picture, sine for the sound) and
// encoded with the libraries' own encoders: no fixture files, no ffmpeg binary.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace slate::test {

struct TestMovieSpec {
    int width = 320, height = 180;
    int fps_num = 25, fps_den = 1;
    double seconds = 1.0;
    std::string container = "mp4";       ///< FFmpeg muxer: mp4, mov, matroska, webm, avi
    std::string video_codec = "libx264"; ///< FFmpeg encoder: libx264, mpeg4, mjpeg, libvpx…
    std::string audio_codec = "aac";     ///< aac, pcm_s16le, libvorbis, libopus…; empty: none
    int audio_sample_rate = 48000;       ///< a mono 440 Hz sine
    int sar_num = 1, sar_den = 1;        ///< pixel shape written in the stream (4:3: anamorphic)
    bool variable_frame_rate = false;    ///< drop every third frame: timestamps with gaps
    bool faststart = false;              ///< mp4/mov: moov before mdat
    int rotation = 0;                    ///< degrees clockwise in the display matrix (a phone's portrait: 90)
    int64_t video_bitrate = 2'000'000;
};

/// Writes the movie `spec` describes to `path`. Throws std::runtime_error naming what failed
/// (tests and benchmarks only).
void make_test_movie(const TestMovieSpec& spec, const std::filesystem::path& path);

/// The key flag of every packet of the first video stream of `path`, in file order.
std::vector<bool> video_key_flags(const std::filesystem::path& path);

/// A picture as packed 8-bit RGB, rows top to bottom.
struct RgbPicture {
    int width = 0, height = 0;
    std::vector<uint8_t> pixels;
    const uint8_t* at(int x, int y) const { return pixels.data() + (size_t(y) * width + x) * 3; }
};

/// Picture `index` (0-based) of the testsrc2 source `spec` describes, before any encoding,
/// through the lavfi `filters` when given ("scale=178:100", "transpose=clock").
RgbPicture test_source_frame(const TestMovieSpec& spec, int64_t index, const std::string& filters = {});

/// A PNG decoded with FFmpeg's PNG decoder (RGB or RGBA files), as packed RGB.
RgbPicture read_png(const std::filesystem::path& path);

/// Mean absolute difference per byte of two same-sized pictures (a crop of `b` at x, y).
double mean_difference(const RgbPicture& a, const RgbPicture& b, int x = 0, int y = 0);

/// Seconds of sound in the first audio stream of `path` (its packets' durations summed); 0
/// without one.
double audio_seconds(const std::filesystem::path& path);

/// Byte offset of the first top-level MP4 atom of `type` ("moov", "mdat") in `path`, or -1.
int64_t mp4_atom_offset(const std::filesystem::path& path, const std::string& type);

} // namespace slate::test
