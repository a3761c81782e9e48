// workers/annotation_overlay.cpp: fabric.js annotations as SVG, burnt into pictures
// (annotation_overlay.h). Geometry follows Zou's renderer; drawing is librsvg's, through
// libvips, so every shape is anti-aliased.
#include "workers/annotation_overlay.h"

#include "workers/fabric_objects.h"
#include "workers/picture_variants.h"
#include "workers/vips_handles.h"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <memory>
#include <numbers>
#include <optional>
#include <sstream>
#include <vector>

namespace fs = std::filesystem;

namespace slate::workers {
namespace {

using vips::Image;

using Poco::JSON::Array;
using Poco::JSON::Object;
using namespace fabric;
using fabric::Placement; // not the thumbnail placement of picture_variants.h
using fabric::Point;
using std::numbers::pi;

std::string paint(const char* property, const std::optional<Colour>& colour) {
    std::ostringstream out;
    if (!colour) {
        out << ' ' << property << "=\"none\"";
        return out.str();
    }
    out << ' ' << property << "=\"rgb(" << colour->r << ',' << colour->g << ',' << colour->b << ")\"";
    if (colour->a != 255)
        out << ' ' << property << "-opacity=\"" << colour->a / 255.0 << '"';
    return out.str();
}

// ---- SVG writing -----------------------------------------------------------------------------

std::string xml_escape(const std::string& text) {
    std::string out;
    for (const char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        default:
            if (static_cast<unsigned char>(c) >= 0x20 || c == '\t')
                out.push_back(c);
        }
    }
    return out;
}

class SvgWriter {
public:
    SvgWriter(double scale_x, double scale_y) : m_scale_x(scale_x), m_scale_y(scale_y) {
        m_out.setf(std::ios::fixed);
        m_out.precision(2);
    }

    std::string take() { return m_out.str(); }
    std::ostringstream& out() { return m_out; }

    /// A canvas point in picture pixels.
    Point image(Point canvas) const { return {canvas.x * m_scale_x, canvas.y * m_scale_y}; }

    void draw(const Object& object, int depth = 0) {
        if (depth > 16)
            return; // groups nested deeper than any drawing tool makes
        const auto eraser = object_of(object, "eraser");
        if (eraser) {
            const int mask = m_next_mask++;
            m_out << "<mask id=\"erase" << mask << "\" maskUnits=\"userSpaceOnUse\">"
                  << "<rect x=\"-1e5\" y=\"-1e5\" width=\"2e5\" height=\"2e5\" fill=\"white\"/>";
            erase(object, *eraser);
            m_out << "</mask><g mask=\"url(#erase" << mask << ")\">";
        }
        shape(object, depth);
        if (eraser)
            m_out << "</g>";
    }

private:
    int stroke_width(const Object& object) const {
        return std::max(1, static_cast<int>(std::lround(number(object, "strokeWidth", 1) * m_scale_x)));
    }

    /// Zou draws an outline only where a stroke colour is set.
    int outline_width(const Object& object) const { return stroke_colour(object) ? stroke_width(object) : 0; }

    void points_attribute(const std::vector<Point>& points) {
        m_out << " points=\"";
        for (const Point& p : points)
            m_out << p.x << ',' << p.y << ' ';
        m_out << '"';
    }

    void polygon(const std::vector<Point>& points, const Object& object) {
        const auto fill = fill_colour(object);
        const int outline = outline_width(object);
        if (!fill && outline == 0)
            return;
        m_out << "<polygon";
        points_attribute(points);
        m_out << paint("fill", fill) << paint("stroke", outline ? stroke_colour(object) : std::nullopt);
        if (outline)
            m_out << " stroke-width=\"" << outline << "\" stroke-linejoin=\"round\"";
        m_out << "/>";
    }

    void polyline(const std::vector<Point>& points, const Colour& colour, int width) {
        if (points.size() < 2)
            return;
        m_out << "<polyline";
        points_attribute(points);
        m_out << " fill=\"none\"" << paint("stroke", colour) << " stroke-width=\"" << width
              << "\" stroke-linecap=\"round\" stroke-linejoin=\"round\"/>";
    }

