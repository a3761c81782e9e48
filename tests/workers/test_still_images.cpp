// tests/workers/test_still_images.cpp: VFX stills written here with OpenImageIO (EXR, DPX, TIFF,
// HEIC, JPEG 2000, WebP, TGA; a hand-made PSD and HDR header) become Zou's four variants, with
// known display values: a linear value through the sRGB transfer, through a small OpenColorIO
// config, a log DPX; bad files are refused with a reason.
#include <catch2/catch.hpp>

#include "workers/picture_variants.h"
#include "workers/still_images.h"

#include <OpenImageIO/imageio.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace slate::workers;

namespace {

struct TempDir {
    fs::path path;
    TempDir() {
        char pattern[] = "/tmp/slate-still-XXXXXX";
        path = mkdtemp(pattern);
    }
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
};

/// Writes a flat image: every pixel `values` (one per channel), in `format`.
void write_flat(const fs::path& path, int width, int height, const std::vector<std::string>& channels,
                const std::vector<float>& values, OIIO::TypeDesc format) {
    OIIO::ImageSpec spec(width, height, int(channels.size()), format);
    spec.channelnames = channels;
    spec.alpha_channel = -1;
    for (size_t i = 0; i < channels.size(); ++i)
        if (channels[i] == "A")
            spec.alpha_channel = int(i);
    std::vector<float> pixels;
    for (int p = 0; p < width * height; ++p)
        pixels.insert(pixels.end(), values.begin(), values.end());
    auto out = OIIO::ImageOutput::create(path.string());
    REQUIRE(out);
    REQUIRE(out->open(path.string(), spec));
    REQUIRE(out->write_image(OIIO::TypeDesc::FLOAT, pixels.data()));
    REQUIRE(out->close());
}

/// The first pixel of a PNG, 8 bits per channel.
std::vector<int> first_pixel(const fs::path& png, int* width = nullptr, int* height = nullptr) {
    auto in = OIIO::ImageInput::open(png.string());
    REQUIRE(in);
    const auto& spec = in->spec();
    std::vector<uint8_t> pixels(size_t(spec.width) * spec.height * spec.nchannels);
    REQUIRE(in->read_image(0, 0, 0, spec.nchannels, OIIO::TypeDesc::UINT8, pixels.data()));
    if (width)
        *width = spec.width;
    if (height)
        *height = spec.height;
    return std::vector<int>(pixels.begin(), pixels.begin() + spec.nchannels);
}

/// The grey a display value shows as, in 8 bits.
int byte_of(double display) {
    return int(std::lround(display * 255.0));
}

const char* gamma_config = R"(ocio_profile_version: 2
roles:
  default: lin
  scene_linear: lin
  compositing_log: lin
displays:
  Test:
    - !<View> {name: Root, colorspace: root}
colorspaces:
  - !<ColorSpace>
    name: lin
  - !<ColorSpace>
    name: root
    from_scene_reference: !<ExponentTransform> {value: 2, direction: inverse}
)";

/// A PSD of `width`×`height` RGB, the composite (a flat colour) given or left out.
std::string make_psd(int width, int height, bool composite, uint8_t r, uint8_t g, uint8_t b) {
    std::string psd = "8BPS";
    auto u16 = [&](int v) { psd += char((v >> 8) & 255), psd += char(v & 255); };
    auto u32 = [&](uint32_t v) { u16(int(v >> 16)), u16(int(v & 0xffff)); };
    u16(1);
    psd += std::string(6, '\0');
    u16(3);
    u32(uint32_t(height));
    u32(uint32_t(width));
    u16(8);
    u16(3); // RGB
    u32(0); // colour mode data
    u32(0); // image resources
    u32(0); // layers and masks
    if (composite) {
        u16(0); // raw
        for (uint8_t v : {r, g, b})
            psd += std::string(size_t(width) * height, char(v));
    }
    return psd;
}

void write_bytes(const fs::path& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
}

} // namespace

