// workers/playlist_jobs.cpp: the playlist-build job (playlist_jobs.h).
#include "workers/playlist_jobs.h"

#include "engine/config.h"
#include "engine/db/connection.h"
#include "engine/json.h"
#include "engine/log.h"
#include "engine/mail.h"
#include "engine/crud/queries.h"
#include "engine/people/person_queries.h"
#include "engine/storage/file_store.h"
#include "workers/movie_probe.h"
#include "workers/playlist_movie.h"

#include <filesystem>

namespace fs = std::filesystem;

namespace slate::workers {
namespace {

using engine::storage::Bucket;
using engine::storage::make_key;

/// Ends the build_job row and tells the playlist's viewers (build-job:update).
void end_build(engine::db::Connection& c, const std::string& job_id, const std::string& playlist_id,
               const std::string& project_id, bool succeeded) {
    const std::string status = succeeded ? "succeeded" : "failed";
    // One transaction: whoever sees the job ended also finds its event.
    engine::db::Transaction transaction(c);
    c.exec(R"(UPDATE build_job SET status = $2, ended_at = now() AT TIME ZONE 'utc',
                     updated_at = now() AT TIME ZONE 'utc' WHERE id = $1::uuid)",
           {job_id, status});
    engine::JsonWriter data;
    data.begin_object()
        .field("build_job_id", job_id)
        .field("playlist_id", playlist_id)
        .field("status", status)
        .end_object();
    engine::queries::insert_event(c, "build-job:update", std::nullopt, project_id, data.take());
    transaction.commit();
}

/// Zou's "playlist download" mail to the person who asked for the build.
void mail_requester(engine::db::Connection& c, const PlaylistBuildSettings& settings, const std::string& email,
                    const std::string& playlist_id, const std::string& job_id) {
    if (!settings.mailer || email.empty())
        return;
    const auto person = c.exec("SELECT first_name FROM person WHERE email = $1", {email});
    const auto playlist = c.exec("SELECT name FROM playlist WHERE id = $1::uuid", {playlist_id});
    if (person.rows() == 0 || playlist.rows() == 0)
        return;
    const auto organisation = engine::queries::get_or_create_organisation(c);
    const std::string first_name(person.get(0, "first_name"));
    const std::string name(playlist.get(0, "name"));
    const std::string url = settings.site_url + "/api/data/playlists/" + playlist_id + "/jobs/" + job_id + "/build/mp4";
    engine::Mail mail;
    mail.to = email;
    mail.subject = std::string(organisation.get(0, "name")) + " - Kitsu: playlist download";
    mail.text = "Hello " + first_name + ",\n\nYour playlist " + name + " build is available:\n\n" + url + "\n";
    mail.html = "<p>Hello " + engine::html_escape(first_name) + ",</p>\n<p>Your playlist " + engine::html_escape(name) +
                " build is available:\n</p>\n<p class=\"cta\">\n<a href=\"" + engine::html_escape(url) +
                "\">Download Playlist Build (.mp4)</a>\n</p>\n";
    settings.mailer->send(mail);
}

} // namespace

PlaylistBuildSettings PlaylistBuildSettings::from(const engine::Config& config, engine::Mailer& mailer) {
    return {(fs::path(config.data_dir) / "tmp").string(), config.domain_protocol + "://" + config.domain_name, &mailer};
}

JobResult run_playlist_build(const engine::storage::LocalFileStore& files, const PlaylistBuildSettings& settings,
                             const std::string& payload, engine::db::Connection& c) {
    const auto args = engine::parse_json_object(payload);
    const std::string job_id = engine::optional_string(*args, "build_job_id");
    const std::string playlist_id = engine::optional_string(*args, "playlist_id");
    const auto job = c.exec(R"(SELECT p.project_id FROM build_job j JOIN playlist p ON p.id = j.playlist_id
                               WHERE j.id = $1::uuid)",
                            {job_id});
    if (job.rows() == 0)
        return JobResult::ok(); // the build was deleted before it ran: nothing to make
    const std::string project_id(job.get(0, "project_id"));

    std::string reason;
    std::vector<fs::path> inputs;
    if (const auto ids = args->getArray("preview_file_ids")) {
        for (const auto& id : *ids) {
            const std::string preview_id = id.toString();
            const auto movie = files.find(Bucket::movies, make_key("previews", preview_id));
            if (!movie) {
                reason = "the movie of preview " + preview_id + " is not in the file store";
                break;
            }
            inputs.push_back(*movie);
        }
    }
    if (reason.empty() && inputs.empty())
        reason = "the playlist has no movie preview";

    const fs::path scratch = fs::path(settings.scratch_dir) / ("build-" + job_id);
    const fs::path output = fs::path(settings.scratch_dir) / ("cache-playlists-" + job_id + ".mp4");
    std::error_code ignored;
    if (reason.empty()) {
        NormaliseTarget target;
        target.width = args->optValue<int>("width", 0);
        target.height = args->optValue<int>("height", 0);
        target.fps = parse_frame_rate(engine::optional_string(*args, "fps")).value_or(FrameRate{25, 1});
        if (target.width <= 0 || target.height <= 0) {
            // No width in the project's resolution: the first movie's size, as Zou does.
            const MovieProbe first = probe_movie(inputs.front());
            target.width = first.width + first.width % 2;
            target.height = first.height + first.height % 2;
        }
        const PlaylistMovieResult built =
            build_playlist_movie(inputs, output, target, scratch, args->optValue<bool>("full", false));
        const bool still_wanted =
            c.exec("SELECT 1 FROM build_job WHERE id = $1::uuid", {job_id}).rows() > 0; // deleted meanwhile?
        if (built.ok && !still_wanted) {
            reason = "the build was deleted while it ran";
        } else if (built.ok) {
            try {
                files.move_in(Bucket::movies, make_key("playlists", job_id), output);
            } catch (const std::exception& failure) {
                reason = std::string("the built movie cannot be stored: ") + failure.what();
            }
        } else {
            reason = built.reason;
        }
    }
    fs::remove(output, ignored);
    fs::remove_all(scratch, ignored);

    end_build(c, job_id, playlist_id, project_id, reason.empty());
    if (!reason.empty()) {
        log::warning("playlist build " + job_id + " failed: " + reason);
        return JobResult::failed(reason);
    }
    mail_requester(c, settings, engine::optional_string(*args, "email"), playlist_id, job_id);
    return JobResult::ok();
}

} // namespace slate::workers
