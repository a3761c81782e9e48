#include "workers/picture_variants.h"

#include "workers/vips_handles.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <memory>
#include <mutex>

namespace fs = std::filesystem;

namespace slate::workers {
namespace {

using vips::Image;

/// sRGB, with an alpha band (every variant Zou writes is RGBA; the original keeps its mode).
bool to_srgb(VipsImage* in, Image& out) {
    VipsImage* result = nullptr;
    if (vips_image_get_typeof(in, VIPS_META_ICC_NAME)) {
        // Honour an embedded profile; a broken one is ignored, as Zou does.
        if (vips_icc_transform(in, &result, "srgb", "embedded", TRUE, nullptr) == 0) {
            out.reset(result);
            return true;
        }
        vips_error_clear();
    }
    if (vips_colourspace(in, &result, VIPS_INTERPRETATION_sRGB, nullptr) != 0)
        return false;
    out.reset(result);
    return true;
}

bool with_alpha(VipsImage* in, Image& out) {
    VipsImage* result = nullptr;
    if (vips_image_hasalpha(in)) {
        g_object_ref(in);
        out.reset(in);
        return true;
    }
    if (vips_addalpha(in, &result, nullptr) != 0)
        return false;
    out.reset(result);
    return true;
}

bool resize_to(VipsImage* in, int width, int height, Image& out) {
    VipsImage* result = nullptr;
    const double h_scale = double(width) / in->Xsize;
    const double v_scale = double(height) / in->Ysize;
    if (vips_resize(in, &result, h_scale, "vscale", v_scale, "kernel", VIPS_KERNEL_LANCZOS3, nullptr) != 0)
        return false;
    out.reset(result);
    return true;
}

bool save_png(VipsImage* image, const fs::path& path) {
    return vips_pngsave(image, path.c_str(), "strip", TRUE, nullptr) == 0;
}

/// Zou's turn_into_thumbnail: the picture fitted on a transparent W×H canvas (an RGBA PNG).
bool letterbox(VipsImage* rgba, int canvas_w, int canvas_h, const fs::path& path) {
    const Placement place = thumbnail_placement(rgba->Xsize, rgba->Ysize, canvas_w, canvas_h);
    Image resized, framed;
    VipsImage* embedded = nullptr;
    double transparent[] = {0, 0, 0, 0};
    VipsArrayDouble* background = vips_array_double_new(transparent, 4);
    const bool done = resize_to(rgba, place.width, place.height, resized) &&
                      vips_embed(resized.get(), &embedded, place.left, place.top, canvas_w, canvas_h, "extend",
                                 VIPS_EXTEND_BACKGROUND, "background", background, nullptr) == 0;
    vips_area_unref(VIPS_AREA(background));
    if (!done)
        return false;
    framed.reset(embedded);
    return save_png(framed.get(), path);
}

/// Zou's HDR tone map: values clamped to [0, 1], gamma 1/2.2, scaled to 8 bits. Radiance
/// values are never negative, and the cast to 8 bits clips what passes 1: the clamp.
bool tone_map(VipsImage* in, Image& out) {
    VipsImage *decoded = nullptr, *floats = nullptr, *curved = nullptr, *scaled = nullptr, *bytes = nullptr;
    Image radiance, a, c, d;
    if (in->Coding == VIPS_CODING_RAD) { // Radiance files load packed: unpack to floats
        if (vips_rad2float(in, &decoded, nullptr) != 0)
            return false;
        radiance.reset(decoded);
        in = radiance.get();
    }
    if (vips_cast(in, &floats, VIPS_FORMAT_FLOAT, nullptr) != 0)
        return false;
    a.reset(floats);
    if (vips_math2_const1(a.get(), &curved, VIPS_OPERATION_MATH2_POW, 1.0 / 2.2, nullptr) != 0)
        return false;
    c.reset(curved);
    if (vips_linear1(c.get(), &scaled, 255.0, 0.0, nullptr) != 0)
        return false;
    d.reset(scaled);
    if (vips_cast(d.get(), &bytes, VIPS_FORMAT_UCHAR, nullptr) != 0)
        return false;
    out.reset(bytes);
    // The result is display-referred sRGB: say so, so that no colour conversion follows.
    out->Type = VIPS_INTERPRETATION_sRGB;
    return true;
}

std::atomic<int64_t> g_pixel_limit{178956970};

/// The reason to refuse a picture whose header claims more pixels than the limit, or "".
std::string too_large(const VipsImage* image) {
    const int64_t pixels = int64_t(image->Xsize) * int64_t(image->Ysize);
    if (pixels <= g_pixel_limit.load(std::memory_order_relaxed))
        return "";
    return "the picture is too large (" + std::to_string(image->Xsize) + "x" + std::to_string(image->Ysize) +
           " pixels; the limit is " + std::to_string(g_pixel_limit.load()) + " pixels)";
}

/// A picture read (refused from its header above the pixel limit) and made sRGB, or tone-mapped
/// as a preview background is: `colour` and the source's size, or false with `reason`.
bool read_colour(const fs::path& source, VipsAccess access, bool hdr_tone_map, Image& colour, int& width,
                 int& height, std::string& reason) {
    Image loaded(vips_image_new_from_file(source.c_str(), "access", access, "fail_on", VIPS_FAIL_ON_TRUNCATED,
                                          nullptr));
    if (!loaded) {
        reason = vips::reason("the picture cannot be read");
        return false;
    }
    if (reason = too_large(loaded.get()); !reason.empty())
        return false;
    if (hdr_tone_map ? !tone_map(loaded.get(), colour) : !to_srgb(loaded.get(), colour)) {
        reason = vips::reason("the picture cannot be converted to sRGB");
        return false;
    }
    width = loaded->Xsize;
    height = loaded->Ysize;
    return true;
}

} // namespace

void set_picture_pixel_limit(int64_t pixels) {
    g_pixel_limit = pixels > 0 ? pixels : 178956970;
}

int64_t picture_pixel_limit() {
    return g_pixel_limit;
}

FittedPicture make_fitted_picture(const fs::path& source, const fs::path& png, int width, int height,
                                  bool hdr_tone_map) {
    init_media_libraries();
    FittedPicture result;
    Image colour;
    if (!read_colour(source, VIPS_ACCESS_SEQUENTIAL, hdr_tone_map, colour, result.width, result.height,
                     result.reason))
        return result;
    Image rgba;
    if (!with_alpha(colour.get(), rgba)) {
        result.reason = vips::reason("the picture cannot get an alpha band");
        return result;
    }
    if (!letterbox(rgba.get(), width, height, png)) {
        std::error_code ignored;
        fs::remove(png, ignored);
        result.reason = vips::reason("the picture cannot be decoded");
        return result;
    }
    result.ok = true;
    return result;
}

FittedPicture make_cropped_thumbnail(const fs::path& source, const fs::path& png, int width, int height) {
    init_media_libraries();
    FittedPicture result;
    Image colour;
    if (!read_colour(source, VIPS_ACCESS_RANDOM, false, colour, result.width, result.height, result.reason))
        return result;
    // prepare_image_for_thumbnail: a band off the top and bottom of a picture too tall, off the
    // sides of one too wide, centred, with Zou's rounding.
    const double original_ratio = double(result.width) / result.height, target_ratio = double(width) / height;
    int left = 0, top = 0, crop_w = result.width, crop_h = result.height;
    if (target_ratio > original_ratio) {
        crop_h = static_cast<int>(std::floor(result.height / (target_ratio / original_ratio)));
        top = (result.height - crop_h) / 2;
    } else {
        crop_w = static_cast<int>(std::ceil(result.width / (original_ratio / target_ratio)));
        left = (result.width - crop_w) / 2;
    }
    Image cropped, resized;
    VipsImage* area = nullptr;
    const bool done = vips_crop(colour.get(), &area, left, top, std::max(crop_w, 1), std::max(crop_h, 1), nullptr) == 0;
    if (done)
        cropped.reset(area);
    if (!done || !resize_to(cropped.get(), width, height, resized) || !save_png(resized.get(), png)) {
        std::error_code ignored;
        fs::remove(png, ignored);
        result.reason = vips::reason("the picture cannot be decoded");
        return result;
    }
    result.ok = true;
    return result;
}

void init_media_libraries() {
    static std::once_flag once;
    std::call_once(once, [] {
        VIPS_INIT("slate");
        vips_concurrency_set(1); // the worker pool gives parallelism; one thread per job
        // No operation cache: it is keyed by file name, and an upload may reuse a temporary
        // name with new content (a retried upload); a cached image of a file since rewritten
        // would be served stale, or fault (SIGBUS) on its truncated mapping.
        vips_cache_set_max(0);
    });
}

Placement thumbnail_placement(int w, int h, int canvas_w, int canvas_h) {
    // (a) smaller both ways: stretched to the canvas first.
    if (w < canvas_w && h < canvas_h) {
        w = canvas_w;
        h = canvas_h;
    }
    // (b) another ratio: fit to the canvas height, or its width when that overflows.
    const double ratio = double(w) / double(h);
    if (std::abs(ratio - double(canvas_w) / double(canvas_h)) > 1e-9) {
        int fitted_w = static_cast<int>(std::ceil(canvas_h * ratio));
        int fitted_h = canvas_h;
        if (fitted_w > canvas_w) {
            fitted_w = canvas_w;
            fitted_h = static_cast<int>(std::ceil(canvas_w / ratio));
        }
        w = fitted_w;
        h = fitted_h;
    }
    // (c) shrink-only into the canvas, keeping the ratio.
    if (w > canvas_w || h > canvas_h) {
        const double scale = std::min(double(canvas_w) / w, double(canvas_h) / h);
        w = std::max(1, static_cast<int>(std::round(w * scale)));
        h = std::max(1, static_cast<int>(std::round(h * scale)));
    }
    // (d) centred.
    return {w, h, (canvas_w - w) / 2, (canvas_h - h) / 2};
}

namespace {

/// The four variants of an sRGB picture: its PNG original, the two thumbnails and the preview.
PictureVariants variants_of(VipsImage* srgb, const fs::path& out_dir) {
    PictureVariants result;
    fs::create_directories(out_dir);
    result.original = out_dir / "original.png";
    // Writing the original decodes every pixel: a truncated file fails here.
    if (!save_png(srgb, result.original)) {
        result.reason = vips::reason("the picture cannot be decoded");
        return result;
    }
    result.width = srgb->Xsize;
    result.height = srgb->Ysize;
    result.file_size = static_cast<int64_t>(fs::file_size(result.original));

    Image rgba;
    if (!with_alpha(srgb, rgba)) {
        result.reason = vips::reason("the picture cannot get an alpha band");
        return result;
    }
    auto letterboxed = [&](int canvas_w, int canvas_h, const fs::path& path) {
        return letterbox(rgba.get(), canvas_w, canvas_h, path);
    };
    result.thumbnail = out_dir / "thumbnail.png";
    result.square_thumbnail = out_dir / "thumbnail-square.png";
    result.preview = out_dir / "preview.png";
    Image preview;
    const int preview_height = static_cast<int>(std::ceil(1200.0 * rgba->Ysize / static_cast<double>(rgba->Xsize)));
    if (!letterboxed(150, 100, result.thumbnail) || !letterboxed(100, 100, result.square_thumbnail) ||
        !resize_to(rgba.get(), 1200, preview_height, preview) || !save_png(preview.get(), result.preview)) {
        result.reason = vips::reason("the picture's variants cannot be made");
        return result;
    }
    result.ok = true;
    return result;
}

} // namespace

PictureVariants make_picture_variants(const fs::path& source, const fs::path& out_dir) {
    init_media_libraries();
    PictureVariants result;
    Image srgb;
    int width = 0, height = 0;
    if (!read_colour(source, VIPS_ACCESS_RANDOM, false, srgb, width, height, result.reason))
        return result;
    return variants_of(srgb.get(), out_dir);
}

PictureVariants make_picture_variants(const uint8_t* pixels, int width, int height, int channels,
                                      const fs::path& out_dir) {
    init_media_libraries();
    Image wrapped(vips_image_new_from_memory(pixels, size_t(width) * size_t(height) * size_t(channels), width, height,
                                             channels, VIPS_FORMAT_UCHAR));
    if (!wrapped) {
        PictureVariants result;
        result.reason = vips::reason("the picture cannot be made from its pixels");
        return result;
    }
    wrapped->Type = VIPS_INTERPRETATION_sRGB;
    return variants_of(wrapped.get(), out_dir);
}

} // namespace slate::workers
