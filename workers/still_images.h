#pragma once
// workers/still_images.h: VFX stills (EXR, DPX, TIFF, HDR, TGA, PSD, JPEG 2000, WebP, HEIC)
// read with OpenImageIO and turned into display pixels — with the studio's OpenColorIO config
// when one is given, else the plain sRGB transfer for scene-linear images — for Zou's four
// picture variants. Beyond Zou, which keeps these as files without a picture. OpenImageIO's
// and OpenColorIO's headers stay in still_images.cpp.

#include "workers/picture_variants.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace slate::engine {
struct Config;
}

namespace slate::workers {

/// Where the colour of a still comes from (the process's settings, set at start-up).
struct StillSettings {
    std::string ocio_config; ///< $OCIO: the studio's config file; empty: no colour management
    std::string display;     ///< PREVIEW_OCIO_DISPLAY; empty: the config's default display
    std::string view;        ///< PREVIEW_OCIO_VIEW; empty: the display's default view
    std::string input_space; ///< PREVIEW_OCIO_INPUT_SPACE; empty: the file's, else a role
    std::string exr_layer;   ///< PREVIEW_EXR_LAYER: the part or layer shown; empty: the first RGBA
    static StillSettings from(const engine::Config& config);
};

void set_still_settings(StillSettings settings);
StillSettings still_settings();

/// Whether a preview with this (lower-case) extension is a still read by OpenImageIO.
bool is_still_extension(const std::string& extension);

/// A still's display-referred pixels: 8 bits, interleaved, 3 (RGB) or 4 (RGBA) channels.
struct DisplayPixels {
    bool ok = false;
    std::string reason; ///< why the still cannot be shown, when !ok
    int width = 0, height = 0, channels = 0;
    std::vector<uint8_t> pixels;
};

/// Reads a still (the first part's RGBA, or the layer of `settings.exr_layer`) and turns it
/// into display pixels. Pictures above picture_pixel_limit() are refused from their header.
DisplayPixels decode_still(const std::filesystem::path& source, const StillSettings& settings);

/// The four variants of a still, as make_picture_variants makes them for JPEG and PNG.
PictureVariants make_still_variants(const std::filesystem::path& source, const std::filesystem::path& out_dir);

/// The sRGB transfer function (IEC 61966-2-1) of a linear value in [0, 1].
float srgb_encode(float linear);

} // namespace slate::workers
