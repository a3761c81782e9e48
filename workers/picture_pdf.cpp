// workers/picture_pdf.cpp: a PDF of JPEG pages (picture_pdf.h), written by hand: the format
// needs a catalog, a page tree, one page, content stream and image object per picture, and
// the cross-reference table of their offsets.
#include "workers/picture_pdf.h"

#include "workers/picture_variants.h"

#include "workers/vips_handles.h"

#include <cstdio>
#include <fstream>
#include <memory>

namespace fs = std::filesystem;

namespace slate::workers {
namespace {

struct JpegPage {
    std::string bytes;
    int width = 0, height = 0;
};

/// The picture as an 8-bit sRGB JPEG, quality 90 (alpha flattened on white paper).
bool jpeg_of(const fs::path& picture, JpegPage& page, std::string& reason) {
    using vips::Image;
    auto fail = [&](const std::string& what) {
        reason = vips::reason(what);
        return false;
    };
    Image loaded(vips_image_new_from_file(picture.c_str(), "access", VIPS_ACCESS_SEQUENTIAL, nullptr));
    if (!loaded)
        return fail("a page cannot be read");
    VipsImage* step = nullptr;
    if (vips_colourspace(loaded.get(), &step, VIPS_INTERPRETATION_sRGB, nullptr) != 0)
        return fail("a page cannot be converted to sRGB");
    Image srgb(step);
    if (vips_image_hasalpha(srgb.get())) {
        VipsArrayDouble* white = vips_array_double_newv(3, 255.0, 255.0, 255.0);
        const int failed = vips_flatten(srgb.get(), &step, "background", white, nullptr);
        vips_area_unref(VIPS_AREA(white));
        if (failed != 0)
            return fail("a page cannot be flattened");
        srgb.reset(step);
    }
    if (vips_cast(srgb.get(), &step, VIPS_FORMAT_UCHAR, nullptr) != 0)
        return fail("a page cannot be converted");
    Image bytes(step);
    void* buffer = nullptr;
    size_t length = 0;
    if (vips_jpegsave_buffer(bytes.get(), &buffer, &length, "Q", 90, "strip", TRUE, nullptr) != 0)
        return fail("a page cannot be compressed");
    page.bytes.assign(static_cast<const char*>(buffer), length);
    g_free(buffer);
    page.width = bytes->Xsize;
    page.height = bytes->Ysize;
    return true;
}

std::string number(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.2f", value);
    return text;
}

} // namespace

PicturePdf write_pictures_pdf(const std::vector<fs::path>& pictures, const fs::path& output, double dots_per_inch) {
    init_media_libraries();
    PicturePdf result;
    if (pictures.empty()) {
        result.reason = "a PDF needs at least one page";
        return result;
    }
    std::vector<JpegPage> pages(pictures.size());
    for (size_t i = 0; i < pictures.size(); ++i)
        if (!jpeg_of(pictures[i], pages[i], result.reason))
            return result;

    std::ofstream out(output, std::ios::binary | std::ios::trunc);
    std::vector<std::streamoff> offsets; // of objects 1..n
    auto begin_object = [&] {
        offsets.push_back(out.tellp());
        out << offsets.size() << " 0 obj\n";
    };
    out << "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
    begin_object(); // 1: catalog
    out << "<< /Type /Catalog /Pages 2 0 R >>\nendobj\n";
    begin_object(); // 2: page tree; pages are objects 3 + 3i, their content 4 + 3i, image 5 + 3i
    out << "<< /Type /Pages /Count " << pages.size() << " /Kids [";
    for (size_t i = 0; i < pages.size(); ++i)
        out << ' ' << 3 + 3 * i << " 0 R";
    out << " ] >>\nendobj\n";
    for (size_t i = 0; i < pages.size(); ++i) {
        const JpegPage& page = pages[i];
        const std::string width = number(page.width * 72.0 / dots_per_inch);
        const std::string height = number(page.height * 72.0 / dots_per_inch);
        begin_object();
        out << "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " << width << ' ' << height
            << "] /Resources << /XObject << /Im0 " << 5 + 3 * i << " 0 R >> >> /Contents " << 4 + 3 * i
            << " 0 R >>\nendobj\n";
        const std::string content = "q " + width + " 0 0 " + height + " 0 0 cm /Im0 Do Q\n";
        begin_object();
        out << "<< /Length " << content.size() << " >>\nstream\n" << content << "endstream\nendobj\n";
        begin_object();
        out << "<< /Type /XObject /Subtype /Image /Width " << page.width << " /Height " << page.height
            << " /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length " << page.bytes.size()
            << " >>\nstream\n";
        out.write(page.bytes.data(), static_cast<std::streamsize>(page.bytes.size()));
        out << "\nendstream\nendobj\n";
    }
    const std::streamoff xref = out.tellp();
    out << "xref\n0 " << offsets.size() + 1 << "\n0000000000 65535 f \n";
    for (const std::streamoff offset : offsets) {
        char line[24];
        std::snprintf(line, sizeof line, "%010lld 00000 n \n", static_cast<long long>(offset));
        out << line;
    }
    out << "trailer\n<< /Size " << offsets.size() + 1 << " /Root 1 0 R >>\nstartxref\n" << xref << "\n%%EOF\n";
    out.close();
    if (!out) {
        result.reason = "the PDF cannot be written";
        std::error_code ignored;
        fs::remove(output, ignored);
        return result;
    }
    result.ok = true;
    result.pages = static_cast<int>(pages.size());
    return result;
}

} // namespace slate::workers
