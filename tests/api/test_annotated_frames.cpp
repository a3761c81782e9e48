// tests/api/test_annotated_frames.cpp: annotations burnt into a preview's frames over HTTP
// (Zou's extract-annotated-frame(s) routes): the frame a movie annotation is timed on, a
// picture with its drawing, every annotated frame zipped or as a PDF, Zou's refusals.
#include <catch2/catch.hpp>

#include "support/make_test_movie.h"
#include "support/test_media.h"
#include "support/test_server.h"

#include "engine/db/pool.h"

#include <Poco/Zip/ZipArchive.h>

#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;
using namespace slate::test;

namespace {

/// A red rectangle outline drawn on a 320×180 canvas at (`left`, 20).
std::string rect_annotation(double time, int left) {
    std::string json = R"({"time": )";
    json.append(std::to_string(time)).append(R"(, "drawing": {"objects": [{"type": "rect", "left": )");
    json.append(std::to_string(left)).append(R"(, "top": 20, "width": 60, "height": 40, "stroke": "#ff0000",
           "strokeWidth": 4, "canvasWidth": 320, "canvasHeight": 180}]}})");
    return json;
}

struct Annotated {
    TestServer server;
    std::string token = server.login();
    int port = server.port();
    std::string project = server.create_project(token, "Notes");
    std::string task = server.create_task(token, project, server.create_shot(token, project, "SH030"));
    fs::path dir;

    Annotated() {
        char pattern[] = "/tmp/slate-annotated-XXXXXX";
        dir = mkdtemp(pattern);
        query("UPDATE project SET resolution = '320x180', fps = '25' RETURNING 1");
    }
    ~Annotated() { fs::remove_all(dir); }

    std::string query(const std::string& sql, const std::vector<std::string>& params = {}) {
        return server.query(sql, params);
    }

    std::string preview(const std::string& file_name, const std::string& bytes) {
        const std::string id = server.uploaded_preview(token, task, file_name, bytes);
        REQUIRE(query("SELECT status FROM preview_file WHERE id = $1::uuid", {id}) == "ready");
        return id;
    }

    void annotate(const std::string& id, const std::string& annotations) {
        query("UPDATE preview_file SET annotations = $2::jsonb WHERE id = $1::uuid RETURNING 1", {id, annotations});
    }

    RgbPicture png_of(const HttpResponse& response) {
        const fs::path path = dir / "answer.png";
        std::ofstream(path, std::ios::binary) << response.body;
        return read_png(path);
    }
};

bool is_red(const RgbPicture& picture, int x, int y) {
    const uint8_t* p = picture.at(x, y);
    return p[0] > 180 && p[1] < 90 && p[2] < 90;
}

std::vector<std::string> zip_names(const std::string& bytes) {
    std::istringstream in(bytes);
    Poco::Zip::ZipArchive archive(in);
    std::vector<std::string> names;
    for (auto it = archive.fileInfoBegin(); it != archive.fileInfoEnd(); ++it)
        names.push_back(it->first);
    return names;
}

} // namespace

