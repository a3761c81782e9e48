// api/areas/review/previews.cpp: uploading a preview's file (media.md §2–§5). Pictures are made on
// the worker pool while the request waits (Zou finished them inside the request, and scripts
// read thumbnails right after); movies are queued and answered `processing`; other files are
// stored as they are.

#include "api/areas/areas.h"
#include "api/areas/review/preview_files.h"
#include "api/areas/review/comment_posting.h"
#include "api/job_wait.h"
#include "api/multipart.h"

#include "engine/access.h"
#include "engine/config.h"
#include "engine/db/pool.h"
#include "engine/json.h"
#include "engine/jobs/job_queries.h"
#include "engine/people/auth_service.h"
#include "engine/review/comment_rights.h"
#include "engine/review/preview_files.h"
#include "engine/review/preview_lookups.h"
#include "engine/review/preview_queries.h"
#include "engine/storage/deleted_files.h"
#include "engine/storage/file_store.h"
#include "engine/storage/staged_files.h"
#include "workers/media_jobs.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;

namespace slate::api {
namespace {

using engine::storage::Bucket;

/// "shot010_v3.final.MOV" → {"shot010_v3.final", "mov"}.
std::pair<std::string, std::string> split_name(const std::string& filename) {
    const auto dot = filename.rfind('.');
    std::string ext = dot == std::string::npos ? filename : filename.substr(dot + 1);
    for (auto& c : ext)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return {dot == std::string::npos ? "" : filename.substr(0, dot), ext};
}

/// The spooled upload moved to the temporary folder under `name`, for a job to read; back in
/// the spool unless `staged` is kept once the job is recorded.
fs::path place_upload(const Services& services, const std::string& name, const UploadedFile& part,
                      engine::storage::StagedFiles& staged) {
    const fs::path tmp = fs::path(services.config.data_dir) / "tmp";
    fs::create_directories(tmp);
    const fs::path path = tmp / name;
    try {
        staged.move(part.path, path); // the spool is in the same folder: a rename
    } catch (const fs::filesystem_error&) {
        throw Error(ErrorKind::unavailable, "The upload could not be written to temporary storage.");
    }
    return path;
}

std::string job_payload(const std::string& id, const fs::path& source, const std::string& original_name,
                        bool normalize) {
    engine::JsonWriter payload;
    payload.begin_object()
        .field("preview_file_id", id)
        .field("source", fs::absolute(source).string())
        .field("original_name", original_name)
        .field("normalize", normalize)
        .end_object();
    return payload.take();
}

std::string finished(Services& services, const std::string& id) {
    auto connection = services.pool.acquire();
    engine::services::announce_uploaded_file(*connection, id);
    return engine::services::preview_file_json(*connection, id, false);
}

/// Queues the job that makes a preview's movie (with the row's movie answer), the upload then
/// the job's; answered when queued, or once done with `wait`.
std::string queue_movie(Services& services, const char* kind, const std::string& id, const std::string& project_id,
                        const fs::path& source, const std::string& original_name, bool normalize,
                        engine::storage::StagedFiles& staged, bool wait) {
    std::string job_id;
    {
        auto connection = services.pool.acquire();
        auto& c = *connection;
        engine::db::Transaction transaction(c);
        job_id = engine::queries::enqueue_job(c, kind, job_payload(id, source, original_name, normalize));
        engine::queries::record_movie_upload(c, id, project_id, original_name);
        transaction.commit();
    }
    staged.keep(); // the job owns the file now
    if (wait)
        wait_for_job(services.pool, job_id);
    return finished(services, id);
}

} // namespace

std::string store_sequence(Services& services, const std::string& id, const std::string& project_id,
                           const std::vector<UploadedFile>& parts, bool wait_for_movie) {
    auto [original_name, ext] = split_name(parts.front().filename);
    engine::storage::StagedFiles staged(services.files);
    fs::path source;
    if (parts.size() == 1) {
        source = place_upload(services, id + ".zip", parts.front(), staged);
    } else {
        // "sh010.1001.exr", "sh010.1002.exr"…: the name without its frame number.
        while (!original_name.empty() && std::isdigit(static_cast<unsigned char>(original_name.back())))
            original_name.pop_back();
        while (!original_name.empty() && (original_name.back() == '.' || original_name.back() == '_'))
            original_name.pop_back();
        source = fs::path(services.config.data_dir) / "tmp" / (id + "-frames");
        fs::create_directories(source);
        for (const auto& part : parts) {
            const std::string base = part.filename.substr(part.filename.find_last_of("/\\") + 1);
            if (base.empty() || base == "." || base == "..")
                continue;
            try {
                staged.move(part.path, source / base);
            } catch (const fs::filesystem_error&) {
                throw Error(ErrorKind::unavailable, "The upload could not be written to temporary storage.");
            }
        }
    }
    return queue_movie(services, workers::sequence_preview_job, id, project_id, source, original_name, true, staged,
                       wait_for_movie);
}

std::string store_upload(Services& services, const std::string& id, const std::string& project_id,
                         const UploadedFile& part, bool normalize, bool wait_for_movie) {
    const auto [original_name, ext] = split_name(part.filename);

    if (preview_kind(ext) == PreviewKind::picture) {
        engine::storage::StagedFiles staged(services.files);
        const fs::path source = place_upload(services, id + "." + ext, part, staged);
        std::string job_id;
        {
            auto connection = services.pool.acquire();
            job_id = engine::queries::enqueue_job(*connection, workers::picture_preview_job,
                                                  job_payload(id, source, original_name, true));
        }
        staged.keep(); // the job owns the file now
        const auto job = wait_for_job(services.pool, job_id);
        if (std::string(job.get(0, "state")) == "failed")
            throw_bad_request(job.optional(0, "reason").value_or("The picture could not be read."));
        return finished(services, id);
    }

    if (preview_kind(ext) == PreviewKind::movie) {
        if (part.size == 0) {
            auto connection = services.pool.acquire();
            engine::storage::DeletedFiles deleted;
            deleted.previews_forced = true; // a failed upload: Zou's force=True
            engine::services::remove_preview_file(*connection, id, deleted);
            engine::storage::remove_deleted_files(services.files, deleted, services.config.remove_files);
            throw_bad_request("Uploaded movie could not be written to temporary storage or is empty; "
                              "aborting before dispatching normalization.");
        }
        std::string suffix = part.filename.size() >= 4 ? part.filename.substr(part.filename.size() - 4) : "";
        for (auto& c : suffix)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        engine::storage::StagedFiles staged(services.files);
        const fs::path source = place_upload(services, id + suffix + ".tmp", part, staged);
        return queue_movie(services, workers::movie_preview_job, id, project_id, source, original_name, normalize,
                           staged, wait_for_movie);
    }

    // Beyond Zou: a zip of numbered frames is a movie preview made from them.
    if (ext == "zip" && workers::zip_holds_frames(part.path))
        return store_sequence(services, id, project_id, {part}, wait_for_movie);

    if (preview_kind(ext) == PreviewKind::other_file) {
        engine::storage::StagedFiles staged(services.files); // put back after the transaction rolls back
        staged.move_in(Bucket::files, engine::storage::make_key("previews", id), part.path);
        auto connection = services.pool.acquire();
        auto& c = *connection;
        engine::db::Transaction transaction(c);
        engine::queries::record_file_upload(c, id, project_id, ext, original_name, part.size);
        transaction.commit();
        staged.keep();
        return finished(services, id);
    }

    {
        auto connection = services.pool.acquire();
        engine::storage::DeletedFiles deleted;
        engine::services::remove_preview_file(*connection, id, deleted);
        engine::storage::remove_deleted_files(services.files, deleted, services.config.remove_files);
    }
    const std::string message = "Wrong file format, extension: " + ext;
    engine::JsonWriter body; // the extension is the client's text: written escaped
    body.begin_object().field("error", true).field("message", message).field_null("data").end_object();
    throw Error(ErrorKind::bad_request, message, body.take());
}

namespace {

Reply upload_preview(Request& request, Services& services) {
    const std::string id = request.param("instance_id");
    std::string project_id;
    { // released before the upload is processed: the picture job needs connections, the wait does not
        auto connection = services.pool.acquire();
        auto& c = *connection;
        const auto preview = engine::queries::find_upload_target(c, id);
        if (!preview)
            throw_not_found(not_found_message);
        if (preview->original_name)
            throw_bad_request("The browser (or proxy) sent a request that this server could not understand.");
        engine::access::require_task_action_access(request.caller(), c, preview->task_id);
        project_id = preview->project_id;
    }
    const auto part = uploaded_file(request);
    if (!part)
        throw_bad_request("File not provided.");
    // no_job=true keeps Zou's meaning: the answer waits for the finished movie.
    const bool wait = request.query_value("no_job") == std::optional<std::string>("true");
    // Beyond Zou: several `file` parts of numbered frames are an image sequence.
    std::vector<UploadedFile> frames;
    for (const auto& [name, file] : multipart_form(request).files)
        if (name == "file")
            frames.push_back(file);
    if (frames.size() > 1 && workers::frame_number(frames.front().filename))
        return json_reply(201, store_sequence(services, id, project_id, frames, wait));
    return json_reply(201, store_upload(services, id, project_id, *part,
                                        request.query_value("normalize").value_or("true") == "true", wait));
}

/// Whether a multipart part name is "<prefix><index>" optionally followed by a non-digit
/// ("preview_file-0", "preview_file-0-a.mov", not "preview_file-01").
bool part_of(const std::string& name, const std::string& prefix, size_t index) {
    const std::string key = prefix + std::to_string(index);
    return name.rfind(key, 0) == 0 &&
           (name.size() == key.size() || !std::isdigit(static_cast<unsigned char>(name[key.size()])));
}

std::string text_member(const Poco::JSON::Object::Ptr& item, const char* name) {
    if (!item->has(name) || item->isNull(name))
        return "";
    return item->get(name).toString();
}

/// POST /actions/tasks[/<task_id>]/batch-comment: several comments, each with its attachments
/// ("attachment_file-<i>…" parts) and previews ("preview_file-<i>…" parts). A preview file that
/// cannot be stored is left out, as Zou does.
Reply batch_comment(Request& request, Services& services, const std::optional<std::string>& task_id) {
    const MultipartForm& form = multipart_form(request);
    Poco::JSON::Array::Ptr comments;
    try {
        const auto field = form.fields.find("comments");
        if (field != form.fields.end()) {
            Poco::JSON::Parser parser;
            comments = parser.parse(field->second).extract<Poco::JSON::Array::Ptr>();
        } else {
            comments = request.json().getArray("comments");
        }
    } catch (const Poco::Exception&) {
        throw_bad_request("comments must be a JSON list of comments.");
    } catch (const Error&) {
        throw_bad_request("comments must be a JSON list of comments.");
    }
    if (!comments)
        throw_bad_request("comments: List of comments to add");
    engine::JsonWriter out;
    out.begin_array();
    for (size_t index = 0; index < comments->size(); ++index) {
        const auto item = comments->getObject(static_cast<unsigned>(index));
        if (!item)
            throw_bad_request("Each comment must be an object.");
        const std::string target = task_id ? *task_id : text_member(item, "task_id");
        CommentInput input;
        input.task_status_id = text_member(item, "task_status_id");
        input.text = text_member(item, "text");
        input.person_id = text_member(item, "person_id");
        input.created_at = text_member(item, "created_at");
        for (const char* list : {"checklist", "links"}) {
            if (!item->has(list) || item->isNull(list))
                continue;
            const auto values = item->getArray(list);
            if (!values)
                throw_bad_request(std::string(list) + " must be a list.");
            if (std::string(list) == "checklist") {
                std::ostringstream json;
                values->stringify(json);
                input.checklist_json = json.str();
            } else {
                for (const auto& link : *values)
                    input.links.push_back(link.toString());
            }
        }
        std::vector<const UploadedFile*> previews;
        for (auto& [name, file] : form.files) {
            if (part_of(name, "attachment_file-", index))
                input.attachments.push_back(attachment_of(file));
            else if (part_of(name, "preview_file-", index))
                previews.push_back(&file);
        }
        const auto comment = post_comment(request, services, target, std::move(input));
        const std::string comment_id = comment.id();
        const std::string author_id = comment.person_id();
        // Zou's answer: the comment as posted, then the previews that could be stored.
        out.begin_object();
        engine::services::write_comment_members(out, comment);
        out.key("preview_files").begin_array();
        for (const UploadedFile* file : previews) {
            std::string preview_id, project_id;
            {
                auto connection = services.pool.acquire();
                preview_id =
                    engine::services::add_preview_to_comment(*connection, comment_id, target, author_id, std::nullopt);
                project_id = engine::services::task_project_id(*connection, target).value_or("");
            }
            try {
                out.raw(store_upload(services, preview_id, project_id, *file, true, false));
            } catch (const Error&) {
                // Dropped, as Zou drops what it cannot process in a batch.
            }
        }
        out.end_array().end_object();
    }
    out.end_array();
    return json_reply(201, out.take());
}

} // namespace

RouteList preview_routes() {
    return {
        {Method::post, "/pictures/preview-files/{instance_id}", Access::jwt, upload_preview},
        {Method::post, "/actions/tasks/{task_id}/batch-comment", Access::jwt,
         [](Request& r, Services& s) { return batch_comment(r, s, r.param("task_id")); }},
        {Method::post, "/actions/tasks/batch-comment", Access::jwt,
         [](Request& r, Services& s) { return batch_comment(r, s, std::nullopt); }},
    };
}

} // namespace slate::api