    /// A path's commands as SVG path data, each point taken through `to_image`.
    template <typename ToImage>
    void path_data(const std::vector<Command>& commands, const ToImage& to_image) {
        bool started = false;
        auto point = [&](double x, double y) {
            const Point p = to_image(x, y);
            m_out << p.x << ' ' << p.y << ' ';
        };
        for (const Command& c : commands) {
            const auto& v = c.values;
            if (c.op == 'M' && v.size() >= 2) {
                m_out << "M ";
                point(v[0], v[1]);
                started = true;
            } else if (c.op == 'L' && v.size() >= 2) {
                m_out << (started ? "L " : "M ");
                point(v[0], v[1]);
                started = true;
            } else if (c.op == 'Q' && v.size() >= 4) {
                if (!started) {
                    m_out << "M ";
                    point(v[0], v[1]);
                    started = true;
                }
                m_out << "Q ";
                point(v[0], v[1]);
                point(v[2], v[3]);
            } else if (c.op == 'C' && v.size() >= 6) {
                if (!started) {
                    m_out << "M ";
                    point(v[0], v[1]);
                    started = true;
                }
                m_out << "C ";
                point(v[0], v[1]);
                point(v[2], v[3]);
                point(v[4], v[5]);
            } else if (c.op == 'Z' && started) {
                m_out << "Z ";
            }
        }
    }

    void shape(const Object& object, int depth) {
        std::string type = text_of(object, "type");
        for (auto& c : type)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (type == "path")
            path(object);
        else if (type == "psstroke")
            brush_stroke(object);
        else if (type == "rect")
            rect(object);
        else if (type == "circle" || type == "ellipse")
            ellipse(object);
        else if (type == "line")
            line(object, false);
        else if (type == "arrow")
            line(object, true);
        else if (type == "polyline" || type == "polygon")
            poly(object, type == "polygon");
        else if (type == "i-text" || type == "text" || type == "textbox")
            text(object);
        else if (type == "group")
            for (const auto& child : objects_of(object, "objects"))
                draw(*child, depth + 1);
    }

    void path(const Object& object) {
        const auto commands = path_commands(object);
        if (commands.empty())
            return;
        const Placement place = centred_placement(object, path_anchors(commands));
        m_out << "<path d=\"";
        path_data(commands, [&](double x, double y) { return image(place(x, y)); });
        m_out << "\" fill=\"none\"" << paint("stroke", line_colour(object)) << " stroke-width=\""
              << stroke_width(object) << "\" stroke-linecap=\"round\" stroke-linejoin=\"round\"/>";
    }

    /// The pen of Kitsu (fabricjs-psbrush): each segment as wide as its first point's
    /// pressure, round joins.
    void brush_stroke(const Object& object) {
        const auto points = objects_of(object, "strokePoints");
        if (points.size() < 2)
            return;
        std::vector<Point> anchors;
        for (const auto& p : points)
            anchors.push_back({number(*p, "x", 0), number(*p, "y", 0)});
        std::optional<Point> offset;
        if (const auto stroke_offset = object_of(object, "strokeOffset"); stroke_offset && stroke_offset->size() > 0)
            offset = Point{number(*stroke_offset, "x", 0), number(*stroke_offset, "y", 0)};
        const Placement place = centred_placement(object, anchors, offset);
        const double base = number(object, "strokeWidth", 1) * m_scale_x;
        const std::string colour = paint("stroke", line_colour(object));
        for (size_t i = 0; i + 1 < points.size(); ++i) {
            const double pressure = present(*points[i], "pressure") && points[i]->get("pressure").isNumeric()
                                        ? points[i]->get("pressure").convert<double>()
                                        : 1.0;
            const int width = std::max(1, static_cast<int>(std::lround(pressure * base)));
            const Point a = image(place(anchors[i].x, anchors[i].y));
            const Point b = image(place(anchors[i + 1].x, anchors[i + 1].y));
            m_out << "<line x1=\"" << a.x << "\" y1=\"" << a.y << "\" x2=\"" << b.x << "\" y2=\"" << b.y << '"'
                  << colour << " stroke-width=\"" << width << "\" stroke-linecap=\"round\"/>";
        }
    }

    void rect(const Object& object) {
        const double width = number(object, "width", 0), height = number(object, "height", 0);
        if (width <= 0 || height <= 0)
            return;
        const Placement place = box_placement(object, width, height);
        polygon({image(place(0, 0)), image(place(width, 0)), image(place(width, height)), image(place(0, height))},
                object);
    }