TEST_CASE("a movie's annotated frames are extracted, zipped and bound", "[api][pg][movie][annotations]") {
    Annotated room;
    TestMovieSpec spec;
    spec.width = 320;
    spec.height = 180;
    spec.seconds = 1.2;
    make_test_movie(spec, room.dir / "take.mp4");
    const std::string id = room.preview("take.mp4", read_file(room.dir / "take.mp4"));
    const std::string url = "/actions/preview-files/" + id + "/extract-annotated-frame";
    // Frame 10 at 25 fps is 0.36 s; frame 20 is 0.76 s.
    room.annotate(id, std::string("[") + rect_annotation(0.36, 20) + "," + rect_annotation(0.76, 200) + "]");

    const auto frame = http_get(room.port, url + "?frame_number=10", room.token);
    INFO(frame.body.substr(0, 300));
    REQUIRE(frame.status == 200);
    CHECK(frame.content_type == "image/png");
    const RgbPicture picture = room.png_of(frame);
    CHECK(picture.width == 320);
    CHECK(picture.height == 180);
    CHECK(is_red(picture, 50, 20));        // the first annotation's top edge
    CHECK_FALSE(is_red(picture, 230, 20)); // the other annotation is another frame's

    CHECK(http_get(room.port, url + "?frame_number=11", room.token).json()->getValue<std::string>("message") ==
          "No annotation found for frame 11");
    CHECK(http_get(room.port, url, room.token).json()->getValue<std::string>("message") ==
          "frame_number is required for movie previews");
    for (const char* wrong : {"0", "-3", "ten", "1.5"}) {
        const auto refused = http_get(room.port, url + "?frame_number=" + wrong, room.token);
        INFO(wrong);
        CHECK(refused.status == 400);
        CHECK(refused.json()->getValue<std::string>("message") == "Validation error.");
    }

    const auto zip = http_get(room.port, "/actions/preview-files/" + id + "/extract-annotated-frames", room.token);
    REQUIRE(zip.status == 200);
    CHECK(zip.content_type == "application/zip");
    CHECK(zip.header("Content-Disposition").find("_annotated_frames.zip") != std::string::npos);
    const auto names = zip_names(zip.body);
    REQUIRE(names.size() == 2);
    CHECK(names[0].find("_frame_10.png") != std::string::npos);
    CHECK(names[1].find("_frame_20.png") != std::string::npos);

    const auto pdf = http_get(room.port, "/actions/preview-files/" + id + "/extract-annotated-frames-pdf", room.token);
    REQUIRE(pdf.status == 200);
    CHECK(pdf.content_type == "application/pdf");
    CHECK(pdf.body.rfind("%PDF-", 0) == 0);
    CHECK(pdf.body.find("/Count 2") != std::string::npos);

    // An annotation past the movie's end is left out of the bundle.
    room.annotate(id, std::string("[") + rect_annotation(0.36, 20) + "," + rect_annotation(30.0, 20) + "]");
    CHECK(zip_names(http_get(room.port, "/actions/preview-files/" + id + "/extract-annotated-frames", room.token).body)
              .size() == 1);
}

TEST_CASE("a picture's annotation is drawn on it, refusals as Zou's", "[api][pg][annotations]") {
    Annotated room;
    const std::string id = room.preview("frame.png", make_png(room.dir, 320, 180));
    CHECK(http_get(room.port, "/actions/preview-files/" + id + "/extract-annotated-frame", room.token)
              .json()
              ->getValue<std::string>("message") == "No annotation found on picture preview");
    CHECK(http_get(room.port, "/actions/preview-files/" + id + "/extract-annotated-frames", room.token)
              .json()
              ->getValue<std::string>("message") == "Preview file has no annotations");

    room.annotate(id, std::string("[") + rect_annotation(0, 20) + "]");
    const auto frame =
        http_get(room.port, "/actions/preview-files/" + id + "/extract-annotated-frame?frame_number=42", room.token);
    REQUIRE(frame.status == 200);
    // Drawn on the preview-sized picture: the 320×180 canvas scaled to it.
    const RgbPicture picture = room.png_of(frame);
    INFO(picture.width << "x" << picture.height);
    CHECK(is_red(picture, 50 * picture.width / 320, 20 * picture.height / 180));
    CHECK_FALSE(is_red(picture, 50 * picture.width / 320, 40 * picture.height / 180));

    // Unknown previews, binaries synced elsewhere, and people who do not manage the project.
    CHECK(http_get(room.port, "/actions/preview-files/" + std::string(36, '0') + "/extract-annotated-frame", room.token)
              .status == 404);
    room.query(R"(UPDATE preview_file SET data = '{"imported_only": true}' WHERE id = $1::uuid RETURNING 1)", {id});
    const auto elsewhere = http_get(room.port, "/actions/preview-files/" + id + "/extract-annotated-frame", room.token);
    CHECK(elsewhere.status == 404);
    CHECK(elsewhere.json()->getValue<std::string>("error") == "preview file binary is not available");
    room.server.create_person("artist@example.com", "artistpassword", "user");
    const std::string artist = room.server.login("artist@example.com", "artistpassword");
    CHECK(http_get(room.port, "/actions/preview-files/" + id + "/extract-annotated-frames-pdf", artist).status == 403);
}
