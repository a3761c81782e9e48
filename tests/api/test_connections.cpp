// The connection layer against idle, slow, greedy and malformed clients, over real sockets.
#include "support/raw_client.h"
#include "support/test_server.h"

#include "api/http/connection_loop.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <thread>

using namespace slate::test;
using namespace std::chrono_literals;

namespace {

const std::string index_request = "GET /api/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

std::string authenticated_request(const std::string& token) {
    return "GET /api/auth/authenticated HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\n\r\n";
}

} // namespace

TEST_CASE("500 idle connections and 50 slow senders leave a client answered at once", "[api][pg][connections]") {
    slate::api::http::raise_open_file_limit(); // this process holds both ends of every connection
    TestServer server;                         // 4 worker threads: far fewer than the connections held
    const std::string token = server.login();

    std::vector<std::unique_ptr<RawClient>> idle;
    for (int i = 0; i < 500; ++i)
        idle.push_back(std::make_unique<RawClient>(server.port(), "127.0.0.2"));
    // Slow senders: a head that trickles in, one byte per sender every 50 ms.
    const std::string slow_head = "GET /api/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + std::string(200, 's');
    std::vector<std::unique_ptr<RawClient>> slow;
    for (int i = 0; i < 50; ++i)
        slow.push_back(std::make_unique<RawClient>(server.port(), "127.0.0.3"));
    std::atomic<bool> done{false};
    std::thread trickle([&] {
        for (std::size_t at = 0; at < slow_head.size() && !done; ++at) {
            for (auto& sender : slow)
                sender->send(slow_head.substr(at, 1));
            std::this_thread::sleep_for(50ms);
        }
    });

    std::this_thread::sleep_for(200ms); // the slow heads have started
    std::vector<double> latencies;
    for (int i = 0; i < 30; ++i) {
        const auto started = std::chrono::steady_clock::now();
        const auto answer = http_get(server.port(), "/auth/authenticated", token);
        latencies.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count());
        CHECK(answer.status == 200);
    }
    // And on a keep-alive connection of its own.
    RawClient keep(server.port());
    for (int i = 0; i < 10; ++i) {
        const auto started = std::chrono::steady_clock::now();
        REQUIRE(keep.send(authenticated_request(token)));
        CHECK(status_of(keep.read_response(5s)) == 200);
        latencies.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count());
    }
    done = true;
    trickle.join();
    std::sort(latencies.begin(), latencies.end());
    INFO("median " << latencies[latencies.size() / 2] << " ms, slowest " << latencies.back() << " ms");
    CHECK(latencies[latencies.size() / 2] < 100.0);
    CHECK(latencies.back() < 2000.0); // never stuck behind the idle ones (Poco's layer: 60 s)
    // The idle connections are all still open and each can still be served.
    REQUIRE(idle.front()->send(index_request));
    CHECK(status_of(idle.front()->read_response(5s)) == 200);
    REQUIRE(idle.back()->send(index_request));
    CHECK(status_of(idle.back()->read_response(5s)) == 200);
}

TEST_CASE("a head must arrive whole within its deadline, however it trickles", "[api][pg][connections]") {
    TestServer server([](slate::engine::Config& config) { config.head_timeout_ms = 1000; });
    RawClient slow(server.port());
    const std::string head = "GET /api/ HTTP/1.1\r\nX-Slow: " + std::string(100, 's');
    const auto started = std::chrono::steady_clock::now();
    // One byte every 100 ms: each would restart a per-byte timeout; the head's deadline holds.
    for (std::size_t at = 0; at < head.size() && slow.send(head.substr(at, 1)); ++at) {
        if (std::chrono::steady_clock::now() - started > 5s)
            break;
        std::this_thread::sleep_for(100ms);
    }
    CHECK(slow.closed_within(3s));
    CHECK(status_of(slow.received()) == 408);
    CHECK(std::chrono::steady_clock::now() - started < 5s);
}

TEST_CASE("an idle keep-alive connection is closed after its timeout, a busy one stays", "[api][pg][connections]") {
    TestServer server([](slate::engine::Config& config) { config.keep_alive_timeout_ms = 1000; });
    RawClient client(server.port());
    for (int i = 0; i < 3; ++i) { // requests closer together than the timeout keep it open
        REQUIRE(client.send(index_request));
        CHECK(status_of(client.read_response()) == 200);
        std::this_thread::sleep_for(600ms);
    }
    CHECK(client.closed_within(3s));
    CHECK(client.received().empty()); // closed silently: there was no request to answer
}

