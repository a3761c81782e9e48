#include "workers/image_sequence.h"

#include "engine/json.h"
#include "engine/log.h"
#include "engine/review/preview_queries.h"
#include "workers/movie_jobs.h"
#include "workers/still_images.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/StreamCopier.h>
#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>
#include <tbb/parallel_pipeline.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>

namespace fs = std::filesystem;

namespace slate::workers {
namespace {

std::string extension_of(const std::string& name) {
    const auto dot = name.rfind('.');
    if (dot == std::string::npos)
        return "";
    std::string ext = name.substr(dot + 1);
    for (auto& c : ext)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext;
}

bool is_frame_extension(const std::string& ext) {
    return ext == "png" || ext == "jpg" || ext == "jpeg" || ext == "jpe" || is_still_extension(ext);
}

/// The last component of a zip entry's name, or "" when the name could reach outside the
/// zip's folder (an absolute path, a drive, a `..` component).
std::optional<std::string> safe_base_name(const std::string& entry) {
    if (entry.empty() || entry.front() == '/' || entry.front() == '\\' ||
        (entry.size() > 1 && entry[1] == ':'))
        return std::nullopt;
    std::string part, last;
    for (size_t i = 0; i <= entry.size(); ++i) {
        if (i == entry.size() || entry[i] == '/' || entry[i] == '\\') {
            if (part == "..")
                return std::nullopt;
            if (!part.empty())
                last = part;
            part.clear();
        } else {
            part += entry[i];
        }
    }
    return last;
}

/// "1003-1005, 1009" for sorted numbers.
std::string ranges(const std::vector<int64_t>& numbers) {
    std::string text;
    for (size_t i = 0; i < numbers.size();) {
        size_t j = i;
        while (j + 1 < numbers.size() && numbers[j + 1] == numbers[j] + 1)
            ++j;
        if (!text.empty())
            text += ", ";
        text += std::to_string(numbers[i]);
        if (j > i) {
            text += '-';
            text += std::to_string(numbers[j]);
        }
        i = j + 1;
    }
    return text;
}

/// A decoded frame as 4:2:0 YUV (BT.601, limited range: what FFmpeg assumes of an untagged
/// stream and keeps through the encoders).
struct YuvFrame {
    int64_t number = 0;
    bool present = false; ///< a file exists for this number
    fs::path path;
    std::string problem;  ///< why it cannot be shown, when present
    int width = 0, height = 0;
    std::vector<uint8_t> planes; ///< Y, then U, then V
};

void to_yuv(const DisplayPixels& rgb, YuvFrame& out) {
    const int w = rgb.width, h = rgb.height, cw = (w + 1) / 2, ch = (h + 1) / 2, n = rgb.channels;
    out.width = w;
    out.height = h;
    out.planes.assign(size_t(w) * h + 2 * size_t(cw) * ch, 0);
    uint8_t* y_plane = out.planes.data();
    uint8_t* u_plane = y_plane + size_t(w) * h;
    uint8_t* v_plane = u_plane + size_t(cw) * ch;
    const uint8_t* px = rgb.pixels.data();
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const uint8_t* p = px + (size_t(y) * w + x) * n;
            y_plane[size_t(y) * w + x] =
                uint8_t(std::lround(16.0 + (65.481 * p[0] + 128.553 * p[1] + 24.966 * p[2]) / 255.0));
        }
    for (int cy = 0; cy < ch; ++cy)
        for (int cx = 0; cx < cw; ++cx) {
            double r = 0, g = 0, b = 0;
            int count = 0;
            for (int dy = 0; dy < 2; ++dy)
                for (int dx = 0; dx < 2; ++dx) {
                    const int x = cx * 2 + dx, y = cy * 2 + dy;
                    if (x >= w || y >= h)
                        continue;
                    const uint8_t* p = px + (size_t(y) * w + x) * n;
                    r += p[0], g += p[1], b += p[2], ++count;
                }
            r /= count, g /= count, b /= count;
            u_plane[size_t(cy) * cw + cx] = uint8_t(std::lround(128.0 + (-37.797 * r - 74.203 * g + 112.0 * b) / 255.0));
            v_plane[size_t(cy) * cw + cx] = uint8_t(std::lround(128.0 + (112.0 * r - 93.786 * g - 18.214 * b) / 255.0));
        }
}

/// The frames of a zip written into `folder` under safe names, or a reason.
std::string unzip_frames(const fs::path& zip, const fs::path& folder, Frames& frames) {
    try {
        std::ifstream in(zip, std::ios::binary);
        Poco::Zip::ZipArchive archive(in);
        fs::create_directories(folder);
        for (auto it = archive.headerBegin(); it != archive.headerEnd(); ++it) {
            const auto& header = it->second;
            const auto base = safe_base_name(header.getFileName());
            if (!base)
                return "the zip holds a path outside its folder: " + header.getFileName();
            if (header.isDirectory() || !frame_number(*base))
                continue;
            const fs::path out_path = folder / (std::to_string(frames.size()) + "." + extension_of(*base));
            in.clear();
            Poco::Zip::ZipInputStream entry(in, header, true);
            std::ofstream out(out_path, std::ios::binary);
            Poco::StreamCopier::copyStream(entry, out);
            if (!out)
                return "the zip's frames cannot be written to temporary storage";
            frames.emplace_back(*frame_number(*base), out_path);
        }
    } catch (const Poco::Exception& e) {
        log::warning("zip: " + e.displayText());
        return "the zip cannot be read";
    } catch (const std::exception& e) {
        log::warning(std::string("zip: ") + e.what());
        return "the zip cannot be read";
    }
    return "";
}

} // namespace

