#include "report_media.h"

#include "child_stage.h"

#include "engine/config.h"
#include "engine/db/connection.h"
#include "engine/json.h"
#include "engine/storage/file_store.h"
#include "support/make_test_movie.h"
#include "workers/media_jobs.h"
#include "workers/picture_variants.h"

#include <vips/vips.h>

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>

namespace slate::bench {

namespace fs = std::filesystem;

namespace {

using Command = std::vector<std::string>;

/// Wall and CPU seconds of one run; ok=false with the reason when it failed.
struct Timing {
    bool ok = false;
    double wall = 0, cpu = 0;
    std::string reason;
};

double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

/// Best of three when a run is short (under 5 s: the file cache and noise weigh), else one.
Timing best_of(const std::function<Timing()>& run) {
    Timing best = run();
    for (int i = 0; best.ok && best.wall < 5 && i < 2; ++i) {
        const Timing again = run();
        if (again.ok && again.wall < best.wall)
            best = again;
    }
    return best;
}

/// A job of Slate's run in this process: its wall time and this process's CPU time.
Timing time_job(const std::function<workers::JobResult()>& job) {
    const double cpu = cpu_seconds();
    const auto start = std::chrono::steady_clock::now();
    const workers::JobResult result = job();
    Timing t{result.succeeded, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
             cpu_seconds() - cpu, result.reason};
    return t;
}

/// Command lines run one after the other (each a program of PATH): their summed times.
Timing time_commands(const std::vector<Command>& commands) {
    Timing total{true, 0, 0, ""};
    for (const Command& command : commands) {
        const StageCost cost = run_program(command);
        if (!cost.ok)
            return {false, 0, 0, command.front() + ": " + (cost.reason == "absent" ? "not installed" : cost.reason)};
        total.wall += cost.wall;
        total.cpu += cost.cpu;
    }
    return total;
}

/// The command as a shell line, its work folder left out of the paths.
std::string joined(const Command& command, const fs::path& scratch) {
    const std::string folder = scratch.string() + "/";
    std::string text;
    for (std::string part : command) {
        for (std::size_t at; (at = part.find(folder)) != std::string::npos;)
            part.erase(at, folder.size());
        text +=
            (text.empty() ? "" : " ") + (part.find_first_of(" ,:()*'") == std::string::npos ? part : "'" + part + "'");
    }
    return text;
}

/// A file a job is given, and how the report names it.
struct Input {
    fs::path path;
    std::string label, short_label;
    fs::path scratch; ///< the work folder, left out of the commands shown
};

/// What ffmpeg-python makes of Zou's normalize_encoding (utils/movie.py), quiet.
Command zou_normalise(const fs::path& input, const fs::path& output, const std::string& bitrate, int width,
                      int height) {
    const std::string w = std::to_string(width), h = std::to_string(height);
    // The command line as it reads:
    // clang-format off
    return {"ffmpeg", "-nostdin", "-loglevel", "error", "-i", input.string(), "-map", "0:v", "-map", "0:a",
            "-b", bitrate, "-f", "mp4", "-movflags", "+faststart", "-pix_fmt", "yuv420p", "-preset", "slow",
            "-r", "25", "-vcodec", "libx264",
            "-vf", "scale=trunc(iw*sar/2)*2:ih,scale=" + w + ":" + h +
                       ":force_original_aspect_ratio=decrease:force_divisible_by=2,pad=" + w + ":" + h +
                       ":(ow-iw)/2:(oh-ih)/2,setsar=1",
            "-x264opts", "keyint=2:scenecut=0", output.string(), "-y"};
    // clang-format on
}

/// Zou's generate_thumbnail: the first frame as PNG.
Command zou_frame(const fs::path& movie, const fs::path& output) {
    return {"ffmpeg",       "-nostdin", "-loglevel", "error",    "-ss", "00:00:00",      "-i",
            movie.string(), "-update",  "1",         "-vframes", "1",   output.string(), "-y"};
}

/// Zou's generate_tile: 100-high frames, 8 a row, up to 480 rows (one frame in n beyond).
Command zou_tile(const fs::path& movie, double seconds, int fps, double aspect, const fs::path& output) {
    const long frames = static_cast<long>(seconds * fps);
    const long rows = std::min<long>((frames + 7) / 8, 480);
    std::string select;
    if (rows == 480)
        select = "select='not(mod(n\\," + std::to_string((frames + 3839) / 3840) + "))',";
    return {"ffmpeg",
            "-nostdin",
            "-loglevel",
            "error",
            "-i",
            movie.string(),
            "-vf",
            select + "scale=" + std::to_string(static_cast<int>(std::ceil(100 * aspect))) + ":100,tile=8x" +
                std::to_string(rows),
            output.string(),
            "-y"};
}

/// Zou's three picture variants (Pillow's fit in 150×100, 100×100, 1200 wide) with libvips' tool.
std::vector<Command> vips_variants(const fs::path& original, const fs::path& dir) {
    std::vector<Command> commands;
    for (const auto& [name, size] : {std::pair{"thumbnails", "150x100"}, std::pair{"thumbnails-square", "100x100"},
                                     std::pair{"previews", "1200x"}})
        commands.push_back(
            {"vipsthumbnail", original.string(), "--size", size, "-o", (dir / (std::string(name) + ".png")).string()});
    return commands;
}

std::string payload(const std::function<void(engine::JsonWriter&)>& fields) {
    engine::JsonWriter json;
    json.begin_object();
    fields(json);
    json.end_object();
    return json.take();
}

std::string preview_of(engine::db::Connection& c, const std::string& project_id, bool movie) {
    const auto row = c.exec(R"(SELECT p.id FROM preview_file p JOIN task t ON t.id = p.task_id
                               WHERE t.project_id = $1::uuid AND p.is_movie = $2::boolean ORDER BY p.id LIMIT 1)",
                            {project_id, movie ? "true" : "false"});
    if (row.rows() == 0)
        throw std::runtime_error(std::string("the sample production has no ") + (movie ? "movie" : "picture") +
                                 " preview");
    return std::string(row.get(0, 0));
}

/// A fixed-size JPEG of FFmpeg's testsrc2 picture (detail enough for the encoders to work on).
void make_still(const fs::path& path, int width, int height) {
    test::TestMovieSpec spec;
    spec.width = width;
    spec.height = height;
    const test::RgbPicture picture = test::test_source_frame(spec, 12);
    VipsImage* image = vips_image_new_from_memory_copy(picture.pixels.data(), picture.pixels.size(), width, height, 3,
                                                       VIPS_FORMAT_UCHAR);
    const bool ok = image && vips_jpegsave(image, path.c_str(), "Q", 90, nullptr) == 0;
    if (image)
        g_object_unref(image);
    if (!ok)
        throw std::runtime_error("cannot write " + path.string() + ": " + vips_error_buffer());
}

MediaRow row_of(std::string work, const Input& input, const Timing& slate, std::string slate_how, const Timing& cli,
                const std::vector<Command>& commands) {
    MediaRow row{
        std::move(work),      input.label, "", slate.ok ? slate.wall : 0, slate.cpu, cli.ok ? cli.wall : 0, cli.cpu,
        std::move(slate_how), {},          ""};
    // The plot's label: the work's first words ("movie upload", "HD and LD", "tile sheet"...).
    static const std::pair<const char*, const char*> short_names[] = {{"movie upload", "upload"},
                                                                      {"HD and LD", "encodes"},
                                                                      {"first frame", "frame+thumbs"},
                                                                      {"tile sheet", "tiles"},
                                                                      {"picture upload", "picture"}};
    for (const auto& [start, name] : short_names)
        if (row.work.starts_with(start))
            row.plot_label = std::string(name) + ", " + input.short_label;
    for (const Command& command : commands)
        row.commands.push_back(joined(command, input.scratch));
    if (!slate.ok)
        row.missing = "Slate: " + slate.reason;
    if (!cli.ok)
        row.missing += (row.missing.empty() ? "" : "; ") + cli.reason;
    return row;
}

struct MediaBench {
    engine::db::Connection& c;
    engine::storage::LocalFileStore files;
    fs::path scratch;
    std::string movie_preview, picture_preview;
    std::vector<MediaRow> rows;

