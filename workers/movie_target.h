#pragma once
// workers/movie_target.h: the size and frame rate a movie upload is normalised to, as Zou
// computes them (media.md §4.2: get_preview_file_dimensions, get_preview_file_fps), and the
// low-definition canvas of §4.3-5. Pure functions: no FFmpeg, no I/O.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace slate::workers {

/// A ratio of two integers: a frame rate (frames per second = num / den, 24000/1001 for
/// 23.976) or an aspect ratio.
struct Rational {
    int num = 0;
    int den = 1;
    double value() const { return den > 0 ? double(num) / double(den) : 0.0; }
    bool operator==(const Rational&) const = default;
};
using FrameRate = Rational;

/// A picture size in pixels.
struct MovieSize {
    int width = 0;
    int height = 0;
    bool operator==(const MovieSize&) const = default;
};

/// Zou's average video bitrates (bits per second) of the HD and LD encodes.
constexpr int64_t hd_video_bitrate = 28'000'000;
constexpr int64_t ld_video_bitrate = 6'000'000;

/// The resolution text Zou uses: the entity's `data.resolution` when it is a full `WxH`
/// (3 or 4 digits each), else the project's `resolution` column.
std::string_view pick_resolution(std::string_view entity_resolution, std::string_view project_resolution);

/// Zou's HD target size from a resolution text: `WxH` gives both; `xH` gives the height only;
/// anything else gives height 1080. A missing width is floor(source_w / source_h · height).
/// Both are then rounded up to even. Width is 0 when it must come from the source and the
/// source size is unknown (0): the caller must then give up.
MovieSize movie_target_size(std::string_view resolution, int source_width, int source_height);

/// Zou's LD canvas for an HD target W×H: 1280 × floor(H / W · 1280), the height rounded up
/// to even. {0, 0} for an empty HD size.
MovieSize lowdef_size(MovieSize hd);

/// Zou's fps text: the entity's `data.fps` when not empty, else the project's `fps`
/// (default "25"), a decimal comma read as a point, written with 3 decimals ("23,976" →
/// "23.976", "25" → "25.000"). Text that is no positive number gives "25.000" (Zou would
/// fail the upload; Slate keeps the default).
std::string movie_fps_text(std::string_view project_fps, std::string_view entity_fps = {});

/// Reads an fps text ("25.000", "23.976", "29,97", "24000/1001") as a rational. Rates that
/// are an NTSC rate written with 2 or 3 decimals (23.976, 29.97, 59.94, 47.952, 119.88)
/// become N·1000/1001; others become the exact decimal, reduced (12.5 → 25/2). nullopt for
/// text that is no rate in (0, 1000].
std::optional<FrameRate> parse_frame_rate(std::string_view text);

} // namespace slate::workers
