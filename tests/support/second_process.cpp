#include "support/second_process.h"

#include "support/test_server.h"

#include "engine/db/pool.h"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Process.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

namespace slate::test {

SecondProcess::SecondProcess(TestServer& server) {
    {
        Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
        m_port = probe.address().port();
    }
    char pattern[] = "/tmp/slate-second-XXXXXX";
    m_data_dir = mkdtemp(pattern);
    const auto& db = server.pool().settings();
    const Poco::Process::Env env{{"DB_HOST", db.host},
                                 {"DB_PORT", std::to_string(db.port)},
                                 {"DB_USERNAME", db.user},
                                 {"DB_PASSWORD", db.password},
                                 {"DB_DATABASE", db.database},
                                 {"SECRET_KEY", server.config().secret_key},
                                 {"SLATE_HTTP_THREADS", "2"},
                                 // its stream on the main port only: tests run side by side
                                 {"EVENT_STREAM_PORT", "0"}};
    m_handle = std::make_unique<Poco::ProcessHandle>(Poco::Process::launch(
        SLATE_BINARY, {"serve", "--port", std::to_string(m_port), "--data", m_data_dir.string()},
        m_data_dir.string(), nullptr, nullptr, nullptr, env));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
        try {
            if (http_get(m_port, "/api/").status == 200)
                return;
        } catch (...) {
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    FAIL("the second slate process did not answer");
}

SecondProcess::~SecondProcess() {
    Poco::Process::requestTermination(m_handle->id());
    m_handle->wait();
    std::error_code ignored;
    std::filesystem::remove_all(m_data_dir, ignored);
}

} // namespace slate::test
