#include "workers/image_sequence.h"

#include "engine/json.h"
#include "engine/log.h"
#include "engine/review/preview_queries.h"
#include "workers/movie_jobs.h"
#include "workers/movie_pipeline.h"
#include "workers/still_images.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/StreamCopier.h>
#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>
#include <tbb/parallel_pipeline.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <memory>
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

/// A frame of the sequence on its way through the pipeline.
struct SequenceFrame {
    int64_t number = 0;
    bool end = false;     ///< past the last number
    bool present = false; ///< a file exists for this number
    fs::path path;
    std::string problem;  ///< why it cannot be shown, when present
    av::Frame picture;    ///< 4:2:0 YUV, when shown
};
using SequenceItem = std::shared_ptr<SequenceFrame>;

/// A decoded frame as a 4:2:0 YUV picture (BT.601, limited range: what FFmpeg assumes of an
/// untagged stream and keeps through the encoders).
av::Frame to_yuv(const DisplayPixels& rgb) {
    const int w = rgb.width, h = rgb.height, cw = (w + 1) / 2, ch = (h + 1) / 2, n = rgb.channels;
    av::Frame out = av::make_frame();
    out->format = AV_PIX_FMT_YUV420P;
    out->width = w;
    out->height = h;
    av::check(av_frame_get_buffer(out.get(), 0), "picture buffer");
    out->chroma_location = AVCHROMA_LOC_CENTER; // as a 4:2:0 "jpeg" stream is read
    out->sample_aspect_ratio = {1, 1};
    const uint8_t* px = rgb.pixels.data();
    for (int y = 0; y < h; ++y) {
        uint8_t* y_row = out->data[0] + size_t(y) * out->linesize[0];
        for (int x = 0; x < w; ++x) {
            const uint8_t* p = px + (size_t(y) * w + x) * n;
            y_row[x] = uint8_t(std::lround(16.0 + (65.481 * p[0] + 128.553 * p[1] + 24.966 * p[2]) / 255.0));
        }
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
            out->data[1][size_t(cy) * out->linesize[1] + cx] =
                uint8_t(std::lround(128.0 + (-37.797 * r - 74.203 * g + 112.0 * b) / 255.0));
            out->data[2][size_t(cy) * out->linesize[2] + cx] =
                uint8_t(std::lround(128.0 + (112.0 * r - 93.786 * g - 18.214 * b) / 255.0));
        }
    return out;
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

SequenceMovie make_sequence_movie(const Frames& input, FrameRate fps,
                                  const std::function<MovieOutputsRequest(int, int)>& plan) {
    SequenceMovie result;
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
    const StillSettings settings = still_settings();
    std::vector<int64_t> missing, unreadable, resized;
    std::string first_problem;
    av::Frame held;
    size_t next = 0;
    int64_t number = frames.front().first;
    const int64_t last = frames.back().first;
    bool ended = false;
    int64_t decoded = 0; // frames read and shown

    PipelineSource source;
    source.video.time_base = {fps.den, fps.num}; // a picture per tick, from 0
    source.video.frame_rate = {fps.num, fps.den};
    source.video.sar = {1, 1};
    source.expected_seconds = double(last - number + 1) / fps.value();
    const auto serial = tbb::filter_mode::serial_in_order;
    const auto front =
        tbb::make_filter<void, SequenceItem>(serial,
                                             [&](tbb::flow_control& control) -> SequenceItem {
                                                 if (ended) {
                                                     control.stop();
                                                     return nullptr;
                                                 }
                                                 auto frame = std::make_shared<SequenceFrame>();
                                                 frame->number = number;
                                                 frame->end = number > last;
                                                 ended = frame->end;
                                                 if (next < frames.size() && frames[next].first == number) {
                                                     frame->present = true;
                                                     frame->path = frames[next].second;
                                                     ++next;
                                                 }
                                                 ++number;
                                                 return frame;
                                             }) &
        tbb::make_filter<SequenceItem, SequenceItem>(tbb::filter_mode::parallel,
                                                     [&](SequenceItem frame) {
                                                         if (!frame->present)
                                                             return frame;
                                                         const DisplayPixels shown =
                                                             decode_still(frame->path, settings);
                                                         frame->problem = shown.reason;
                                                         if (shown.ok)
                                                             frame->picture = to_yuv(shown);
                                                         return frame;
                                                     }) &
        tbb::make_filter<SequenceItem, Piece>(serial, [&](SequenceItem frame) {
            auto piece = std::make_shared<DecodedPiece>();
            piece->last = frame->end;
            if (frame->end)
                return piece;
            if (!frame->present)
                missing.push_back(frame->number);
            else if (!frame->problem.empty()) {
                unreadable.push_back(frame->number);
                if (first_problem.empty())
                    first_problem = frame->problem;
            } else {
                ++decoded;
                if (result.width == 0) {
                    result.width = frame->picture->width;
                    result.height = frame->picture->height;
                }
                if (frame->picture->width != result.width || frame->picture->height != result.height)
                    resized.push_back(frame->number);
                else
                    held = std::move(frame->picture);
            }
            if (result.width == 0)
                return piece; // nothing to hold yet: the movie starts at the first readable frame
            av::Frame picture = av::make_frame();
            av::check(av_frame_ref(picture.get(), held.get()), "picture reference");
            picture->pts = picture->best_effort_timestamp = result.frames++;
            picture->pkt_duration = 1;
            piece->pictures.push_back(std::move(picture));
            return piece;
        });
    MovieOutputsRequest asked;
    try {
        result.outputs = run_movie_pipeline(front, source, [&](int width, int height) {
            if (width <= 0)
                throw av::Failure("no frame");
            asked = plan(width, height);
            return asked;
        });
        result.outputs.source_decodes = 1;
        result.outputs.pictures_decoded = decoded;
    } catch (const std::exception& e) {
        log::warning(std::string("sequence: ") + e.what());
        result.reason = result.width == 0 ? "no frame of the sequence can be read" +
                                                (first_problem.empty() ? "" : ": " + first_problem)
                                          : e.what();
        result.outputs = MovieOutputs{};
        result.outputs.reason = result.reason;
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

    const auto plan = movie_preview_plan(c, settings, id, work, true);
    if (!plan)
        return JobResult::failed("The preview file no longer exists.");
    Frames frames;
    if (fs::is_directory(source)) { // several uploaded files
        for (const auto& entry : fs::directory_iterator(source))
            if (const auto number = frame_number(entry.path().filename().string()); number && entry.is_regular_file())
                frames.emplace_back(*number, entry.path());
    } else if (const std::string reason = unzip_frames(source, work / "frames", frames); !reason.empty()) {
        return mark_movie_broken(c, id, reason);
    }
    int64_t source_size = 0; // the frames' bytes
    for (const auto& frame : frames)
        if (const auto size = fs::file_size(frame.second, ignored); !ignored)
            source_size += static_cast<int64_t>(size);
    // Each frame decoded once, on the pool, straight into the encoders: no intermediate file.
    MovieOutputsRequest request;
    const SequenceMovie made = make_sequence_movie(frames, plan->fps, [&](int width, int height) {
        request = plan->request(width, height);
        return request;
    });
    if (!made.ok)
        return mark_movie_broken(c, id, made.reason);
    fs::remove_all(work / "frames", ignored);
    record_movie_original(c, id, made.width, made.height, double(made.frames) / plan->fps.value(), source_size);
    if (!made.notes.empty())
        engine::queries::set_preview_reason(c, id, made.notes);
    return store_movie_outputs(files, c, id, *plan, request, made.outputs, {});
}

} // namespace slate::workers
