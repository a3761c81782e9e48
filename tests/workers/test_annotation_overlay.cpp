// tests/workers/test_annotation_overlay.cpp: Kitsu's fabric.js annotations burnt into
// pictures: placed where Zou's renderer places them, drawn in their colours, hostile input
// kept harmless; pictures bound into a PDF.
#include <catch2/catch.hpp>

#include "support/make_test_movie.h"
#include "support/test_media.h"
#include "workers/annotation_overlay.h"
#include "workers/picture_pdf.h"
#include "workers/picture_variants.h"

#include <Poco/JSON/Parser.h>
#include <vips/vips.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using namespace slate::workers;

namespace {

struct Scratch {
    fs::path path;
    Scratch() {
        char pattern[] = "/tmp/slate-annotation-XXXXXX";
        path = mkdtemp(pattern);
    }
    ~Scratch() { fs::remove_all(path); }
};

/// A white RGB PNG of that size.
fs::path white_png(const fs::path& dir, int width, int height) {
    init_media_libraries();
    VipsImage* black = nullptr;
    VipsImage* white = nullptr;
    VipsImage* bytes = nullptr;
    REQUIRE(vips_black(&black, width, height, "bands", 3, nullptr) == 0);
    REQUIRE(vips_linear1(black, &white, 1.0, 255.0, nullptr) == 0);
    REQUIRE(vips_cast(white, &bytes, VIPS_FORMAT_UCHAR, nullptr) == 0);
    const fs::path path = dir / ("white-" + std::to_string(width) + "x" + std::to_string(height) + ".png");
    REQUIRE(vips_pngsave(bytes, path.c_str(), nullptr) == 0);
    g_object_unref(bytes);
    g_object_unref(white);
    g_object_unref(black);
    return path;
}

Poco::JSON::Object::Ptr annotation(const std::string& objects) {
    return Poco::JSON::Parser()
        .parse(R"({"time": 0, "drawing": {"objects": )" + objects + "}}")
        .extract<Poco::JSON::Object::Ptr>();
}

slate::test::RgbPicture rendered(const fs::path& dir, const std::string& objects, int width = 200, int height = 200) {
    const fs::path out = dir / "annotated.png";
    const AnnotatedPicture made = render_annotated_picture(white_png(dir, width, height), *annotation(objects), out);
    INFO(made.reason);
    REQUIRE(made.ok);
    CHECK(made.width == width);
    return slate::test::read_png(out);
}

bool is_red(const slate::test::RgbPicture& picture, int x, int y) {
    const uint8_t* p = picture.at(x, y);
    return p[0] > 200 && p[1] < 80 && p[2] < 80;
}

bool is_white(const slate::test::RgbPicture& picture, int x, int y) {
    const uint8_t* p = picture.at(x, y);
    return p[0] > 240 && p[1] > 240 && p[2] > 240;
}

} // namespace

TEST_CASE("a rectangle is placed as Zou places it, scaled from its canvas", "[workers][annotations]") {
    const std::string rect =
        R"([{"type": "rect", "left": 10, "top": 10, "width": 20, "height": 20, "stroke": "#ff0000",
             "strokeWidth": 2, "canvasWidth": 200, "canvasHeight": 200}])";
    const std::string svg = annotation_svg(*annotation(rect), 200, 200);
    CHECK(svg.find(R"(points="10.00,10.00 30.00,10.00 30.00,30.00 10.00,30.00 ")") != std::string::npos);
    // Drawn on a picture twice the canvas: twice as far, twice as wide.
    CHECK(annotation_svg(*annotation(rect), 400, 400).find(R"(points="20.00,20.00 60.00,20.00)") != std::string::npos);

    Scratch scratch;
    const auto picture = rendered(scratch.path, rect);
    CHECK(is_red(picture, 20, 10));   // the top edge
    CHECK(is_red(picture, 30, 20));   // the right edge
    CHECK(is_white(picture, 20, 20)); // no fill
    CHECK(is_white(picture, 100, 100));
}

