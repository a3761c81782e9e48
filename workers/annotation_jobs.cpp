// workers/annotation_jobs.cpp: the annotated-frames job (annotation_jobs.h).
#include "workers/annotation_jobs.h"

#include "engine/json.h"
#include "engine/storage/file_store.h"
#include "workers/annotation_overlay.h"
#include "workers/movie_frames.h"
#include "workers/picture_pdf.h"

#include <Poco/JSON/Array.h>
#include <Poco/Path.h>
#include <Poco/Zip/Compress.h>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace slate::workers {

JobResult run_annotated_frames(const engine::storage::LocalFileStore& files, const std::string& payload) {
    using engine::storage::Bucket;
    using engine::storage::make_key;
    const auto args = engine::parse_json_object(payload);
    const std::string id = engine::optional_string(*args, "preview_file_id");
    const fs::path output = engine::optional_string(*args, "output");
    const std::string bundle = engine::optional_string(*args, "bundle");
    const bool movie = engine::optional_string(*args, "kind") == "movie";
    const auto source = movie ? files.find(Bucket::movies, make_key("previews", id))
                              : files.find(Bucket::pictures, make_key("previews", id));
    if (!source)
        return JobResult::failed(binary_not_available);
    const FrameRate fps = parse_frame_rate(engine::optional_string(*args, "fps")).value_or(FrameRate{25, 1});

    const fs::path work = output.parent_path() / (output.filename().string() + ".frames");
    std::error_code ignored;
    fs::create_directories(work, ignored);
    std::vector<std::pair<fs::path, std::string>> rendered; // picture, name in a zip
    std::string reason;
    const auto entries = args->getArray("entries");
    for (unsigned i = 0; entries && i < entries->size(); ++i) {
        const auto entry = entries->getObject(i);
        if (!entry)
            continue;
        const auto annotation = entry->getObject("annotation");
        fs::path picture = *source;
        if (movie) {
            picture = work / ("frame-" + std::to_string(i) + ".png");
            const MoviePicture frame =
                extract_frame_png(*source, frame_time(entry->optValue<Poco::Int64>("frame_number", 1), fps), picture);
            if (!frame.ok) {
                reason = frame.reason;
                continue; // past the end of the movie: left out, as Zou does
            }
        }
        const fs::path annotated = work / ("annotated-" + std::to_string(i) + ".png");
        const AnnotatedPicture made =
            render_annotated_picture(picture, annotation ? *annotation : Poco::JSON::Object(), annotated);
        if (!made.ok) {
            fs::remove_all(work, ignored);
            return JobResult::failed(made.reason);
        }
        rendered.emplace_back(annotated, engine::optional_string(*entry, "name"));
        if (bundle == "png")
            break;
    }

    JobResult result = JobResult::ok();
    if (rendered.empty()) {
        result = JobResult::failed(movie && bundle == "png" && !reason.empty() ? reason : no_annotated_frame);
    } else if (bundle == "png") {
        fs::rename(rendered.front().first, output, ignored);
        if (ignored)
            result = JobResult::failed("the annotated frame cannot be written: " + ignored.message());
    } else if (bundle == "pdf") {
        std::vector<fs::path> pages;
        for (const auto& [path, name] : rendered)
            pages.push_back(path);
        const PicturePdf pdf = write_pictures_pdf(pages, output);
        if (!pdf.ok)
            result = JobResult::failed(pdf.reason);
    } else {
        std::ofstream out(output, std::ios::binary | std::ios::trunc);
        Poco::Zip::Compress zip(out, true);
        for (const auto& [path, name] : rendered)
            zip.addFile(Poco::Path(path.string()), Poco::Path(name), Poco::Zip::ZipCommon::CM_DEFLATE);
        zip.close();
        if (!out)
            result = JobResult::failed("the zip of annotated frames cannot be written");
    }
    fs::remove_all(work, ignored);
    return result;
}

} // namespace slate::workers
