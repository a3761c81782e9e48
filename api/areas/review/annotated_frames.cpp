// api/areas/review/annotated_frames.cpp: a preview's annotations burnt into its frames (Zou's
// ExtractAnnotatedFrame* resources): one frame as a PNG, every annotated frame as a zip or
// a PDF. The frames are taken and drawn on the worker pool.

#include "api/areas/areas.h"
#include "api/areas/review/preview_files.h"
#include "api/body_fields.h"
#include "api/file_reply.h"
#include "api/job_wait.h"

#include "engine/config.h"
#include "engine/crud/permissions.h"
#include "engine/db/pool.h"
#include "engine/json.h"
#include "engine/people/auth_service.h"
#include "engine/review/preview_lookups.h"
#include "engine/uuid.h"
#include "workers/annotation_jobs.h"
#include "workers/movie_target.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <cmath>
#include <filesystem>
#include <sstream>

namespace fs = std::filesystem;

namespace slate::api {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

bool is_picture_extension(const std::string& extension) {
    return extension == "jpg" || extension == "jpeg" || extension == "jpe" || extension == "png";
}

/// A preview the caller manages, with its annotations and the frame rate they are timed in.
struct AnnotatedPreview {
    std::string id, extension;
    double fps = 25;
    std::string fps_text;
    Array::Ptr annotations;
};

AnnotatedPreview annotated_preview(Request& request, Services& services) {
    const std::string id = request.param("preview_file_id");
    if (!engine::is_uuid(id))
        throw_not_found(not_found_message);
    // Loaded here, not by the route: the connection goes back before the frames job runs.
    auto connection = services.pool.acquire();
    auto& c = *connection;
    const auto row = engine::queries::find_annotated_preview(c, id);
    if (!row)
        throw_not_found(not_found_message);
    engine::crud::require_manager_project_access(request.caller(), c, row->project_id);
    AnnotatedPreview preview;
    preview.id = id;
    preview.extension = row->extension.value_or("");
    for (auto& ch : preview.extension)
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    preview.fps_text = workers::movie_fps_text(row->project_fps.value_or("25"), row->entity_fps.value_or(""));
    preview.fps = std::stod(preview.fps_text);
    try {
        preview.annotations = Poco::JSON::Parser().parse(row->annotations_json).extract<Array::Ptr>();
    } catch (const std::exception&) {
        preview.annotations = new Array;
    }
    if (row->imported_only)
        refuse_missing_binary(); // synced without its file
    return preview;
}

/// An annotation's time in seconds (Zou's float(): numbers and numeric strings), if any.
std::optional<double> annotation_time(const Object& annotation) {
    if (!annotation.has("time") || annotation.get("time").isEmpty())
        return std::nullopt;
    try {
        const double time = annotation.get("time").convert<double>();
        return std::isfinite(time) ? std::optional<double>(time) : std::nullopt;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

[[noreturn]] void wrong_extension(const std::string& what, const std::string& extension) {
    throw_bad_request("Cannot extract " + what + " from preview with extension '" + extension + "'");
}

/// Runs the job and answers its output with `content_type`; the job's failures as Zou's.
Reply run_and_send(Request& request, Services& services, const AnnotatedPreview& preview, const std::string& kind,
                   Array::Ptr entries, const std::string& bundle, const std::string& content_type, bool as_inline,
                   const std::string& download_name) {
    const std::string output = temporary_path(services.config.data_dir, preview.id + "-annotated." + bundle);
    std::ostringstream entries_json;
    entries->stringify(entries_json);
    engine::JsonWriter payload;
    payload.begin_object()
        .field("preview_file_id", preview.id)
        .field("kind", kind)
        .field("fps", preview.fps_text)
        .field("bundle", bundle)
        .field("output", output)
        .key("entries")
        .raw(entries_json.str())
        .end_object();
    const auto job = run_job(services.pool, workers::annotated_frames_job, payload.take());
    if (std::string(job.get(0, "state")) != "done") {
        std::error_code ignored;
        fs::remove(output, ignored);
        const std::string reason = job.optional(0, "reason").value_or("");
        if (reason == workers::binary_not_available)
            refuse_missing_binary();
        throw_bad_request(reason.empty() ? workers::no_annotated_frame : reason);
    }
    return generated_file_reply(request, output, content_type, as_inline, download_name);
}

Object::Ptr entry(long long frame_number, const std::string& name, const Object::Ptr& annotation) {
    Object::Ptr out = new Object;
    out->set("frame_number", frame_number);
    out->set("name", name);
    out->set("annotation", annotation);
    return out;
}

/// GET …/extract-annotated-frame[?frame_number=N]: the movie's frame N (required) with the
/// annotation timed on it, or a picture with its first annotation.
Reply extract_annotated_frame(Request& request, Services& services) {
    std::optional<long long> frame_number;
    if (const auto given = request.query_value("frame_number")) {
        const auto invalid = [&request](const std::string& message) { // always throws: one error recorded
            BodyFields fields(request);
            fields.invalid("frame_number", message);
            fields.check();
        };
        size_t used = 0;
        try {
            frame_number = std::stoll(*given, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used == 0 || used != given->size())
            invalid("Input should be a valid integer, unable to parse string as an integer");
        if (*frame_number < 1)
            invalid("Input should be greater than or equal to 1");
    }
    const AnnotatedPreview preview = annotated_preview(request, services);
    Array::Ptr entries = new Array;
    if (preview.extension == "mp4") {
        if (!frame_number)
            throw_bad_request("frame_number is required for movie previews");
        const double target = double(*frame_number - 1) / preview.fps;
        const double tolerance = 1 / (2 * preview.fps);
        for (unsigned i = 0; i < preview.annotations->size(); ++i) {
            const auto annotation = preview.annotations->getObject(i);
            const auto time = annotation ? annotation_time(*annotation) : std::nullopt;
            if (time && std::abs(*time - target) <= tolerance) {
                entries->add(entry(*frame_number, "", annotation));
                break;
            }
        }
        if (entries->size() == 0)
            throw_bad_request("No annotation found for frame " + std::to_string(*frame_number));
    } else if (is_picture_extension(preview.extension)) {
        const auto first = preview.annotations->size() ? preview.annotations->getObject(0) : nullptr;
        if (!first)
            throw_bad_request("No annotation found on picture preview");
        entries->add(entry(1, "", first));
    } else {
        wrong_extension("annotated frame", preview.extension);
    }
    const std::string name = preview.id + "_annotated_frame" +
                             (frame_number && preview.extension == "mp4" ? "_" + std::to_string(*frame_number) : "") +
                             ".png";
    return run_and_send(request, services, preview, preview.extension == "mp4" ? "movie" : "picture", entries, "png",
                        "image/png", true, name);
}

/// Every annotated frame of a preview (a picture: one copy per annotation), zipped or as
/// the pages of a PDF, named `<preview download name>_frame_<N>.png`.
Reply extract_all_annotated_frames(Request& request, Services& services, const std::string& bundle) {
    const AnnotatedPreview preview = annotated_preview(request, services);
    if (preview.annotations->size() == 0)
        throw_bad_request("Preview file has no annotations");
    const bool movie = preview.extension == "mp4";
    if (!movie && !is_picture_extension(preview.extension))
        wrong_extension("annotated frames", preview.extension);
    std::string base = preview_download_name(services, preview.id);
    if (const size_t dot = base.rfind('.'); dot != std::string::npos)
        base.erase(dot);
    Array::Ptr entries = new Array;
    for (unsigned i = 0; i < preview.annotations->size(); ++i) {
        const auto annotation = preview.annotations->getObject(i);
        if (!annotation)
            continue;
        long long number = static_cast<long long>(i) + 1;
        if (movie) {
            const auto time = annotation_time(*annotation);
            if (!time)
                continue;
            number = std::max(1LL, std::llround(*time * preview.fps) + 1);
        }
        entries->add(entry(number, base + "_frame_" + std::to_string(number) + ".png", annotation));
    }
    return run_and_send(request, services, preview, movie ? "movie" : "picture", entries, bundle,
                        bundle == "pdf" ? "application/pdf" : "application/zip", false,
                        base + "_annotated_frames." + bundle);
}

Reply annotated_frames_zip(Request& request, Services& services) {
    return extract_all_annotated_frames(request, services, "zip");
}

Reply annotated_frames_pdf(Request& request, Services& services) {
    return extract_all_annotated_frames(request, services, "pdf");
}

} // namespace

RouteList annotated_frame_routes() {
    RouteList routes;
    auto add = [&routes](std::string path, Handler handler) {
        routes.push_back(Route{Method::get, std::move(path), Access::jwt, std::move(handler)});
    };
    add("/actions/preview-files/{preview_file_id}/extract-annotated-frame", extract_annotated_frame);
    add("/actions/preview-files/{preview_file_id}/extract-annotated-frames", annotated_frames_zip);
    add("/actions/preview-files/{preview_file_id}/extract-annotated-frames-pdf", annotated_frames_pdf);
    return routes;
}

} // namespace slate::api
