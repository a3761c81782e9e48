// tests/api/test_uploads.cpp: multipart uploads are read as they arrive, their files written
// to disk (not held in memory), stored intact, refused past MAX_CONTENT_LENGTH even when the
// client sends no length, and their spool removed whatever the outcome.
#include <catch2/catch.hpp>

#include "support/test_server.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <filesystem>

namespace fs = std::filesystem;
using namespace slate::test;

namespace {

struct Uploads {
    TestServer server;
    std::string token = server.login();
    int port = server.port();
    std::string project = server.create_project(token, "Uploads");
    std::string shot = server.create_shot(token, project, "SH040");
    std::string task = server.create_task(token, project, shot);

    Uploads() {
        // Working files are named by the project's file tree: a shot in a sequence.
        REQUIRE(http_post(port, "/actions/projects/" + project + "/set-file-tree", R"({"tree_name":"simple"})", token)
                    .status == 200);
        const auto sequence =
            http_post(port, "/data/entities",
                      R"({"name":"SQ01","project_id":")" + project + R"(","entity_type_id":")" +
                          server.query("SELECT id FROM entity_type WHERE name = 'Sequence'") + R"("})",
                      token);
        REQUIRE(sequence.status == 201);
        REQUIRE(http_call(port, "PUT", "/data/entities/" + shot, token,
                          R"({"parent_id":")" + sequence.json()->getValue<std::string>("id") + R"("})")
                    .status == 200);
    }

    std::string working_file() {
        const auto created = http_post(port, "/data/tasks/" + task + "/working-files/new", R"({"name":"main"})", token);
        INFO(created.body);
        REQUIRE(created.status == 201);
        return created.json()->getValue<std::string>("id");
    }

    /// Upload folders still under the data folder's tmp/.
    int spools_left() {
        int count = 0;
        const fs::path tmp = fs::path(server.config().data_dir) / "tmp";
        if (fs::exists(tmp))
            for (const auto& entry : fs::directory_iterator(tmp))
                count += entry.path().filename().string().rfind("upload-", 0) == 0;
        return count;
    }
};

std::string pattern_bytes(size_t size) {
    std::string bytes(size, '\0');
    uint32_t state = 12345;
    for (auto& byte : bytes) {
        state = state * 1664525u + 1013904223u;
        byte = static_cast<char>(state >> 24);
    }
    return bytes;
}

/// A multipart body of one file part, sent with chunked transfer encoding (no length).
int chunked_upload(int port, const std::string& path, const std::string& token, const std::string& bytes) {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
    session.setTimeout(Poco::Timespan(60, 0));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, path, Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Authorization", "Bearer " + token);
    request.setContentType("multipart/form-data; boundary=spoolb0undary");
    request.setChunkedTransferEncoding(true);
    std::ostream& out = session.sendRequest(request);
    out << "--spoolb0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n"
           "Content-Type: application/octet-stream\r\n\r\n";
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out << "\r\n--spoolb0undary--\r\n";
    Poco::Net::HTTPResponse response;
    std::string ignored;
    try {
        Poco::StreamCopier::copyToString(session.receiveResponse(response), ignored);
    } catch (const Poco::Exception&) {
        return -1; // the server may close before reading everything
    }
    return static_cast<int>(response.getStatus());
}

} // namespace

TEST_CASE("a large upload is spooled to disk and stored intact", "[api][pg][uploads]") {
    Uploads room;
    const std::string id = room.working_file();
    const std::string bytes = pattern_bytes(24u << 20);
    const auto uploaded =
        http_upload(room.port, "/data/working-files/" + id + "/file", room.token, "scene.blend", bytes);
    INFO(uploaded.body);
    REQUIRE(uploaded.status == 201);
    const auto downloaded = http_get(room.port, "/data/working-files/" + id + "/file", room.token);
    REQUIRE(downloaded.status == 200);
    CHECK(downloaded.body.size() == bytes.size());
    CHECK(downloaded.body == bytes);
    CHECK(room.spools_left() == 0);

    // Sent chunked (no Content-Length): the same.
    const std::string other = room.working_file();
    CHECK(chunked_upload(room.port, "/data/working-files/" + other + "/file", room.token, pattern_bytes(3u << 20)) ==
          201);
    CHECK(http_get(room.port, "/data/working-files/" + other + "/file", room.token).body == pattern_bytes(3u << 20));
    CHECK(room.spools_left() == 0);
}

TEST_CASE("an upload past MAX_CONTENT_LENGTH is refused and leaves nothing", "[api][pg][uploads]") {
    Uploads room;
    const std::string id = room.working_file();
    room.server.config().max_content_length = 1 << 20;
    // With a length: refused from the headers, before any of the body is read (none is sent).
    {
        Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(room.port));
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, "/data/working-files/" + id + "/file",
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        request.set("Authorization", "Bearer " + room.token);
        request.setContentType("multipart/form-data; boundary=spoolb0undary");
        request.setContentLength64(2 << 20);
        session.sendRequest(request).flush();
        Poco::Net::HTTPResponse response;
        std::string body;
        Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
        CHECK(response.getStatus() == 413);
    }
    // Without one: refused once the limit is crossed.
    const int status =
        chunked_upload(room.port, "/data/working-files/" + id + "/file", room.token, pattern_bytes(2u << 20));
    CHECK((status == 413 || status == -1));
    CHECK(http_get(room.port, "/data/working-files/" + id + "/file", room.token).status == 404);
    CHECK(room.spools_left() == 0);

    // Under the limit, and a body that is no multipart at all.
    CHECK(http_upload(room.port, "/data/working-files/" + id + "/file", room.token, "ok.bin", pattern_bytes(1000))
              .status == 201);
    HttpRequest broken;
    broken.method = "POST";
    broken.path = "/data/working-files/" + id + "/file";
    broken.headers["Authorization"] = "Bearer " + room.token;
    broken.headers["Content-Type"] = "multipart/form-data; boundary=nowhere";
    broken.body = "this body has no parts at all";
    CHECK(send_request(room.port, broken).status == 400);
    CHECK(room.spools_left() == 0);
}