TEST_CASE("the sRGB transfer function", "[workers][stills]") {
    CHECK(srgb_encode(0.0f) == 0.0f);
    CHECK(srgb_encode(1.0f) == 1.0f);
    CHECK(srgb_encode(0.18f) == Approx(0.4613561).epsilon(1e-5));
    CHECK(srgb_encode(0.002f) == Approx(0.02584));
    CHECK(srgb_encode(-1.0f) == 0.0f);
    CHECK(srgb_encode(7.0f) == 1.0f);
    CHECK(is_still_extension("exr"));
    CHECK(is_still_extension("dpx"));
    CHECK_FALSE(is_still_extension("png")); // libvips' path
    CHECK_FALSE(is_still_extension("mov"));
}

TEST_CASE("a linear EXR becomes Zou's four variants, 18% grey shown as mid grey", "[workers][stills]") {
    TempDir dir;
    const fs::path exr = dir.path / "render.exr";
    write_flat(exr, 64, 32, {"R", "G", "B", "A"}, {0.18f, 0.18f, 0.18f, 1.0f}, OIIO::TypeDesc::HALF);
    set_still_settings({});
    const PictureVariants made = make_still_variants(exr, dir.path / "variants");
    INFO(made.reason);
    REQUIRE(made.ok);
    CHECK(made.width == 64);
    CHECK(made.height == 32);
    CHECK(made.file_size == int64_t(fs::file_size(made.original)));
    int w = 0, h = 0;
    const auto original = first_pixel(made.original, &w, &h);
    CHECK(w == 64);
    CHECK(h == 32);
    // half(0.18) = 0.17993, through sRGB: 0.4612 → 118 (linear 0.18 left as is would be 46).
    CHECK(original == std::vector<int>{118, 118, 118, 255});
    first_pixel(made.thumbnail, &w, &h);
    CHECK((w == 150 && h == 100));
    first_pixel(made.square_thumbnail, &w, &h);
    CHECK((w == 100 && h == 100));
    const auto preview = first_pixel(made.preview, &w, &h);
    CHECK((w == 1200 && h == 600));
    CHECK(preview[0] == 118);
}

TEST_CASE("an EXR's display through the studio's OpenColorIO config", "[workers][stills]") {
    TempDir dir;
    const fs::path config = dir.path / "config.ocio";
    write_bytes(config, gamma_config);
    const fs::path exr = dir.path / "render.exr";
    write_flat(exr, 20, 10, {"R", "G", "B"}, {0.25f, 0.0625f, 1.0f}, OIIO::TypeDesc::FLOAT);
    StillSettings settings;
    settings.ocio_config = config.string();
    const DisplayPixels shown = decode_still(exr, settings);
    INFO(shown.reason);
    REQUIRE(shown.ok);
    CHECK(shown.channels == 3);
    // The config's view is a square root: 0.25 → 0.5, 0.0625 → 0.25 (sRGB would give 137, 72).
    CHECK(int(shown.pixels[0]) == byte_of(0.5));
    CHECK(int(shown.pixels[1]) == byte_of(0.25));
    CHECK(int(shown.pixels[2]) == 255);

    settings.display = "Test";
    settings.view = "Root";
    settings.input_space = "root"; // the pixels said to be in the view's space already: unchanged
    const DisplayPixels as_is = decode_still(exr, settings);
    REQUIRE(as_is.ok);
    CHECK(int(as_is.pixels[0]) == byte_of(0.25));

    settings.view = "No such view";
    const DisplayPixels refused = decode_still(exr, settings);
    CHECK_FALSE(refused.ok);
    CHECK(refused.reason.find("OpenColorIO") != std::string::npos);
}

TEST_CASE("an EXR's layers: the first RGBA, or the layer a setting names", "[workers][stills]") {
    TempDir dir;
    const fs::path exr = dir.path / "layers.exr";
    write_flat(exr, 8, 8, {"R", "G", "B", "A", "diffuse.R", "diffuse.G", "diffuse.B"},
               {1.0f, 0.0f, 0.0f, 1.0f, 0.0f, 1.0f, 0.0f}, OIIO::TypeDesc::HALF);
    StillSettings settings;
    DisplayPixels shown = decode_still(exr, settings);
    REQUIRE(shown.ok);
    CHECK(shown.channels == 4);
    CHECK(std::vector<int>(shown.pixels.begin(), shown.pixels.begin() + 4) == std::vector<int>{255, 0, 0, 255});
    settings.exr_layer = "diffuse";
    shown = decode_still(exr, settings);
    REQUIRE(shown.ok);
    CHECK(shown.channels == 3);
    CHECK(std::vector<int>(shown.pixels.begin(), shown.pixels.begin() + 3) == std::vector<int>{0, 255, 0});
}

