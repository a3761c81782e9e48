#pragma once
// bench/report.h: `slate-bench report`: the sample production served by `slate serve`, the
// routes that matter to users measured with wrk at 1, 16 and 64 connections beside the bare
// SQL of the same rows (and, with --against, another server loaded with the same production),
// written as a Markdown page with gnuplot plots.

#include <string>
#include <vector>

namespace slate::bench {

struct ReportOptions {
    std::string size = "small";
    unsigned long long seed = 1;
    double seconds = 5;                      ///< per route and connection count
    std::vector<int> connections = {1, 16, 64};
    std::string out = "bench-report";        ///< folder of report.md and the plots
    std::string against;                     ///< another server's URL, or empty
    bool media = true;                       ///< the media half (Slate's jobs beside ffmpeg, vipsthumbnail)
    double clip_seconds = 10;                ///< the media half's 1080p clip
};

int run_report(const ReportOptions& options);

} // namespace slate::bench
