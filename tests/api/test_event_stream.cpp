// The event stream with real clients: Debian's python3-socketio (what gazu uses) over
// long-polling and the WebSocket upgrade, and raw sockets for what a client must not be able
// to do to the others.
#include "support/raw_client.h"
#include "support/test_server.h"

#include <catch2/catch.hpp>

#include <cstdio>
#include <memory>
#include <thread>

using namespace slate::test;
using namespace std::chrono_literals;

namespace {

/// tests/events/listen.py in a child process: its lines, read as they come.
class Listener {
public:
    Listener(int port, const std::string& token, const std::string& options) {
        const std::string command =
            "/usr/bin/python3 " SLATE_SOURCE_DIR "/tests/events/listen.py --url http://127.0.0.1:" +
            std::to_string(port) + (token.empty() ? "" : " --token " + token) + " " + options + " 2>&1";
        m_pipe = ::popen(command.c_str(), "r");
        REQUIRE(m_pipe);
    }
    ~Listener() {
        if (m_pipe) {
            rest(); // to its end: the client disconnects before it exits
            ::pclose(m_pipe);
        }
    }
    /// The next line ("" at the end of the output).
    std::string line() {
        char buffer[65536];
        if (!std::fgets(buffer, sizeof buffer, m_pipe))
            return {};
        std::string text(buffer);
        if (!text.empty() && text.back() == '\n')
            text.pop_back();
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
