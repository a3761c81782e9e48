#pragma once
// workers/movie_frames.h: pictures taken from a movie (media.md §4.3-8, §4.3-9, §7): one frame
// (the first-frame thumbnail, the extract-frame route) and the tile sheet the web player
// shows on timeline hover. A movie that cannot be read is an answer with a reason.

#include "workers/movie_target.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace slate::workers {

/// One decoded picture as 8-bit RGB, rows top to bottom.
struct MovieFrame {
    bool ok = false;
    std::string reason;        ///< why no picture could be had, when !ok
    int width = 0, height = 0; ///< the movie's stored picture size
    int channels = 3;          ///< R, G, B
    size_t stride = 0;         ///< bytes per row (width × channels: rows are packed)
    std::vector<uint8_t> pixels;
    double time = 0; ///< seconds from the movie's start of the picture returned
};

/// The seconds Zou seeks to for frame `frame_number` (1-based) at `fps`: (N − 1) / fps, and 0
/// for N ≤ 1 (the route's default N is 0).
double frame_time(int64_t frame_number, FrameRate fps);

/// The first picture of the first video stream whose time is at or after `seconds` (an
/// accurate seek: to the keyframe before, then decoding forward). 0 gives the first picture
/// (Zou's thumbnail source, §4.3-8). A time past the last picture → ok=false. Thread-safe.
MovieFrame extract_frame(const std::filesystem::path& movie, double seconds);

/// A PNG written from a movie.
struct MoviePicture {
    bool ok = false;
    std::string reason;
    int width = 0, height = 0;
    int64_t file_size = 0;
};

/// extract_frame, written as an RGB PNG to `png` with libvips (make_picture_variants can
/// then take it). Nothing is left at `png` on failure.
MoviePicture extract_frame_png(const std::filesystem::path& movie, double seconds, const std::filesystem::path& png);

/// The tile sheet's layout (§4.3-9): 8 columns of cells 100 px high and ceil(100 · DAR) wide;
/// rows = min(ceil(frames / 8), 480); past 3840 frames only every step-th frame is used.
struct TileGeometry {
    int64_t frames = 0; ///< floor(duration · fps): pictures in the movie
    int columns = 8;
    int rows = 0;
    int cell_width = 0, cell_height = 100;
    int64_t step = 1; ///< frame n goes into cell n / step when n % step == 0
    int width() const { return columns * cell_width; }
    int height() const { return rows * cell_height; }
};

/// Zou's tile geometry for a movie of `duration` seconds at `fps` (the real rate: Zou's use
/// of r_frame_rate's numerator alone is not reproduced, so the tile covers the whole movie)
/// and display aspect ratio `display_aspect` (width · SAR : height).
TileGeometry tile_geometry(double duration, double fps, Rational display_aspect);

struct TileSheet {
    bool ok = false;
    std::string reason;
    TileGeometry geometry;
    int64_t frames_used = 0; ///< cells filled; the others stay black
    int64_t file_size = 0;
};

/// Decodes `movie` once, front to back (no seeks), scales each used picture to its cell
/// (stretched to the cell, as Zou's scale=W:100) and writes the RGB sheet to `png` with
/// libvips. Nothing is left at `png` on failure. Thread-safe.
TileSheet build_tile_sheet(const std::filesystem::path& movie, const std::filesystem::path& png);

} // namespace slate::workers
