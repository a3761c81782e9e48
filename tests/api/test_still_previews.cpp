// tests/api/test_still_previews.cpp: an EXR uploaded as a preview (beyond Zou, which keeps it
// as a file) comes back as a picture with Zou's answer and four variants, the EXR itself served
// by the originals route; a truncated one and a huge header leave the preview broken with a reason.
// HEIC, JPEG 2000, WebP and TGA, written here by OpenImageIO, become pictures the same way.
#include <catch2/catch.hpp>

#include "support/test_media.h"
#include "support/test_server.h"

#include <OpenImageIO/imageio.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace slate::test;

namespace {

/// The bytes of a linear half-float RGBA EXR, every pixel `grey`.
std::string make_exr(const fs::path& dir, int width, int height, float grey) {
    const fs::path path = dir / "frame.exr";
    OIIO::ImageSpec spec(width, height, 4, OIIO::TypeDesc::HALF);
    std::vector<float> pixels;
    for (int p = 0; p < width * height; ++p)
        pixels.insert(pixels.end(), {grey, grey, grey, 1.0f});
    auto out = OIIO::ImageOutput::create(path.string());
    REQUIRE(out->open(path.string(), spec));
    REQUIRE(out->write_image(OIIO::TypeDesc::FLOAT, pixels.data()));
    out->close();
    return read_file(path);
}

/// The first pixel's red of a PNG's bytes.
int first_red(const fs::path& dir, const std::string& png) {
    const fs::path path = dir / "read.png";
    std::ofstream(path, std::ios::binary) << png;
    auto in = OIIO::ImageInput::open(path.string());
    REQUIRE(in);
    std::vector<uint8_t> pixels(size_t(in->spec().width) * in->spec().height * in->spec().nchannels);
    REQUIRE(in->read_image(0, 0, 0, in->spec().nchannels, OIIO::TypeDesc::UINT8, pixels.data()));
    return pixels[0];
}

} // namespace

TEST_CASE("an EXR preview becomes a picture and keeps its file", "[api][pg][stills]") {
    TestServer server;
    const std::string token = server.login();
    const int port = server.port();
    const std::string project = server.create_project(token, "Renders");
    const std::string task = server.create_task(token, project, server.create_shot(token, project, "SH1"));
    int revision = 0;
    auto new_preview = [&] {
        return http_call(port, "POST", "/data/preview-files", token,
                         R"({"task_id":")" + task + R"(","name":"review","revision":)" + std::to_string(++revision) +
                             "}")
            .json()
            ->getValue<std::string>("id");
    };
    char pattern[] = "/tmp/slate-still-upload-XXXXXX";
    const fs::path dir = mkdtemp(pattern);
    const std::string exr = make_exr(dir, 300, 100, 0.18f);

    const std::string preview = new_preview();
    const auto uploaded = http_upload(port, "/pictures/preview-files/" + preview, token, "light_v002.1001.exr", exr);
    INFO(uploaded.body);
    REQUIRE(uploaded.status == 201);
    const auto json = uploaded.json();
    CHECK(json->getValue<std::string>("status") == "ready");
    CHECK(json->getValue<std::string>("extension") == "png"); // Zou's picture answer
    CHECK(json->getValue<std::string>("original_name") == "light_v002.1001");
    CHECK(json->getValue<int>("width") == 300);
    CHECK(json->getValue<int>("height") == 100);

    const auto thumbnail = http_get(port, "/pictures/thumbnails/preview-files/" + preview + ".png", token);
    REQUIRE(thumbnail.status == 200);
    CHECK(png_width(thumbnail.body) == 150);
    CHECK(png_height(thumbnail.body) == 100);
    const auto large = http_get(port, "/pictures/previews/preview-files/" + preview + ".png", token);
    CHECK(png_width(large.body) == 1200);
    CHECK(png_height(large.body) == 400);
    const auto original = http_get(port, "/pictures/originals/preview-files/" + preview + ".png", token);
    REQUIRE(original.status == 200);
    CHECK(png_width(original.body) == 300);
    CHECK(first_red(dir, original.body) == 118); // linear 18% grey shown as mid grey
    const auto file = http_get(port, "/pictures/originals/preview-files/" + preview + ".exr", token);
    REQUIRE(file.status == 200);
    CHECK(file.body == exr);

    // A truncated EXR: broken, with the reason in the answer and in the preview's data.
    const std::string cut = new_preview();
    const auto refused = http_upload(port, "/pictures/preview-files/" + cut, token, "cut.exr", exr.substr(0, 400));
    CHECK(refused.status == 400);
    CHECK_FALSE(refused.json()->getValue<std::string>("message").empty());
    const auto row = http_get(port, "/data/preview-files/" + cut, token).json();
    CHECK(row->getValue<std::string>("status") == "broken");
    CHECK_FALSE(row->getObject("data")->getValue<std::string>("reason").empty());

    // A header claiming 100000×100000 pixels: refused before decoding.
    const std::string huge = new_preview();
    const auto too_large = http_upload(port, "/pictures/preview-files/" + huge, token, "huge.hdr",
                                       "#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y 100000 +X 100000\n" +
                                           std::string(64, '\x80'));
    CHECK(too_large.status == 400);
    CHECK(too_large.json()->getValue<std::string>("message").find("too large") != std::string::npos);

    // The worker lives on: a good upload after the bad ones is processed.
    CHECK(http_upload(port, "/pictures/preview-files/" + cut, token, "again.exr", exr).status == 201);
    fs::remove_all(dir);
}

