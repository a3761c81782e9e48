#pragma once
// workers/picture_pdf.h: pictures as the pages of a PDF (the extract-annotated-frames-pdf
// route): one page per picture, at 150 dpi as Zou's Pillow writes them, each picture kept
// as a JPEG (DCTDecode), as Pillow does for RGB pages.

#include <filesystem>
#include <string>
#include <vector>

namespace slate::workers {

struct PicturePdf {
    bool ok = false;
    std::string reason;
    int pages = 0;
};

/// Writes `pictures` (any format libvips reads), in order, as the pages of the PDF `output`.
/// Never throws.
PicturePdf write_pictures_pdf(const std::vector<std::filesystem::path>& pictures, const std::filesystem::path& output,
                              double dots_per_inch = 150);

} // namespace slate::workers
