#include "workers/movie_jobs.h"

#include "engine/config.h"
#include "engine/db/connection.h"
#include "engine/json.h"
#include "engine/crud/queries.h"
#include "engine/review/preview_queries.h"
#include "engine/review/preview_files.h"
#include "engine/storage/file_store.h"
#include "workers/movie_frames.h"
#include "workers/movie_normalise.h"
#include "workers/movie_probe.h"
#include "workers/picture_variants.h"

#include <filesystem>

namespace fs = std::filesystem;

namespace slate::workers {
namespace {

using engine::storage::Bucket;
using engine::storage::make_key;

/// The project's (or entity's) resolution and fps texts for a preview.
struct ProjectTarget {
    std::string resolution, fps, entity_resolution, entity_fps, project_id;
};

std::optional<ProjectTarget> target_of(engine::db::Connection& c, const std::string& preview_id) {
    const auto row = c.exec(R"(SELECT pr.id AS project_id, pr.resolution, pr.fps,
            e.data->>'resolution' AS entity_resolution, e.data->>'fps' AS entity_fps
        FROM preview_file p JOIN task t ON t.id = p.task_id JOIN project pr ON pr.id = t.project_id
        JOIN entity e ON e.id = t.entity_id WHERE p.id = $1::uuid)",
                            {preview_id});
    if (row.rows() == 0)
        return std::nullopt;
    return ProjectTarget{row.optional(0, "resolution").value_or("1920x1080"), row.optional(0, "fps").value_or("25"),
                         row.optional(0, "entity_resolution").value_or(""), row.optional(0, "entity_fps").value_or(""),
                         std::string(row.get(0, "project_id"))};
}

void emit_update(engine::db::Connection& c, const std::string& preview_id, const std::string& project_id) {
    engine::JsonWriter data;
    data.begin_object().field("preview_file_id", preview_id).field("project_id", project_id).end_object();
    engine::queries::insert_event(c, "preview-file:update", std::nullopt, project_id, data.take());
}

/// Marks the preview broken (with its event) and answers the failure.
JobResult broken(engine::db::Connection& c, const std::string& preview_id, const std::string& project_id,
                 const std::string& reason) {
    engine::db::Transaction transaction(c); // the state and its event seen together
    engine::queries::mark_preview_broken(c, preview_id, reason);
    if (!project_id.empty())
        emit_update(c, preview_id, project_id);
    transaction.commit();
    return JobResult::failed(reason);
}

} // namespace

MovieSettings MovieSettings::from(const engine::Config& config) {
    return {config.preview_save_source_file, config.skip_normalization_full, config.skip_normalization_highdef};
}

std::optional<FrameRate> preview_frame_rate(engine::db::Connection& c, const std::string& preview_id) {
    const auto target = target_of(c, preview_id);
    if (!target)
        return std::nullopt;
    return parse_frame_rate(movie_fps_text(target->fps, target->entity_fps)).value_or(FrameRate{25, 1});
}

JobResult mark_movie_broken(engine::db::Connection& c, const std::string& preview_id, const std::string& reason) {
    const auto target = target_of(c, preview_id);
    return broken(c, preview_id, target ? target->project_id : "", reason);
}

JobResult run_movie_preview(const engine::storage::LocalFileStore& files, const MovieSettings& settings,
                            const std::string& payload, engine::db::Connection& c) {
    const auto args = engine::parse_json_object(payload);
    return process_movie_preview(files, settings, engine::optional_string(*args, "preview_file_id"),
                                 engine::optional_string(*args, "source"), args->optValue<bool>("normalize", true), c);
}

void record_movie_original(engine::db::Connection& c, const std::string& id, int width, int height, double duration,
                           int64_t file_size) {
    c.exec(R"(UPDATE preview_file SET data = COALESCE(data, '{}'::jsonb) || jsonb_build_object(
                  'original_width', $2::int, 'original_height', $3::int, 'original_duration', $4::float8,
                  'original_file_size', $5::bigint) WHERE id = $1::uuid)",
           {id, std::to_string(width), std::to_string(height), std::to_string(duration), std::to_string(file_size)});
}

MovieOutputsRequest MoviePreviewPlan::request(int width, int height) const {
    MovieOutputsRequest request;
    request.thumbnail_png = work / "frame.png";
    request.tile_png = work / "tile.png";
    if (!normalize)
        return request;
    const MovieSize hd = movie_target_size(resolution, width, height);
    if (hd.width <= 0 || hd.height <= 0)
        throw std::runtime_error("The movie's size cannot be read.");
    if (highdef) {
        request.hd = hd_target(hd, fps);
        request.hd_path = work / "previews.mp4";
    }
    request.ld = ld_target(hd, fps);
    request.ld_path = work / "lowdef.mp4";
    return request;
}

std::optional<MoviePreviewPlan> movie_preview_plan(engine::db::Connection& c, const MovieSettings& settings,
                                                   const std::string& preview_id, const fs::path& work,
                                                   bool normalize) {
    const auto target = target_of(c, preview_id);
    if (!target)
        return std::nullopt;
    MoviePreviewPlan plan;
    plan.project_id = target->project_id;
    plan.resolution = std::string(pick_resolution(target->entity_resolution, target->resolution));
    plan.fps = parse_frame_rate(movie_fps_text(target->fps, target->entity_fps)).value_or(FrameRate{25, 1});
    plan.normalize = normalize && !settings.skip_normalization;
    plan.highdef = !settings.skip_highdef;
    plan.work = work;
    return plan;
}

