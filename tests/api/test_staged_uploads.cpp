// tests/api/test_staged_uploads.cpp: a request whose transaction fails after its files were
// moved into the store leaves no file there and answers the same 4xx as it always did.
#include <catch2/catch.hpp>

#include "support/test_server.h"

#include "engine/db/pool.h"

#include <filesystem>
#include <string>

using namespace slate::test;
namespace fs = std::filesystem;

namespace {

int files_under(const fs::path& folder) {
    int count = 0;
    std::error_code error;
    for (fs::recursive_directory_iterator it(folder, error), end; !error && it != end; it.increment(error))
        if (it->is_regular_file())
            ++count;
    return count;
}

} // namespace

TEST_CASE("a comment whose attachment fails in the database leaves no stored file",
          "[api][pg][comments][staged_files]") {
    TestServer server;
    const std::string token = server.login();
    const std::string project = server.create_project(token, "Staged");
    const std::string shot = server.create_shot(token, project, "SH010");
    const std::string task = server.create_task(token, project, shot, "Animation");
    auto count = [&](const std::string& sql) {
        auto connection = server.pool().acquire();
        return std::string(connection->exec(sql).get(0, 0));
    };
    std::string status_id;
    {
        auto connection = server.pool().acquire();
        status_id = std::string(connection->exec("SELECT id FROM task_status WHERE name = 'Todo'").get(0, 0));
    }

    // The first file is moved into the store; the second's name is longer than
    // attachment_file.name (varchar(250)), so its INSERT fails and the transaction rolls back.
    HttpRequest request;
    request.method = "POST";
    request.path = "/actions/tasks/" + task + "/comment";
    request.headers["Authorization"] = "Bearer " + token;
    request.headers["Content-Type"] = "multipart/form-data; boundary=b0undary";
    auto field = [](const std::string& name, const std::string& value) {
        return "--b0undary\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
    };
    auto file = [](const std::string& name, const std::string& filename, const std::string& bytes) {
        return "--b0undary\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename +
               "\"\r\nContent-Type: text/plain\r\n\r\n" + bytes + "\r\n";
    };
    request.body = field("task_status_id", status_id) + field("comment", "with files") +
                   file("file-0", "notes.txt", "line one\n") +
                   file("file-1", std::string(300, 'n') + ".txt", "line two\n") + "--b0undary--\r\n";
    const auto refused = send_request(server.port(), request);
    INFO(refused.body);
    CHECK(refused.status == 400);
    CHECK(refused.json()->getValue<std::string>("message") == "One of the provided values has an invalid format.");
    CHECK(count("SELECT count(*) FROM comment") == "0");
    CHECK(count("SELECT count(*) FROM attachment_file") == "0");
    const fs::path attachments = fs::path(server.config().file_store_root()) / "files" / "attachments";
    CHECK(files_under(attachments) == 0);

    // The same files with a fitting name go through, and are kept.
    request.body = field("task_status_id", status_id) + field("comment", "with files") +
                   file("file-0", "notes.txt", "line one\n") + file("file-1", "more.txt", "line two\n") +
                   "--b0undary--\r\n";
    const auto posted = send_request(server.port(), request);
    INFO(posted.body);
    CHECK(posted.status == 201);
    CHECK(files_under(attachments) == 2);
}
