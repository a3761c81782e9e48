#pragma once
// workers/fabric_objects.h: Kitsu's annotations are fabric.js objects; this reads them as Zou's
// renderer (zou/app/utils/annotations.py) does: numbers with Python's `or` fall-backs,
// CSS colours, fabric's placement of a shape (left, top, scale, angle, path offset), and SVG-like
// path commands. Private to the annotation renderer (annotation_overlay.cpp).

#include <Poco/JSON/Object.h>

#include <optional>
#include <string>
#include <vector>

namespace slate::workers::fabric {

using Poco::JSON::Object;

struct Point {
    double x = 0, y = 0;
};

// ---- values --------------------------------------------------------------------------------

/// A value read as Python's `obj.get(key, fallback) or fallback`: missing, null, zero and
/// non-numbers give the fallback.
double number(const Object& object, const std::string& key, double fallback);
/// Whether `key` holds a value (Python's `is not None`).
bool present(const Object& object, const std::string& key);
/// A text value, or "" when absent or not text.
std::string text_of(const Object& object, const std::string& key);
Object::Ptr object_of(const Object& object, const std::string& key);
/// The objects of an array value (other items skipped).
std::vector<Object::Ptr> objects_of(const Object& object, const std::string& key);

// ---- colours -------------------------------------------------------------------------------

struct Colour {
    int r = 0, g = 0, b = 0, a = 255;
};

/// Zou's _parse_color: CSS rgb()/rgba() (alpha 0..1, or 0..255 beyond 1), #rgb, #rgba,
/// #rrggbb, #rrggbbaa and colour names; "", "transparent" and anything else give nothing.
std::optional<Colour> parse_colour(const std::string& text);
std::optional<Colour> colour_of(const Object& object, const std::string& key);
std::optional<Colour> stroke_colour(const Object& object);
std::optional<Colour> fill_colour(const Object& object);
/// For shapes whose body is their stroke: the stroke, else the fill, else black.
Colour line_colour(const Object& object);

// ---- placement (Zou's _make_object_transform and friends) ---------------------------------

/// fabric's placement of a shape's local coordinates on the canvas:
/// T(centre) · R(angle) · S(scaleX, scaleY) · T(−pivot).
struct Placement {
    double cos_a = 1, sin_a = 0, scale_x = 1, scale_y = 1, cx = 0, cy = 0, pivot_x = 0, pivot_y = 0;

    Point operator()(double px, double py) const {
        const double sx = (px - pivot_x) * scale_x;
        const double sy = (py - pivot_y) * scale_y;
        return {sx * cos_a - sy * sin_a + cx, sx * sin_a + sy * cos_a + cy};
    }
};

/// The box a shape is placed by: its own left/top/width/height, each missing one taken from
/// the bounding box of its anchor points (fabric's calcDim on load).
struct Box {
    double left = 0, top = 0, width = 0, height = 0;
};

Box box_of(const Object& object, const std::vector<Point>& anchors);
Placement placement(const Object& object, const Box& box, double pivot_x, double pivot_y);
/// For rect, ellipse, text: local coordinates in the (0,0)–(w,h) box.
Placement box_placement(const Object& object, double width, double height);
/// For paths, polylines, lines, brush strokes: local coordinates centred on `offset`, else the
/// path offset, else the anchors' bounding-box centre.
Placement centred_placement(const Object& object, const std::vector<Point>& anchors,
                            std::optional<Point> offset = std::nullopt);

// ---- path commands -------------------------------------------------------------------------

struct Command {
    char op = 'M';
    std::vector<double> values;
};

/// The "path" of an object (fabric's array form or an SVG-like string), operators upper-cased
/// as Zou reads them.
std::vector<Command> path_commands(const Object& object);
/// The end point of each M/L/Q/C command: enough to bound the path.
std::vector<Point> path_anchors(const std::vector<Command>& commands);
/// The {x, y} objects of an array value.
std::vector<Point> point_list(const Object& object, const std::string& key);

} // namespace slate::workers::fabric