TEST_CASE("connections per client address are capped, other addresses are served", "[api][pg][connections]") {
    TestServer server([](slate::engine::Config& config) { config.max_connections_per_address = 8; });
    std::vector<std::unique_ptr<RawClient>> held;
    for (int i = 0; i < 8; ++i)
        held.push_back(std::make_unique<RawClient>(server.port(), "127.0.0.4"));
    REQUIRE(held.back()->send(index_request));
    CHECK(status_of(held.back()->read_response()) == 200);
    RawClient over(server.port(), "127.0.0.4");
    CHECK(over.closed_within(3s));
    CHECK(status_of(over.received()) == 503);
    CHECK(over.received().find("Too many connections from this address.") != std::string::npos);
    CHECK(http_get(server.port(), "/").status == 200); // 127.0.0.1 is another address
    held.pop_back();
    std::this_thread::sleep_for(300ms); // the loop sees the close
    RawClient again(server.port(), "127.0.0.4");
    REQUIRE(again.send(index_request));
    CHECK(status_of(again.read_response()) == 200);
}

TEST_CASE("pipelined requests, chunked bodies among them, are answered in order", "[api][pg][connections]") {
    TestServer server;
    RawClient client(server.port());
    const std::string login = R"({"email":"admin@example.com","password":"wrong-password"})";
    char size[16];
    std::snprintf(size, sizeof size, "%zx", login.size());
    REQUIRE(client.send(index_request +
                        "POST /api/auth/login HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
                        "Transfer-Encoding: chunked\r\n\r\n" +
                        size + "\r\n" + login + "\r\n0\r\n\r\n" + "GET /api/nowhere HTTP/1.1\r\nHost: h\r\n\r\n"));
    CHECK(status_of(client.read_response()) == 200);
    const std::string refused = client.read_response();
    CHECK(status_of(refused) == 400);
    CHECK(refused.find(R"("login":false)") != std::string::npos); // the chunked body was read whole
    CHECK(status_of(client.read_response()) == 404);
    // The connection is still usable after all three.
    REQUIRE(client.send(index_request));
    CHECK(status_of(client.read_response()) == 200);
}

TEST_CASE("malformed heads get their 4xx and a closed connection, never a wait", "[api][pg][connections]") {
    TestServer server;
    const auto answer_to = [&](const std::string& bytes) {
        RawClient client(server.port());
        client.send(bytes);
        client.closed_within(5s);
        return client.received();
    };
    CHECK(status_of(answer_to("GARBAGE\r\n\r\n")) == 400);
    CHECK(status_of(answer_to("GET / HTTP/1.1\r\nA: 1\r\n folded\r\n\r\n")) == 400);
    CHECK(status_of(answer_to("POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n")) == 400);
    CHECK(status_of(answer_to("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n")) == 501);
    CHECK(status_of(answer_to("GET /api/ HTTP/1.1\r\nX-Big: " + std::string(70 * 1024, 'b') + "\r\n\r\n")) == 431);
    const std::string refused = answer_to("GET /" + std::string(70 * 1024, 'u') + " HTTP/1.1\r\n\r\n");
    CHECK(status_of(refused) == 414);
    CHECK(refused.find(R"("error":true)") != std::string::npos);
    // A body cut short by the client: nothing is answered to a closed socket, and the server lives on.
    {
        RawClient cut(server.port());
        cut.send("POST /api/auth/login HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"em");
    }
    CHECK(http_get(server.port(), "/").status == 200);
}

TEST_CASE("Expect: 100-continue gets the go-ahead only once the head is accepted", "[api][pg][connections]") {
    TestServer server;
    const std::string body = R"({"email":"admin@example.com","password":"mysecretpassword"})";
    RawClient client(server.port());
    REQUIRE(client.send("POST /api/auth/login HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
                        "Expect: 100-continue\r\nContent-Length: " +
                        std::to_string(body.size()) + "\r\n\r\n"));
    CHECK(client.read_response().rfind("HTTP/1.1 100 Continue\r\n\r\n", 0) == 0);
    REQUIRE(client.send(body));
    CHECK(status_of(client.read_response()) == 200);
    // Refused from its head: the final answer comes at once, with no 100 and no wait for a body.
    RawClient refused(server.port());
    REQUIRE(refused.send("POST /api/data/departments HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
                         "Expect: 100-continue\r\nContent-Length: 1000000\r\n\r\n"));
    CHECK(status_of(refused.read_response(5s)) == 401);
    CHECK(refused.closed_within(3s));
}
