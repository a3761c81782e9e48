// tests/api/test_sequence_previews.cpp: numbered frames uploaded as a preview (a zip, or several
// `file` parts) become the production's movie at its frame rate, one picture per frame number,
// gaps and odd sizes named in the preview's reason; a zip with a path leaving its folder, or
// without a readable frame, ends broken. Beyond Zou, which keeps a zip as a file.
#include <catch2/catch.hpp>

#include "support/test_media.h"
#include "support/test_server.h"

#include "engine/db/pool.h"
#include "workers/image_sequence.h"
#include "workers/movie_probe.h"

#include <OpenImageIO/imageio.h>
#include <Poco/Checksum.h>

#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;
using namespace slate::test;

namespace {

/// A linear float EXR (or a PNG, by the name's extension) of one grey.
fs::path write_frame(const fs::path& path, int width, int height, float grey) {
    OIIO::ImageSpec spec(width, height, 3, path.extension() == ".exr" ? OIIO::TypeDesc::HALF : OIIO::TypeDesc::UINT8);
    std::vector<float> pixels(size_t(width) * height * 3, grey);
    auto out = OIIO::ImageOutput::create(path.string());
    REQUIRE(out->open(path.string(), spec));
    REQUIRE(out->write_image(OIIO::TypeDesc::FLOAT, pixels.data()));
    out->close();
    return path;
}

/// A zip of (entry name, bytes), stored, written by hand: Poco's writer refuses `..` names.
std::string make_zip(const std::vector<std::pair<std::string, std::string>>& entries) {
    std::string zip, directory;
    auto put = [](std::string& out, uint32_t value, int bytes) {
        for (int i = 0; i < bytes; ++i)
            out += char((value >> (8 * i)) & 0xff);
    };
    for (const auto& [name, bytes] : entries) {
        Poco::Checksum crc(Poco::Checksum::TYPE_CRC32);
        crc.update(bytes.data(), unsigned(bytes.size()));
        const uint32_t offset = uint32_t(zip.size());
        for (std::string* out : {&zip, &directory}) {
            const bool central = out == &directory;
            put(*out, central ? 0x02014b50 : 0x04034b50, 4);
            if (central)
                put(*out, 20, 2); // made by
            put(*out, 20, 2);     // needed
            put(*out, 0, 2);      // flags
            put(*out, 0, 2);      // stored
            put(*out, 0, 2);      // time
            put(*out, 0x21, 2);   // date: 1980-01-01
            put(*out, crc.checksum(), 4);
            put(*out, uint32_t(bytes.size()), 4);
            put(*out, uint32_t(bytes.size()), 4);
            put(*out, uint32_t(name.size()), 2);
            put(*out, 0, 2); // extra
            if (central) {
                put(*out, 0, 2); // comment
                put(*out, 0, 2); // disk
                put(*out, 0, 2); // internal attributes
                put(*out, 0, 4); // external attributes
                put(*out, offset, 4);
            }
            *out += name;
            if (!central)
                *out += bytes;
        }
    }
    const uint32_t directory_offset = uint32_t(zip.size());
    zip += directory;
    put(zip, 0x06054b50, 4);
    put(zip, 0, 2);
    put(zip, 0, 2);
    put(zip, uint32_t(entries.size()), 2);
    put(zip, uint32_t(entries.size()), 2);
    put(zip, uint32_t(directory.size()), 4);
    put(zip, directory_offset, 4);
    put(zip, 0, 2);
    return zip;
}

struct SequenceReview {
    TestServer server;
    std::string token = server.login();
    int port = server.port();
    std::string project = server.create_project(token, "Comp");
    std::string task = server.create_task(token, project, server.create_shot(token, project, "SH030"));
    int revision = 0;
    fs::path dir;

    SequenceReview() {
        char pattern[] = "/tmp/slate-sequence-XXXXXX";
        dir = mkdtemp(pattern);
        query("UPDATE project SET resolution = '320x180', fps = '24' RETURNING 1");
    }
    ~SequenceReview() { fs::remove_all(dir); }

    std::string query(const std::string& sql, slate::engine::db::Params params = {}) {
        auto connection = server.pool().acquire();
        const auto result = connection->exec(sql, params);
        return result.rows() && !result.is_null(0, 0) ? std::string(result.get(0, 0)) : std::string();
    }

    std::string new_preview() {
        return http_call(port, "POST", "/data/preview-files", token,
                         R"({"task_id":")" + task + R"(","name":"comp","revision":)" + std::to_string(++revision) +
                             "}")
            .json()
            ->getValue<std::string>("id");
    }