TEST_CASE("DPX, 10-bit display-referred and Cineon log", "[workers][stills]") {
    TempDir dir;
    const fs::path dpx = dir.path / "scan.dpx";
    {
        OIIO::ImageSpec spec(16, 8, 3, OIIO::TypeDesc::UINT16);
        spec.attribute("oiio:BitsPerSample", 10);
        std::vector<float> pixels;
        for (int p = 0; p < 16 * 8; ++p)
            pixels.insert(pixels.end(), {512.0f / 1023.0f, 1.0f, 0.0f});
        auto out = OIIO::ImageOutput::create(dpx.string());
        REQUIRE(out->open(dpx.string(), spec));
        REQUIRE(out->write_image(OIIO::TypeDesc::FLOAT, pixels.data()));
        out->close();
    }
    StillSettings settings;
    DisplayPixels shown = decode_still(dpx, settings);
    INFO(shown.reason);
    REQUIRE(shown.ok);
    CHECK(std::vector<int>(shown.pixels.begin(), shown.pixels.begin() + 3) == std::vector<int>{128, 255, 0});

    // Log: Cineon code 685 is white (linear 1), 95 black, 445 about 0.15 linear.
    const fs::path log = dir.path / "log.dpx";
    {
        OIIO::ImageSpec spec(16, 8, 3, OIIO::TypeDesc::UINT16);
        spec.attribute("oiio:BitsPerSample", 10);
        spec.attribute("oiio:ColorSpace", "KodakLog");
        std::vector<float> pixels;
        for (int p = 0; p < 16 * 8; ++p)
            pixels.insert(pixels.end(), {685.0f / 1023.0f, 95.0f / 1023.0f, 445.0f / 1023.0f});
        auto out = OIIO::ImageOutput::create(log.string());
        REQUIRE(out->open(log.string(), spec));
        REQUIRE(out->write_image(OIIO::TypeDesc::FLOAT, pixels.data()));
        out->close();
    }
    shown = decode_still(log, settings);
    INFO(shown.reason);
    REQUIRE(shown.ok);
    CHECK(int(shown.pixels[0]) == 255);
    CHECK(int(shown.pixels[1]) == 0);
    const double black = std::pow(10.0, (95.0 - 685.0) * 0.002 / 0.6);
    const double linear = (std::pow(10.0, (445.0 - 685.0) * 0.002 / 0.6) - black) / (1.0 - black);
    CHECK(std::abs(int(shown.pixels[2]) - byte_of(srgb_encode(float(linear)))) <= 1);
    CHECK(int(shown.pixels[2]) > 100); // a log mid grey is not shown dark
}

TEST_CASE("TIFF at 8, 16 and 32 bits", "[workers][stills]") {
    TempDir dir;
    StillSettings settings;
    const fs::path t8 = dir.path / "a.tif", t16 = dir.path / "b.tiff", t32 = dir.path / "c.tif";
    write_flat(t8, 10, 10, {"R", "G", "B"}, {200.0f / 255.0f, 0.0f, 1.0f}, OIIO::TypeDesc::UINT8);
    write_flat(t16, 10, 10, {"R", "G", "B", "A"}, {200.0f / 255.0f, 0.0f, 1.0f, 1.0f}, OIIO::TypeDesc::UINT16);
    write_flat(t32, 10, 10, {"R", "G", "B"}, {0.18f, 0.0f, 1.0f}, OIIO::TypeDesc::FLOAT);
    for (const auto& [path, red] : {std::pair{t8, 200}, std::pair{t16, 200}, std::pair{t32, 118}}) {
        const DisplayPixels shown = decode_still(path, settings);
        INFO(path.string() << ": " << shown.reason);
        REQUIRE(shown.ok);
        CHECK(int(shown.pixels[0]) == red);
        CHECK(int(shown.pixels[1]) == 0);
        CHECK(int(shown.pixels[2]) == 255);
    }
}

