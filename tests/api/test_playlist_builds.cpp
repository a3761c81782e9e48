// tests/api/test_playlist_builds.cpp: a playlist's movie built on the worker pool (media.md
// §10): asked for over HTTP, ended by the pool, downloaded under Zou's name, mailed to the
// requester; one build at a time, unfinished builds not served, refusals as Zou's.
#include <catch2/catch.hpp>

#include "support/make_test_movie.h"
#include "support/test_media.h"
#include "support/test_server.h"

#include "engine/db/pool.h"
#include "workers/movie_probe.h"

#include <unistd.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <thread>

namespace fs = std::filesystem;
using namespace slate::test;

namespace {

struct BuildRoom {
    TestServer server;
    std::string token = server.login();
    int port = server.port();
    std::string project = server.create_project(token, "Cosmos Landromat");
    fs::path dir;

    BuildRoom() {
        char pattern[] = "/tmp/slate-builds-XXXXXX";
        dir = mkdtemp(pattern);
        query("UPDATE project SET resolution = '320x180', fps = '25' RETURNING 1");
    }
    ~BuildRoom() { fs::remove_all(dir); }

    std::string query(const std::string& sql, const std::vector<std::string>& params = {}) {
        return server.query(sql, params);
    }

    /// A shot with a movie preview uploaded through the API and normalised by the pool.
    std::pair<std::string, std::string> shot_with_movie(const std::string& name, double seconds) {
        const std::string shot = server.create_shot(token, project, name);
        TestMovieSpec spec;
        spec.width = 480;
        spec.height = 270;
        spec.seconds = seconds;
        make_test_movie(spec, dir / (name + ".mp4"));
        const std::string preview = server.uploaded_preview(token, server.create_task(token, project, shot),
                                                            name + ".mp4", read_file(dir / (name + ".mp4")));
        REQUIRE(query("SELECT status FROM preview_file WHERE id = $1::uuid", {preview}) == "ready");
        return {shot, preview};
    }

    std::string playlist(const std::string& shots_json) {
        const auto created = http_post(
            port, "/data/playlists",
            R"({"name":"Review Monday","project_id":")" + project + R"(","shots":)" + shots_json + "}", token);
        INFO(created.body);
        REQUIRE(created.status == 201);
        return created.json()->getValue<std::string>("id");
    }