JobResult store_movie_outputs(const engine::storage::LocalFileStore& files, engine::db::Connection& c,
                              const std::string& id, const MoviePreviewPlan& plan, const MovieOutputsRequest& request,
                              const MovieOutputs& made, const fs::path& kept_as_sent) {
    if (!made.ok)
        return broken(c, id, plan.project_id, made.reason);
    if (made.hd.ok)
        files.put(Bucket::movies, make_key("previews", id), request.hd_path);
    if (made.ld.ok)
        files.put(Bucket::movies, make_key("lowdef", id), request.ld_path);
    if (!kept_as_sent.empty())
        files.put(Bucket::movies, make_key("previews", id), kept_as_sent);
    const PictureVariants variants = make_picture_variants(request.thumbnail_png, plan.work / "variants");
    if (!variants.ok)
        return broken(c, id, plan.project_id, variants.reason);
    files.put(Bucket::pictures, make_key("original", id), variants.original);
    files.put(Bucket::pictures, make_key("thumbnails", id), variants.thumbnail);
    files.put(Bucket::pictures, make_key("thumbnails-square", id), variants.square_thumbnail);
    files.put(Bucket::pictures, make_key("previews", id), variants.preview);
    // The tile only helps the player: a failure is not the preview's.
    if (made.tile.ok)
        files.put(Bucket::pictures, make_key("tiles", id), request.tile_png);

    const MovieProbe& movie = made.movie;
    engine::db::Transaction transaction(c);
    c.exec(R"(UPDATE preview_file SET status = 'ready', file_size = $2::bigint, width = $3::int, height = $4::int,
                  duration = $5::float8, updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid)",
           {id, std::to_string(movie.file_size), std::to_string(movie.width), std::to_string(movie.height),
            std::to_string(movie.duration)});
    emit_update(c, id, plan.project_id);
    engine::services::update_preview_file_info(c, id);
    transaction.commit();
    return JobResult::ok();
}

JobResult process_movie_preview(const engine::storage::LocalFileStore& files, const MovieSettings& settings,
                                const std::string& id, const fs::path& source, bool normalize_asked,
                                engine::db::Connection& c) {
    const fs::path work = source.parent_path() / ("movie-" + id);
    std::error_code ignored;
    fs::create_directories(work, ignored);
    struct Cleanup {
        fs::path source, work;
        ~Cleanup() {
            std::error_code e;
            fs::remove(source, e);
            fs::remove_all(work, e);
        }
    } cleanup{source, work};

    const auto plan = movie_preview_plan(c, settings, id, work, normalize_asked);
    if (!plan)
        return JobResult::failed("The preview file no longer exists.");
    bool source_kept = false;
    if (settings.save_source_file) {
        files.put(Bucket::movies, make_key("source", id), source);
        source_kept = true;
    }
    const MovieProbe original = probe_movie(source);
    if (!original.ok)
        return broken(c, id, plan->project_id, original.reason);
    record_movie_original(c, id, original.width, original.height, original.duration, original.file_size);

    MovieOutputsRequest request;
    try {
        request = plan->request(original.width, original.height);
    } catch (const std::exception& e) {
        return broken(c, id, plan->project_id, e.what());
    }
    // One decode of the source makes the movies, the thumbnail and the tile sheet.
    const MovieOutputs made = make_movie_outputs(source, request, &original);
    return store_movie_outputs(files, c, id, *plan, request, made,
                               plan->normalize || source_kept ? fs::path() : source);
}

JobResult run_preview_frame(const engine::storage::LocalFileStore& files, const std::string& payload,
                            engine::db::Connection& c) {
    const auto args = engine::parse_json_object(payload);
    const std::string id = engine::optional_string(*args, "preview_file_id");
    const fs::path output = engine::optional_string(*args, "output");
    const int64_t frame_number = args->optValue<Poco::Int64>("frame_number", 0);
    const auto target = target_of(c, id);
    if (!target)
        return JobResult::failed("The preview file no longer exists.");
    // Zou reads the HD movie only (no low-definition or source fallback).
    const auto movie = files.find(Bucket::movies, make_key("previews", id));
    if (!movie)
        return JobResult::failed("The preview's movie is not stored.");
    const auto fps = parse_frame_rate(movie_fps_text(target->fps, target->entity_fps)).value_or(FrameRate{25, 1});
    const MoviePicture frame = extract_frame_png(*movie, frame_time(frame_number, fps), output);
    if (!frame.ok)
        return JobResult::failed(frame.reason);
    if (args->optValue<bool>("replace_variants", false)) {
        const fs::path work = output.parent_path() / ("variants-" + id);
        const PictureVariants variants = make_picture_variants(output, work);
        if (!variants.ok)
            return JobResult::failed(variants.reason);
        files.put(Bucket::pictures, make_key("original", id), variants.original);
        files.put(Bucket::pictures, make_key("thumbnails", id), variants.thumbnail);
        files.put(Bucket::pictures, make_key("thumbnails-square", id), variants.square_thumbnail);
        files.put(Bucket::pictures, make_key("previews", id), variants.preview);
        std::error_code ignored;
        fs::remove_all(work, ignored);
    }
    return JobResult::ok();
}

JobResult run_preview_tile(const engine::storage::LocalFileStore& files, const std::string& payload,
                           engine::db::Connection&) {
    const auto args = engine::parse_json_object(payload);
    const std::string id = engine::optional_string(*args, "preview_file_id");
    const fs::path output = engine::optional_string(*args, "output");
    const auto movie = files.find(Bucket::movies, make_key("previews", id));
    if (!movie)
        return JobResult::failed("The preview's movie is not stored.");
    const TileSheet tile = build_tile_sheet(*movie, output);
    if (!tile.ok)
        return JobResult::failed(tile.reason);
    files.put(Bucket::pictures, make_key("tiles", id), output);
    return JobResult::ok();
}

} // namespace slate::workers
