// bench/main.cpp: slate-bench, the benchmark runner. Prints figures; decides nothing.

#include "connections_bench.h"
#include "crud_bench.h"
#include "events_bench.h"
#include "folders_bench.h"
#include "make_samples.h"
#include "movie_bench.h"
#include "movie_upload_bench.h"
#include "picture_bench.h"
#include "report.h"
#include "requests_bench.h"
#include "still_bench.h"
#include "upload_bench.h"

#include "engine/error.h"
#include "engine/log.h"
#include "engine/samples/sample_production.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

const char* usage = "usage: slate-bench crud [--size small|big|spec] [--seed N] [--requests N]\n"
                    "       slate-bench movie [--seconds S] [--size WxH] [--fps F]\n"
                    "       slate-bench movie-upload [--seconds S] [--size WxH] [--fps F] [--separate 1]\n"
                    "       slate-bench pictures [--count N]\n"
                    "       slate-bench uploads [--clients N] [--seconds S] [--size WxH]\n"
                    "       slate-bench requests [--size small|big|spec] [--seed N] [--seconds S] [--clients N]\n"
                    "       slate-bench connections [--idle N] [--seconds S]\n"
                    "       slate-bench events [--clients N] [--events N] [--rate R]\n"
                    "       slate-bench stills [--frames N]\n"
                    "       slate-bench make-samples --out DIR\n"
                    "       slate-bench create-folders [--size small|big|spec]\n"
                    "       slate-bench report [--size small|big|spec] [--seed N] [--seconds S] [--out DIR]\n"
                    "                          [--connections 1,16,64] [--against http://HOST:PORT]\n"
                    "                          [--media on|off] [--clip SECONDS]\n"
                    "  crud   GET /data/tasks (paginated) and /data/tasks/{id} at 2 and 16 clients,\n"
                    "         beside the bare SQL, on the sample production (default big) in a throw-away cluster\n"
                    "  movie  Zou's HD and LD movie normalisation of a generated clip (default 30 s of\n"
                    "         1920x1080 at 25 fps), in-process, beside the ffmpeg command when installed\n"
                    "  movie-upload  a movie upload's HD, LD, thumbnail and tile sheet from one decode, beside\n"
                    "         the ffmpeg command sequence Zou runs for them (default 30 s of 1920x1080 at 25 fps)\n"
                    "  pictures  thumbnails and Zou's picture variants of N mixed images on every core,\n"
                    "         beside vipsthumbnail when installed\n"
                    "  uploads  movie uploads over HTTP, 1 then N at once (default 8 of a 10 s 1920x1080\n"
                    "         clip): answer time, time until normalised, throughput, server memory\n"
                    "  requests  requests per second and p99 of small authenticated routes beside GET /api/,\n"
                    "         and of the paginated listings of the sample production (default big)\n"
                    "  connections  N idle keep-alive connections held (default 10000): the server's memory\n"
                    "         and an active client's latency beside them\n"
                    "  events  N clients on the event stream (default 1000) receiving events emitted at R per\n"
                    "         second: deliveries per second, commit-to-client latency, memory per client\n"
                    "  stills  a 4K EXR's four picture variants beside oiiotool, and N 1080p EXR frames\n"
                    "         (default 240) made into the HD and LD movies, frames per second\n"
                    "  make-samples  the sample media of samples/ (a clip, its frames and pictures), made\n"
                    "         by Slate's own media code\n"
                    "  create-folders  the sample production (default big: 200,000 tasks) and the simple tree:\n"
                    "         its folders rendered (dry run, 1 core and the pool) and made in a temporary folder,\n"
                    "         paths per second\n"
                    "  report  the sample production served by `slate serve`, the routes users wait on measured\n"
                    "         with wrk (median, p99, req/s) beside the bare SQL floor and, with --against, beside\n"
                    "         another server loaded with the same production; then (unless --media off) Slate's media\n"
                    "         jobs beside the ffmpeg and vipsthumbnail command lines (on the sample media, a 4K JPEG\n"
                    "         and a 1080p clip of --clip seconds, default 10): DIR/report.md and its plots\n";

int bad_usage() {
    std::fputs(usage, stderr);
    return 2;
}