    void ellipse(const Object& object) {
        double width = 0, height = 0;
        if (present(object, "rx") || present(object, "ry")) {
            width = number(object, "rx", 0) * 2;
            height = number(object, "ry", 0) * 2;
        } else if (present(object, "radius")) {
            width = height = number(object, "radius", 0) * 2;
        } else {
            width = number(object, "width", 0);
            height = number(object, "height", 0);
        }
        if (width <= 0 || height <= 0)
            return;
        const Placement place = box_placement(object, width, height);
        std::vector<Point> points;
        constexpr int samples = 64;
        for (int i = 0; i < samples; ++i) {
            const double t = 2 * pi * i / samples;
            points.push_back(image(place(width / 2 + width / 2 * std::cos(t), height / 2 + height / 2 * std::sin(t))));
        }
        polygon(points, object);
    }

    /// A line, or Kitsu's arrow: the body stops inside the head so the round cap does not
    /// poke through its tip.
    void line(const Object& object, bool arrow) {
        const Point from{number(object, "x1", 0), number(object, "y1", 0)};
        const Point to{number(object, "x2", 0), number(object, "y2", 0)};
        const Placement place = centred_placement(object, {from, to});
        const Point a = image(place(from.x, from.y));
        const Point b = image(place(to.x, to.y));
        const Colour colour = line_colour(object);
        const double head = arrow ? number(object, "arrowHeadSize", 15) * m_scale_x : 0;
        const double angle = std::atan2(b.y - a.y, b.x - a.x);
        const Point body_end =
            head > 0 ? Point{b.x - head * 0.7 * std::cos(angle), b.y - head * 0.7 * std::sin(angle)} : b;
        polyline({a, body_end}, colour, stroke_width(object));
        if (head <= 0)
            return;
        const Point left{b.x - head * std::cos(angle - pi / 6), b.y - head * std::sin(angle - pi / 6)};
        const Point right{b.x - head * std::cos(angle + pi / 6), b.y - head * std::sin(angle + pi / 6)};
        m_out << "<polygon";
        points_attribute({b, left, right});
        m_out << paint("fill", colour) << "/>";
    }

    void poly(const Object& object, bool closed) {
        const auto anchors = point_list(object, "points");
        const Placement place = centred_placement(object, anchors);
        std::vector<Point> points;
        for (const Point& p : anchors)
            points.push_back(image(place(p.x, p.y)));
        if (closed) {
            if (points.size() >= 3)
                polygon(points, object);
        } else {
            polyline(points, line_colour(object), stroke_width(object));
        }
    }

    /// Text centred where fabric centres its box, turned by its angle.
    void text(const Object& object) {
        const std::string content = text_of(object, "text");
        if (content.empty())
            return;
        const int font_size = std::max(
            1, static_cast<int>(std::lround(number(object, "fontSize", 16) * number(object, "scaleY", 1) * m_scale_y)));
        std::vector<std::string> lines;
        std::stringstream split(content);
        for (std::string line; std::getline(split, line);)
            lines.push_back(line);
        size_t longest = 0;
        for (const auto& l : lines)
            longest = std::max(longest, l.size());
        const double line_height = font_size * 1.16;
        // DejaVu Sans averages about 0.6 em per character: the box when fabric gave none.
        const double text_width = std::max(1.0, 0.6 * font_size * double(longest));
        const double text_height = std::max(1.0, line_height * double(lines.size()));
        const double box_w = number(object, "width", text_width / m_scale_x);
        const double box_h = number(object, "height", text_height / m_scale_y);
        const double cx = (number(object, "left", 0) + box_w / 2 * number(object, "scaleX", 1)) * m_scale_x;
        const double cy = (number(object, "top", 0) + box_h / 2 * number(object, "scaleY", 1)) * m_scale_y;
        const Colour colour = fill_colour(object)     ? *fill_colour(object)
                              : stroke_colour(object) ? *stroke_colour(object)
                                                      : Colour{};
        m_out << "<g transform=\"rotate(" << number(object, "angle", 0) << ' ' << cx << ' ' << cy << ")\">";
        if (const auto background = colour_of(object, "backgroundColor")) {
            m_out << "<rect x=\"" << cx - text_width / 2 << "\" y=\"" << cy - text_height / 2 << "\" width=\""
                  << text_width << "\" height=\"" << text_height << '"' << paint("fill", background) << "/>";
        }
        m_out << "<text font-family=\"DejaVu Sans, sans-serif\" font-size=\"" << font_size
              << "\" text-anchor=\"middle\" dominant-baseline=\"central\"" << paint("fill", colour) << '>';
        for (size_t i = 0; i < lines.size(); ++i)
            m_out << "<tspan x=\"" << cx << "\" y=\"" << cy + (double(i) - double(lines.size() - 1) / 2) * line_height
                  << "\">" << xml_escape(lines[i]) << "</tspan>";
        m_out << "</text></g>";
    }