TEST_CASE("HEIC, JPEG 2000, WebP and TGA previews become pictures", "[api][pg][stills]") {
    TestServer server;
    const std::string token = server.login();
    const int port = server.port();
    const std::string project = server.create_project(token, "Paintovers");
    const std::string task = server.create_task(token, project, server.create_shot(token, project, "SH2"));
    char pattern[] = "/tmp/slate-still-formats-XXXXXX";
    const fs::path dir = mkdtemp(pattern);
    int revision = 0;
    for (const std::string extension : {"heic", "jp2", "webp", "tga"}) {
        INFO(extension);
        // Written here by OpenImageIO: 160×90, red 200 (lossy HEIC and WebP: a few levels off).
        const fs::path path = dir / ("paint." + extension);
        OIIO::ImageSpec spec(160, 90, 3, OIIO::TypeDesc::UINT8);
        const std::vector<uint8_t> pixels(size_t(160) * 90 * 3, 200);
        auto out = OIIO::ImageOutput::create(path.string());
        REQUIRE(out);
        REQUIRE(out->open(path.string(), spec));
        REQUIRE(out->write_image(OIIO::TypeDesc::UINT8, pixels.data()));
        out->close();
        const std::string bytes = read_file(path);

        const std::string preview = http_call(port, "POST", "/data/preview-files", token,
                                              R"({"task_id":")" + task + R"(","name":"paint","revision":)" +
                                                  std::to_string(++revision) + "}")
                                        .json()
                                        ->getValue<std::string>("id");
        const auto uploaded = http_upload(port, "/pictures/preview-files/" + preview, token, "paint." + extension, bytes);
        INFO(uploaded.body);
        REQUIRE(uploaded.status == 201);
        const auto json = uploaded.json();
        CHECK(json->getValue<std::string>("status") == "ready");
        CHECK(json->getValue<std::string>("extension") == "png");
        CHECK(json->getValue<int>("width") == 160);
        CHECK(json->getValue<int>("height") == 90);
        const auto thumbnail = http_get(port, "/pictures/thumbnails/preview-files/" + preview + ".png", token);
        REQUIRE(thumbnail.status == 200);
        CHECK((png_width(thumbnail.body) == 150 && png_height(thumbnail.body) == 100));
        const auto square = http_get(port, "/pictures/thumbnails-square/preview-files/" + preview + ".png", token);
        REQUIRE(square.status == 200);
        CHECK((png_width(square.body) == 100 && png_height(square.body) == 100));
        const auto large = http_get(port, "/pictures/previews/preview-files/" + preview + ".png", token);
        REQUIRE(large.status == 200);
        CHECK((png_width(large.body) == 1200 && png_height(large.body) == 675));
        const auto original = http_get(port, "/pictures/originals/preview-files/" + preview + ".png", token);
        REQUIRE(original.status == 200);
        CHECK((png_width(original.body) == 160 && png_height(original.body) == 90));
        CHECK(std::abs(first_red(dir, original.body) - 200) <= 4);
        const auto file = http_get(port, "/pictures/originals/preview-files/" + preview + "." + extension, token);
        REQUIRE(file.status == 200);
        CHECK(file.body == bytes);
    }
    fs::remove_all(dir);
}
