// tests/api/test_movie_previews.cpp: a movie uploaded over HTTP is queued, normalised on the
// worker pool with FFmpeg's libraries, and served: HD and LD encodes at the project's size and
// frame rate, first-frame thumbnails, the tile sheet, byte ranges. A corrupt movie ends broken
// with its reason.
#include <catch2/catch.hpp>

#include "support/make_test_movie.h"
#include "support/test_media.h"
#include "support/test_server.h"

#include "engine/db/pool.h"
#include "workers/movie_probe.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>

#include <unistd.h>

#include <cstdio>
#include <memory>

#include <chrono>
#include <fstream>
#include <thread>

namespace fs = std::filesystem;
using namespace slate::test;

namespace {

struct MovieReview {
    TestServer server;
    std::string token = server.login();
    int port = server.port();
    std::string project = server.create_project(token, "Movies");
    std::string task = server.create_task(token, project, server.create_shot(token, project, "SH020"));
    fs::path dir;

    MovieReview() {
        char pattern[] = "/tmp/slate-movie-XXXXXX";
        dir = mkdtemp(pattern);
        query("UPDATE project SET resolution = '640x360', fps = '24' RETURNING 1");
    }
    ~MovieReview() { fs::remove_all(dir); }

    std::string query(const std::string& sql, slate::engine::db::Params params = {}) {
        auto connection = server.pool().acquire();
        const auto result = connection->exec(sql, params);
        return result.rows() ? std::string(result.get(0, 0)) : std::string();
    }

    std::string new_preview() {
        const auto comment = http_post(
            port, "/actions/tasks/" + task + "/comment",
            R"({"task_status_id":")" + query("SELECT id FROM task_status WHERE name = 'Todo'") + R"("})", token);
        REQUIRE(comment.status == 201);
        const std::string comment_id = comment.json()->getValue<std::string>("id");
        return http_post(port, "/actions/tasks/" + task + "/comments/" + comment_id + "/add-preview", "{}", token)
            .json()
            ->getValue<std::string>("id");
    }

