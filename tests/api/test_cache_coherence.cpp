// tests/api/test_cache_coherence.cpp: two `slate serve` processes on one database. What one
// changes (a person deactivated, a token revoked, a reference list edited, a team left), the
// other's caches drop through the change feed: the second process is the real `slate`
// binary, started on this test's database and stopped by PID.
#include <catch2/catch.hpp>

#include "support/second_process.h"
#include "support/test_server.h"

#include <chrono>
#include <thread>

using namespace slate::test;

namespace {

/// The status `path` answers on `port` once it is `expected`, or after five seconds.
int eventually_status(int port, const std::string& path, const std::string& token, int expected) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    int status = 0;
    while (std::chrono::steady_clock::now() < deadline) {
        status = http_get(port, path, token).status;
        if (status == expected)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return status;
}

} // namespace

TEST_CASE("a person deactivated or a token revoked through one process is refused by the other", "[api][pg][cache]") {
    TestServer first;
    const std::string admin = first.login();
    const std::string artist_id = first.create_person("artist@example.com", "artist-password", "user");
    const std::string artist = first.login("artist@example.com", "artist-password");
    SecondProcess second(first);

    // The second process has the artist's identity in memory after these.
    for (int i = 0; i < 3; ++i)
        REQUIRE(http_get(second.port(), "/api/data/task-status", artist).status == 200);
    const auto deactivated = http_call(first.port(), "PUT", "/data/persons/" + artist_id, admin, R"({"active":false})");
    REQUIRE(deactivated.status == 200);
    CHECK(eventually_status(second.port(), "/api/data/task-status", artist, 401) == 401);

    // A logout through the first process revokes the token in the second.
    const std::string session = first.login();
    REQUIRE(http_get(second.port(), "/api/auth/authenticated", session).status == 200);
    REQUIRE(http_get(first.port(), "/auth/logout", session).status == 200);
    const auto refused = [&] { return http_get(second.port(), "/api/auth/authenticated", session); };
    CHECK(eventually_status(second.port(), "/api/auth/authenticated", session, 401) == 401);
    CHECK(refused().body.find("revoked") != std::string::npos);
    CHECK(http_get(second.port(), "/api/auth/authenticated", admin).status == 200);
}

TEST_CASE("a reference list and a team changed through one process are seen by the other", "[api][pg][cache]") {
    TestServer first;
    const std::string admin = first.login();
    const std::string project_id = first.create_project(admin, "Coherence");
    const std::string artist_id = first.create_person("member@example.com", "member-password", "user");
    const std::string artist = first.login("member@example.com", "member-password");
    SecondProcess second(first);

    const auto statuses = [&] { return http_get(second.port(), "/api/data/task-status", admin).body; };
    const std::string before = statuses();
    REQUIRE(before.find("Coherence check") == std::string::npos);
    const auto created = http_post(first.port(), "/data/task-status",
                                   R"({"name":"Coherence check","short_name":"coh","color":"#000000"})", admin);
    REQUIRE(created.status == 201);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (statuses().find("Coherence check") == std::string::npos && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    CHECK(statuses().find("Coherence check") != std::string::npos);

    // Team membership decides project access; the second process follows the team's changes.
    const std::string project_path = "/api/data/projects/" + project_id;
    REQUIRE(http_get(second.port(), project_path, artist).status == 403);
    // Written straight into the database, as Zou or psql would: the triggers tell the feed.
    first.query("INSERT INTO project_person_link (project_id, person_id) VALUES ($1::uuid, $2::uuid)",
                {project_id, artist_id});
    CHECK(eventually_status(second.port(), project_path, artist, 200) == 200);
    first.query("DELETE FROM project_person_link WHERE project_id = $1::uuid AND person_id = $2::uuid",
                {project_id, artist_id});
    CHECK(eventually_status(second.port(), project_path, artist, 403) == 403);
}
