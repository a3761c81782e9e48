// workers/fabric_objects.cpp: reading Kitsu's fabric.js objects (fabric_objects.h).
#include "workers/fabric_objects.h"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <numbers>
#include <regex>

namespace slate::workers::fabric {
using Poco::JSON::Array;
using Poco::JSON::Object;

/// A value read as Python's `obj.get(key, fallback) or fallback`: missing, null, zero and
/// non-numbers give the fallback.
double number(const Object& object, const std::string& key, double fallback) {
    if (!object.has(key))
        return fallback;
    const Poco::Dynamic::Var value = object.get(key);
    if (value.isEmpty() || !value.isNumeric() || value.isBoolean())
        return fallback;
    const double read = value.convert<double>();
    return std::isfinite(read) && read != 0 ? read : fallback;
}

/// Whether `key` holds a value (Python's `is not None`).
bool present(const Object& object, const std::string& key) {
    return object.has(key) && !object.get(key).isEmpty();
}

std::string text_of(const Object& object, const std::string& key) {
    if (!present(object, key))
        return {};
    const Poco::Dynamic::Var value = object.get(key);
    return value.isString() ? value.convert<std::string>() : std::string();
}

Object::Ptr object_of(const Object& object, const std::string& key) {
    return object.has(key) ? object.getObject(key) : nullptr;
}

std::vector<Object::Ptr> objects_of(const Object& object, const std::string& key) {
    std::vector<Object::Ptr> out;
    const Array::Ptr list = object.has(key) ? object.getArray(key) : nullptr;
    if (!list)
        return out;
    for (unsigned i = 0; i < list->size(); ++i)
        if (const auto item = list->getObject(i))
            out.push_back(item);
    return out;
}

// ---- colours ----------------------------------------------------------------------------

namespace {

int hex_digit(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

std::optional<Colour> named_colour(std::string name) {
    static const std::vector<std::pair<std::string, Colour>> names = {
        {"black", {0, 0, 0}},      {"white", {255, 255, 255}},  {"red", {255, 0, 0}},       {"lime", {0, 255, 0}},
        {"green", {0, 128, 0}},    {"blue", {0, 0, 255}},       {"yellow", {255, 255, 0}},  {"cyan", {0, 255, 255}},
        {"aqua", {0, 255, 255}},   {"magenta", {255, 0, 255}},  {"fuchsia", {255, 0, 255}}, {"orange", {255, 165, 0}},
        {"purple", {128, 0, 128}}, {"pink", {255, 192, 203}},   {"grey", {128, 128, 128}},  {"gray", {128, 128, 128}},
        {"brown", {165, 42, 42}},  {"navy", {0, 0, 128}},       {"teal", {0, 128, 128}},    {"olive", {128, 128, 0}},
        {"maroon", {128, 0, 0}},   {"silver", {192, 192, 192}}, {"gold", {255, 215, 0}},    {"violet", {238, 130, 238}},
    };
    for (auto& c : name)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const auto& [known, colour] : names)
        if (known == name)
            return colour;
    return std::nullopt;
}

} // namespace

/// Zou's _parse_color: CSS rgb()/rgba() (alpha 0..1, or 0..255 beyond 1), #rgb, #rgba,
/// #rrggbb, #rrggbbaa and colour names; "", "transparent" and anything else give nothing.
std::optional<Colour> parse_colour(const std::string& text) {
    static const std::regex css(R"(^\s*rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*(?:,\s*(\d*\.?\d+)\s*)?\)\s*$)",
                                std::regex::icase);
    if (text.empty() || text == "transparent" || text.size() > 64)
        return std::nullopt;
    std::smatch match;
    if (std::regex_match(text, match, css)) {
        Colour colour{std::min(255, std::stoi(match[1].str().substr(0, 4))),
                      std::min(255, std::stoi(match[2].str().substr(0, 4))),
                      std::min(255, std::stoi(match[3].str().substr(0, 4)))};
        if (match[4].matched) {
            const double alpha = std::stod(match[4].str());
            colour.a = alpha <= 1 ? static_cast<int>(std::lround(alpha * 255))
                                  : static_cast<int>(std::clamp<long>(std::lround(alpha), 0, 255));
        }
        return colour;
    }
    if (text[0] == '#') {
        const std::string hex = text.substr(1);
        for (const char c : hex)
            if (hex_digit(c) < 0)
                return std::nullopt;
        auto pair = [&](size_t at) { return hex_digit(hex[at]) * 16 + hex_digit(hex[at + 1]); };
        auto single = [&](size_t at) { return hex_digit(hex[at]) * 17; };
        if (hex.size() == 3 || hex.size() == 4)
            return Colour{single(0), single(1), single(2), hex.size() == 4 ? single(3) : 255};
        if (hex.size() == 6 || hex.size() == 8)
            return Colour{pair(0), pair(2), pair(4), hex.size() == 8 ? pair(6) : 255};
        return std::nullopt;
    }
    return named_colour(text);
}

std::optional<Colour> colour_of(const Object& object, const std::string& key) {
    return parse_colour(text_of(object, key));
}

std::optional<Colour> stroke_colour(const Object& object) {
    return colour_of(object, "stroke");
}
std::optional<Colour> fill_colour(const Object& object) {
    return colour_of(object, "fill");
}

/// For shapes whose body is their stroke: the stroke, else the fill, else black.
Colour line_colour(const Object& object) {
    if (const auto stroke = stroke_colour(object))
        return *stroke;
    if (const auto fill = fill_colour(object))
        return *fill;
    return Colour{};
}

// ---- placement (Zou's _make_object_transform and friends) -------------------------------

Box box_of(const Object& object, const std::vector<Point>& anchors) {
    Box box{number(object, "left", 0), number(object, "top", 0), number(object, "width", 0),
            number(object, "height", 0)};
    if (anchors.empty())
        return box;
    double min_x = anchors[0].x, max_x = anchors[0].x, min_y = anchors[0].y, max_y = anchors[0].y;
    for (const Point& p : anchors) {
        min_x = std::min(min_x, p.x);
        max_x = std::max(max_x, p.x);
        min_y = std::min(min_y, p.y);
        max_y = std::max(max_y, p.y);
    }
    if (!present(object, "left"))
        box.left = min_x;
    if (!present(object, "top"))
        box.top = min_y;
    if (!present(object, "width"))
        box.width = max_x - min_x;
    if (!present(object, "height"))
        box.height = max_y - min_y;
    return box;
}

Placement placement(const Object& object, const Box& box, double pivot_x, double pivot_y) {
    const double angle = number(object, "angle", 0) * std::numbers::pi / 180;
    Placement p;
    p.cos_a = std::cos(angle);
    p.sin_a = std::sin(angle);
    p.scale_x = number(object, "scaleX", 1);
    p.scale_y = number(object, "scaleY", 1);
    p.pivot_x = pivot_x;
    p.pivot_y = pivot_y;
    const double naive_cx = box.left + box.width / 2 * p.scale_x;
    const double naive_cy = box.top + box.height / 2 * p.scale_y;
    p.cx = box.left + (naive_cx - box.left) * p.cos_a - (naive_cy - box.top) * p.sin_a;
    p.cy = box.top + (naive_cx - box.left) * p.sin_a + (naive_cy - box.top) * p.cos_a;
    return p;
}

/// For rect, ellipse, text: local coordinates in the (0,0)–(w,h) box.
Placement box_placement(const Object& object, double width, double height) {
    Box box{number(object, "left", 0), number(object, "top", 0), width, height};
    return placement(object, box, width / 2, height / 2);
}

/// For paths, polylines, lines, brush strokes: local coordinates centred on the path offset,
/// else on the anchors' bounding-box centre.
Placement centred_placement(const Object& object, const std::vector<Point>& anchors, std::optional<Point> offset) {
    const Box box = box_of(object, anchors);
    Point pivot{box.left + box.width / 2, box.top + box.height / 2};
    if (!offset)
        if (const auto path_offset = object_of(object, "pathOffset"); path_offset && path_offset->size() > 0)
            offset = Point{number(*path_offset, "x", 0), number(*path_offset, "y", 0)};
    if (offset) {
        pivot = *offset;
    } else if (!anchors.empty()) {
        const Box bounds = box_of(Object(), anchors);
        pivot = {bounds.left + bounds.width / 2, bounds.top + bounds.height / 2};
    }
    return placement(object, box, pivot.x, pivot.y);
}

// ---- path commands ------------------------------------------------------------------------

std::vector<Command> path_commands(const Object& object) {
    std::vector<Command> commands;
    if (!object.has("path"))
        return commands;
    const Poco::Dynamic::Var raw = object.get("path");
    if (raw.isString()) {
        static const std::regex command(R"(([MLQCZmlqcz])\s*([^MLQCZmlqcz]*))");
        static const std::regex value(R"(-?\d+(?:\.\d+)?)");
        const std::string text = raw.convert<std::string>();
        for (auto it = std::sregex_iterator(text.begin(), text.end(), command); it != std::sregex_iterator(); ++it) {
            Command parsed{static_cast<char>(std::toupper(static_cast<unsigned char>((*it)[1].str()[0]))), {}};
            const std::string numbers = (*it)[2].str();
            for (auto n = std::sregex_iterator(numbers.begin(), numbers.end(), value); n != std::sregex_iterator(); ++n)
                parsed.values.push_back(std::stod(n->str()));
            commands.push_back(std::move(parsed));
        }
        return commands;
    }
    const Array::Ptr list = object.getArray("path");
    if (!list)
        return commands;
    for (unsigned i = 0; i < list->size(); ++i) {
        const Array::Ptr item = list->getArray(i);
        if (!item || item->size() == 0 || !item->get(0).isString())
            continue;
        const std::string op = item->get(0).convert<std::string>();
        if (op.empty())
            continue;
        Command parsed{static_cast<char>(std::toupper(static_cast<unsigned char>(op[0]))), {}};
        for (unsigned k = 1; k < item->size(); ++k)
            parsed.values.push_back(item->get(k).isNumeric() ? item->get(k).convert<double>() : 0.0);
        commands.push_back(std::move(parsed));
    }
    return commands;
}

/// The end point of each M/L/Q/C command: enough to bound the path.
std::vector<Point> path_anchors(const std::vector<Command>& commands) {
    std::vector<Point> points;
    for (const Command& c : commands) {
        const auto& v = c.values;
        if ((c.op == 'M' || c.op == 'L') && v.size() >= 2)
            points.push_back({v[0], v[1]});
        else if (c.op == 'Q' && v.size() >= 4)
            points.push_back({v[2], v[3]});
        else if (c.op == 'C' && v.size() >= 6)
            points.push_back({v[4], v[5]});
    }
    return points;
}

std::vector<Point> point_list(const Object& object, const std::string& key) {
    std::vector<Point> points;
    for (const auto& item : objects_of(object, key))
        points.push_back({number(*item, "x", 0), number(*item, "y", 0)});
    return points;
}

} // namespace slate::workers::fabric
