#pragma once
// workers/picture_variants.h: the pictures Zou makes from an uploaded picture (media.md §3):
// the sRGB original as PNG, a 150×100 and a 100×100 transparent-letterboxed thumbnail and a
// 1200-wide preview, with libvips (Lanczos). A bad picture is an answer, not an exception.

#include <cstdint>
#include <filesystem>
#include <string>

namespace slate::workers {

struct PictureVariants {
    bool ok = false;
    std::string reason; ///< why the picture could not be read, when !ok
    int width = 0, height = 0;
    int64_t file_size = 0; ///< of the original PNG
    std::filesystem::path original, thumbnail, square_thumbnail, preview;
};

/// Pictures above this many pixels are refused from their header, before decoding (a small
/// file can claim 20000×20000 and cost minutes of CPU). Process-wide; set at start-up from
/// MAX_IMAGE_PIXELS.
void set_picture_pixel_limit(int64_t pixels);
int64_t picture_pixel_limit();

/// Reads `source` (any format libvips reads) and writes the four PNGs into `out_dir`.
PictureVariants make_picture_variants(const std::filesystem::path& source, const std::filesystem::path& out_dir);

/// The same from display pixels already in sRGB: 8 bits, interleaved, 3 or 4 channels (the
/// buffer must outlive the call).
PictureVariants make_picture_variants(const uint8_t* pixels, int width, int height, int channels,
                                      const std::filesystem::path& out_dir);

/// A picture fitted on a canvas (avatars, logos, preview background thumbnails).
struct FittedPicture {
    bool ok = false;
    std::string reason;
    int width = 0, height = 0; ///< of the source
};

/// Zou's turn_into_thumbnail: the picture read with libvips (any format it reads), made sRGB
/// RGBA and fitted on a transparent width×height canvas, written as PNG. `hdr_tone_map`: Zou's
/// tone map of a preview background (clamped to [0, 1], gamma 1/2.2). Nothing is left at
/// `png` on failure.
FittedPicture make_fitted_picture(const std::filesystem::path& source, const std::filesystem::path& png, int width,
                                  int height, bool hdr_tone_map = false);

/// Zou's thumbnail.resize(crop=True), a chat picture's thumbnail: the picture in sRGB (its
/// alpha kept), centre-cropped to the width:height ratio and resized to exactly that size,
/// written as PNG. Nothing is left at `png` on failure.
FittedPicture make_cropped_thumbnail(const std::filesystem::path& source, const std::filesystem::path& png, int width,
                                     int height);

/// Zou's turn_into_thumbnail geometry: the size the picture is drawn at inside a W×H canvas,
/// and its offset there. Exposed for tests.
struct Placement {
    int width, height, left, top;
};
Placement thumbnail_placement(int source_width, int source_height, int canvas_width, int canvas_height);

/// Starts libvips once per process (thread-safe, idempotent).
void init_media_libraries();

} // namespace slate::workers
