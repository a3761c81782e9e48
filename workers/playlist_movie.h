#pragma once
// workers/playlist_movie.h: one MP4 made of a playlist's movies, end to end (media.md §10),
// with FFmpeg's libraries in-process.
//
// Zou re-encodes every build (ffmpeg's concat demuxer with filters, else the concat filter).
// The movies of a playlist are normalised previews of one project: same codec, size, rate
// and x264 settings, so Slate copies their H.264 packets one after the other and only
// re-encodes the sound (continuous AAC, each movie's sound padded or cut to its picture's
// length so they stay in sync). A movie that does not match the others (another size, an
// entity's own resolution, a foreign encoder) is first normalised to the target, as every
// preview is; the result is the same movie Zou's concat filter makes, without the generation
// loss and in a fraction of the time.

#include "workers/movie_normalise.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace slate::workers {

struct PlaylistMovieResult {
    bool ok = false;
    std::string reason;        ///< why the movie could not be built, when !ok
    double duration = 0;       ///< seconds of picture written
    int64_t frame_count = 0;   ///< pictures written
    int width = 0, height = 0; ///< of the written movie
    int64_t file_size = 0;     ///< bytes
    int normalised_inputs = 0; ///< inputs that had to be normalised before joining
};

/// Joins `inputs` (in order) into the MP4 `output`. Inputs whose picture stream does not
/// match `target` (H.264 yuv420p at the target size and rate, square pixels) or the other
/// inputs' encoder settings are normalised to `target` in `scratch_dir` first (removed
/// after); with `normalise_all`, every input is. Sound: each input's first audio stream, or
/// silence, as 48 kHz stereo AAC at 128 kb/s. Written under a temporary name and renamed
/// when complete; never throws.
PlaylistMovieResult build_playlist_movie(const std::vector<std::filesystem::path>& inputs,
                                         const std::filesystem::path& output, const NormaliseTarget& target,
                                         const std::filesystem::path& scratch_dir, bool normalise_all = false);

} // namespace slate::workers
