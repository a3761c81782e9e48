// tests/api/test_file_reply.cpp: stored files answered as Werkzeug's send_file does: ETag and
// 304, single byte ranges (what lets a browser's <video> seek), 416 for the rest.
#include <catch2/catch.hpp>

#include "api/file_reply.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace slate::api;

namespace {

std::string header(const Reply& reply, const std::string& name) {
    for (const auto& [key, value] : reply.headers)
        if (key == name)
            return value;
    return {};
}

Reply answer(const fs::path& path, std::map<std::string, std::string> headers = {}) {
    Request request;
    request.headers = std::move(headers);
    Reply reply = file_reply(request, path, "video/mp4", "max-age=604800, private");
    if (reply.file) { // what the server streams, read here to compare
        std::ifstream in(reply.file->path, std::ios::binary);
        in.seekg(static_cast<std::streamoff>(reply.file->offset));
        reply.body.resize(reply.file->length);
        in.read(reply.body.data(), static_cast<std::streamsize>(reply.file->length));
    }
    return reply;
}

} // namespace

TEST_CASE("a stored file is answered whole, by single ranges, or not modified", "[api]") {
    char pattern[] = "/tmp/slate-range-XXXXXX";
    const fs::path dir = mkdtemp(pattern);
    const fs::path path = dir / "movie";
    std::ofstream(path, std::ios::binary) << "0123456789";

    const Reply whole = answer(path);
    CHECK(whole.status == 200);
    CHECK(whole.body == "0123456789");
    CHECK(header(whole, "Accept-Ranges") == "bytes");
    CHECK(header(whole, "Cache-Control") == "max-age=604800, private");
    const std::string etag = header(whole, "ETag");
    CHECK(etag.size() > 4);

    const Reply middle = answer(path, {{"range", "bytes=2-5"}});
    CHECK(middle.status == 206);
    CHECK(middle.body == "2345");
    CHECK(header(middle, "Content-Range") == "bytes 2-5/10");
    CHECK(answer(path, {{"range", "bytes=-3"}}).body == "789");
    CHECK(answer(path, {{"range", "bytes=7-"}}).body == "789");
    const Reply clamped = answer(path, {{"range", "bytes=8-999"}});
    CHECK(clamped.body == "89");
    CHECK(header(clamped, "Content-Range") == "bytes 8-9/10");

    const Reply beyond = answer(path, {{"range", "bytes=10-"}});
    CHECK(beyond.status == 416);
    CHECK(beyond.body == R"({"error":true,"message":"The server cannot provide the requested range."})");
    CHECK(answer(path, {{"range", "bytes=0-1,4-5"}}).status == 416);

    CHECK(answer(path, {{"if-none-match", etag}}).status == 304);
    const Reply stale = answer(path, {{"range", "bytes=2-5"}, {"if-range", "\"other\""}});
    CHECK(stale.status == 200);
    CHECK(stale.body == "0123456789");
    CHECK(answer(path, {{"range", "bytes=2-5"}, {"if-range", etag}}).status == 206);
    fs::remove_all(dir);
}
