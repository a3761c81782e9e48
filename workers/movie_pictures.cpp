// workers/movie_pictures.cpp: RGB conversion, PNG writing and the tile sheet (movie_pictures.h).
#include "workers/movie_pictures.h"

#include "workers/picture_variants.h"
#include "workers/vips_handles.h"

#include <vips/vips.h>

#include <algorithm>
#include <cstring>
#include <system_error>

namespace fs = std::filesystem;

namespace slate::workers {
namespace {

constexpr int64_t max_tile_rows = 480;

/// The deprecated "J" formats are their plain twin in full range.
AVPixelFormat plain_format(int format, bool& full_range) {
    const AVPixelFormat pairs[][2] = {{AV_PIX_FMT_YUVJ420P, AV_PIX_FMT_YUV420P},
                                      {AV_PIX_FMT_YUVJ422P, AV_PIX_FMT_YUV422P},
                                      {AV_PIX_FMT_YUVJ444P, AV_PIX_FMT_YUV444P},
                                      {AV_PIX_FMT_YUVJ440P, AV_PIX_FMT_YUV440P},
                                      {AV_PIX_FMT_YUVJ411P, AV_PIX_FMT_YUV411P}};
    for (const auto& pair : pairs)
        if (format == pair[0]) {
            full_range = true;
            return pair[1];
        }
    return static_cast<AVPixelFormat>(format);
}

} // namespace

void RgbScaler::scale(const AVFrame* frame, int width, int height, uint8_t* destination, size_t stride) {
    bool full_range = frame->color_range == AVCOL_RANGE_JPEG;
    const AVPixelFormat format = plain_format(frame->format, full_range);
    SwsContext* context = sws_getCachedContext(
        m_context.release(), frame->width, frame->height, format, width, height, AV_PIX_FMT_RGB24,
        SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT, nullptr, nullptr, nullptr);
    if (!context)
        throw av::Failure("the picture cannot be converted to RGB");
    m_context.reset(context);
    sws_setColorspaceDetails(context, sws_getCoefficients(frame->colorspace), full_range,
                             sws_getCoefficients(SWS_CS_DEFAULT), 1, 0, 1 << 16, 1 << 16);
    // Into an aligned buffer first (swscale's fast paths want one), then row by row.
    if (!m_rgb || m_rgb->width != width || m_rgb->height != height) {
        m_rgb = av::make_frame();
        m_rgb->format = AV_PIX_FMT_RGB24;
        m_rgb->width = width;
        m_rgb->height = height;
        av::check(av_frame_get_buffer(m_rgb.get(), 0), "picture buffer");
    }
    av::check(sws_scale(context, frame->data, frame->linesize, 0, frame->height, m_rgb->data, m_rgb->linesize),
              "the picture cannot be converted to RGB");
    for (int row = 0; row < height; ++row)
        std::memcpy(destination + row * stride, m_rgb->data[0] + row * m_rgb->linesize[0], size_t(width) * 3);
}

/// Writes packed 8-bit RGB as a PNG with libvips; removes a partial file on failure.
void write_png(const std::vector<uint8_t>& pixels, int width, int height, const fs::path& png) {
    init_media_libraries();
    VipsImage* image = vips_image_new_from_memory(pixels.data(), pixels.size(), width, height, 3, VIPS_FORMAT_UCHAR);
    const int code = image ? vips_pngsave(image, png.c_str(), "strip", TRUE, nullptr) : -1;
    if (image)
        g_object_unref(image);
    if (code != 0) {
        std::error_code ignored;
        fs::remove(png, ignored);
        throw av::Failure(vips::reason("the PNG cannot be written"));
    }
}

TileBuilder::TileBuilder(const TileGeometry& layout) : m_layout(layout) {
    if (m_layout.step < 1)
        m_layout.step = 1;
}

bool TileBuilder::wants(int64_t index) const {
    return index % m_layout.step == 0 && index / m_layout.step < max_tile_rows * m_layout.columns &&
           m_layout.cell_width > 0;
}

void TileBuilder::add(int64_t index, const AVFrame* picture) {
    if (!wants(index))
        return;
    const int64_t cell = index / m_layout.step;
    const size_t stride = size_t(m_layout.width()) * 3;
    const size_t row = size_t(cell / m_layout.columns), column = size_t(cell % m_layout.columns);
    const size_t row_bytes = stride * size_t(m_layout.cell_height);
    if (m_pixels.size() < (row + 1) * row_bytes)
        m_pixels.resize((row + 1) * row_bytes, 0); // black
    uint8_t* corner = m_pixels.data() + row * row_bytes + column * size_t(m_layout.cell_width) * 3;
    m_scaler.scale(picture, m_layout.cell_width, m_layout.cell_height, corner, stride);
    m_cells = std::max(m_cells, cell + 1);
}

TileSheet TileBuilder::write(const TileGeometry& geometry, const fs::path& png) {
    if (geometry.rows <= 0 || geometry.cell_width != m_layout.cell_width || geometry.step != m_layout.step ||
        geometry.columns != m_layout.columns || geometry.cell_height != m_layout.cell_height)
        throw av::Failure("the tile sheet's layout changed");
    TileSheet sheet;
    sheet.geometry = geometry;
    sheet.frames_used = std::min<int64_t>(m_cells, int64_t(geometry.rows) * geometry.columns);
    if (sheet.frames_used == 0)
        throw av::Failure("no picture of the movie can be decoded");
    m_pixels.resize(size_t(geometry.width()) * 3 * size_t(geometry.height()), 0);
    write_png(m_pixels, geometry.width(), geometry.height(), png);
    sheet.file_size = static_cast<int64_t>(fs::file_size(png));
    sheet.ok = true;
    return sheet;
}

} // namespace slate::workers
