// tests/api/test_persons_time.cpp: a person's time sheets, days off and the studio's time tables
// (/data/persons/...): sums across month and year boundaries (ISO weeks), who reads whose time,
// bad periods → 400; and an admin's actions on a person (departments, reset link, 2FA).
#include <catch2/catch.hpp>

#include "support/test_server.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

using namespace slate::test;

namespace {

const std::string unknown_id = "00000000-0000-0000-0000-000000000000";

Poco::JSON::Array::Ptr array_of(const HttpResponse& response) {
    INFO(response.body);
    REQUIRE(response.status == 200);
    return Poco::JSON::Parser().parse(response.body).extract<Poco::JSON::Array::Ptr>();
}

Poco::JSON::Object::Ptr object_of(const HttpResponse& response) {
    INFO(response.body);
    REQUIRE(response.status == 200);
    return response.json();
}

/// An artist with time spent around the turn of 2024/2025 on one task.
struct Sheet {
    TestServer server;
    int port = server.port();
    std::string admin = server.login();
    std::string artist_id = server.create_person("artist@example.com", "artist-password", "user");
    std::string artist = server.login("artist@example.com", "artist-password");
    std::string project = server.create_project(admin, "Turn");
    std::string shot = server.create_shot(admin, project, "SH010");
    std::string task = server.create_task(admin, project, shot);

    Sheet() {
        for (const auto& [date, minutes] : std::vector<std::pair<std::string, std::string>>{{"2024-11-30", "240"},
                                                                                            {"2024-12-01", "15"},
                                                                                            {"2024-12-30", "60"},
                                                                                            {"2024-12-31", "120"},
                                                                                            {"2025-01-01", "30"}})
            server.query("INSERT INTO time_spent (id, person_id, task_id, date, duration) VALUES (gen_random_uuid(), "
                         "$1::uuid, $2::uuid, $3::date, $4::float8) RETURNING 1",
                         {artist_id, task, date, minutes});
        server.query("INSERT INTO project_person_link (project_id, person_id) VALUES ($1::uuid, $2::uuid) RETURNING 1",
                     {project, artist_id});
    }

    double cell(const std::string& path, const std::string& unit) {
        const auto table = object_of(http_get(port, path, admin));
        INFO(path << " " << unit);
        REQUIRE(table->has(unit));
        return table->getObject(unit)->getValue<double>(artist_id);
    }
};

} // namespace

TEST_CASE("time tables sum by day, ISO week, month and year across boundaries", "[api][pg][persons]") {
    Sheet s;
    // 2024-12-30 and 31 fall in ISO week 1 (of 2025): the 2024 table counts them there.
    CHECK(s.cell("/data/persons/time-spents/week-table/2024", "1") == 180.0);
    CHECK(s.cell("/data/persons/time-spents/week-table/2024", "48") == 255.0); // Sat 30 Nov + Sun 1 Dec
    CHECK(s.cell("/data/persons/time-spents/week-table/2025", "1") == 30.0);
    CHECK(s.cell("/data/persons/time-spents/month-table/2024", "12") == 195.0);
    CHECK(s.cell("/data/persons/time-spents/month-table/2024", "11") == 240.0);
    CHECK(s.cell("/data/persons/time-spents/year-table", "2024") == 435.0);
    CHECK(s.cell("/data/persons/time-spents/year-table", "2025") == 30.0);
    CHECK(s.cell("/data/persons/time-spents/day-table/2024/12", "31") == 120.0);
    CHECK(s.cell("/data/persons/time-spents/day-table/2024/12", "1") == 15.0);
    CHECK(s.cell("/data/persons/time-spents/day-table/2024/12", "30") == 60.0);
    // The JSON as Zou writes it: floats keep their ".0".
    CHECK(http_get(s.port, "/data/persons/time-spents/year-table?project_id=" + s.project, s.admin)
              .body.find("\"" + s.artist_id + "\":435.0") != std::string::npos);
    CHECK(
        object_of(http_get(s.port, "/data/persons/time-spents/year-table?project_id=" + unknown_id, s.admin))->size() ==
        0);

    CHECK(http_get(s.port, "/data/persons/time-spents/day-table/2024/13", s.admin).status == 400);
    CHECK(http_get(s.port, "/data/persons/time-spents/day-table/2024/13", s.admin)
              .json()
              ->getValue<std::string>("message") == "Invalid month or year.");
    CHECK(http_get(s.port, "/data/persons/time-spents/month-table/20x4", s.admin).status == 400);
    CHECK(http_get(s.port, "/data/persons/time-spents/week-table/2024", "").status == 401);
}