    /// The input copied to where a job takes (and removes) it.
    fs::path upload(const fs::path& input) const {
        const fs::path copy = scratch / ("upload" + input.extension().string());
        fs::copy_file(input, copy, fs::copy_options::overwrite_existing);
        return copy;
    }

    void movie(const Input& in) {
        const fs::path& input = in.path;
        std::fprintf(stderr, "  media: %s\n", in.label.c_str());
        const workers::MovieSettings settings;
        const auto job = [&](bool normalize) {
            const fs::path source = upload(input); // copied before the clock starts
            return time_job(
                [&] { return workers::process_movie_preview(files, settings, movie_preview, source, normalize, c); });
        };
        const Timing bare = best_of([&] { return job(false); });
        const Timing whole = best_of([&] { return job(true); });
        if (!whole.ok) { // no movie stored: nothing to compare the other rows on
            rows.push_back(row_of("movie upload: the whole job", in, whole,
                                  "process_movie_preview (the movie-preview job)",
                                  Timing{false, 0, 0, "the command lines not run"}, {}));
            return;
        }
        // The sizes the job made (the project's), for the command lines.
        const auto made =
            c.exec("SELECT width, height, duration FROM preview_file WHERE id = $1::uuid", {movie_preview});
        const int width = made.get_int(0, "width"), height = made.get_int(0, "height");
        const double seconds = std::atof(std::string(made.get(0, "duration")).c_str());
        int low_height = 1280 * height / width;
        low_height += low_height % 2;

        const fs::path dir = scratch / "cli";
        fs::create_directories(dir);
        const std::vector<Command> normalise = {zou_normalise(input, dir / "hd.mp4", "28M", width, height),
                                                zou_normalise(input, dir / "ld.mp4", "6M", 1280, low_height)};
        const Timing cli_normalise = time_commands(normalise);
        std::vector<Command> frame = {zou_frame(dir / "hd.mp4", dir / "frame.png")};
        for (auto& command : vips_variants(dir / "frame.png", dir))
            frame.push_back(command);
        const Timing cli_frame = best_of([&] { return time_commands(frame); });
        const std::vector<Command> tile = {
            zou_tile(dir / "hd.mp4", seconds, 25, double(width) / height, dir / "tile.png")};
        const Timing cli_tile = best_of([&] { return time_commands(tile); });

        const Timing slate_frame = best_of([&] {
            return time_job([&] {
                return workers::run_preview_frame(files, payload([&](engine::JsonWriter& j) {
                                                      j.field("preview_file_id", movie_preview)
                                                          .field("frame_number", 1)
                                                          .field("output", (scratch / "frame.png").string())
                                                          .field("replace_variants", true);
                                                  }),
                                                  c);
            });
        });
        const Timing slate_tile = best_of([&] {
            return time_job([&] {
                return workers::run_preview_tile(
                    files, payload([&](engine::JsonWriter& j) {
                        j.field("preview_file_id", movie_preview).field("output", (scratch / "tile.png").string());
                    }),
                    c);
            });
        });

        Timing cli_whole{cli_normalise.ok && cli_frame.ok && cli_tile.ok,
                         cli_normalise.wall + cli_frame.wall + cli_tile.wall,
                         cli_normalise.cpu + cli_frame.cpu + cli_tile.cpu,
                         !cli_normalise.ok ? cli_normalise.reason
                         : !cli_frame.ok   ? cli_frame.reason
                                           : cli_tile.reason};
        std::vector<Command> all = normalise;
        all.insert(all.end(), frame.begin(), frame.end());
        all.insert(all.end(), tile.begin(), tile.end());
        rows.push_back(row_of("movie upload: the whole job", in, whole, "process_movie_preview (the movie-preview job)",
                              cli_whole, all));
        const Timing slate_normalise{whole.ok && bare.ok, std::max(0.0, whole.wall - bare.wall),
                                     std::max(0.0, whole.cpu - bare.cpu), whole.ok ? bare.reason : whole.reason};
        rows.push_back(row_of("HD and LD normalisation ²", in, slate_normalise,
                              "the whole job less the same job with normalize=false", cli_normalise, normalise));
        rows.push_back(row_of("first frame and its thumbnails", in, slate_frame,
                              "run_preview_frame with replace_variants (the preview-frame job)", cli_frame, frame));
        rows.push_back(row_of("tile sheet", in, slate_tile, "run_preview_tile (the preview-tile job)", cli_tile, tile));
    }

