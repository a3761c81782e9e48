#pragma once
// bench/report_media.h: the media half of `slate-bench report`: Slate's media jobs (movie
// upload, frame and thumbnails, tile sheet, picture upload) timed in-process through their
// public entry points, beside the command lines Zou runs for the same work (ffmpeg; libvips'
// vipsthumbnail standing in for Zou's Pillow) on the same inputs.

#include "engine/fwd.h"

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

namespace slate::bench {

struct MediaRow {
    std::string work;                     ///< "movie upload: the whole job"
    std::string input;                    ///< "10 s of 1920×1080 at 25 fps"
    std::string plot_label;               ///< "movie upload, 10 s 1080p"
    double slate_wall = 0, slate_cpu = 0; ///< seconds; wall 0: not measured
    double cli_wall = 0, cli_cpu = 0;     ///< seconds; wall 0: not measured
    std::string slate_how;                ///< the entry point timed
    std::vector<std::string> commands;    ///< the command lines timed (one per program run)
    std::string missing;                  ///< why a side was not measured
};

/// Measures the media jobs on the sample media of `samples` (its movie/previews.mp4 and
/// picture/original.png) and on inputs made at a fixed size (a 1080p clip, a 4K JPEG),
/// with previews of the loaded sample production `project_id` as the jobs' rows. Work files go
/// under `scratch`; the 1080p clip lasts `clip_seconds`.
std::vector<MediaRow> measure_media(engine::db::Connection& c, const engine::Config& config,
                                    const std::string& project_id, const std::filesystem::path& samples,
                                    const std::filesystem::path& scratch, double clip_seconds = 10);

/// The section of the report: the table, what was run, and a plot (media.png in `out`) when
/// gnuplot is there.
void write_media_section(const std::vector<MediaRow>& rows, const std::filesystem::path& out, std::ostream& md);

} // namespace slate::bench