    std::string wait_for_build(const std::string& playlist, const std::string& job) {
        std::string status;
        for (int i = 0; i < 1200; ++i) {
            const auto read = http_get(port, "/data/playlists/" + playlist + "/jobs/" + job, token);
            REQUIRE(read.status == 200);
            status = read.json()->getValue<std::string>("status");
            if (status != "running")
                break;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return status;
    }
};

} // namespace

TEST_CASE("a playlist movie is built on the worker pool, mailed and downloaded", "[api][pg][movie][playlists]") {
    BuildRoom room;
    const auto [first_shot, first] = room.shot_with_movie("SH010", 1.0);
    const auto [second_shot, second] = room.shot_with_movie("SH020", 1.4);
    const std::string playlist =
        room.playlist(R"([{"entity_id":")" + first_shot + R"(","preview_file_id":")" + first + R"("},{"entity_id":")" +
                      second_shot + R"(","preview_file_id":")" + second + R"("}])");

    const auto asked = http_get(room.port, "/data/playlists/" + playlist + "/build/mp4", room.token);
    INFO(asked.body);
    REQUIRE(asked.status == 200);
    const auto job = asked.json();
    const std::string job_id = job->getValue<std::string>("id");
    CHECK(job->getValue<std::string>("type") == "BuildJob");
    CHECK(job->getValue<std::string>("job_type") == "movie");
    CHECK(job->getValue<std::string>("playlist_id") == playlist);
    CHECK(room.query("SELECT count(*) FROM api_event WHERE name = 'build-job:new'") == "1");

    REQUIRE(room.wait_for_build(playlist, job_id) == "succeeded");
    CHECK_FALSE(room.query("SELECT ended_at FROM build_job WHERE id = $1::uuid", {job_id}).empty());
    CHECK(room.query("SELECT data->>'status' FROM api_event WHERE name = 'build-job:update'") == "succeeded");

    const auto movie =
        http_get(room.port, "/data/playlists/" + playlist + "/jobs/" + job_id + "/build/mp4", room.token);
    REQUIRE(movie.status == 200);
    CHECK(movie.content_type == "video/mp4");
    CHECK(std::regex_match(movie.header("Content-Disposition"),
                           std::regex(R"(attachment; filename=\d{8}_\d{6}_cosmos_landromat_review_monday\.mp4)")));
    const fs::path built = room.dir / "built.mp4";
    std::ofstream(built, std::ios::binary) << movie.body;
    const auto probe = slate::workers::probe_movie(built);
    REQUIRE(probe.ok);
    CHECK(probe.width == 320);
    CHECK(probe.height == 180);
    CHECK(probe.duration == Approx(2.4).margin(0.1));
    CHECK(probe.has_audio);

    // The requester is told where to download it.
    REQUIRE(room.server.mail().wait_for(1));
    const std::string mail = quoted_printable_decode(room.server.mail().messages().at(0));
    CHECK(mail.find("Kitsu: playlist download") != std::string::npos);
    CHECK(mail.find("/api/data/playlists/" + playlist + "/jobs/" + job_id + "/build/mp4") != std::string::npos);

    // The playlist lists its builds; the project's builds are the admin's to list.
    const auto listed = http_get(room.port, "/data/projects/" + room.project + "/playlists/" + playlist, room.token);
    CHECK(listed.json()->getArray("build_jobs")->getObject(0)->getValue<std::string>("status") == "succeeded");
    CHECK(http_get(room.port, "/data/projects/" + room.project + "/build-jobs", room.token).body.find(job_id) !=
          std::string::npos);

    // Deleted: gone.
    CHECK(http_call(room.port, "DELETE", "/data/playlists/" + playlist + "/jobs/" + job_id, room.token).status == 204);
    CHECK(http_get(room.port, "/data/playlists/" + playlist + "/jobs/" + job_id, room.token).status == 404);
}

TEST_CASE("playlist builds: one at a time, unfinished not served, managers only", "[api][pg][playlists]") {
    BuildRoom room;
    const std::string playlist = room.playlist("[]");
    // A build still running blocks another.
    const std::string running =
        room.query(R"(INSERT INTO build_job (id, status, job_type, playlist_id, created_at, updated_at)
        VALUES (gen_random_uuid(), 'running', 'movie', $1::uuid, now(), now()) RETURNING id)",
                   {playlist});
    const auto again = http_get(room.port, "/data/playlists/" + playlist + "/build/mp4", room.token);
    CHECK(again.status == 409);
    CHECK(again.json()->getValue<std::string>("message") == "A build is already in progress for this playlist");
    const auto unfinished =
        http_get(room.port, "/data/playlists/" + playlist + "/jobs/" + running + "/build/mp4", room.token);
    CHECK(unfinished.status == 400);
    CHECK(unfinished.json()->getValue<std::string>("message") == "Build is not finished");

    // A playlist without movies: the build fails, with its event.
    room.query("UPDATE build_job SET status = 'failed' WHERE id = $1::uuid RETURNING 1", {running});
    const auto asked = http_get(room.port, "/data/playlists/" + playlist + "/build/mp4", room.token);
    REQUIRE(asked.status == 200);
    CHECK(room.wait_for_build(playlist, asked.json()->getValue<std::string>("id")) == "failed");

    // Another playlist's job, unknown ids, and people who may not build.
    const std::string other = room.playlist("[]");
    CHECK(http_get(room.port, "/data/playlists/" + other + "/jobs/" + running, room.token).status == 404);
    CHECK(http_get(room.port, "/data/playlists/not-an-id/build/mp4", room.token).status == 404);
    room.server.create_person("artist@example.com", "artistpassword", "user");
    const std::string artist = room.server.login("artist@example.com", "artistpassword");
    CHECK(http_get(room.port, "/data/playlists/" + playlist + "/build/mp4", artist).status == 403);
    CHECK(http_get(room.port, "/data/projects/" + room.project + "/build-jobs", artist).status == 403);
}
