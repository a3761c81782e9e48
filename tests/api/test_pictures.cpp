// tests/api/test_pictures.cpp: avatars, logos and preview backgrounds over HTTP: fitted on
// their transparent canvas by the worker pool, served back, refused to the wrong people, and a
// picture that cannot be read changes nothing.
#include <catch2/catch.hpp>

#include "support/test_media.h"
#include "support/test_server.h"

#include "engine/db/pool.h"

#include <unistd.h>

namespace fs = std::filesystem;
using namespace slate::test;

namespace {

struct Pictures {
    TestServer server;
    std::string token = server.login();
    int port = server.port();
    fs::path dir;
    Pictures() {
        char pattern[] = "/tmp/slate-pictures-XXXXXX";
        dir = mkdtemp(pattern);
    }
    ~Pictures() { fs::remove_all(dir); }
    std::string query(const std::string& sql, slate::engine::db::Params params = {}) {
        auto connection = server.pool().acquire();
        const auto result = connection->exec(sql, params);
        return result.rows() ? std::string(result.get(0, 0)) : std::string();
    }
};

} // namespace

TEST_CASE("avatars and logos are fitted on a 400x400 canvas and served", "[api][pg][pictures]") {
    Pictures pics;
    const std::string me = pics.server.login_user_id();
    const std::string png = make_png(pics.dir, 640, 360);
    CHECK(http_get(pics.port, "/pictures/thumbnails/persons/" + me + ".png", pics.token).status ==
          404); // no avatar yet

    const auto posted = http_upload(pics.port, "/pictures/thumbnails/persons/" + me, pics.token, "me.jpg", png);
    INFO(posted.body);
    REQUIRE(posted.status == 201);
    CHECK(posted.json()->getValue<std::string>("thumbnail_path") == "pictures/thumbnails/persons/" + me + ".png");
    CHECK(pics.query("SELECT has_avatar FROM person WHERE id = $1::uuid", {me}) == "t");
    CHECK(pics.query("SELECT count(*) FROM api_event WHERE name = 'person:set-thumbnail'") == "1");
    const auto avatar = http_get(pics.port, "/pictures/thumbnails/persons/" + me + ".png", pics.token);
    REQUIRE(avatar.status == 200);
    CHECK(png_width(avatar.body) == 400);
    CHECK(png_height(avatar.body) == 400);
    CHECK(avatar.body[25] == 6); // colour type 6: RGBA

    // A truncated picture is refused, and the person keeps no broken avatar.
    const std::string other = pics.server.create_person("other@example.com", "other-password-1", "user");
    const auto artist = pics.server.login("other@example.com", "other-password-1");
    const auto broken = http_upload(pics.port, "/pictures/thumbnails/persons/" + other, artist, "me.png",
                                    png.substr(0, png.size() / 3));
    CHECK(broken.status == 400);
    CHECK(pics.query("SELECT has_avatar FROM person WHERE id = $1::uuid", {other}) == "f");
    CHECK(http_upload(pics.port, "/pictures/thumbnails/persons/" + me, artist, "me.png", png).status == 403);

    const std::string project = pics.server.create_project(pics.token, "Logos");
    CHECK(http_upload(pics.port, "/pictures/thumbnails/projects/" + project + ".png", artist, "logo.png", png).status ==
          403);
    CHECK(http_upload(pics.port, "/pictures/thumbnails/projects/" + project + ".png", pics.token, "logo.png", png)
              .status == 201);
    CHECK(http_get(pics.port, "/pictures/thumbnails/projects/" + project, artist).status == 403); // not in its team
    CHECK(http_get(pics.port, "/pictures/thumbnails/projects/" + project, pics.token).status == 200);
    CHECK(http_upload(pics.port, "/pictures/thumbnails/organisations/anything", artist, "logo.png", png).status == 403);
    const auto organisation =
        http_upload(pics.port, "/pictures/thumbnails/organisations/anything", pics.token, "logo.png", png);
    CHECK(organisation.status == 201);
    CHECK(pics.query("SELECT has_avatar FROM organisation") == "t");

    CHECK(http_call(pics.port, "DELETE", "/actions/user/clear-avatar", pics.token).status == 204);
    CHECK(pics.query("SELECT has_avatar FROM person WHERE id = $1::uuid", {me}) == "f");
    CHECK(http_get(pics.port, "/pictures/thumbnails/persons/" + me + ".png", pics.token).status == 404);
    CHECK(http_call(pics.port, "DELETE", "/actions/persons/" + me + "/clear-avatar", artist).status == 403);
}

