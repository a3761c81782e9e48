#pragma once
// workers/vips_handles.h: libvips images owned by unique_ptr, and libvips' error text as a
// reason. Private to workers' .cpp files.

#include <vips/vips.h>

#include <memory>
#include <string>

namespace slate::workers::vips {

struct ImageDeleter {
    void operator()(VipsImage* image) const { g_object_unref(image); }
};
using Image = std::unique_ptr<VipsImage, ImageDeleter>;

/// "<what>: <libvips' error buffer>", the buffer cleared.
inline std::string reason(const std::string& what) {
    std::string message = vips_error_buffer();
    vips_error_clear();
    while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
        message.pop_back();
    return what + (message.empty() ? "" : ": " + message);
}

} // namespace slate::workers::vips