std::optional<int64_t> frame_number(const std::string& name) {
    const auto dot = name.rfind('.');
    if (dot == std::string::npos || dot == 0 || !is_frame_extension(extension_of(name)))
        return std::nullopt;
    size_t start = dot;
    while (start > 0 && std::isdigit(static_cast<unsigned char>(name[start - 1])))
        --start;
    if (start == dot || dot - start > 9)
        return std::nullopt;
    return std::stoll(name.substr(start, dot - start));
}

bool zip_holds_frames(const fs::path& zip) {
    try {
        std::ifstream in(zip, std::ios::binary);
        Poco::Zip::ZipArchive archive(in);
        for (auto it = archive.headerBegin(); it != archive.headerEnd(); ++it)
            if (!it->second.isDirectory() && is_frame_extension(extension_of(it->second.getFileName())))
                return true;
    } catch (const std::exception&) {
    }
    return false;
}

SequenceStream write_sequence_stream(const Frames& input, FrameRate fps, const fs::path& y4m) {
    SequenceStream result;
    Frames frames = input;
    std::stable_sort(frames.begin(), frames.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<int64_t> doubles;
    frames.erase(std::unique(frames.begin(), frames.end(),
                             [&](const auto& a, const auto& b) {
                                 if (a.first == b.first)
                                     doubles.push_back(b.first);
                                 return a.first == b.first;
                             }),
                 frames.end());
    if (frames.empty()) {
        result.reason = "the sequence holds no numbered frame";
        return result;
    }
    std::ofstream out(y4m, std::ios::binary);
    const StillSettings settings = still_settings();
    std::vector<int64_t> missing, unreadable, resized;
    std::string first_problem;
    YuvFrame held;
    size_t next = 0;
    int64_t number = frames.front().first;
    const int64_t last = frames.back().first;
    try {
    tbb::parallel_pipeline(
        8,
        tbb::make_filter<void, YuvFrame*>(tbb::filter_mode::serial_in_order,
                                          [&](tbb::flow_control& control) -> YuvFrame* {
                                              if (number > last) {
                                                  control.stop();
                                                  return nullptr;
                                              }
                                              auto* frame = new YuvFrame;
                                              frame->number = number;
                                              if (next < frames.size() && frames[next].first == number) {
                                                  frame->present = true;
                                                  frame->path = frames[next].second;
                                                  ++next;
                                              }
                                              ++number;
                                              return frame;
                                          }) &
            tbb::make_filter<YuvFrame*, YuvFrame*>(tbb::filter_mode::parallel,
                                                   [&](YuvFrame* frame) {
                                                       if (!frame->present)
                                                           return frame;
                                                       const DisplayPixels shown =
                                                           decode_still(frame->path, settings);
                                                       frame->problem = shown.reason;
                                                       if (shown.ok)
                                                           to_yuv(shown, *frame);
                                                       return frame;
                                                   }) &
            tbb::make_filter<YuvFrame*, void>(tbb::filter_mode::serial_in_order, [&](YuvFrame* raw) {
                std::unique_ptr<YuvFrame> frame(raw);
                if (!frame->present)
                    missing.push_back(frame->number);
                else if (!frame->problem.empty()) {
                    unreadable.push_back(frame->number);
                    if (first_problem.empty())
                        first_problem = frame->problem;
                } else if (result.width == 0) {
                    result.width = frame->width;
                    result.height = frame->height;
                    out << "YUV4MPEG2 W" << result.width << " H" << result.height << " F" << fps.num << ":"
                        << fps.den << " Ip A1:1 C420jpeg\n";
                    held = std::move(*frame);
                } else if (frame->width != result.width || frame->height != result.height)
                    resized.push_back(frame->number);
                else
                    held = std::move(*frame);
                if (result.width == 0)
                    return; // nothing to hold yet: the movie starts at the first readable frame
                out << "FRAME\n";
                out.write(reinterpret_cast<const char*>(held.planes.data()), std::streamsize(held.planes.size()));
                ++result.frames;
            }));
    } catch (const std::exception& e) {
        log::warning(std::string("sequence: ") + e.what());
        result.reason = "the sequence cannot be decoded";
        return result;
    }
    if (result.width == 0) {
        result.reason = "no frame of the sequence can be read" + (first_problem.empty() ? "" : ": " + first_problem);
        return result;
    }
    if (!out.flush()) {
        result.reason = "the sequence cannot be written to temporary storage";
        return result;
    }
    std::vector<std::string> notes;
    if (!missing.empty())
        notes.push_back("missing frames " + ranges(missing) + " (the previous frame is held)");
    if (!unreadable.empty())
        notes.push_back("unreadable frames " + ranges(unreadable) + " (" + first_problem + ")");
    if (!resized.empty())
        notes.push_back("frames " + ranges(resized) + " are not " + std::to_string(result.width) + "x" +
                        std::to_string(result.height) + " (the previous frame is held)");
    if (!doubles.empty())
        notes.push_back("frames numbered twice, the first kept: " + ranges(doubles));
    for (const auto& note : notes)
        result.notes += (result.notes.empty() ? "" : "; ") + note;
    result.ok = true;
    return result;
}

JobResult run_sequence_preview(const engine::storage::LocalFileStore& files, const MovieSettings& settings,
                               const std::string& payload, engine::db::Connection& c) {
    const auto args = engine::parse_json_object(payload);
    const std::string id = engine::optional_string(*args, "preview_file_id");
    const fs::path source = engine::optional_string(*args, "source");
    const fs::path work = source.parent_path() / ("sequence-" + id);
    struct Cleanup {
        fs::path source, work;
        ~Cleanup() {
            std::error_code e;
            fs::remove_all(source, e);
            fs::remove_all(work, e);
        }
    } cleanup{source, work};
    std::error_code ignored;
    fs::create_directories(work, ignored);

    const auto fps = preview_frame_rate(c, id);
    if (!fps)
        return JobResult::failed("The preview file no longer exists.");
    Frames frames;
    if (fs::is_directory(source)) { // several uploaded files
        for (const auto& entry : fs::directory_iterator(source))
            if (const auto number = frame_number(entry.path().filename().string()); number && entry.is_regular_file())
                frames.emplace_back(*number, entry.path());
    } else if (const std::string reason = unzip_frames(source, work / "frames", frames); !reason.empty()) {
        return mark_movie_broken(c, id, reason);
    }
    const fs::path stream = work / "sequence.y4m";
    const SequenceStream made = write_sequence_stream(frames, *fps, stream);
    if (!made.ok)
        return mark_movie_broken(c, id, made.reason);
    fs::remove_all(work / "frames", ignored);
    if (!made.notes.empty())
        engine::queries::set_preview_reason(c, id, made.notes);
    MovieSettings movie = settings;
    movie.save_source_file = false; // the stream is no source to keep
    return process_movie_preview(files, movie, id, stream, true, c);
}

} // namespace slate::workers