TEST_CASE("an artist's tables hold only their own time, a supervisor's their productions'", "[api][pg][persons]") {
    Sheet s;
    const std::string other = s.server.create_person("other@example.com", "other-password", "user");
    s.server.query("INSERT INTO time_spent (id, person_id, task_id, date, duration) VALUES (gen_random_uuid(), "
                   "$1::uuid, $2::uuid, '2024-12-30', 45) RETURNING 1",
                   {other, s.task});
    const auto mine = object_of(http_get(s.port, "/data/persons/time-spents/week-table/2024", s.artist));
    CHECK(mine->getObject("1")->size() == 1);
    CHECK(object_of(http_get(s.port, "/data/persons/time-spents/week-table/2024", s.admin))->getObject("1")->size() ==
          2);
    s.server.create_person("super@example.com", "super-password", "supervisor");
    const std::string supervisor = s.server.login("super@example.com", "super-password");
    // Not in the production's team: nothing.
    CHECK(object_of(http_get(s.port, "/data/persons/time-spents/week-table/2024", supervisor))->size() == 0);
    CHECK(http_get(s.port, "/data/persons/time-spents/week-table/2024?project_id=" + s.project, supervisor).status ==
          403);
}

TEST_CASE("a person's time per task over a year, month, week and day", "[api][pg][persons]") {
    Sheet s;
    const std::string base = "/data/persons/" + s.artist_id + "/time-spents";
    auto week = array_of(http_get(s.port, base + "/week/2025/1", s.admin));
    REQUIRE(week->size() == 1);
    const auto row = week->getObject(0);
    CHECK(row->getValue<std::string>("task_id") == s.task);
    CHECK(row->getValue<std::string>("project_id") == s.project);
    CHECK(row->getValue<std::string>("project_name") == "Turn");
    CHECK(row->getValue<std::string>("entity_name") == "SH010");
    CHECK(row->getValue<std::string>("entity_type_name") == "Shot");
    CHECK(row->isNull("sequence_name"));
    CHECK(row->isNull("episode_name"));
    CHECK(row->getValue<double>("duration") == 210.0); // Mon 30 Dec 2024 .. Sun 5 Jan 2025
    CHECK(array_of(http_get(s.port, base + "/year/2024", s.artist))->getObject(0)->getValue<double>("duration") ==
          435.0);
    CHECK(array_of(http_get(s.port, base + "/month/2024/12", s.artist))->getObject(0)->getValue<double>("duration") ==
          195.0);
    CHECK(array_of(http_get(s.port, base + "/day/2024/12/31", s.artist))->getObject(0)->getValue<double>("duration") ==
          120.0);
    CHECK(array_of(http_get(s.port, base + "/month/all/2024/12", s.artist))->size() == 3);
    CHECK(array_of(http_get(s.port, base + "/2024-12-31", s.artist))->getObject(0)->getValue<std::string>("type") ==
          "TimeSpent");
    CHECK(array_of(http_get(s.port, base + "/by-date?date=2024-12-31", s.artist))->size() == 1);
    CHECK(array_of(http_get(s.port, base + "/week/2020/53", s.admin))->size() == 0); // 2020 has a week 53

    // Bad periods: 400, with the message of each of Zou's resources.
    const auto message = [&](const std::string& path) {
        const auto answer = http_get(s.port, base + path, s.admin);
        INFO(path << " " << answer.body);
        CHECK(answer.status == 400);
        return answer.json()->getValue<std::string>("message");
    };
    CHECK(message("/month/2024/13") == "Invalid date format.");
    CHECK(message("/year/0") == "Invalid date format.");
    CHECK(message("/week/2024/54") == "Invalid month or year.");
    CHECK(message("/week/2024/53") == "Invalid month or year."); // 2024 has 52 ISO weeks
    CHECK(message("/day/2024/02/30") == "Invalid month or year.");
    CHECK(message("/2024-13-01") == "Invalid month or year.");
    CHECK(message("/month/all/2024/0") == "Invalid month or year.");

    // Who reads whose: an artist not another's; admins all; the full list is for admins only.
    const std::string other = s.server.create_person("other@example.com", "other-password", "user");
    const std::string theirs = "/data/persons/" + other + "/time-spents";
    CHECK(http_get(s.port, theirs + "/year/2024", s.artist).status == 403);
    CHECK(http_get(s.port, theirs + "/2024-12-31", s.artist).status == 403);
    CHECK(http_get(s.port, theirs + "/month/all/2024/12", s.artist).status == 403);
    CHECK(http_get(s.port, base, s.artist).status == 403);
    CHECK(array_of(http_get(s.port, base + "?start_date=2024-12-01&end_date=2024-12-31", s.admin))->size() == 3);
    CHECK(http_get(s.port, base + "?start_date=2024-12-01", s.admin).status == 400);
    CHECK(http_get(s.port, "/data/persons/" + unknown_id + "/time-spents/year/2024", s.admin).status == 404);
    // A manager sees the person's time on the productions of their team only.
    s.server.create_person("manager@example.com", "manager-password", "manager");
    const std::string manager = s.server.login("manager@example.com", "manager-password");
    CHECK(array_of(http_get(s.port, base + "/year/2024", manager))->size() == 0);
    CHECK(http_get(s.port, base + "/year/2024?project_id=" + s.project, manager).status == 403);
}

