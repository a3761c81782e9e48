// tests/api/test_previews.cpp: a picture uploaded over HTTP goes through the worker pool and
// comes back as Zou's thumbnails; a truncated one leaves the preview broken with a reason.
#include <catch2/catch.hpp>

#include "support/test_media.h"
#include "support/test_server.h"

#include "engine/db/pool.h"
#include "workers/picture_variants.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace slate::test;

namespace {

HttpResponse upload(int port, const std::string& token, const std::string& preview_id, const std::string& filename,
                    const std::string& bytes) {
    return http_upload(port, "/pictures/preview-files/" + preview_id, token, filename, bytes);
}

} // namespace

TEST_CASE("a picture preview is processed off the HTTP thread and served at Zou's sizes", "[api][pg]") {
    TestServer server;
    const std::string token = server.login();
    const int port = server.port();
    const std::string project = server.create_project(token, "Pics");
    const std::string task = server.create_task(token, project, server.create_shot(token, project, "SH1"));
    int revision = 0; // one preview per revision of the task (preview_file's unique key)
    auto new_preview = [&] {
        return http_call(port, "POST", "/data/preview-files", token,
                         R"({"task_id":")" + task + R"(","name":"review","revision":)" + std::to_string(++revision) +
                             "}")
            .json()
            ->getValue<std::string>("id");
    };
    char pattern[] = "/tmp/slate-upload-XXXXXX";
    const fs::path dir = mkdtemp(pattern);
    const std::string png = make_png(dir, 640, 360);

    const std::string preview = new_preview();
    const auto uploaded = upload(port, token, preview, "Shot 1.PNG", png);
    INFO(uploaded.body);
    REQUIRE(uploaded.status == 201);
    const auto json = uploaded.json();
    CHECK(json->getValue<std::string>("status") == "ready");
    CHECK(json->getValue<std::string>("extension") == "png");
    CHECK(json->getValue<std::string>("original_name") == "Shot 1"); // Zou keeps the name without its extension
    CHECK(json->getValue<int>("width") == 640);
    CHECK(json->getValue<int>("height") == 360);
    CHECK(json->getValue<std::string>("type") == "PreviewFile");

    const auto thumbnail = http_call(port, "GET", "/api/pictures/thumbnails/preview-files/" + preview + ".png", token);
    REQUIRE(thumbnail.status == 200);
    CHECK(thumbnail.content_type == "image/png");
    CHECK(png_width(thumbnail.body) == 150);
    CHECK(png_width(
              http_call(port, "GET", "/pictures/thumbnails-square/preview-files/" + preview + ".png", token).body) ==
          100);
    CHECK(png_width(http_call(port, "GET", "/pictures/previews/preview-files/" + preview + ".png", token).body) ==
          1200);
    CHECK(png_width(http_call(port, "GET", "/pictures/originals/preview-files/" + preview + ".png", token).body) ==
          640);
    // Laid out as Zou's store: <PREVIEW_FOLDER>/pictures/thumbnails/<id[0:3]>/<id[3:6]>/<id>.
    CHECK(fs::exists(fs::path(server.config().file_store_root()) / "pictures" / "thumbnails" / preview.substr(0, 3) /
                     preview.substr(3, 3) / preview));

    CHECK(upload(port, token, preview, "again.png", png).status == 400); // no re-upload

    // A truncated PNG: the preview ends broken, the answer says why, a new upload is accepted.
    const std::string broken = new_preview();
    const auto refused = upload(port, token, broken, "cut.png", png.substr(0, png.size() / 2));
    CHECK(refused.status == 400);
    CHECK_FALSE(refused.json()->getValue<std::string>("message").empty());
    CHECK(http_call(port, "GET", "/data/preview-files/" + broken, token).json()->getValue<std::string>("status") ==
          "broken");
    CHECK(upload(port, token, broken, "whole.png", png).status == 201);

    CHECK(upload(port, token, new_preview(), "notes.txt", "text").json()->getValue<std::string>("message") ==
          "Wrong file format, extension: txt");
    CHECK(http_call(port, "POST", "/pictures/preview-files/" + new_preview(), token, "{}")
              .json()
              ->getValue<std::string>("message") == "File not provided.");
    CHECK(http_call(port, "GET", "/pictures/thumbnails/preview-files/" + new_preview() + ".png", token).status == 404);

    server.create_person("outsider@example.com", "outsider-password", "user");
    const std::string outsider = server.login("outsider@example.com", "outsider-password");
    CHECK(upload(port, outsider, new_preview(), "x.png", png).status == 403);
    CHECK(http_call(port, "GET", "/pictures/thumbnails/preview-files/" + preview + ".png", outsider).status == 403);
    fs::remove_all(dir);
}
