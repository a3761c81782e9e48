#pragma once
// workers/annotation_overlay.h: a Kitsu annotation (the fabric.js drawing of the review
// player) burnt into a picture, for the extract-annotated-frame(s) routes.
//
// The drawing is turned into SVG in the picture's pixels, placed as Zou's server-side
// renderer places each object (zou/app/utils/annotations.py: fabric's transform of left,
// top, scale, angle and path offset; canvasWidth/Height scaled to the picture; the same
// stroke widths and colour fall-backs), then rasterised anti-aliased by libvips (librsvg)
// and composited over the picture. Unknown object types are skipped, as Zou does.

#include <Poco/JSON/Object.h>

#include <filesystem>
#include <string>

namespace slate::workers {

/// The SVG document, `width`×`height` pixels, of the annotation's `drawing.objects`. Every
/// value taken from the annotation is checked or escaped: the text is safe to rasterise.
std::string annotation_svg(const Poco::JSON::Object& annotation, int width, int height);

struct AnnotatedPicture {
    bool ok = false;
    std::string reason;
    int width = 0, height = 0;
};

/// `picture` (any format libvips reads) with the annotation drawn over it, written as an RGB
/// PNG to `output`. Never throws.
AnnotatedPicture render_annotated_picture(const std::filesystem::path& picture, const Poco::JSON::Object& annotation,
                                          const std::filesystem::path& output);

} // namespace slate::workers
