// tests/api/test_desktop_logins.cpp: the desktop apps' login records: written by the person
// (or an admin), read by the person and managers, the person's last presence kept, and the
// month's presence sheet as CSV.
#include <catch2/catch.hpp>

#include "support/test_server.h"

#include <Poco/JSON/Parser.h>

using namespace slate::test;

TEST_CASE("desktop login logs are written, read and summed up by month", "[api][pg][persons]") {
    TestServer server;
    const int port = server.port();
    const std::string admin = server.login();
    const std::string artist_id = server.create_person("artist@example.com", "artist-password", "user");
    server.query("UPDATE person SET first_name = 'Ada', last_name = 'Moss' WHERE id = $1::uuid RETURNING 1",
                 {artist_id});
    const std::string artist = server.login("artist@example.com", "artist-password");
    const std::string url = "/data/persons/" + artist_id + "/desktop-login-logs";

    const auto written = http_post(port, url, R"({"date":"2026-03-05T09:30:00"})", artist);
    INFO(written.body);
    REQUIRE(written.status == 201);
    CHECK(written.json()->getValue<std::string>("type") == "DesktopLoginLog");
    CHECK(written.json()->getValue<std::string>("date") == "2026-03-05T09:30:00");
    CHECK(http_post(port, url, R"({"date":"2026-03-17"})", admin).status == 201);
    CHECK(http_post(port, "/data/user/desktop-login-logs", R"({"date":"2026-04-01T08:00:00"})", artist).status == 201);
    CHECK(server.query("SELECT last_presence::text FROM person WHERE id = $1::uuid", {artist_id}) == "2026-04-01");
    CHECK(server.query("SELECT count(*) FROM api_event WHERE name = 'person:update'") == "3");

    // Newest first, for the person and managers.
    const auto listed = http_get(port, url, artist);
    REQUIRE(listed.status == 200);
    const auto logs = Poco::JSON::Parser().parse(listed.body).extract<Poco::JSON::Array::Ptr>();
    REQUIRE(logs->size() == 3);
    CHECK(logs->getObject(0)->getValue<std::string>("date") == "2026-04-01T08:00:00");
    CHECK(logs->getObject(2)->getValue<std::string>("date") == "2026-03-05T09:30:00");
    CHECK(http_get(port, "/data/user/desktop-login-logs", artist).body == listed.body);

    // The month's sheet: a column per day, an X where the person logged in.
    const auto sheet = http_get(port, "/data/persons/presence-logs/2026-03", admin);
    REQUIRE(sheet.status == 200);
    CHECK(sheet.content_type == "text/csv");
    CHECK(sheet.header("Content-Disposition") == "attachment; filename=kitsu_export.csv");
    CHECK(sheet.body.rfind("2026;1;2;3;", 0) == 0);
    CHECK(sheet.body.find(";31\r\n") != std::string::npos);
    CHECK(sheet.body.find("Ada Moss;;;;;X;;;;;;;;;;;;X;") != std::string::npos);
    CHECK(http_get(port, "/data/persons/presence-logs/2026-13", admin).json()->getValue<std::string>("message") ==
          "Invalid month or year.");

    // Refusals: bad dates, other people's logs, the sheet for non-admins, unknown persons.
    CHECK(http_post(port, url, R"({"date":"05/03/2026"})", artist).json()->getValue<std::string>("message") ==
          "Validation error.");
    CHECK(http_post(port, url, R"({"date":"2026-02-30"})", artist).status == 400);
    const std::string other = server.create_person("other@example.com", "other-password", "user");
    CHECK(http_get(port, "/data/persons/" + other + "/desktop-login-logs", artist).status == 403);
    CHECK(http_post(port, "/data/persons/" + other + "/desktop-login-logs", "{}", artist).status == 403);
    CHECK(http_get(port, "/data/persons/presence-logs/2026-03", artist).status == 403);
    CHECK(http_get(port, "/data/persons/" + std::string(36, '0') + "/desktop-login-logs", admin).status == 404);
}
