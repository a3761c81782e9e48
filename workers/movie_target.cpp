#include "workers/movie_target.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numeric>

namespace slate::workers {
namespace {

bool is_digits(std::string_view text, size_t min, size_t max) {
    if (text.size() < min || text.size() > max)
        return false;
    for (char c : text)
        if (c < '0' || c > '9')
            return false;
    return true;
}

/// `^\d{3,4}x\d{3,4}$`
bool is_full_resolution(std::string_view text) {
    const size_t x = text.find('x');
    return x != std::string_view::npos && is_digits(text.substr(0, x), 3, 4) && is_digits(text.substr(x + 1), 3, 4);
}

/// `^x\d{3,4}$`
bool is_height_only(std::string_view text) {
    return !text.empty() && text.front() == 'x' && is_digits(text.substr(1), 3, 4);
}

int to_int(std::string_view digits) {
    int value = 0;
    for (char c : digits)
        value = value * 10 + (c - '0');
    return value;
}

int round_up_to_even(int value) {
    return value % 2 == 1 ? value + 1 : value;
}

std::string trimmed(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n'))
        text.remove_suffix(1);
    std::string out(text);
    for (char& c : out)
        if (c == ',')
            c = '.';
    return out;
}

/// A positive finite number written in full, as Python's float() reads it; nullopt else.
std::optional<double> positive_number(std::string_view text) {
    const std::string clean = trimmed(text);
    if (clean.empty())
        return std::nullopt;
    char* end = nullptr;
    const double value = std::strtod(clean.c_str(), &end);
    if (end != clean.c_str() + clean.size() || !std::isfinite(value) || value <= 0)
        return std::nullopt;
    return value;
}

FrameRate reduced(int64_t num, int64_t den) {
    const int64_t divisor = std::gcd(num, den);
    return {static_cast<int>(num / divisor), static_cast<int>(den / divisor)};
}

} // namespace

std::string_view pick_resolution(std::string_view entity_resolution, std::string_view project_resolution) {
    return is_full_resolution(entity_resolution) ? entity_resolution : project_resolution;
}

MovieSize movie_target_size(std::string_view resolution, int source_width, int source_height) {
    int width = 0;
    int height = 1080;
    bool width_known = false;
    if (is_full_resolution(resolution)) {
        const size_t x = resolution.find('x');
        width = to_int(resolution.substr(0, x));
        height = to_int(resolution.substr(x + 1));
        width_known = true;
    } else if (is_height_only(resolution)) {
        height = to_int(resolution.substr(1));
    }
    if (!width_known) {
        if (source_width <= 0 || source_height <= 0)
            return {0, round_up_to_even(height)};
        width = static_cast<int>(std::floor(double(source_width) / double(source_height) * height));
    }
    return {round_up_to_even(width), round_up_to_even(height)};
}

MovieSize lowdef_size(MovieSize hd) {
    if (hd.width <= 0 || hd.height <= 0)
        return {0, 0};
    const int height = static_cast<int>(std::floor(double(hd.height) / double(hd.width) * 1280.0));
    return {1280, round_up_to_even(height)};
}

std::string movie_fps_text(std::string_view project_fps, std::string_view entity_fps) {
    std::optional<double> value = positive_number(entity_fps);
    if (!value)
        value = positive_number(project_fps);
    char text[64];
    std::snprintf(text, sizeof text, "%.3f", value ? *value : 25.0);
    return text;
}

std::optional<FrameRate> parse_frame_rate(std::string_view text) {
    const std::string clean = trimmed(text);
    if (const size_t slash = clean.find('/'); slash != std::string::npos) {
        const std::string_view num = std::string_view(clean).substr(0, slash);
        const std::string_view den = std::string_view(clean).substr(slash + 1);
        if (!is_digits(num, 1, 9) || !is_digits(den, 1, 9) || to_int(den) == 0 || to_int(num) == 0)
            return std::nullopt;
        const FrameRate rate = reduced(to_int(num), to_int(den));
        if (rate.value() > 1000.0)
            return std::nullopt;
        return rate;
    }
    // An exact decimal: digits, then at most 6 decimals kept (more are dropped).
    const size_t point = clean.find('.');
    const std::string_view whole = std::string_view(clean).substr(0, point);
    std::string_view fraction =
        point == std::string::npos ? std::string_view{} : std::string_view(clean).substr(point + 1);
    if (!is_digits(whole, 1, 4) || (point != std::string::npos && !is_digits(fraction, 1, 64)))
        return std::nullopt;
    if (fraction.size() > 6)
        fraction = fraction.substr(0, 6);
    int64_t den = 1;
    int64_t num = to_int(whole);
    for (char c : fraction) {
        num = num * 10 + (c - '0');
        den *= 10;
    }
    if (num == 0 || num > 1000 * den)
        return std::nullopt;
    const double value = double(num) / double(den);
    // NTSC rates (N·1000/1001) are written rounded: 23.976, 29.97, 59.94.
    if (num % den != 0) {
        const int64_t n = std::llround(value * 1001.0 / 1000.0);
        const double ntsc = double(n) * 1000.0 / 1001.0;
        if (n > 0 && std::abs(value - ntsc) < 0.0006)
            return reduced(n * 1000, 1001);
    }
    return reduced(num, den);
}

} // namespace slate::workers
