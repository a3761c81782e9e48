// The event stream with real clients: Debian's python3-socketio (what gazu uses) and npm's
// socket.io-client under node (what the Kitsu web app uses) over long-polling and the WebSocket
// upgrade, a second `slate serve` process writing the events, and raw sockets for what a
// client must not be able to do to the others.
#include "support/raw_client.h"
#include "support/second_process.h"
#include "support/test_server.h"

#include <catch2/catch.hpp>

#include <cstdio>
#include <memory>
#include <set>
#include <thread>

using namespace slate::test;
using namespace std::chrono_literals;

namespace {

/// Which real client: gazu's (python3-socketio, tests/events/listen.py) or the web app's
/// (socket.io-client under node, tests/events/listen.mjs, installed by ./do test).
enum class Client { gazu, web_app };

/// A listening client in a child process: its lines, read as they come.
class Listener {
public:
    Listener(int port, const std::string& token, const std::string& options, Client client = Client::gazu) {
        const std::string program = client == Client::gazu ? "/usr/bin/python3 " SLATE_SOURCE_DIR "/tests/events/listen.py"
                                                           : "node " SLATE_SOURCE_DIR "/tests/events/listen.mjs";
        const std::string command = program + " --url http://127.0.0.1:" + std::to_string(port) +
                                    (token.empty() ? "" : " --token " + token) + " " + options + " 2>&1";
        m_pipe = ::popen(command.c_str(), "r");
        REQUIRE(m_pipe);
    }
    ~Listener() {
        if (m_pipe) {
            rest(); // to its end: the client disconnects before it exits
            ::pclose(m_pipe);
        }
    }
    /// The next line that says something ("" at the end of the output).
    std::string line() {
        char buffer[65536];
        std::string text;
        while (text.empty()) {
            if (!std::fgets(buffer, sizeof buffer, m_pipe))
                return {};
            text = buffer;
            if (!text.empty() && text.back() == '\n')
                text.pop_back();
        }
        m_all += text + "\n";
        return text;
    }
    /// Every line up to the end of the output.
    const std::string& rest() {
        while (!line().empty()) {
        }
        return m_all;
    }

private:
    FILE* m_pipe = nullptr;
    std::string m_all;
};

std::string id_of(const HttpResponse& response) {
    REQUIRE(response.status < 300);
    return response.json()->getValue<std::string>("id");
}

/// A client's WebSocket text frame (masked, as RFC 6455 requires of clients; a zero mask
/// leaves the payload as it is). Short payloads only.
std::string client_text_frame(const std::string& payload) {
    REQUIRE(payload.size() < 126);
    return std::string("\x81") + static_cast<char>(0x80 | payload.size()) + std::string(4, '\0') + payload;
}

} // namespace

TEST_CASE("a socket.io client gets its productions' events after commit, polling then upgraded", "[api][pg][events]") {
    TestServer server;
    const std::string admin = server.login();
    const std::string on_team = id_of(http_post(server.port(), "/data/projects", R"({"name":"Seen"})", admin));
    const std::string elsewhere = id_of(http_post(server.port(), "/data/projects", R"({"name":"Unseen"})", admin));
    const std::string artist_id = server.create_person("artist@example.com", "artistpassword", "user");
    server.query("INSERT INTO project_person_link (project_id, person_id) VALUES ($1::uuid, $2::uuid)",
                 {on_team, artist_id});
    const std::string artist = server.login("artist@example.com", "artistpassword");

    Listener listener(server.port(), artist, "--count 1 --timeout 20");
    REQUIRE(listener.line() == "connected websocket"); // polling first, then upgraded, as gazu does
    // An event of the other production first: never sent to this artist.
    http_post(server.port(), "/data/asset-types", R"({"name":"Prop"})", admin);
    server.create_shot(admin, elsewhere, "SH_UNSEEN");
    server.create_shot(admin, on_team, "SH_SEEN");
    const std::string first = listener.line();
    INFO(first);
    CHECK(first.find(on_team) != std::string::npos);
    const std::string& rest = listener.rest();
    CHECK(rest.find(elsewhere) == std::string::npos);
    CHECK(rest.find("done 1") != std::string::npos);
}

TEST_CASE("events another process commits reach the clients, large ones read back by id", "[api][pg][events]") {
    TestServer server;
    const std::string admin = server.login();
    Listener listener(server.port(), admin, "--count 2 --timeout 20 --transport websocket");
    REQUIRE(listener.line() == "connected websocket");
    // What another `slate serve` or a `slate worker` does: NOTIFY from its own connection.
    server.query(
        R"(SELECT pg_notify('slate_events', '{"name":"preview-file:update","data":{"preview_file_id":"p1"}}'))");
    const std::string big(9000, 'x');
    const std::string event_id = server.query(
        R"(INSERT INTO api_event (id, name, data, created_at, updated_at) VALUES (gen_random_uuid(), 'comment:new',
           json_build_object('comment_id', 'c1', 'text', $1::text), now(), now()) RETURNING id)",
        {big});
    server.query(
        R"(SELECT pg_notify('slate_events', json_build_object('name', 'comment:new', 'event_id', $1::text)::text))",
        {event_id});
    CHECK(listener.line() == R"(preview-file:update {"preview_file_id": "p1"})");
    const std::string large = listener.line();
    CHECK(large.rfind("comment:new ", 0) == 0);
    CHECK(large.find(big) != std::string::npos);
}