    void picture(const Input& in, const workers::JobHandler& handler) {
        const fs::path& input = in.path;
        std::fprintf(stderr, "  media: %s\n", in.label.c_str());
        const Timing slate = best_of([&] {
            const fs::path source = upload(input); // copied before the clock starts
            return time_job([&] {
                return handler(payload([&](engine::JsonWriter& j) {
                                   j.field("preview_file_id", picture_preview)
                                       .field("source", source.string())
                                       .field("original_name", input.filename().string());
                               }),
                               c);
            });
        });
        const fs::path dir = scratch / "cli";
        fs::create_directories(dir);
        std::vector<Command> commands = {{"vips", "copy", input.string(), (dir / "original.png").string()}};
        for (auto& command : vips_variants(dir / "original.png", dir))
            commands.push_back(command);
        const Timing cli = best_of([&] { return time_commands(commands); });
        rows.push_back(row_of("picture upload: Zou's four variants", in, slate,
                              "the picture-preview job (media_handlers)", cli, commands));
    }
};

} // namespace

std::vector<MediaRow> measure_media(engine::db::Connection& c, const engine::Config& config,
                                    const std::string& project_id, const fs::path& samples, const fs::path& scratch,
                                    double clip_seconds) {
    workers::init_media_libraries();
    fs::create_directories(scratch);
    MediaBench bench{c,
                     engine::storage::LocalFileStore(config.file_store_root(), config.fs_bucket_prefix),
                     scratch,
                     preview_of(c, project_id, true),
                     preview_of(c, project_id, false),
                     {}};
    std::fprintf(stderr, "  media: making the inputs\n");
    const fs::path clip = scratch / "clip-1080p.mp4", still = scratch / "still-4k.jpg";
    test::TestMovieSpec spec;
    spec.width = 1920;
    spec.height = 1080;
    spec.seconds = clip_seconds;
    spec.video_bitrate = 20'000'000;
    test::make_test_movie(spec, clip);
    make_still(still, 3840, 2160);

    char clip_label[96], clip_short[32];
    std::snprintf(clip_label, sizeof clip_label, "%g s of 1920×1080 at 25 fps, H.264 20 Mb/s + AAC", clip_seconds);
    std::snprintf(clip_short, sizeof clip_short, "%g s 1080p", clip_seconds);
    if (fs::exists(samples / "movie" / "previews.mp4"))
        bench.movie(
            {samples / "movie" / "previews.mp4", "samples/movie/previews.mp4 (2 s, 320×180)", "2 s 320×180", scratch});
    bench.movie({clip, clip_label, clip_short, scratch});
    const workers::JobHandlers handlers = workers::media_handlers(bench.files, workers::MovieSettings{});
    const workers::JobHandler* picture = handlers.find(workers::picture_preview_job);
    if (fs::exists(samples / "picture" / "original.png"))
        bench.picture({samples / "picture" / "original.png", "samples/picture/original.png (PNG, 320×180)",
                       "PNG 320×180", scratch},
                      *picture);
    bench.picture({still, "a 3840×2160 JPEG", "JPEG 4K", scratch}, *picture);
    return std::move(bench.rows);
}