/// The options of the sample production both CRUD benchmarks load: --size, --seed.
bool sample_option(const std::string& name, const std::string& value, std::string& size, unsigned long long& seed) {
    if (name == "--size")
        slate::engine::samples::sample_size(size = value); // a bad size: its clear error
    else if (name == "--seed" && !value.empty() && value.size() < 19 &&
             value.find_first_not_of("0123456789") == std::string::npos)
        seed = std::stoull(value);
    else
        return false;
    return true;
}

int crud(int argc, char** argv) {
    slate::bench::CrudBenchOptions options;
    if (argc % 2 != 0)
        return bad_usage();
    for (int i = 2; i + 1 < argc; i += 2) {
        const std::string name = argv[i];
        const int value = std::atoi(argv[i + 1]);
        if (sample_option(name, argv[i + 1], options.size, options.seed))
            continue;
        if (name == "--requests" && value > 0)
            options.requests = value;
        else
            return bad_usage();
    }
    return slate::bench::run_crud_bench(options);
}

/// The options of a clip both movie benchmarks make: --seconds S, --size WxH.
bool clip_option(const std::string& name, const std::string& value, double& seconds, int& width, int& height) {
    int w = 0, h = 0;
    if (name == "--seconds" && std::atof(value.c_str()) > 0)
        seconds = std::atof(value.c_str());
    else if (name == "--size" && std::sscanf(value.c_str(), "%dx%d", &w, &h) == 2 && w > 1 && h > 1)
        width = w, height = h;
    else
        return false;
    return true;
}

int movie(int argc, char** argv) {
    slate::bench::MovieBenchOptions options;
    if (argc % 2 != 0)
        return bad_usage();
    for (int i = 2; i + 1 < argc; i += 2) {
        const std::string name = argv[i];
        const std::string value = argv[i + 1];
        if (name == "--fps")
            options.fps = value;
        else if (!clip_option(name, value, options.seconds, options.width, options.height))
            return bad_usage();
    }
    return slate::bench::run_movie_bench(options);
}

int movie_upload(int argc, char** argv) {
    slate::bench::MovieUploadBenchOptions options;
    if (argc % 2 != 0)
        return bad_usage();
    for (int i = 2; i + 1 < argc; i += 2) {
        const std::string name = argv[i];
        const std::string value = argv[i + 1];
        if (name == "--fps")
            options.fps = value;
        else if (name == "--separate")
            options.separate = value == "1";
        else if (!clip_option(name, value, options.seconds, options.width, options.height))
            return bad_usage();
    }
    return slate::bench::run_movie_upload_bench(options);
}

int uploads(int argc, char** argv) {
    slate::bench::UploadBenchOptions options;
    if (argc % 2 != 0)
        return bad_usage();
    for (int i = 2; i + 1 < argc; i += 2) {
        const std::string name = argv[i];
        const std::string value = argv[i + 1];
        if (name == "--clients" && std::atoi(value.c_str()) > 0)
            options.clients = std::atoi(value.c_str());
        else if (!clip_option(name, value, options.seconds, options.width, options.height))
            return bad_usage();
    }
    return slate::bench::run_upload_bench(options);
}

int requests(int argc, char** argv) {
    slate::bench::RequestsBenchOptions options;
    if (argc % 2 != 0)
        return bad_usage();
    for (int i = 2; i + 1 < argc; i += 2) {
        const std::string name = argv[i];
        const double value = std::atof(argv[i + 1]);
        if (sample_option(name, argv[i + 1], options.size, options.seed))
            continue;
        if (name == "--seconds" && value > 0)
            options.seconds = value;
        else if (name == "--clients" && value >= 1)
            options.clients = static_cast<int>(value);
        else
            return bad_usage();
    }
    return slate::bench::run_requests_bench(options);
}