TEST_CASE("pen strokes, shapes, arrows and text are drawn", "[workers][annotations]") {
    Scratch scratch;
    const auto picture = rendered(scratch.path, R"json([
        {"type": "path", "stroke": "rgba(255, 0, 0, 1)", "strokeWidth": 6,
         "path": [["M", 10, 100], ["Q", 50, 100, 90, 100], ["L", 190, 100]]},
        {"type": "psstroke", "stroke": "#f00", "strokeWidth": 8,
         "strokePoints": [{"x": 100, "y": 10, "pressure": 1}, {"x": 100, "y": 60, "pressure": 1}]},
        {"type": "circle", "left": 140, "top": 140, "radius": 20, "fill": "red"},
        {"type": "arrow", "x1": 10, "y1": 180, "x2": 90, "y2": 180, "stroke": "#ff0000", "strokeWidth": 4},
        {"type": "i-text", "text": "Fix", "left": 10, "top": 10, "fontSize": 30, "fill": "#ff0000"}
    ])json");
    CHECK(is_red(picture, 50, 100)); // the pen's path
    CHECK(is_red(picture, 170, 100));
    CHECK(is_red(picture, 100, 35));  // the brush stroke
    CHECK(is_red(picture, 160, 160)); // the filled circle's centre
    CHECK(is_red(picture, 40, 180));  // the arrow's body
    CHECK(is_white(picture, 160, 60));
    int text_pixels = 0; // the text's glyphs, near its box
    for (int y = 5; y < 50; ++y)
        for (int x = 5; x < 80; ++x)
            text_pixels += is_red(picture, x, y);
    CHECK(text_pixels > 40);
}

TEST_CASE("an eraser punches through the shape it belongs to", "[workers][annotations]") {
    Scratch scratch;
    // A filled square, with an eraser stroke across its middle (in the square's centred frame).
    const auto picture = rendered(scratch.path, R"json([
        {"type": "rect", "left": 50, "top": 50, "width": 100, "height": 100, "fill": "#ff0000",
         "eraser": {"type": "eraser", "objects": [
            {"type": "path", "strokeWidth": 20, "path": [["M", -60, 0], ["L", 60, 0]]}]}}
    ])json");
    CHECK(is_red(picture, 100, 60));
    CHECK(is_red(picture, 100, 140));
    CHECK(is_white(picture, 100, 100)); // erased
}

TEST_CASE("hostile annotations are drawn harmlessly or skipped", "[workers][annotations]") {
    Scratch scratch;
    const std::string objects = R"json([
        {"type": "i-text", "text": "</text><script>alert(1)</script> & \"quotes\"", "left": 10, "top": 10,
         "fill": "url(javascript:alert(1))"},
        {"type": "rect", "left": "ten", "top": null, "width": 1e308, "height": -5, "stroke": "red\" onload=\"x"},
        {"type": "path", "path": "M 10 10 L 20 20 Q 1 2 Z"},
        {"type": "group", "objects": [{"type": "group", "objects": [{"type": "unknown"}]}]},
        {"type": "line", "x1": "a", "y1": {}, "x2": [], "y2": 5},
        42, "text", null
    ])json";
    const std::string svg = annotation_svg(*annotation(objects), 100, 100);
    CHECK(svg.find("<script>") == std::string::npos);
    CHECK(svg.find("javascript") == std::string::npos);
    CHECK(svg.find("onload") == std::string::npos);
    rendered(scratch.path, objects, 100, 100); // renders (the text in black)
    // No drawing at all: the picture itself.
    const auto blank = rendered(scratch.path, "[]", 64, 32);
    CHECK(is_white(blank, 10, 10));
}

TEST_CASE("pictures become the pages of a PDF", "[workers][annotations]") {
    Scratch scratch;
    const fs::path pdf = scratch.path / "frames.pdf";
    const PicturePdf written =
        write_pictures_pdf({white_png(scratch.path, 300, 150), white_png(scratch.path, 150, 300)}, pdf);
    INFO(written.reason);
    REQUIRE(written.ok);
    CHECK(written.pages == 2);
    const std::string bytes = slate::test::read_file(pdf);
    CHECK(bytes.rfind("%PDF-1.4", 0) == 0);
    CHECK(bytes.find("/Count 2") != std::string::npos);
    CHECK(bytes.find("/MediaBox [0 0 144.00 72.00]") != std::string::npos); // 300×150 px at 150 dpi
    CHECK(bytes.find("/Filter /DCTDecode") != std::string::npos);
    // The cross-reference table points at each object, as a reader follows it.
    const size_t xref = std::stoul(bytes.substr(bytes.rfind("startxref") + 10));
    REQUIRE(bytes.compare(xref, 4, "xref") == 0);
    std::istringstream table(bytes.substr(xref));
    std::string word;
    int first = 0, count = 0;
    table >> word >> first >> count;
    REQUIRE(count == 1 + 2 + 3 * 2); // the free entry, catalog, page tree, 3 objects per page
    std::string offset, generation, kind;
    table >> offset >> generation >> kind; // the free entry
    for (int object = 1; object < count; ++object) {
        table >> offset >> generation >> kind;
        INFO("object " << object);
        CHECK(kind == "n");
        CHECK(bytes.compare(std::stoul(offset), std::to_string(object).size() + 6, std::to_string(object) + " 0 obj") ==
              0);
    }
    CHECK_FALSE(write_pictures_pdf({}, pdf).ok);
}