namespace {

std::string seconds_text(double value) {
    char text[32];
    std::snprintf(text, sizeof text, value >= 10 ? "%.1f" : value >= 0.1 ? "%.2f" : "%.3f", value);
    return text;
}

void write_media_plot(const std::vector<MediaRow>& rows, const fs::path& out, std::ostream& md) {
    std::ofstream data(out / "media.dat");
    data << "# work\tslate_s\tcommand_s\n";
    int count = 0;
    for (const MediaRow& row : rows) {
        if (row.slate_wall <= 0 || row.cli_wall <= 0)
            continue; // a missing side is left out, not drawn as 0
        data << '"' << row.plot_label << "\"\t" << row.slate_wall << '\t' << row.cli_wall << '\n';
        ++count;
    }
    data.close();
    if (count == 0 || std::system("command -v gnuplot >/dev/null 2>&1") != 0)
        return;
    std::ofstream script(out / "media.gp");
    script << "set terminal pngcairo size 1100,650 font 'sans,10'\nset output 'media.png'\n"
              "set datafile separator '\\t'\nset style data histogram\nset style histogram clustered gap 1\n"
              "set style fill solid 0.85 border -1\nset xtics rotate by -30 left\nset grid ytics\n"
              "set key outside top center horizontal\nset bmargin 7\nset rmargin 6\nset logscale y\n"
              "set title 'Media work: Slate in-process beside the command lines (wall seconds, log scale)'\n"
              "set ylabel 'seconds'\n"
              "plot 'media.dat' using 2:xtic(1) title 'Slate', '' using 3 title 'ffmpeg / vipsthumbnail'\n";
    script.close();
    const std::string command = "cd '" + out.string() + "' && gnuplot media.gp 2>media-gnuplot.log";
    if (std::system(command.c_str()) == 0)
        md << "\n![Media work, Slate beside the command lines](media.png)\n";
    else
        md << "\n(No media plot: gnuplot failed, see media-gnuplot.log.)\n";
}

} // namespace