int report(int argc, char** argv) {
    slate::bench::ReportOptions options;
    if (argc % 2 != 0)
        return bad_usage();
    for (int i = 2; i + 1 < argc; i += 2) {
        const std::string name = argv[i];
        const std::string value = argv[i + 1];
        if (name == "--size")
            options.size = value;
        else if (name == "--seed" && !value.empty() && value.find_first_not_of("0123456789") == std::string::npos)
            options.seed = std::stoull(value);
        else if (name == "--seconds" && std::atof(value.c_str()) > 0)
            options.seconds = std::atof(value.c_str());
        else if (name == "--out" && !value.empty())
            options.out = value;
        else if (name == "--against")
            options.against = value;
        else if (name == "--media" && (value == "on" || value == "off"))
            options.media = value == "on";
        else if (name == "--clip" && std::atof(value.c_str()) > 0 && std::atof(value.c_str()) <= 600)
            options.clip_seconds = std::atof(value.c_str());
        else if (name == "--connections") {
            options.connections.clear();
            for (std::size_t at = 0; at <= value.size();) {
                const std::size_t comma = std::min(value.find(',', at), value.size());
                const int count = std::atoi(value.substr(at, comma - at).c_str());
                if (count < 1 || count > 10000)
                    return bad_usage();
                options.connections.push_back(count);
                at = comma + 1;
            }
        } else {
            std::fprintf(stderr, "slate-bench report: bad option %s %s\n", name.c_str(), value.c_str());
            return 2;
        }
    }
    return slate::bench::run_report(options);
}

int connections(int argc, char** argv) {
    slate::bench::ConnectionsBenchOptions options;
    if (argc % 2 != 0)
        return bad_usage();
    for (int i = 2; i + 1 < argc; i += 2) {
        const std::string name = argv[i];
        const double value = std::atof(argv[i + 1]);
        if (name == "--idle" && value >= 1)
            options.idle = static_cast<int>(value);
        else if (name == "--seconds" && value > 0)
            options.seconds = value;
        else
            return bad_usage();
    }
    return slate::bench::run_connections_bench(options);
}

int events(int argc, char** argv) {
    slate::bench::EventsBenchOptions options;
    if (argc % 2 != 0)
        return bad_usage();
    for (int i = 2; i + 1 < argc; i += 2) {
        const std::string name = argv[i];
        const double value = std::atof(argv[i + 1]);
        if (name == "--clients" && value >= 1)
            options.clients = static_cast<int>(value);
        else if (name == "--events" && value >= 1)
            options.events = static_cast<int>(value);
        else if (name == "--rate" && value > 0)
            options.per_second = value;
        else
            return bad_usage();
    }
    return slate::bench::run_events_bench(options);
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2)
        return bad_usage();
    const std::string command = argv[1];
    if (command == "stills") {
        slate::bench::StillBenchOptions options;
        if (argc == 4 && std::string(argv[2]) == "--frames" && std::atoi(argv[3]) > 0)
            options.frames = std::atoi(argv[3]);
        else if (argc != 2)
            return bad_usage();
        slate::log::set_level(slate::log::Level::warning);
        return slate::bench::run_still_bench(options);
    }
    if (command == "create-folders") {
        slate::bench::FoldersBenchOptions options;
        if (argc == 4 && std::string(argv[2]) == "--size")
            options.size = argv[3];
        else if (argc != 2)
            return bad_usage();
        slate::log::set_level(slate::log::Level::warning);
        try {
            return slate::bench::run_folders_bench(options);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "slate-bench: %s\n", e.what());
            return 1;
        }
    }
    if (command != "crud" && command != "movie" && command != "pictures" && command != "uploads" &&
        command != "requests" && command != "connections" && command != "events" && command != "make-samples" &&
        command != "report" && command != "movie-upload") {
        std::fputs(usage, stdout);
        return 0;
    }
    slate::log::set_level(slate::log::Level::warning);
    try {
        if (command == "pictures") {
            slate::bench::PictureBenchOptions options;
            if (argc == 4 && std::string(argv[2]) == "--count" && std::atoi(argv[3]) > 0)
                options.count = std::atoi(argv[3]);
            else if (argc != 2)
                return bad_usage();
            return slate::bench::run_picture_bench(options);
        }
        if (command == "make-samples") {
            if (argc != 4 || std::string(argv[2]) != "--out")
                return bad_usage();
            return slate::bench::run_make_samples(argv[3]);
        }
        if (command == "uploads")
            return uploads(argc, argv);
        if (command == "movie-upload")
            return movie_upload(argc, argv);
        if (command == "report")
            return report(argc, argv);
        if (command == "requests")
            return requests(argc, argv);
        if (command == "connections")
            return connections(argc, argv);
        if (command == "events")
            return events(argc, argv);
        return command == "crud" ? crud(argc, argv) : movie(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "slate-bench: %s\n", e.what());
        return 1;
    }
}