    /// The eraser's strokes, black on the mask: they live in the parent's centred frame.
    void erase(const Object& parent, const Object& eraser) {
        const Placement parent_centred = placement(parent, box_of(parent, {}), 0, 0);
        const double parent_scale = number(parent, "scaleX", 1);
        for (const auto& child : objects_of(eraser, "objects")) {
            std::string type = text_of(*child, "type");
            for (auto& c : type)
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            if (type != "path")
                continue;
            const auto commands = path_commands(*child);
            if (commands.empty())
                continue;
            const Placement own = centred_placement(*child, path_anchors(commands));
            const int width =
                std::max(1, static_cast<int>(std::lround(number(*child, "strokeWidth", 1) * parent_scale * m_scale_x)));
            m_out << "<path d=\"";
            path_data(commands, [&](double x, double y) {
                const Point local = own(x, y);
                return image(parent_centred(local.x, local.y));
            });
            m_out << "\" fill=\"none\" stroke=\"black\" stroke-width=\"" << width
                  << "\" stroke-linecap=\"round\" stroke-linejoin=\"round\"/>";
        }
    }

    std::ostringstream m_out;
    double m_scale_x, m_scale_y;
    int m_next_mask = 0;
};

} // namespace

std::string annotation_svg(const Object& annotation, int width, int height) {
    std::ostringstream svg;
    svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
        << "\" viewBox=\"0 0 " << width << ' ' << height << "\">";
    const auto drawing = object_of(annotation, "drawing");
    if (drawing) {
        for (const auto& object : objects_of(*drawing, "objects")) {
            // Each object is scaled from the canvas it was drawn on to the picture.
            const double canvas_w = number(*object, "canvasWidth", width);
            const double canvas_h = number(*object, "canvasHeight", height);
            SvgWriter writer(width / canvas_w, height / canvas_h);
            writer.draw(*object);
            svg << writer.take();
        }
    }
    svg << "</svg>";
    return svg.str();
}

AnnotatedPicture render_annotated_picture(const fs::path& picture, const Object& annotation, const fs::path& output) {
    init_media_libraries();
    AnnotatedPicture result;
    Image base(vips_image_new_from_file(picture.c_str(), "access", VIPS_ACCESS_RANDOM, nullptr));
    if (!base) {
        result.reason = vips::reason("the picture cannot be read");
        return result;
    }
    VipsImage* step = nullptr;
    if (vips_colourspace(base.get(), &step, VIPS_INTERPRETATION_sRGB, nullptr) != 0) {
        result.reason = vips::reason("the picture cannot be converted to sRGB");
        return result;
    }
    Image srgb(step);
    if (vips_image_hasalpha(srgb.get())) {
        // Flattened on black as Zou's convert("RGB") of its RGBA composite.
        if (vips_flatten(srgb.get(), &step, nullptr) != 0) {
            result.reason = vips::reason("the picture cannot be flattened");
            return result;
        }
        srgb.reset(step);
    }
    if (vips_cast(srgb.get(), &step, VIPS_FORMAT_UCHAR, nullptr) != 0) {
        result.reason = vips::reason("the picture cannot be decoded");
        return result;
    }
    Image rgb(step);
    result.width = rgb->Xsize;
    result.height = rgb->Ysize;
    const std::string svg = annotation_svg(annotation, rgb->Xsize, rgb->Ysize);
    Image overlay;
    if (vips_svgload_buffer(const_cast<char*>(svg.data()), svg.size(), &step, nullptr) != 0) {
        result.reason = vips::reason("the annotation cannot be drawn");
        return result;
    }
    overlay.reset(step);
    if (vips_composite2(rgb.get(), overlay.get(), &step, VIPS_BLEND_MODE_OVER, nullptr) != 0) {
        result.reason = vips::reason("the annotation cannot be laid over the picture");
        return result;
    }
    Image composed(step);
    if (vips_flatten(composed.get(), &step, nullptr) != 0) {
        result.reason = vips::reason("the annotated picture cannot be flattened");
        return result;
    }
    Image flat(step);
    if (vips_cast(flat.get(), &step, VIPS_FORMAT_UCHAR, nullptr) != 0) {
        result.reason = vips::reason("the annotated picture cannot be converted");
        return result;
    }
    Image bytes(step);
    if (vips_pngsave(bytes.get(), output.c_str(), "strip", TRUE, nullptr) != 0) {
        result.reason = vips::reason("the annotated picture cannot be written");
        return result;
    }
    result.ok = true;
    return result;
}

} // namespace slate::workers
