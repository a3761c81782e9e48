#pragma once
// workers/movie_probe.h: what a movie file holds (media.md §4.3-2 and -7: size, duration,
// frame rate, audio), read with FFmpeg's libraries in-process. A file that is no movie, or a
// truncated one, is an answer with a reason, never an exception.

#include "workers/movie_target.h"

#include <cstdint>
#include <filesystem>
#include <string>

namespace slate::workers {

struct MovieProbe {
    bool ok = false;
    std::string reason; ///< why the file is not a readable movie, when !ok

    std::string container;               ///< FFmpeg's demuxer name ("mov,mp4,m4a,3gp,3g2,mj2", "avi", …)
    int64_t file_size = 0;               ///< bytes
    int width = 0, height = 0;           ///< stored picture size of the first video stream (Zou's
                                         ///< ffprobe width/height: not turned by `rotation`)
    double rotation = 0;                 ///< degrees clockwise the pictures are shown turned (0, 90, …)
    Rational sample_aspect_ratio{1, 1};  ///< pixel shape; 1:1 when the file does not say
    Rational display_aspect_ratio{0, 1}; ///< width·SAR : height, reduced (16:9)
    double duration = 0;                 ///< seconds: the video stream's duration, else the container's
    int64_t frame_count = 0;             ///< the stream's frame count, else duration × fps rounded
    bool frame_count_estimated = false;
    FrameRate frame_rate{0, 1}; ///< the stream's r_frame_rate (its base rate)
    double fps = 0;             ///< frame_rate as a number
    std::string video_codec;    ///< "h264", "mpeg4", …
    std::string pixel_format;   ///< "yuv420p", …
    bool has_audio = false;
    std::string audio_codec; ///< of the first audio stream, when has_audio
    int audio_sample_rate = 0;
    int audio_channels = 0;
};

/// Reads the container and the first video stream of `path` (cover art is not a video
/// stream). ok=false with a reason for a missing file, a file that is no movie, a file
/// without a video stream, or a truncated one (its index or its declared duration reaches
/// past what can be read). Thread-safe; reads only the header, the index and the last
/// seconds of the file.
MovieProbe probe_movie(const std::filesystem::path& path);

} // namespace slate::workers
