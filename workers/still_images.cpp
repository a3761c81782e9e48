#include "workers/still_images.h"

#include "engine/config.h"
#include "engine/log.h"

#include <OpenColorIO/OpenColorIO.h>
#include <OpenImageIO/imageio.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <mutex>
#include <set>

namespace fs = std::filesystem;
namespace OCIO = OCIO_NAMESPACE;

namespace slate::workers {
namespace {

std::mutex g_settings_mutex;
StillSettings g_settings;

std::string lower(std::string text) {
    for (auto& c : text)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

/// How a still's values are encoded, which decides its way to the display.
enum class Encoding { display, linear, log };

/// The channels of a still shown as a picture: indices into the file's channels (alpha -1
/// when there is none; green and blue repeat red for a single grey channel).
struct Channels {
    int red = -1, green = -1, blue = -1, alpha = -1;
    bool found() const { return red >= 0; }
};

/// The channel named `prefix` + one of `names` (case-insensitive), or -1.
int channel_named(const OIIO::ImageSpec& spec, const std::string& prefix, std::initializer_list<const char*> names) {
    for (int i = 0; i < spec.nchannels; ++i) {
        const std::string name = lower(spec.channel_name(i));
        for (const char* wanted : names)
            if (name == lower(prefix) + wanted)
                return i;
    }
    return -1;
}

Channels channels_of_layer(const OIIO::ImageSpec& spec, const std::string& prefix) {
    Channels c;
    c.red = channel_named(spec, prefix, {"r", "red"});
    c.green = channel_named(spec, prefix, {"g", "green"});
    c.blue = channel_named(spec, prefix, {"b", "blue"});
    c.alpha = channel_named(spec, prefix, {"a", "alpha"});
    if (c.red < 0 || c.green < 0 || c.blue < 0) {
        const int grey = channel_named(spec, prefix, {"y", "l", "luminance"});
        if (grey < 0)
            return {};
        c.red = c.green = c.blue = grey;
    }
    return c;
}

/// The channels shown from one part: the named layer, else the unprefixed RGBA, else the first
/// layer with RGB, else the first channels.
Channels pick_channels(const OIIO::ImageSpec& spec, const std::string& layer) {
    if (!layer.empty())
        return channels_of_layer(spec, layer + ".");
    if (Channels c = channels_of_layer(spec, ""); c.found())
        return c;
    for (int i = 0; i < spec.nchannels; ++i) {
        const std::string name = spec.channel_name(i);
        const auto dot = name.rfind('.');
        if (dot != std::string::npos)
            if (Channels c = channels_of_layer(spec, name.substr(0, dot + 1)); c.found())
                return c;
    }
    Channels c;
    if (spec.nchannels >= 3) {
        c.red = 0, c.green = 1, c.blue = 2;
        c.alpha = spec.alpha_channel >= 3 ? spec.alpha_channel : (spec.nchannels >= 4 ? 3 : -1);
    } else if (spec.nchannels >= 1) {
        c.red = c.green = c.blue = 0;
        c.alpha = spec.nchannels == 2 ? 1 : -1;
    }
    return c;
}

Encoding encoding_of(const OIIO::ImageSpec& spec) {
    const std::string space = lower(spec.get_string_attribute("oiio:ColorSpace"));
    if (space.find("log") != std::string::npos || space.find("cineon") != std::string::npos)
        return Encoding::log;
    const auto base = spec.format.basetype;
    if (base == OIIO::TypeDesc::FLOAT || base == OIIO::TypeDesc::HALF || base == OIIO::TypeDesc::DOUBLE)
        return space.empty() || space.find("linear") != std::string::npos || space == "scene_linear" ||
                       space.find("aces") != std::string::npos
                   ? Encoding::linear
                   : Encoding::display;
    return space.find("linear") != std::string::npos ? Encoding::linear : Encoding::display;
}

/// Kodak's Cineon printing density (code value / 1023) to scene-linear light: 685 is white,
/// 95 black, 0.002 density per code value, negative gamma 0.6.
float cineon_to_linear(float code) {
    static const float black = std::pow(10.0f, (95.0f - 685.0f) * 0.002f / 0.6f);
    const float light = std::pow(10.0f, (code * 1023.0f - 685.0f) * 0.002f / 0.6f);
    return (light - black) / (1.0f - black);
}

/// The 8-bit sRGB code of a linear value, as lround(srgb_encode(v) · 255) but without a power
/// per value: the 255 linear values where the code steps up, searched.
uint8_t srgb_byte(float linear) {
    static const std::array<float, 255> steps = [] {
        std::array<float, 255> at{};
        for (int k = 0; k < 255; ++k) {
            const double code = (k + 0.5) / 255.0;
            at[size_t(k)] = float(code <= 0.04045 ? code / 12.92 : std::pow((code + 0.055) / 1.055, 2.4));
        }
        return at;
    }();
    if (!(linear > 0.0f)) // NaN too
        return 0;
    return static_cast<uint8_t>(std::upper_bound(steps.begin(), steps.end(), linear) - steps.begin());
}

uint8_t plain_byte(float v) {
    return static_cast<uint8_t>(std::lround(std::clamp(std::isnan(v) ? 0.0f : v, 0.0f, 1.0f) * 255.0f));
}

/// With the studio's config: from the input space through its display and view.
std::string ocio_transform(std::vector<float>& rgba, int width, int height, const OIIO::ImageSpec& spec,
                           Encoding encoding, const StillSettings& settings) {
    try {
        const auto config = OCIO::Config::CreateFromFile(settings.ocio_config.c_str());
        std::string input = settings.input_space;
        if (input.empty()) {
            const std::string from_file = spec.get_string_attribute("oiio:ColorSpace");
            if (!from_file.empty() && config->getColorSpace(from_file.c_str()))
                input = from_file;
        }
        if (input.empty()) {
            if (encoding == Encoding::display)
                return ""; // display-referred already: shown as it is
            input = encoding == Encoding::log ? OCIO::ROLE_COMPOSITING_LOG : OCIO::ROLE_SCENE_LINEAR;
        }
        if (!config->getColorSpace(input.c_str()))
            return "the colour space " + input + " is not in the OpenColorIO config";
        const std::string display = settings.display.empty() ? config->getDefaultDisplay() : settings.display;
        const std::string view =
            settings.view.empty() ? config->getDefaultView(display.c_str()) : settings.view;
        auto transform = OCIO::DisplayViewTransform::Create();
        transform->setSrc(input.c_str());
        transform->setDisplay(display.c_str());
        transform->setView(view.c_str());
        const auto processor = config->getProcessor(transform)->getDefaultCPUProcessor();
        OCIO::PackedImageDesc image(rgba.data(), width, height, 4);
        processor->apply(image);
        return "";
    } catch (const OCIO::Exception& e) {
        log::warning(std::string("OpenColorIO: ") + e.what());
        return std::string("the OpenColorIO display transform failed: ") + e.what();
    }
}

/// The part (subimage) that holds `layer`: a part of that name, or one with its channels.
int part_of_layer(OIIO::ImageInput& in, const std::string& layer, OIIO::ImageSpec& spec) {
    for (int part = 0; in.seek_subimage(part, 0); ++part) {
        spec = in.spec();
        if (spec.get_string_attribute("oiio:subimagename") == layer || channels_of_layer(spec, layer + ".").found())
            return part;
    }
    return -1;
}

std::string too_large(const OIIO::ImageSpec& spec) {
    const int64_t pixels = int64_t(spec.width) * int64_t(spec.height);
    if (spec.width > 0 && spec.height > 0 && pixels <= picture_pixel_limit() && spec.depth <= 1)
        return "";
    return "the picture is too large (" + std::to_string(spec.width) + "x" + std::to_string(spec.height) +
           " pixels; the limit is " + std::to_string(picture_pixel_limit()) + " pixels)";
}

} // namespace

StillSettings StillSettings::from(const engine::Config& config) {
    return {config.ocio_config, config.preview_ocio_display, config.preview_ocio_view, config.preview_ocio_input_space,
            config.preview_exr_layer};
}

void set_still_settings(StillSettings settings) {
    std::lock_guard lock(g_settings_mutex);
    g_settings = std::move(settings);
}

StillSettings still_settings() {
    std::lock_guard lock(g_settings_mutex);
    return g_settings;
}

bool is_still_extension(const std::string& extension) {
    static const std::set<std::string> stills = {"exr", "dpx", "tif",  "tiff", "hdr", "tga",
                                                  "psd", "psb", "jp2", "webp", "heic"};
    return stills.count(extension) > 0;
}

float srgb_encode(float linear) {
    if (!(linear > 0.0f)) // NaN too
        return 0.0f;
    if (linear >= 1.0f)
        return 1.0f;
    return linear <= 0.0031308f ? 12.92f * linear : 1.055f * std::pow(linear, 1.0f / 2.4f) - 0.055f;
}

DisplayPixels decode_still(const fs::path& source, const StillSettings& settings) {
    DisplayPixels result;
    auto in = OIIO::ImageInput::open(source.string());
    if (!in) {
        log::warning("OpenImageIO: " + OIIO::geterror());
        result.reason = "the picture cannot be read";
        return result;
    }
    int part = 0;
    OIIO::ImageSpec spec = in->spec();
    std::string layer = settings.exr_layer;
    if (!layer.empty()) {
        part = part_of_layer(*in, layer, spec);
        if (part < 0) { // not in this file: the first part's RGBA, as without the setting
            part = 0;
            in->seek_subimage(0, 0);
            spec = in->spec();
        }
        if (spec.get_string_attribute("oiio:subimagename") == layer && !channels_of_layer(spec, layer + ".").found())
            layer.clear(); // a part named after the layer: its own RGBA
    }
    if (result.reason = too_large(spec); !result.reason.empty())
        return result;
    const Channels channels = pick_channels(spec, channels_of_layer(spec, layer + ".").found() ? layer : "");
    if (!channels.found()) {
        result.reason = "the picture has no colour channels";
        return result;
    }
    const int first = std::min({channels.red, channels.green, channels.blue,
                                channels.alpha >= 0 ? channels.alpha : channels.red});
    const int last = std::max({channels.red, channels.green, channels.blue, channels.alpha}) + 1;
    const int span = last - first;
    const size_t count = size_t(spec.width) * size_t(spec.height);
    std::vector<float> read(count * size_t(span));
    if (!in->read_image(part, 0, first, last, OIIO::TypeDesc::FLOAT, read.data())) {
        log::warning("OpenImageIO: " + in->geterror());
        result.reason = "the picture cannot be decoded (truncated or damaged)";
        return result;
    }
    const bool alpha = channels.alpha >= 0;
    std::vector<float> rgba(count * 4);
    for (size_t p = 0; p < count; ++p) {
        const float* px = read.data() + p * size_t(span);
        rgba[p * 4 + 0] = px[channels.red - first];
        rgba[p * 4 + 1] = px[channels.green - first];
        rgba[p * 4 + 2] = px[channels.blue - first];
        rgba[p * 4 + 3] = alpha ? px[channels.alpha - first] : 1.0f;
    }
    read = {};
    const Encoding encoding = encoding_of(spec);
    const bool with_config = !settings.ocio_config.empty();
    if (with_config) {
        if (result.reason = ocio_transform(rgba, spec.width, spec.height, spec, encoding, settings);
            !result.reason.empty())
            return result;
    }
    // Without a config: linear light gets the sRGB transfer, log is made linear first.
    const bool srgb = !with_config && encoding != Encoding::display;
    const bool from_log = !with_config && encoding == Encoding::log;
    result.width = spec.width;
    result.height = spec.height;
    result.channels = alpha ? 4 : 3;
    result.pixels.resize(count * size_t(result.channels));
    for (size_t p = 0; p < count; ++p)
        for (int c = 0; c < result.channels; ++c) {
            const float v = rgba[p * 4 + size_t(c)];
            result.pixels[p * size_t(result.channels) + size_t(c)] =
                c == 3 || !srgb ? plain_byte(v) : srgb_byte(from_log ? cineon_to_linear(v) : v); // alpha: coverage
        }
    result.ok = true;
    return result;
}

PictureVariants make_still_variants(const fs::path& source, const fs::path& out_dir) {
    const DisplayPixels still = decode_still(source, still_settings());
    if (!still.ok) {
        PictureVariants failed;
        failed.reason = still.reason;
        return failed;
    }
    return make_picture_variants(still.pixels.data(), still.width, still.height, still.channels, out_dir);
}

} // namespace slate::workers
