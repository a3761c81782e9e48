#pragma once
// workers/movie_pictures.h: decoded pictures made into the pictures of a movie preview: the
// RGB conversion, the PNG writer and the tile sheet filled picture by picture (movie_frames.cpp
// reads a file for them; movie_outputs.cpp gives them the pictures of its one decode).
// Private to workers' .cpp files: it names FFmpeg types.

#include "workers/av_handles.h"
#include "workers/movie_frames.h"

#include <cstdint>
#include <filesystem>
#include <vector>

namespace slate::workers {

/// Pictures to 8-bit RGB at any size (bicubic), honouring the picture's colour matrix and
/// range as FFmpeg's scale filter does.
class RgbScaler {
public:
    /// Writes `frame` scaled to width × height into `destination` (rows `stride` apart).
    void scale(const AVFrame* frame, int width, int height, uint8_t* destination, size_t stride);

private:
    av::ScaleContext m_context;
    av::Frame m_rgb;
};

/// Writes packed 8-bit RGB as a PNG with libvips; removes a partial file and throws
/// av::Failure on failure.
void write_png(const std::vector<uint8_t>& pixels, int width, int height, const std::filesystem::path& png);

/// A tile sheet filled as the movie's pictures come, in order: picture n goes into cell
/// n / step when n % step == 0 (Zou's select), stretched to the cell. The sheet grows a row
/// at a time, so the number of rows may be decided at the end.
class TileBuilder {
public:
    /// Cells of `layout` (its step, columns and cell size; at most 480 rows are kept).
    explicit TileBuilder(const TileGeometry& layout);
    const TileGeometry& layout() const { return m_layout; }
    /// Whether picture `index` goes into a cell.
    bool wants(int64_t index) const;
    /// Scales picture `index` into its cell (when wanted).
    void add(int64_t index, const AVFrame* picture);
    /// Writes the sheet of `geometry` (this layout's, with its final rows; cells past it are
    /// dropped, cells not filled stay black) to `png`. Throws av::Failure.
    TileSheet write(const TileGeometry& geometry, const std::filesystem::path& png);

private:
    TileGeometry m_layout;
    RgbScaler m_scaler;
    std::vector<uint8_t> m_pixels; ///< the rows filled so far, black where no cell is
    int64_t m_cells = 0;           ///< cells filled (they fill in order)
};

} // namespace slate::workers