TEST_CASE("a PSD's composite, and bad stills refused with a reason", "[workers][stills]") {
    TempDir dir;
    StillSettings settings;
    const fs::path psd = dir.path / "paint.psd";
    write_bytes(psd, make_psd(12, 6, true, 10, 20, 30));
    const DisplayPixels shown = decode_still(psd, settings);
    INFO(shown.reason);
    REQUIRE(shown.ok);
    CHECK((shown.width == 12 && shown.height == 6));
    CHECK(std::vector<int>(shown.pixels.begin(), shown.pixels.begin() + 3) == std::vector<int>{10, 20, 30});

    const fs::path no_composite = dir.path / "layers-only.psd";
    write_bytes(no_composite, make_psd(12, 6, false, 0, 0, 0));
    CHECK_FALSE(decode_still(no_composite, settings).ok);

    const fs::path exr = dir.path / "cut.exr";
    write_flat(exr, 256, 256, {"R", "G", "B", "A"}, {0.5f, 0.5f, 0.5f, 1.0f}, OIIO::TypeDesc::FLOAT);
    fs::resize_file(exr, fs::file_size(exr) / 2);
    const DisplayPixels cut = decode_still(exr, settings);
    CHECK_FALSE(cut.ok);
    CHECK_FALSE(cut.reason.empty());

    // A header that claims 100000×100000 pixels is refused before any decoding.
    const fs::path huge = dir.path / "huge.hdr";
    write_bytes(huge, "#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y 100000 +X 100000\n" + std::string(64, '\x80'));
    const DisplayPixels refused = decode_still(huge, settings);
    CHECK_FALSE(refused.ok);
    CHECK(refused.reason.find("too large") != std::string::npos);

    write_bytes(dir.path / "noise.exr", "not an image at all");
    const PictureVariants none = make_still_variants(dir.path / "noise.exr", dir.path / "v");
    CHECK_FALSE(none.ok);
    CHECK_FALSE(none.reason.empty());
}

TEST_CASE("HEIC, JPEG 2000, WebP and TGA become Zou's four variants with their colours", "[workers][stills]") {
    // Every one written here by OpenImageIO (Debian's 2.4 writes all four: libheif, OpenJPEG,
    // libwebp, its own targa). HEIC and WebP are lossy (and HEIC is 4:2:0): a few levels off.
    struct Case {
        const char* name;
        std::vector<std::string> channels;
        int tolerance;
    };
    const std::vector<Case> cases = {{"still.heic", {"R", "G", "B"}, 4},
                                     {"still.jp2", {"R", "G", "B", "A"}, 0},
                                     {"still.webp", {"R", "G", "B", "A"}, 4},
                                     {"still.tga", {"R", "G", "B", "A"}, 0}};
    const std::vector<int> colour = {200, 100, 40, 255};
    TempDir dir;
    set_still_settings({});
    for (const Case& c : cases) {
        INFO(c.name);
        const fs::path path = dir.path / c.name;
        const std::vector<float> values = {200.0f / 255.0f, 100.0f / 255.0f, 40.0f / 255.0f, 1.0f};
        write_flat(path, 96, 48, c.channels, std::vector<float>(values.begin(), values.begin() + c.channels.size()),
                   OIIO::TypeDesc::UINT8);
        REQUIRE(is_still_extension(path.extension().string().substr(1)));
        const PictureVariants made = make_still_variants(path, dir.path / (std::string(c.name) + "-variants"));
        INFO(made.reason);
        REQUIRE(made.ok);
        CHECK((made.width == 96 && made.height == 48));
        int w = 0, h = 0;
        const auto near = [&](const std::vector<int>& pixel) {
            for (size_t i = 0; i < 3; ++i)
                if (std::abs(pixel.at(i) - colour[i]) > c.tolerance)
                    return false;
            return pixel.size() == 3 || pixel.at(3) == 255;
        };
        const auto original = first_pixel(made.original, &w, &h);
        CHECK((w == 96 && h == 48));
        CHECK(near(original));
        CAPTURE(original);
        const auto thumbnail = first_pixel(made.thumbnail, &w, &h);
        CHECK((w == 150 && h == 100));
        CHECK(near(thumbnail));
        const auto square = first_pixel(made.square_thumbnail, &w, &h);
        CHECK((w == 100 && h == 100));
        CHECK(near(square));
        const auto preview = first_pixel(made.preview, &w, &h);
        CHECK((w == 1200 && h == 600));
        CHECK(near(preview));
    }
}