TEST_CASE("days off overlapping a week, month or year", "[api][pg][persons]") {
    Sheet s;
    s.server.query("INSERT INTO day_off (id, person_id, date, end_date, description) VALUES (gen_random_uuid(), "
                   "$1::uuid, '2024-12-30', '2025-01-02', 'winter') RETURNING 1",
                   {s.artist_id});
    const std::string base = "/data/persons/" + s.artist_id + "/day-offs";
    CHECK(array_of(http_get(s.port, base, s.artist))->size() == 1);
    CHECK(array_of(http_get(s.port, base + "/year/2024", s.artist))->size() == 1);
    CHECK(array_of(http_get(s.port, base + "/year/2025", s.artist))->size() == 1);
    CHECK(array_of(http_get(s.port, base + "/year/2023", s.artist))->size() == 0);
    CHECK(array_of(http_get(s.port, base + "/month/2024/11", s.artist))->size() == 0);
    CHECK(array_of(http_get(s.port, base + "/month/2025/1", s.artist))->size() == 1);
    CHECK(array_of(http_get(s.port, base + "/week/2025/1", s.artist))->size() == 1);
    CHECK(array_of(http_get(s.port, base + "/week/2024/52", s.artist))->size() == 0); // ends Sun 29 Dec
    const auto day = object_of(http_get(s.port, base + "/2025-01-01", s.artist));
    CHECK(day->getValue<std::string>("type") == "DayOff");
    CHECK(day->getValue<std::string>("date") == "2024-12-30");
    CHECK(object_of(http_get(s.port, base + "/2025-01-03", s.artist))->size() == 0);
    CHECK(http_get(s.port, base + "/2025-01-32", s.artist).status == 400);
    CHECK(http_get(s.port, base + "/week/2025/0", s.artist).status == 400);
    // Another person's days off: admins only; the month of everyone for admins, one's own else.
    const std::string other = s.server.create_person("other@example.com", "other-password", "user");
    s.server.query("INSERT INTO day_off (id, person_id, date, end_date) VALUES (gen_random_uuid(), $1::uuid, "
                   "'2025-01-10', '2025-01-10') RETURNING 1",
                   {other});
    CHECK(http_get(s.port, "/data/persons/" + other + "/day-offs", s.artist).status == 403);
    CHECK(array_of(http_get(s.port, "/data/persons/day-offs/2025/1", s.admin))->size() == 2);
    CHECK(array_of(http_get(s.port, "/data/persons/day-offs/2025/1", s.artist))->size() == 1);
    CHECK(http_get(s.port, "/data/persons/day-offs/2025/13", s.admin).status == 400);
}

