#include "workers/media_jobs.h"

#include "engine/db/connection.h"
#include "engine/json.h"
#include "engine/crud/queries.h"
#include "engine/review/preview_queries.h"
#include "engine/review/preview_files.h"
#include "engine/storage/file_store.h"
#include "workers/picture_variants.h"
#include "workers/still_images.h"

#include <Poco/JSON/Parser.h>

#include <filesystem>

namespace fs = std::filesystem;

namespace slate::workers {
namespace {

using engine::storage::Bucket;
using engine::storage::make_key;

void emit_preview_update(engine::db::Connection& c, const std::string& preview_id) {
    const auto preview = engine::queries::get_preview(c, preview_id);
    const auto project = preview.rows() ? preview.optional(0, "project_id") : std::nullopt;
    engine::JsonWriter data;
    data.begin_object().field("preview_file_id", preview_id);
    if (project)
        data.field("project_id", *project);
    data.end_object();
    engine::queries::insert_event(c, "preview-file:update", std::nullopt, project, data.take());
}

JobResult picture_preview(const engine::storage::LocalFileStore& files, const std::string& payload,
                          engine::db::Connection& c) {
    const auto args = engine::parse_json_object(payload);
    const std::string id = engine::optional_string(*args, "preview_file_id");
    const fs::path source = engine::optional_string(*args, "source");
    const std::string original_name = engine::optional_string(*args, "original_name");
    const fs::path work = source.parent_path() / ("variants-" + id);
    // JPEG and PNG through libvips; the VFX stills through OpenImageIO, their file kept too.
    std::string extension = source.extension().string();
    extension = extension.empty() ? "" : extension.substr(1);
    const bool still = is_still_extension(extension);
    const PictureVariants variants = still ? make_still_variants(source, work) : make_picture_variants(source, work);
    JobResult result = JobResult::ok();
    if (variants.ok) {
        if (still) // served by /pictures/originals/preview-files/<id>.<its extension>
            files.put(Bucket::files, make_key("previews", id), source);
        files.put(Bucket::pictures, make_key("original", id), variants.original);
        files.put(Bucket::pictures, make_key("thumbnails", id), variants.thumbnail);
        files.put(Bucket::pictures, make_key("thumbnails-square", id), variants.square_thumbnail);
        files.put(Bucket::pictures, make_key("previews", id), variants.preview);
    }
    // The preview's state and its event in one transaction: whoever sees it ready or broken
    // also finds its event.
    engine::db::Transaction transaction(c);
    if (variants.ok) {
        engine::queries::mark_picture_ready(c, id, original_name, variants.width, variants.height, variants.file_size);
        engine::services::update_preview_file_info(c, id);
    } else {
        engine::queries::mark_preview_broken(c, id, variants.reason);
        result = JobResult::failed(variants.reason);
    }
    emit_preview_update(c, id);
    transaction.commit();
    std::error_code ignored;
    fs::remove_all(work, ignored);
    fs::remove(source, ignored);
    return result;
}

} // namespace

JobHandlers media_handlers(const engine::storage::LocalFileStore& files, const MovieSettings& movies,
                           PlaylistBuildSettings playlists) {
    JobHandlers handlers;
    handlers.add(annotated_frames_job, [&files](const std::string& payload, engine::db::Connection&) {
        return run_annotated_frames(files, payload);
    });
    handlers.add(playlist_build_job, [&files, playlists](const std::string& payload, engine::db::Connection& c) {
        return run_playlist_build(files, playlists, payload, c);
    });
    handlers.add(movie_preview_job, [&files, movies](const std::string& payload, engine::db::Connection& c) {
        return run_movie_preview(files, movies, payload, c);
    });
    handlers.add(sequence_preview_job, [&files, movies](const std::string& payload, engine::db::Connection& c) {
        return run_sequence_preview(files, movies, payload, c);
    });
    handlers.add(preview_frame_job, [&files](const std::string& payload, engine::db::Connection& c) {
        return run_preview_frame(files, payload, c);
    });
    handlers.add(fitted_picture_job, [](const std::string& payload, engine::db::Connection&) {
        const auto args = engine::parse_json_object(payload);
        const std::string source = engine::optional_string(*args, "source"),
                          output = engine::optional_string(*args, "output");
        const int width = args->optValue<int>("width", 400), height = args->optValue<int>("height", 400);
        const auto made = args->optValue<bool>("crop", false)
                              ? make_cropped_thumbnail(source, output, width, height)
                              : make_fitted_picture(source, output, width, height, args->optValue<bool>("hdr", false));
        return made.ok ? JobResult::ok() : JobResult::failed(made.reason);
    });
    handlers.add(preview_tile_job, [&files](const std::string& payload, engine::db::Connection& c) {
        return run_preview_tile(files, payload, c);
    });
    handlers.add(picture_preview_job, [&files](const std::string& payload, engine::db::Connection& c) {
        return picture_preview(files, payload, c);
    });
    return handlers;
}

} // namespace slate::workers
