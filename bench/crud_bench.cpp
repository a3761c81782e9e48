#include "crud_bench.h"

#include "http_load.h"
#include "load_production.h"

#include "api/server.h"
#include "api/smtp_mailer.h"
#include "engine/config.h"
#include "engine/crud/crud_service.h"
#include "engine/db/embedded_cluster.h"
#include "engine/db/migrate.h"
#include "engine/db/pool.h"
#include "engine/models/catalog.h"
#include "engine/queries/crud.h"
#include "engine/services/auth_service.h"
#include "engine/services/password_reset.h"
#include "engine/storage/file_store.h"

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>

namespace slate::bench {
namespace {

double time_ms(const std::function<void()>& work, int repeats) {
    std::vector<double> samples;
    for (int i = 0; i < repeats; ++i) {
        const auto begin = std::chrono::steady_clock::now();
        work();
        samples.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - begin)
                .count());
    }
    return percentile(samples, 0.5);
}

std::string login(int port, const std::string& email, const std::string& password) {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
    Poco::Net::HTTPRequest request("POST", "/auth/login", Poco::Net::HTTPMessage::HTTP_1_1);
    const std::string body = R"({"email":")" + email + R"(","password":")" + password + R"("})";
    request.setContentLength(static_cast<std::streamsize>(body.size()));
    request.setContentType("application/json");
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::string text;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), text);
    Poco::JSON::Parser parser;
    return parser.parse(text).extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("access_token");
}

void report(const char* route, double bare_ms, int port, const std::string& path,
            const std::string& token, int requests) {
    for (int clients : {2, 16}) {
        LoadResult load = run_load(port, path, token, clients, requests);
        const double median = percentile(load.latencies_ms, 0.5);
        const double p99 = percentile(load.latencies_ms, 0.99);
        const double goal = 1.5 * bare_ms + 1.0;
        std::printf("%-44s %7d %9.2f %9.2f %9.0f %9.2f %9.2f  %s%s\n", route, clients, median, p99,
                    double(load.latencies_ms.size()) / load.seconds, bare_ms, goal,
                    median <= goal ? "within goal" : "over goal",
                    load.errors ? " (errors!)" : "");
    }
}

} // namespace

int run_crud_bench(const CrudBenchOptions& options) {
    char pattern[] = "/tmp/slate-bench-XXXXXX";
    const std::string data_dir = mkdtemp(pattern);
    int exit_code = 0;
    {
        engine::db::EmbeddedCluster cluster(data_dir);
        cluster.start();
        cluster.ensure_database("slate_bench");
        const auto settings = cluster.settings("slate_bench");
        engine::Config config;
        config.secret_key = "benchmark-secret-key-benchmark-secret-key";
        config.bcrypt_rounds = 4;
        engine::db::Connection connection(settings);
        engine::db::upgrade_database(connection);
        engine::db::init_data(connection);
        engine::services::create_admin(connection, config, "bench@example.com", "benchpassword");

        std::printf("loading %d tasks...\n", options.tasks);
        const auto load_start = std::chrono::steady_clock::now();
        const Production production =
            load_production(connection, std::max(1, options.tasks / 10), 10);
        std::printf("loaded %d tasks in %.1f s\n\n", production.tasks,
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - load_start)
                        .count());

        engine::db::Pool pool(settings, 20);
        engine::services::AuthService auth(config, pool);
        engine::crud::CrudService crud(config, pool);
        config.mail_enabled = false;
        api::SmtpMailer mailer(config);
        engine::services::PasswordReset password_reset(config, pool, mailer);
        engine::storage::LocalFileStore files(data_dir + "/previews");
        api::Services services{config, pool, auth, crud, password_reset, mailer, files};
        api::Server server(services, "127.0.0.1", 0, 24);
        server.start();
        const std::string token = login(server.port(), "bench@example.com", "benchpassword");

        // The bare queries: the statements the routes run, fetched through libpq, no JSON.
        const auto& task = engine::models::table("task");
        engine::queries::Where where;
        where.add("t.project_id = " + where.param(production.project_id) + "::uuid");
        const double bare_page = time_ms(
            [&] {
                engine::queries::count_rows(connection, task, where);
                engine::queries::select_rows(connection, task, false, where,
                                             engine::queries::Page{100, 0});
            },
            50);
        const double bare_one = time_ms(
            [&] { engine::queries::select_by_id(connection, task, production.some_task_id, true); },
            200);

        std::printf("%-44s %7s %9s %9s %9s %9s %9s\n", "route", "clients", "median", "p99",
                    "req/s", "bare SQL", "goal");
        report("GET /data/tasks?project_id=...&page=1", bare_page, server.port(),
               "/data/tasks?project_id=" + production.project_id + "&page=1", token,
               options.requests);
        report("GET /data/tasks/{id}", bare_one, server.port(),
               "/data/tasks/" + production.some_task_id, token, options.requests);
        std::printf("\n(milliseconds; goal: median within 1.5 x bare SQL + 1 ms)\n");
        server.stop();
    }
    std::error_code ignored;
    std::filesystem::remove_all(data_dir, ignored);
    return exit_code;
}

} // namespace slate::bench