    std::string wait_for(const std::string& id) {
        for (int i = 0; i < 1200; ++i) {
            const std::string status = query("SELECT status FROM preview_file WHERE id = $1::uuid", {id});
            if (status != "processing")
                return status;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return "processing";
    }

    std::string reason(const std::string& id) {
        return query("SELECT data->>'reason' FROM preview_file WHERE id = $1::uuid", {id});
    }

    slate::workers::MovieProbe movie(const std::string& id) {
        const auto got = http_get(port, "/movies/originals/preview-files/" + id + ".mp4", token);
        REQUIRE(got.status == 200);
        const fs::path path = dir / (id + ".mp4");
        std::ofstream(path, std::ios::binary) << got.body;
        return slate::workers::probe_movie(path);
    }
};

} // namespace

TEST_CASE("frame numbers of file names", "[workers][sequence]") {
    using slate::workers::frame_number;
    CHECK(frame_number("sh010_comp.1001.exr") == 1001);
    CHECK(frame_number("0007.PNG") == 7);
    CHECK(frame_number("render_v2_0042.dpx") == 42);
    CHECK_FALSE(frame_number("take.mov"));
    CHECK_FALSE(frame_number("notes.1001.txt"));
    CHECK_FALSE(frame_number("beauty.exr"));
}

TEST_CASE("a zip of EXR frames becomes the production's movie", "[api][pg][sequence]") {
    SequenceReview review;
    std::vector<std::pair<std::string, std::string>> entries;
    for (int frame = 1001; frame <= 1012; ++frame) {
        if (frame == 1005)
            continue; // a gap
        const int width = frame == 1008 ? 100 : 160; // a frame of another size
        const fs::path path = write_frame(review.dir / ("f." + std::to_string(frame) + ".exr"), width, 90, 0.18f);
        entries.emplace_back("renders/sh030_comp." + std::to_string(frame) + ".exr", read_file(path));
    }
    entries.emplace_back("renders/readme.txt", "not a frame");
    const std::string id = review.new_preview();
    const auto uploaded =
        http_upload(review.port, "/pictures/preview-files/" + id, review.token, "sh030_comp.zip", make_zip(entries));
    INFO(uploaded.body);
    REQUIRE(uploaded.status == 201);
    CHECK(uploaded.json()->getValue<std::string>("extension") == "mp4");
    CHECK(uploaded.json()->getValue<std::string>("original_name") == "sh030_comp");
    REQUIRE(review.wait_for(id) == "ready");
    const auto movie = review.movie(id);
    REQUIRE(movie.ok);
    CHECK(movie.frame_rate == slate::workers::FrameRate{24, 1});
    CHECK(movie.frame_count == 12); // 1001 to 1012, the gap held
    CHECK((movie.width == 320 && movie.height == 180));
    const std::string reason = review.reason(id);
    CHECK(reason.find("missing frames 1005") != std::string::npos);
    CHECK(reason.find("1008") != std::string::npos);
    CHECK(http_get(review.port, "/pictures/thumbnails/preview-files/" + id + ".png", review.token).status == 200);
    CHECK(http_get(review.port, "/movies/tiles/preview-files/" + id + ".png", review.token).status == 200);
}

TEST_CASE("frames uploaded as several file parts", "[api][pg][sequence]") {
    SequenceReview review;
    std::string body;
    for (int frame = 1; frame <= 5; ++frame) {
        const fs::path path = write_frame(review.dir / ("p" + std::to_string(frame) + ".png"), 64, 36, 0.5f);
        body += "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"anim_" + std::to_string(frame) +
                ".png\"\r\nContent-Type: image/png\r\n\r\n" + read_file(path) + "\r\n";
    }
    body += "--b--\r\n";
    const std::string id = review.new_preview();
    HttpRequest request;
    request.method = "POST";
    request.path = "/pictures/preview-files/" + id;
    request.headers["Authorization"] = "Bearer " + review.token;
    request.headers["Content-Type"] = "multipart/form-data; boundary=b";
    request.body = body;
    const auto uploaded = send_request(review.port, request);
    INFO(uploaded.body);
    REQUIRE(uploaded.status == 201);
    CHECK(uploaded.json()->getValue<std::string>("original_name") == "anim");
    REQUIRE(review.wait_for(id) == "ready");
    const auto movie = review.movie(id);
    CHECK(movie.frame_count == 5);
    CHECK(review.reason(id).empty());
}

TEST_CASE("a zip leaving its folder, or without a readable frame, is broken", "[api][pg][sequence]") {
    SequenceReview review;
    const fs::path frame = write_frame(review.dir / "f.exr", 32, 18, 0.5f);

    const std::string escaping = review.new_preview();
    REQUIRE(http_upload(review.port, "/pictures/preview-files/" + escaping, review.token, "bad.zip",
                        make_zip({{"frames/x.0001.exr", read_file(frame)}, {"../x.0002.exr", read_file(frame)}}))
                .status == 201);
    CHECK(review.wait_for(escaping) == "broken");
    CHECK(review.reason(escaping).find("outside") != std::string::npos);
    CHECK_FALSE(fs::exists(review.dir.parent_path() / "x.0002.exr"));

    const std::string unreadable = review.new_preview();
    REQUIRE(http_upload(review.port, "/pictures/preview-files/" + unreadable, review.token, "junk.zip",
                        make_zip({{"a.0001.exr", "junk"}, {"a.0002.exr", "more junk"}}))
                .status == 201);
    CHECK(review.wait_for(unreadable) == "broken");
    CHECK(review.reason(unreadable).find("no frame") != std::string::npos);

    // A zip of no picture stays what Zou makes of it: a file.
    const std::string plain = review.new_preview();
    const auto stored = http_upload(review.port, "/pictures/preview-files/" + plain, review.token, "docs.zip",
                                    make_zip({{"notes.txt", "hello"}}));
    REQUIRE(stored.status == 201);
    CHECK(stored.json()->getValue<std::string>("extension") == "zip");
    CHECK(stored.json()->getValue<std::string>("status") == "ready");
}
