#pragma once
// workers/movie_normalise.h: Zou's movie normalisation (media.md §4.3-5), in-process with
// FFmpeg's libraries: an uploaded movie of any common container becomes an H.264/AAC MP4 at
// the project's size and frame rate. A movie that cannot be read is an answer with a reason,
// never an exception.

#include "workers/movie_target.h"

#include <cstdint>
#include <filesystem>
#include <string>

namespace slate::workers {

/// What a normalised movie must be: Zou's HD encode (project size, 28 Mb/s) or its LD one
/// (1280 wide, 6 Mb/s), at the project's frame rate.
struct NormaliseTarget {
    int width = 1920, height = 1080;          ///< even, > 0
    FrameRate fps{25, 1};                     ///< output rate (parse_frame_rate of the fps text)
    int64_t video_bitrate = hd_video_bitrate; ///< average bits per second
};

/// Zou's HD target: `size` (movie_target_size) at `fps`, 28 Mb/s.
NormaliseTarget hd_target(MovieSize size, FrameRate fps);
/// Zou's LD target for an HD size: lowdef_size(hd), 6 Mb/s.
NormaliseTarget ld_target(MovieSize hd, FrameRate fps);

struct NormaliseResult {
    bool ok = false;
    std::string reason; ///< why the movie could not be normalised, when !ok
    // Read back from the written file:
    int width = 0, height = 0;
    double duration = 0;       ///< seconds, of the video stream
    int64_t frame_count = 0;   ///< of the video stream
    int64_t file_size = 0;     ///< bytes
    bool silent_audio = false; ///< the input had no (decodable) audio: a silent track was added
};

/// Encodes `input` into the MP4 `output` as Zou's normalisation does:
///  - video: first video stream, de-anamorphosed (`scale=trunc(iw*sar/2)*2:ih`), fitted inside
///    W×H keeping its aspect (even sizes), padded with black to exactly W×H, square pixels,
///    frames dropped or duplicated to the target rate (as `-r`); libx264 preset slow, yuv420p,
///    average bitrate `video_bitrate`, a keyframe every 2 frames, no scene-cut keyframes;
///  - audio: the first audio stream, re-encoded with FFmpeg's AAC encoder at 128 kb/s, same
///    sample rate and channels; without one, a silent 44.1 kHz stereo AAC track as long as
///    the video (Zou's anullsrc + -shortest);
///  - MP4 with the moov first (+faststart), no metadata copied.
/// The file is written under a temporary name beside `output` and renamed when complete:
/// on failure nothing is left at `output` (an existing file there is kept). One call uses
/// every core (FFmpeg's automatic thread counts); calls share no state, so they may run on
/// several TBB workers at once. Never throws.
NormaliseResult normalise_movie(const std::filesystem::path& input, const std::filesystem::path& output,
                                const NormaliseTarget& target);

} // namespace slate::workers