TEST_CASE("admins add and remove departments, make reset links and turn 2FA off", "[api][pg][persons]") {
    Sheet s;
    const std::string department = s.server.query(
        "INSERT INTO department (id, name, color) VALUES (gen_random_uuid(), 'Anim', '#000') RETURNING id");
    const std::string actions = "/actions/persons/" + s.artist_id;
    auto added =
        http_post(s.port, actions + "/departments/add", R"({"department_id":")" + department + R"("})", s.admin);
    INFO(added.body);
    REQUIRE(added.status == 201);
    CHECK(added.json()->getArray("departments")->getElement<std::string>(0) == department);
    CHECK(http_post(s.port, actions + "/departments/add", R"({"department_id":")" + unknown_id + R"("})", s.admin)
              .json()
              ->getValue<std::string>("message") == "Department ID matches no department");
    CHECK(http_post(s.port, actions + "/departments/add", R"({"department_id":"nope"})", s.admin).status == 400);
    CHECK(http_post(s.port, actions + "/departments/add", R"({"department_id":")" + department + R"("})", s.artist)
              .status == 403);
    CHECK(http_call(s.port, "DELETE", actions + "/departments/" + department, s.admin).status == 204);
    CHECK(s.server.query("SELECT count(*) FROM department_link WHERE person_id = $1::uuid", {s.artist_id}) == "0");
    CHECK(http_call(s.port, "DELETE", actions + "/departments/" + unknown_id, s.admin).status == 400);

    const auto link = object_of(http_post(s.port, actions + "/reset-password-link", "", s.admin));
    const std::string url = link->getValue<std::string>("reset_password_link");
    CHECK(url.find("/reset-change-password?email=artist%40example.com&token=") != std::string::npos);
    // A live token is reused, so a link shared before stays good.
    CHECK(object_of(http_post(s.port, actions + "/reset-password-link", "", s.admin))
              ->getValue<std::string>("reset_password_link") == url);
    const std::string other_admin = s.server.create_person("admin2@example.com", "admin2-password", "admin");
    const auto refused = http_post(s.port, "/actions/persons/" + other_admin + "/reset-password-link", "", s.admin);
    CHECK(refused.status == 400);
    CHECK(refused.json()->getValue<std::string>("message") == "An admin can't change another admin's password.");

    const auto not_on = http_call(s.port, "DELETE", actions + "/disable-two-factor-authentication", s.admin);
    CHECK(not_on.status == 400);
    CHECK(not_on.json()->getValue<std::string>("message") == "Two factor authentication not enabled for this user.");
    s.server.query("UPDATE person SET totp_enabled = true, totp_secret = 'ABC' WHERE id = $1::uuid RETURNING 1",
                   {s.artist_id});
    const auto disabled = http_call(s.port, "DELETE", actions + "/disable-two-factor-authentication", s.admin);
    INFO(disabled.body);
    CHECK(disabled.status == 200);
    CHECK(s.server.query("SELECT totp_enabled::text || coalesce(totp_secret, 'null') FROM person WHERE id = $1::uuid",
                         {s.artist_id}) == "falsenull");
    CHECK(s.server.mail().wait_for(1));
    CHECK(http_call(s.port, "DELETE", "/actions/persons/" + other_admin + "/disable-two-factor-authentication", s.admin)
              .json()
              ->getValue<std::string>("message") == "An admin can't disable 2FA for other admins.");
}