void write_media_section(const std::vector<MediaRow>& rows, const fs::path& out, std::ostream& md) {
    md << "\n## Media\n\nSlate's media jobs run in the report's process through their entry points (the "
          "worker pool's job functions, on previews of the sample production), beside the command lines Zou runs "
          "for the same work on the same input, one after the other: ffmpeg for the movies (Zou's "
          "`utils/movie.py`), libvips' `vipsthumbnail` standing in for Pillow for the picture variants. Wall "
          "and CPU seconds; the best of three when a run is under 5 s. Ratio: the command lines' wall time over "
          "Slate's (above 1: Slate is faster). The command lines' times include starting each program, as Zou "
          "pays it for ffmpeg; Zou makes picture variants in its own process with Pillow, so on small pictures "
          "the gap is partly vipsthumbnail's start, not Zou's.\n\n";
    md << "| work | input | Slate s | Slate CPU s | command lines s | their CPU s | commands / Slate |\n"
          "|---|---|---:|---:|---:|---:|---:|\n";
    std::vector<const MediaRow*> missing;
    for (const MediaRow& row : rows) {
        md << "| " << row.work << " | " << row.input << " | "
           << (row.slate_wall > 0 ? seconds_text(row.slate_wall) : "—") << " | "
           << (row.slate_wall > 0 ? seconds_text(row.slate_cpu) : "") << " | "
           << (row.cli_wall > 0 ? seconds_text(row.cli_wall) : "—") << " | "
           << (row.cli_wall > 0 ? seconds_text(row.cli_cpu) : "") << " | "
           << (row.slate_wall > 0 && row.cli_wall > 0 ? seconds_text(row.cli_wall / row.slate_wall) : "") << " |\n";
        if (!row.missing.empty())
            missing.push_back(&row);
    }
    md << "\n² Slate makes both encodes inside the upload job; its figure is the whole job less the same job "
          "with `normalize=false` (probe, first frame, thumbnails and tile of the source).\n";
    for (const MediaRow* row : missing)
        md << "\nNot measured: " << row->work << ", " << row->input << " — " << row->missing << "\n";
    write_media_plot(rows, out, md);
    md << "\n<details><summary>What was timed</summary>\n\n";
    std::vector<std::string> seen;
    for (const MediaRow& row : rows) {
        if (std::find(seen.begin(), seen.end(), row.work) != seen.end())
            continue;
        seen.push_back(row.work);
        // Every input's commands have the same shape: the last input's are shown.
        md << "- **" << row.work << "** — Slate: " << row.slate_how;
        if (row.work.starts_with("movie upload")) {
            md << "; the command lines: those of the three rows below, one after the other\n";
            continue;
        }
        md << "; the command lines (last input):\n";
        const MediaRow* last = &row;
        for (const MediaRow& same : rows)
            if (same.work == row.work)
                last = &same;
        for (const std::string& command : last->commands)
            md << "  - `" << command << "`\n";
    }
    md << "\n</details>\n";
}

} // namespace slate::bench