TEST_CASE("preview backgrounds keep their HDR file and get a 300x200 thumbnail", "[api][pg][pictures]") {
    Pictures pics;
    const auto created = http_post(pics.port, "/data/preview-background-files", R"({"name":"studio"})", pics.token);
    INFO(created.body);
    REQUIRE(created.status == 201);
    const std::string id = created.json()->getValue<std::string>("id");
    const std::string hdr = make_hdr(pics.dir, 64, 32);
    const auto posted =
        http_upload(pics.port, "/pictures/preview-background-files/" + id, pics.token, "studio.hdr", hdr);
    INFO(posted.body);
    REQUIRE(posted.status == 201);
    CHECK(posted.json()->getValue<std::string>("extension") == "hdr");
    CHECK(posted.json()->getValue<std::string>("original_name") == "studio");
    const auto file = http_get(pics.port, "/pictures/preview-background-files/" + id + ".hdr", pics.token);
    CHECK(file.status == 200);
    CHECK(file.body == hdr);
    CHECK(file.content_type == "image/vnd.radiance");
    CHECK(http_get(pics.port, "/pictures/preview-background-files/" + id + ".exr", pics.token).status == 404);
    const auto thumbnail =
        http_get(pics.port, "/pictures/thumbnails/preview-background-files/" + id + ".png", pics.token);
    REQUIRE(thumbnail.status == 200);
    CHECK(png_width(thumbnail.body) == 300);
    CHECK(png_height(thumbnail.body) == 200);

    // An admin may replace the thumbnail with a picture of their own, fitted the same way.
    const std::string url = "/pictures/thumbnails/preview-background-files/" + id + ".png";
    const auto replaced = http_upload(pics.port, url, pics.token, "lit.png", make_png(pics.dir, 640, 360));
    INFO(replaced.body);
    REQUIRE(replaced.status == 201);
    CHECK(replaced.json()->getValue<std::string>("thumbnail_path") ==
          "pictures/thumbnails/preview-background-files/" + id + ".png");
    const auto custom = http_get(pics.port, url, pics.token);
    CHECK(png_width(custom.body) == 300);
    CHECK(custom.body != thumbnail.body);
    CHECK(http_post(pics.port, url, "{}", pics.token).json()->getValue<std::string>("message") == "File not provided.");
    CHECK(http_upload(pics.port, url, pics.token, "not.png", "not a picture").status == 400);
    pics.server.create_person("artist@example.com", "artistpassword", "user");
    CHECK(http_upload(pics.port, url, pics.server.login("artist@example.com", "artistpassword"), "lit.png",
                      make_png(pics.dir, 64, 64))
              .status == 403);

    const std::string other = http_post(pics.port, "/data/preview-background-files", R"({"name":"other"})", pics.token)
                                  .json()
                                  ->getValue<std::string>("id");
    const auto refused = http_upload(pics.port, "/pictures/preview-background-files/" + other, pics.token, "sky.png",
                                     make_png(pics.dir, 8, 8));
    CHECK(refused.status == 400);
    CHECK(refused.json()->getValue<std::string>("message") == "Wrong file format, extension: png");
    CHECK(pics.query("SELECT count(*) FROM preview_background_file WHERE id = $1::uuid", {other}) == "0");
}