TEST_CASE("a client without a valid token is refused", "[api][pg][events]") {
    TestServer server;
    Listener anonymous(server.port(), "", "--count 1 --timeout 2 --wait 2");
    CHECK(anonymous.line().rfind("refused", 0) == 0);
    Listener forged(server.port(), "eyJhbGciOiJIUzI1NiJ9.e30.bad",
                    "--count 1 --timeout 2 --wait 2 --transport websocket");
    CHECK(forged.line().rfind("refused", 0) == 0);
}

TEST_CASE("review rooms relay a member's annotations to the others", "[api][pg][events]") {
    TestServer server;
    const std::string admin = server.login();
    const std::string project = id_of(http_post(server.port(), "/data/projects", R"({"name":"Review"})", admin));
    const std::string playlist = id_of(
        http_post(server.port(), "/data/playlists", R"({"name":"Dailies","project_id":")" + project + R"("})", admin));
    Listener watcher(server.port(), admin, "--count 20 --timeout 6 --join " + playlist);
    REQUIRE(watcher.line() == "connected websocket");
    Listener drawer(server.port(), admin,
                    "--count 20 --timeout 3 --join " + playlist +
                        " --emit preview-room:add-annotation --emit-data "
                        "'{\"playlist_id\":\"" +
                        playlist + "\",\"frame\":3}'");
    const std::string& seen = watcher.rest();
    INFO(seen);
    CHECK(seen.find("preview-room:room-people-updated") != std::string::npos);
    CHECK(seen.find(R"("current_frame": 12)") != std::string::npos); // the room's state, from the first join
    CHECK(seen.find(R"(preview-room:add-annotation {"frame": 3, "playlist_id": ")" + playlist) != std::string::npos);
    drawer.rest();
}

TEST_CASE("a malformed Engine.IO packet closes that session only", "[api][pg][events]") {
    TestServer server;
    RawClient client(server.port());
    REQUIRE(client.send("GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: h\r\n\r\n"));
    const std::string open = client.read_response();
    REQUIRE(status_of(open) == 200);
    const auto at = open.find("\"sid\":\"");
    REQUIRE(at != std::string::npos);
    const std::string sid = open.substr(at + 7, open.find('"', at + 7) - at - 7);
    const std::string junk = "9not a packet";
    REQUIRE(client.send("POST /socket.io/?EIO=4&transport=polling&sid=" + sid +
                        " HTTP/1.1\r\nHost: h\r\nContent-Type: text/plain\r\nContent-Length: " +
                        std::to_string(junk.size()) + "\r\n\r\n" + junk));
    CHECK(status_of(client.read_response()) == 200);
    REQUIRE(client.send("GET /socket.io/?EIO=4&transport=polling&sid=" + sid + " HTTP/1.1\r\nHost: h\r\n\r\n"));
    const std::string gone = client.read_response();
    CHECK(status_of(gone) == 400);
    CHECK(gone.find("Session ID unknown") != std::string::npos);
    // The server and other sessions carry on.
    Listener listener(server.port(), server.login(), "--count 1 --timeout 1");
    CHECK(listener.line() == "connected websocket");
    CHECK(http_get(server.port(), "/").status == 200);
}

TEST_CASE("the web app's socket.io-client connects by long-polling with the token cookie, then upgrades",
          "[api][pg][events]") {
    TestServer server;
    const std::string admin = server.login();
    const std::string project = server.create_project(admin, "Web");
    Listener web(server.port(), admin, "--count 1 --timeout 20", Client::web_app);
    REQUIRE(web.line() == "opened polling");
    // The client upgrades as soon as it may, before or after the namespace answers.
    std::set<std::string> next{web.line(), web.line()};
    REQUIRE(next == std::set<std::string>{"connected", "upgraded websocket"});
    server.create_shot(admin, project, "SH_WEB");
    const std::string event = web.line();
    INFO(event);
    CHECK(event.find(project) != std::string::npos);
    CHECK(web.rest().find("done 1") != std::string::npos);
}

TEST_CASE("an update made through another slate serve process reaches the clients", "[api][pg][events]") {
    TestServer server;
    const std::string admin = server.login();
    const std::string project = server.create_project(admin, "Balanced");
    const std::string shot = server.create_shot(admin, project, "SH010");
    const std::string task = server.create_task(admin, project, shot);
    SecondProcess second(server);
    Listener listener(server.port(), admin, "--count 1 --timeout 20 --transport websocket");
    REQUIRE(listener.line() == "connected websocket");
    const auto updated = http_call(second.port(), "PUT", "/api/data/tasks/" + task, admin, R"({"priority":2})");
    REQUIRE(updated.status == 200);
    const std::string event = listener.line();
    INFO(event);
    CHECK(event.rfind("task:update ", 0) == 0);
    CHECK(event.find(task) != std::string::npos);
}

TEST_CASE("a client that reconnects catches up with /data/events/last", "[api][pg][events]") {
    TestServer server;
    const std::string admin = server.login();
    const std::string project = server.create_project(admin, "Catch-up");
    {
        Listener listener(server.port(), admin, "--count 1 --timeout 20 --transport websocket");
        REQUIRE(listener.line() == "connected websocket");
        server.create_shot(admin, project, "SH_LIVE");
        CHECK(listener.line().find(project) != std::string::npos);
    } // disconnected: what happens now is not pushed to it
    const std::string missed = server.create_shot(admin, project, "SH_MISSED");
    const auto log = http_get(server.port(), "/data/events/last?name=shot:new&project_id=" + project, admin);
    REQUIRE(log.status == 200);
    const auto events = log.json_array();
    REQUIRE(events->size() == 2);
    CHECK(events->getObject(0)->getObject("data")->getValue<std::string>("shot_id") == missed); // newest first
}

TEST_CASE("a client that never reads is disconnected, the others and the HTTP threads carry on", "[api][pg][events]") {
    constexpr int event_count = 500, per_batch = 25;
    TestServer server([](slate::engine::Config& config) { config.event_client_backlog = 1 << 20; });
    const std::string admin = server.login();
    // The slow one: a WebSocket on the /events namespace with a tiny receive buffer, never read.
    RawClient slow(server.port(), "127.0.0.1", 4096);
    REQUIRE(slow.send("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n"
                      "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                      "Sec-WebSocket-Version: 13\r\nAuthorization: Bearer " +
                      admin + "\r\n\r\n"));
    REQUIRE(status_of(slow.read_response()) == 101);
    REQUIRE(slow.send(client_text_frame("40/events,")));
    REQUIRE(!slow.closed_within(std::chrono::milliseconds(500)));
    REQUIRE(slow.received().find("40/events,") != std::string::npos); // in the namespace
    Listener reader(server.port(), admin,
                    "--count " + std::to_string(event_count) + " --timeout 60 --transport websocket");
    REQUIRE(reader.line() == "connected websocket");
    // Its lines are read as they come: a pipe left full would stall the reader itself.
    std::string read;
    std::thread draining([&] { read = reader.rest(); });

    // 3 MB of events over about 3 s: far more than the slow client's socket and backlog hold,
    // at a pace a reading client keeps up with.
    for (int first = 1; first <= event_count; first += per_batch) {
        server.query(R"(SELECT pg_notify('slate_events', json_build_object('name', 'shot:update', 'data',
                          json_build_object('n', i, 'pad', repeat('x', 6000)))::text)
                        FROM generate_series($1::int, $2::int) i)",
                     {std::to_string(first), std::to_string(first + per_batch - 1)});
        CHECK(http_get(server.port(), "/api/data/task-status", admin).status == 200);
        std::this_thread::sleep_for(150ms);
    }
    draining.join();
    std::size_t events_read = 0;
    for (auto at = read.find("shot:update"); at != std::string::npos; at = read.find("shot:update", at + 1))
        ++events_read;
    std::string words; // what the reader said, its padding left out
    for (std::size_t at = 0; at < read.size(); ++at)
        if (read[at] != 'x')
            words += read[at];
    INFO(events_read << " events read; the reader said: " << words.substr(words.size() > 600 ? words.size() - 600 : 0));
    CHECK(read.find("done " + std::to_string(event_count)) != std::string::npos);
    // Dropped, with what its buffers held: not held in the server's memory nor waited for.
    CHECK(slow.closed_within(std::chrono::seconds(10)));
    CHECK(slow.received().size() < std::size_t(event_count) * 6000 / 2);
}

TEST_CASE("a deactivated person's stream is closed", "[api][pg][events]") {
    TestServer server;
    const std::string admin = server.login();
    const std::string artist_id = server.create_person("artist@example.com", "artistpassword", "user");
    Listener listener(server.port(), server.login("artist@example.com", "artistpassword"),
                      "--count 5 --timeout 20 --transport websocket");
    REQUIRE(listener.line() == "connected websocket");
    REQUIRE(http_call(server.port(), "PUT", "/data/persons/" + artist_id, admin, R"({"active":false})").status == 200);
    CHECK(listener.rest().find("disconnected") != std::string::npos);
}