    /// Waits for the worker pool to finish the preview; answers its status.
    std::string wait_for(const std::string& id) {
        for (int i = 0; i < 1200; ++i) {
            const std::string status = query("SELECT status FROM preview_file WHERE id = $1::uuid", {id});
            if (status != "processing")
                return status;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return "processing";
    }
};

} // namespace

TEST_CASE("a movie upload is normalised off the HTTP thread and served", "[api][pg][movie]") {
    MovieReview review;
    TestMovieSpec spec;
    spec.width = 480;
    spec.height = 270;
    spec.seconds = 2;
    spec.container = "mov";
    make_test_movie(spec, review.dir / "take.mov");

    const std::string id = review.new_preview();
    const auto uploaded = http_upload(review.port, "/pictures/preview-files/" + id, review.token, "take_v1.mov",
                                      read_file(review.dir / "take.mov"));
    INFO(uploaded.body);
    REQUIRE(uploaded.status == 201);
    CHECK(uploaded.json()->getValue<std::string>("status") == "processing");
    CHECK(uploaded.json()->getValue<std::string>("extension") == "mp4");
    CHECK(uploaded.json()->getValue<std::string>("original_name") == "take_v1");
    REQUIRE(review.wait_for(id) == "ready");
    CHECK(review.query("SELECT width || 'x' || height FROM preview_file WHERE id = $1::uuid", {id}) == "640x360");
    CHECK(std::stod(review.query("SELECT duration FROM preview_file WHERE id = $1::uuid", {id})) ==
          Approx(2.0).margin(0.1));
    CHECK(review.query("SELECT data->>'original_width' FROM preview_file WHERE id = $1::uuid", {id}) == "480");
    CHECK(review.query("SELECT last_preview_file_id FROM task") == id);

    const auto hd = http_get(review.port, "/movies/originals/preview-files/" + id + ".mp4", review.token);
    REQUIRE(hd.status == 200);
    CHECK(hd.content_type == "video/mp4");
    const fs::path hd_file = review.dir / "hd.mp4";
    std::ofstream(hd_file, std::ios::binary) << hd.body;
    const auto probe = slate::workers::probe_movie(hd_file);
    REQUIRE(probe.ok);
    CHECK(probe.video_codec == "h264");
    CHECK(probe.width == 640);
    CHECK(probe.height == 360);
    CHECK(probe.fps == Approx(24));
    CHECK(probe.has_audio);

    const auto low = http_get(review.port, "/movies/low/preview-files/" + id + ".mp4", review.token);
    const fs::path low_file = review.dir / "low.mp4";
    std::ofstream(low_file, std::ios::binary) << low.body;
    CHECK(slate::workers::probe_movie(low_file).width == 1280);

    // A browser's <video> seeks with ranges.
    HttpRequest range;
    range.path = "/movies/originals/preview-files/" + id + ".mp4";
    range.headers["Authorization"] = "Bearer " + review.token;
    range.headers["Range"] = "bytes=100-199";
    const auto part = send_request(review.port, range);
    CHECK(part.status == 206);
    CHECK(part.body == hd.body.substr(100, 100));

    const auto thumbnail = http_get(review.port, "/pictures/thumbnails/preview-files/" + id + ".png", review.token);
    CHECK(png_width(thumbnail.body) == 150);
    CHECK(png_width(http_get(review.port, "/pictures/originals/preview-files/" + id + ".png", review.token).body) ==
          640);
    const auto tile = http_get(review.port, "/movies/tiles/preview-files/" + id + ".png", review.token);
    REQUIRE(tile.status == 200);
    CHECK(png_width(tile.body) == 8 * 178);
    CHECK(http_get(review.port, "/movies/originals/preview-files/" + id + "/download", review.token)
              .header("Content-Disposition") == "attachment; filename=movies_sh020_animation_v1.mp4");

    // Frames and tiles are made again on request, on the worker pool.
    const auto frame =
        http_get(review.port, "/actions/preview-files/" + id + "/extract-frame?frame_number=12", review.token);
    REQUIRE(frame.status == 200);
    CHECK(frame.header("Cache-Control") == "no-cache");
    CHECK(png_width(frame.body) == 640);
    CHECK(http_get(review.port, "/actions/preview-files/" + id + "/extract-frame?frame_number=9999", review.token)
              .status == 404);
    const auto tile_again = http_get(review.port, "/actions/preview-files/" + id + "/extract-tile", review.token);
    CHECK(tile_again.status == 200);
    CHECK(png_width(tile_again.body) == 8 * 178);
    const std::string before =
        http_get(review.port, "/pictures/originals/preview-files/" + id + ".png", review.token).body;
    const auto main = http_call(review.port, "PUT", "/actions/preview-files/" + id + "/set-main-preview", review.token,
                                R"({"frame_number":40})");
    INFO(main.body);
    CHECK(main.status == 200);
    CHECK(http_get(review.port, "/pictures/originals/preview-files/" + id + ".png", review.token).body != before);
}

TEST_CASE("a corrupt movie ends broken with its reason and nothing else is lost", "[api][pg][movie]") {
    MovieReview review;
    TestMovieSpec spec;
    make_test_movie(spec, review.dir / "whole.mp4");
    const std::string bytes = read_file(review.dir / "whole.mp4");
    const std::string id = review.new_preview();
    const auto uploaded = http_upload(review.port, "/pictures/preview-files/" + id, review.token, "cut.mp4",
                                      bytes.substr(0, bytes.size() / 2));
    REQUIRE(uploaded.status == 201);
    CHECK(review.wait_for(id) == "broken");
    // The preview is marked broken inside the job; the job's own row records the reason when
    // the job returns, a moment later.
    std::string reason;
    for (int attempt = 0; attempt < 100 && reason.empty(); ++attempt) {
        reason = review.query("SELECT reason FROM slate_job WHERE payload->>'preview_file_id' = $1", {id});
        if (reason.empty())
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    CHECK(!reason.empty());
    CHECK(review.query("SELECT count(*) FROM comment") == "1");
    CHECK(http_get(review.port, "/movies/originals/preview-files/" + id + ".mp4", review.token).status == 404);
}

namespace {

/// Serves one HTML page on 127.0.0.1 and sets the access cookie a browser sends to Slate (a
/// cookie of 127.0.0.1 reaches every port of it): what Kitsu's own page does.
class PageServer {
public:
    PageServer(std::string html, std::string token) : m_socket(Poco::Net::SocketAddress("127.0.0.1", 0)) {
        auto* params = new Poco::Net::HTTPServerParams;
        params->setMaxThreads(2);
        m_server =
            std::make_unique<Poco::Net::HTTPServer>(new Factory(std::move(html), std::move(token)), m_socket, params);
        m_server->start();
    }
    ~PageServer() { m_server->stopAll(true); }
    int port() const { return m_socket.address().port(); }

private:
    struct Page : Poco::Net::HTTPRequestHandler {
        Page(const std::string& html, const std::string& token) : html(html), token(token) {}
        void handleRequest(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse& out) override {
            out.setContentType("text/html");
            out.add("Set-Cookie", "access_token_cookie=" + token + "; Path=/; SameSite=Lax");
            out.sendBuffer(html.data(), html.size());
        }
        const std::string& html;
        const std::string& token;
    };
    struct Factory : Poco::Net::HTTPRequestHandlerFactory {
        Factory(std::string html, std::string token) : html(std::move(html)), token(std::move(token)) {}
        Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
            return new Page(html, token);
        }
        std::string html, token;
    };
    Poco::Net::ServerSocket m_socket;
    std::unique_ptr<Poco::Net::HTTPServer> m_server;
};

/// Runs headless Chromium on `url` and answers the DOM it ends with.
std::string browser_dom(const std::string& url, const fs::path& profile) {
    const char* candidates[] = {"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"};
    std::string browser;
    for (const char* candidate : candidates)
        if (fs::exists(candidate))
            browser = candidate;
    INFO("the browser check needs Debian's chromium (./do test installs it)");
    REQUIRE(!browser.empty());
    const std::string command = browser +
                                " --headless --no-sandbox --disable-gpu --disable-dev-shm-usage"
                                " --autoplay-policy=no-user-gesture-required --user-data-dir=" +
                                profile.string() + " --virtual-time-budget=20000 --dump-dom '" + url + "' 2>/dev/null";
    std::string dom;
    FILE* pipe = popen(command.c_str(), "r");
    REQUIRE(pipe);
    char buffer[4096];
    while (size_t read = fread(buffer, 1, sizeof buffer, pipe))
        dom.append(buffer, read);
    pclose(pipe);
    return dom;
}

} // namespace

TEST_CASE("a browser plays a normalised preview and seeks in it", "[api][pg][movie][browser]") {
    MovieReview review;
    TestMovieSpec spec;
    spec.seconds = 3;
    make_test_movie(spec, review.dir / "take.mp4");
    const std::string id = review.new_preview();
    REQUIRE(http_upload(review.port, "/pictures/preview-files/" + id, review.token, "take.mp4",
                        read_file(review.dir / "take.mp4"))
                .status == 201);
    REQUIRE(review.wait_for(id) == "ready");

    const std::string movie =
        "http://127.0.0.1:" + std::to_string(review.port) + "/api/movies/originals/preview-files/" + id + ".mp4";
    const std::string page = R"(<!doctype html><html><body data-result="pending">
<video id="v" preload="auto" muted src=")" +
                             movie + R"("></video>
<script>
const v = document.getElementById('v');
v.addEventListener('loadedmetadata', () => { v.currentTime = 2; });
v.addEventListener('seeked', () => {
  document.body.setAttribute('data-result', 'seeked=' + v.currentTime.toFixed(2) + ';duration=' + v.duration.toFixed(2));
});
v.addEventListener('error', () => {
  document.body.setAttribute('data-result', 'error=' + (v.error ? v.error.code : '?'));
});
</script></body></html>)";
    PageServer server(page, review.token);
    const std::string dom =
        browser_dom("http://127.0.0.1:" + std::to_string(server.port()) + "/", review.dir / "profile");
    INFO(dom);
    const auto at = dom.find("data-result=\"seeked=");
    REQUIRE(at != std::string::npos);
    double seeked = 0, duration = 0;
    REQUIRE(std::sscanf(dom.c_str() + at, "data-result=\"seeked=%lf;duration=%lf", &seeked, &duration) == 2);
    CHECK(seeked == Approx(2.0).margin(0.05));
    CHECK(duration == Approx(3.0).margin(0.1)); // the AAC track may end a few ms later
}
