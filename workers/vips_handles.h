#pragma once
// workers/vips_handles.h: libvips images owned by unique_ptr, and libvips' error text as a
// reason. Private to workers' .cpp files.

#include "engine/log.h"

#include <vips/vips.h>

#include <memory>
#include <string>

namespace slate::workers::vips {

struct ImageDeleter {
    void operator()(VipsImage* image) const { g_object_unref(image); }
};
using Image = std::unique_ptr<VipsImage, ImageDeleter>;

/// The reason a job gives for a libvips failure: `what` failed, in our words. libvips' own
/// text goes to the log only: its error buffer is one for the whole process, so under the
/// worker pool it may hold another job's message (and it names files and library internals,
/// which a user's answer must not show).
inline std::string reason(const std::string& what) {
    std::string message = vips_error_buffer();
    vips_error_clear();
    while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
        message.pop_back();
    if (!message.empty())
        log::warning(what + " (libvips, possibly mixed with other jobs' errors: " + message + ")");
    return what;
}

} // namespace slate::workers::vips
