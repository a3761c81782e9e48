#include "upload_bench.h"

#include "bench_server.h"
#include "child_stage.h"
#include "http_load.h"

#include "support/make_test_movie.h"

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

namespace fs = std::filesystem;

namespace slate::bench {
namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

/// POSTs JSON; answers the created object's id (throws on any other status).
std::string post(int port, const std::string& token, const std::string& path, const std::string& body) {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
    Poco::Net::HTTPRequest request("POST", path, Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Authorization", "Bearer " + token);
    request.setContentType("application/json");
    request.setContentLength(static_cast<std::streamsize>(body.size()));
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::string text;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), text);
    if (response.getStatus() != 200 && response.getStatus() != 201)
        throw std::runtime_error(path + " answered " + std::to_string(response.getStatus()) + ": " + text);
    Poco::JSON::Parser parser;
    return parser.parse(text).extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("id");
}

/// The clip sent as a multipart file part, streamed from disk; answers the HTTP status.
int upload(int port, const std::string& token, const std::string& preview_id, const fs::path& clip) {
    const std::string head = "--benchb0undary\r\nContent-Disposition: form-data; name=\"file\"; "
                             "filename=\"take.mp4\"\r\nContent-Type: video/mp4\r\n\r\n";
    const std::string tail = "\r\n--benchb0undary--\r\n";
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
    session.setTimeout(Poco::Timespan(600, 0));
    Poco::Net::HTTPRequest request("POST", "/pictures/preview-files/" + preview_id, Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Authorization", "Bearer " + token);
    request.setContentType("multipart/form-data; boundary=benchb0undary");
    request.setContentLength64(static_cast<Poco::Int64>(head.size() + fs::file_size(clip) + tail.size()));
    std::ostream& out = session.sendRequest(request);
    out << head;
    std::ifstream in(clip, std::ios::binary);
    Poco::StreamCopier::copyStream(in, out, 1 << 20);
    out << tail;
    Poco::Net::HTTPResponse response;
    std::string ignored;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), ignored);
    return static_cast<int>(response.getStatus());
}

/// One round, run in its own process: `clients` uploads at once until every preview is ready.
std::string upload_round(const fs::path& dir, const fs::path& clip, int clients, const UploadBenchOptions& options) {
    try {
        BenchServer server((dir / ("round-" + std::to_string(clients))).string(), 16, true);
        const int port = server.port();
        const std::string token = server.admin_token();
        auto& c = server.connection();
        const std::string project = post(port, token, "/data/projects",
                                         R"({"name":"Upload bench","resolution":")" + std::to_string(options.width) +
                                             "x" + std::to_string(options.height) + R"(","fps":"25"})");
        const std::string shot_type(c.exec("SELECT id FROM entity_type WHERE name = 'Shot'").get(0, 0));
        const std::string task_type(
            c.exec("SELECT id FROM task_type WHERE name = 'Animation' AND for_entity = 'Shot'").get(0, 0));
        const std::string status(c.exec("SELECT id FROM task_status WHERE name = 'Todo'").get(0, 0));
        std::vector<std::string> previews;
        for (int i = 0; i < clients; ++i) {
            const std::string shot = post(port, token, "/data/entities",
                                          R"({"name":"SH)" + std::to_string(100 + i) + R"(","project_id":")" + project +
                                              R"(","entity_type_id":")" + shot_type + R"("})");
            const std::string task = post(port, token, "/data/tasks",
                                          R"({"project_id":")" + project + R"(","entity_id":")" + shot +
                                              R"(","task_type_id":")" + task_type + R"("})");
            const std::string comment =
                post(port, token, "/actions/tasks/" + task + "/comment", R"({"task_status_id":")" + status + R"("})");
            previews.push_back(
                post(port, token, "/actions/tasks/" + task + "/comments/" + comment + "/add-preview", "{}"));
        }

        const auto start = Clock::now();
        std::vector<double> answered(static_cast<size_t>(clients), 0);
        std::vector<int> statuses(static_cast<size_t>(clients), 0);
        std::vector<std::thread> threads;
        for (int i = 0; i < clients; ++i)
            threads.emplace_back([&, i] {
                statuses[size_t(i)] = upload(port, token, previews[size_t(i)], clip);
                answered[size_t(i)] = since(start);
            });
        for (auto& thread : threads)
            thread.join();
        for (const int code : statuses)
            if (code != 201)
                return "an upload answered " + std::to_string(code);
        for (;;) {
            const auto left = c.exec("SELECT count(*) FROM preview_file WHERE status = 'processing'");
            if (std::string(left.get(0, 0)) == "0")
                break;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        const double ready = since(start);
        const std::string broken(c.exec("SELECT count(*) FROM preview_file WHERE status <> 'ready'").get(0, 0));
        std::printf("%2d at once: answered in %6.2f s (median) %6.2f s (last); all ready in %7.2f s; "
                    "%5.2f movie-s/s; %s broken\n",
                    clients, percentile(answered, 0.5), *std::max_element(answered.begin(), answered.end()), ready,
                    clients * options.seconds / ready, broken.c_str());
        std::fflush(stdout);
        return broken == "0" ? "" : broken + " previews ended broken";
    } catch (const std::exception& e) {
        return e.what();
    }
}

} // namespace

int run_upload_bench(const UploadBenchOptions& options) {
    char pattern[] = "/tmp/slate-upload-bench-XXXXXX";
    if (!mkdtemp(pattern)) {
        std::perror("slate-bench: mkdtemp");
        return 1;
    }
    const fs::path dir = pattern;
    const fs::path clip = dir / "take.mp4";
    std::printf("uploads: a %.0f s %dx%d 25 fps H.264/AAC clip, normalised to HD and LD on the worker pool\n",
                options.seconds, options.width, options.height);
    std::printf("machine: %ld cores\n", sysconf(_SC_NPROCESSORS_ONLN));
    test::TestMovieSpec spec;
    spec.width = options.width;
    spec.height = options.height;
    spec.seconds = options.seconds;
    spec.video_bitrate = 20'000'000;
    const StageCost made = run_in_child([&]() -> std::string {
        try {
            test::make_test_movie(spec, clip);
            return {};
        } catch (const std::exception& e) {
            return e.what();
        }
    });
    if (!made.ok) {
        std::printf("the clip could not be made: %s\n", made.reason.c_str());
        return 1;
    }
    std::printf("clip: %.1f MiB\n\n", fs::file_size(clip) / 1048576.0);
    int exit_code = 0;
    for (const int clients : {1, options.clients}) {
        const StageCost round = run_in_child([&] { return upload_round(dir, clip, clients, options); });
        if (!round.ok) {
            std::printf("%2d at once: failed: %s\n", clients, round.reason.c_str());
            exit_code = 1;
            continue;
        }
        std::printf("            server process: %.1f s cpu, peak RSS %.1f MiB (the clip is %.1f MiB)\n", round.cpu,
                    round.peak_rss_kib / 1024.0, fs::file_size(clip) / 1048576.0);
    }
    std::error_code ignored;
    fs::remove_all(dir, ignored);
    return exit_code;
}

} // namespace slate::bench
