// tests/api/test_projects_quotas.cpp: a production's episode stats and retake stats, its
// quotas per task type and per person, and a person's quota shots per day, week and month.
// The expected numbers are worked out by hand from Zou 1.0.67's stats_service and
// shots_service (get_weighted_quotas, get_raw_quotas, *_quota_shots_between) on small data.
#include <catch2/catch.hpp>

#include "api/projects_fixture.h"

using namespace slate::test;

namespace {

/// A shot of the production with its frame count, an Animation task of it and its dates.
struct QuotaData {
    ProductionFixture& f;
    std::string artist = f.person("user");
    std::string other = f.person("supervisor");
    std::string animation = f.server.query("SELECT id FROM task_type WHERE name = 'Animation' AND for_entity = 'Shot'");

    std::string shot_task(const std::string& name, int frames, const std::string& sets) {
        const std::string shot = f.server.create_shot(f.admin, f.project, name);
        f.server.query("UPDATE entity SET nb_frames = $2::integer WHERE id = $1::uuid", {shot, std::to_string(frames)});
        const std::string task = f.server.create_task(f.admin, f.project, shot);
        f.server.query("UPDATE task SET " + sets + " WHERE id = $1::uuid", {task});
        f.server.query("INSERT INTO task_person_link (task_id, person_id) VALUES ($1::uuid, $2::uuid)", {task, artist});
        return task;
    }
    void time_spent(const std::string& task, const std::string& person, const std::string& day, int duration) {
        f.server.query("INSERT INTO time_spent (id, task_id, person_id, date, duration, created_at, updated_at) "
                       "VALUES (gen_random_uuid(), $1::uuid, $2::uuid, $3::date, $4::float, now(), now())",
                       {task, person, day, std::to_string(duration)});
    }
};

/// The quota data of the tests below, the times in UTC and read in Europe/Paris:
/// - SH01, 100 frames, 10 drawings, fed back 2024-06-12 10:00; time spents: the artist 120 on
///   06-10, the supervisor 360 on 06-11 (task duration 480).
/// - SH02, 50 frames, started Monday 06-10 09:00, fed back Wednesday 06-12 10:00, no time spent.
/// - SH03, 10 frames, fed back 06-12 23:30 UTC (06-13 in Paris), never started.
/// All three assigned to the artist.
void fill(QuotaData& data) {
    data.f.server.query("UPDATE person SET timezone = 'Europe/Paris' WHERE role = 'admin'");
    const std::string sh01 =
        data.shot_task("SH01", 100, "nb_drawings = 10, duration = 480, end_date = '2024-06-12 10:00:00'");
    data.time_spent(sh01, data.artist, "2024-06-10", 120);
    data.time_spent(sh01, data.other, "2024-06-11", 360);
    data.shot_task("SH02", 50, "real_start_date = '2024-06-10 09:00:00', end_date = '2024-06-12 10:00:00'");
    data.shot_task("SH03", 10, "end_date = '2024-06-12 23:30:00'");
}

Poco::JSON::Object::Ptr period(const Poco::JSON::Object::Ptr& quotas, const std::string& entry,
                               const std::string& name) {
    REQUIRE(quotas->has(entry));
    return quotas->getObject(entry)->getObject(name);
}

/// JSON text as Poco writes it back (keys sorted), to compare with what Poco read.
std::string normal(const std::string& json) {
    Poco::JSON::Parser parser;
    std::ostringstream out;
    parser.parse(json).extract<Poco::JSON::Object::Ptr>()->stringify(out);
    return out.str();
}

std::string text(const Poco::JSON::Object::Ptr& object, const std::string& key) {
    std::ostringstream out;
    object->getObject(key)->stringify(out);
    return out.str();
}

} // namespace

TEST_CASE("raw quotas put each shot on its feedback day", "[api][pg][projects][quotas]") {
    ProductionFixture f;
    QuotaData data{f};
    fill(data);
    const std::string path = "/data/projects/" + f.project + "/quotas/" + data.animation + "?count_mode=feedback";
    const auto answer = http_get(f.port, path, f.admin);
    REQUIRE(answer.status == 200);
    const auto quotas = answer.json();
    // Seconds are floats, as Python divides: 150 / 25 is 6.0, 10 / 25 is 0.4.
    CHECK(answer.body.find(R"("seconds":{"2024-06-12":6.0,"2024-06-13":0.4})") != std::string::npos);
    for (const std::string& entry : {data.artist, std::string("total")}) {
        const auto day = period(quotas, entry, "day");
        CHECK(text(day, "frames") == R"({"2024-06-12":150,"2024-06-13":10})");
        CHECK(text(day, "count") == R"({"2024-06-12":2,"2024-06-13":1})");
        CHECK(text(day, "drawings") == R"({"2024-06-12":10,"2024-06-13":0})");
        CHECK(text(day, "entries") == R"({"2024-06":2})");
        const auto week = period(quotas, entry, "week");
        CHECK(text(week, "frames") == R"({"2024-24":160})");
        CHECK(text(week, "entries") == R"({"2024":1})");
        CHECK(text(period(quotas, entry, "month"), "count") == R"({"2024-06":3})");
        CHECK(text(period(quotas, entry, "year"), "frames") == R"({"2024":160})");
        CHECK_FALSE(period(quotas, entry, "year")->has("entries"));
    }
    CHECK(quotas->size() == 2);
    // Nothing is approved yet.
    CHECK(http_get(f.port, "/data/projects/" + f.project + "/quotas/" + data.animation + "?count_mode=done", f.admin)
              .body == "{}");
}

TEST_CASE("weighted quotas follow time spents, else spread the task", "[api][pg][projects][quotas]") {
    ProductionFixture f;
    QuotaData data{f};
    fill(data);
    const auto answer = http_get(f.port, "/data/projects/" + f.project + "/quotas/" + data.animation, f.admin);
    const auto quotas = answer.json();
    // SH01: 120/480 of 100 frames is 25 for the artist on 06-10, 75 for the supervisor on
    // 06-11; drawings round(2.5) = 2 and round(7.5) = 8, halves to even. SH02: 2 business days
    // after its start, + 1 = 3, so round(50 / 3) = 17 frames on each weekday of the 3 days from
    // its feedback day on (06-12, 06-13, 06-14). SH03 never started: not counted.
    const auto artist_day = period(quotas, data.artist, "day");
    CHECK(text(artist_day, "frames") == R"({"2024-06-10":25,"2024-06-12":17,"2024-06-13":17,"2024-06-14":17})");
    CHECK(answer.body.find(R"("seconds":{"2024-06-10":1.0,"2024-06-12":0.68,"2024-06-13":0.68,"2024-06-14":0.68})") !=
          std::string::npos);
    CHECK(text(artist_day, "drawings") == R"({"2024-06-10":2,"2024-06-12":0,"2024-06-13":0,"2024-06-14":0})");
    CHECK(text(artist_day, "entries") == R"({"2024-06":4})");
    CHECK(text(period(quotas, data.artist, "week"), "frames") == R"({"2024-24":76})");
    CHECK(period(quotas, data.artist, "week")->getObject("seconds")->getValue<double>("2024-24") == Approx(3.04));
    const auto other_day = period(quotas, data.other, "day");
    CHECK(text(other_day, "frames") == R"({"2024-06-11":75})");
    CHECK(answer.body.find(R"("seconds":{"2024-06-11":3.0})") != std::string::npos);
    CHECK(text(other_day, "drawings") == R"({"2024-06-11":8})");
    CHECK(text(period(quotas, "total", "month"), "frames") == R"({"2024-06":151})");
    CHECK(text(period(quotas, "total", "month"), "count") == R"({"2024-06":5})");
    CHECK(text(period(quotas, "total", "day"), "entries") == R"({"2024-06":5})");

    // One person's quotas are keyed by task type: only their time spents count (Zou filters
    // the spread tasks on a null task type there).
    const auto mine =
        http_get(f.port, "/data/projects/" + f.project + "/quotas/persons/" + data.artist, f.admin).json();
    CHECK(text(period(mine, data.animation, "day"), "frames") == R"({"2024-06-10":25})");
    CHECK(text(period(mine, "total", "year"), "count") == R"({"2024":1})");
    const auto raw_mine = http_get(
        f.port, "/data/projects/" + f.project + "/quotas/persons/" + data.artist + "?count_mode=feedback", f.admin);
    CHECK(text(period(raw_mine.json(), data.animation, "day"), "frames") == R"({"2024-06-12":150,"2024-06-13":10})");
}

TEST_CASE("quota routes check who asks and what is asked", "[api][pg][projects][quotas]") {
    ProductionFixture f;
    QuotaData data{f};
    fill(data);
    const std::string quotas = "/data/projects/" + f.project + "/quotas/";
    const auto bad_mode = http_get(f.port, quotas + data.animation + "?count_mode=all", f.admin);
    CHECK(bad_mode.status == 400);
    CHECK(message_of(bad_mode) == "count_mode must be equal to weighted, weigtheddone, feedback, or done");
    CHECK(http_get(f.port, quotas + "not-a-uuid", f.admin).status == 400);
    CHECK(http_get(f.port, "/data/projects/1a2b3c4d-0000-4000-8000-000000000000/quotas/" + data.animation, f.admin)
              .status == 404);
    // An artist off the team sees nothing; on it, only their own quotas.
    const std::string artist = f.token("user");
    CHECK(http_get(f.port, quotas + data.animation, artist).status == 403);
    f.join("user");
    CHECK(http_get(f.port, quotas + data.animation, artist).status == 200);
    CHECK(http_get(f.port, quotas + "persons/" + data.artist, artist).status == 200);
    CHECK(http_get(f.port, quotas + "persons/" + data.other, artist).status == 403);
    // A manager demoted to artist on the production is an artist there.
    f.join("manager", "user");
    CHECK(http_get(f.port, quotas + "persons/" + data.artist, f.token("manager")).status == 403);
}

TEST_CASE("a person's quota shots are those of the period asked", "[api][pg][projects][quotas]") {
    ProductionFixture f;
    QuotaData data{f};
    fill(data);
    const std::string base = "/data/persons/" + data.artist + "/quota-shots";
    const std::string scope = "?project_id=" + f.project + "&task_type_id=" + data.animation;
    auto names = [&](const std::string& path) {
        const auto answer = http_get(f.port, path, f.admin);
        INFO(path << " " << answer.body);
        REQUIRE(answer.status == 200);
        std::string listed;
        const auto shots = json_array(answer);
        for (unsigned index = 0; index < shots->size(); ++index) {
            const auto shot = shots->getObject(index);
            CHECK(shot->getValue<std::string>("type") == "Entity");
            listed += shot->getValue<std::string>("full_name") + "=" + shot->get("weight").toString() + " ";
        }
        return listed;
    };
    // Raw: the whole shot on its (Paris) feedback day.
    CHECK(names(base + "/day/2024/06/12" + scope + "&count_mode=feedback") == "SH01=1 SH02=1 ");
    CHECK(names(base + "/day/2024/06/13" + scope + "&count_mode=feedback") == "SH03=1 ");
    CHECK(names(base + "/day/2024/06/11" + scope + "&count_mode=feedback").empty());
    CHECK(names(base + "/week/2024/24" + scope + "&count_mode=feedback") == "SH01=1 SH02=1 SH03=1 ");
    CHECK(names(base + "/week/2024/23" + scope + "&count_mode=feedback").empty());
    // Weighted: SH01 by its time spent's share, round(120 / 480, 2); SH02 by its business days
    // inside the month, 3 of 3.
    CHECK(names(base + "/month/2024/06" + scope) == "SH01=0.25 SH02=1 ");
    CHECK(http_get(f.port, base + "/month/2024/06" + scope, f.admin).body.find(R"("weight":1.0)") != std::string::npos);
    CHECK(names(base + "/month/2024/05" + scope).empty());
    // Without a production and task type Zou's filters match nothing.
    CHECK(names(base + "/month/2024/06").empty());

    const auto bad_month = http_get(f.port, base + "/month/2024/13" + scope, f.admin);
    CHECK(bad_month.status == 400);
    CHECK(message_of(bad_month) == "Invalid month or year.");
    CHECK(http_get(f.port, base + "/week/2023/53" + scope, f.admin).status == 400); // 2023 has 52 weeks
    CHECK(http_get(f.port, base + "/week/2020/53" + scope, f.admin).status == 200);
    CHECK(http_get(f.port, base + "/day/2024/02/30" + scope, f.admin).status == 400);
    CHECK(message_of(http_get(f.port, base + "/day/2024/06/12" + scope + "&count_mode=x", f.admin)) ==
          "count_mode must be equal to weighted, weighteddone, feedback, or done");
    CHECK(http_get(f.port, "/data/persons/1a2b3c4d-0000-4000-8000-000000000000/quota-shots/month/2024/06", f.admin)
              .status == 404);
    // The person themself may read theirs; another artist may not.
    CHECK(http_get(f.port, base + "/month/2024/06" + scope, f.token("user")).status == 200);
    CHECK(http_get(f.port, "/data/persons/" + data.other + "/quota-shots/month/2024/06", f.token("user")).status ==
          403);
}

TEST_CASE("episode stats count tasks and retakes per episode", "[api][pg][projects][stats]") {
    ProductionFixture f;
    auto type_of = [&](const std::string& name) {
        return f.server.query("SELECT id FROM entity_type WHERE name = $1", {name});
    };
    auto entity = [&](const std::string& name, const std::string& type, const std::string& parent, int frames) {
        return f.server.query(
            "INSERT INTO entity (id, name, project_id, entity_type_id, parent_id, nb_frames, is_shared, status, "
            "created_at, updated_at) VALUES (gen_random_uuid(), $1, $2::uuid, $3::uuid, NULLIF($4, '')::uuid, "
            "$5::integer, false, 'running', now(), now()) "
            "RETURNING id",
            {name, f.project, type_of(type), parent, std::to_string(frames)});
    };
    auto status = [&](const std::string& short_name) {
        return f.server.query("SELECT id FROM task_status WHERE short_name = $1", {short_name});
    };
    auto task = [&](const std::string& shot, const std::string& type, const std::string& task_status, int retakes,
                    int drawings) {
        return f.server.query(
            "INSERT INTO task (id, name, project_id, entity_id, task_type_id, task_status_id, retake_count, "
            "nb_drawings, difficulty, created_at, updated_at) VALUES (gen_random_uuid(), 'main', $1::uuid, $2::uuid, "
            "(SELECT id FROM task_type WHERE name = $3 AND for_entity = 'Shot'), $4::uuid, $5::integer, "
            "$6::integer, 3, now(), now()) RETURNING id",
            {f.project, shot, type, task_status, std::to_string(retakes), std::to_string(drawings)});
    };
    const std::string episode = entity("E01", "Episode", "", 0);
    const std::string sequence = entity("SQ01", "Sequence", episode, 0);
    const std::string sh10 = entity("SH10", "Shot", sequence, 10);
    const std::string sh11 = entity("SH11", "Shot", sequence, 20);
    const std::string wip = status("wip"), done = status("done"), retake = status("retake");
    task(sh10, "Animation", wip, 2, 3);
    task(sh10, "Layout", done, 0, 0);
    const std::string vendor_task = task(sh11, "Animation", retake, 1, 0);
    const std::string animation = f.server.query("SELECT id FROM task_type WHERE name = 'Animation'");
    const std::string layout = f.server.query("SELECT id FROM task_type WHERE name = 'Layout'");
    REQUIRE(!done.empty());

    const auto stats = http_get(f.port, "/data/projects/" + f.project + "/episodes/stats", f.admin).json();
    auto entry = [](const std::string& name, const std::string& color, int count, int frames, int drawings) {
        return normal(R"({"name":")" + name + R"(","color":")" + color + R"(","count":)" + std::to_string(count) +
                      R"(,"frames":)" + std::to_string(frames) + R"(,"drawings":)" + std::to_string(drawings) + "}");
    };
    auto status_entry = [&](const std::string& level1, const std::string& level2, const std::string& id) {
        std::ostringstream out;
        stats->getObject(level1)->getObject(level2)->getObject(id)->stringify(out);
        return out.str();
    };
    const std::string wip_color = f.server.query("SELECT color FROM task_status WHERE short_name = 'wip'");
    const std::string retake_color = f.server.query("SELECT color FROM task_status WHERE short_name = 'retake'");
    const std::string done_color = f.server.query("SELECT color FROM task_status WHERE short_name = 'done'");
    for (const std::string& level1 : {episode, std::string("all")}) {
        CHECK(status_entry(level1, animation, wip) == entry("wip", wip_color, 1, 10, 3));
        CHECK(status_entry(level1, animation, retake) == entry("retake", retake_color, 1, 20, 0));
        CHECK(status_entry(level1, layout, done) == entry("done", done_color, 1, 10, 0));
        CHECK(status_entry(level1, "all", wip) == entry("wip", wip_color, 1, 10, 3));
        CHECK(stats->getObject(level1)->getObject("all")->size() == 3);
    }
    CHECK(stats->size() == 2);

    const auto retake_answer = http_get(f.port, "/data/projects/" + f.project + "/episodes/retake-stats", f.admin);
    const auto retakes = retake_answer.json();
    auto text_of = [&](const std::string& level1, const std::string& level2) {
        std::ostringstream out;
        retakes->getObject(level1)->getObject(level2)->stringify(out);
        return out.str();
    };
    const std::string none = R"({"count":0,"frames":0,"drawings":0})";
    CHECK(text_of("all", "all") ==
          normal(R"({"max_retake_count":2,"evolution":{},"done":{"count":1,"frames":10,"drawings":0},)"
                 R"("retake":{"count":1,"frames":20,"drawings":0},)"
                 R"("other":{"count":1,"frames":10,"drawings":3}})"));
    CHECK(text_of("all", layout) ==
          normal(R"({"max_retake_count":0,"evolution":{},"done":{"count":1,"frames":10,"drawings":0},"retake":)" +
                 none + R"(,"other":)" + none + "}"));
    // Take 1: both Animation tasks were retakes, the Layout one done; take 2: SH10's
    // Animation still a retake, SH11's (one retake, not done) other, Layout done.
    CHECK(text_of(episode, "all") ==
          normal(R"({"max_retake_count":2,"evolution":{"1":{"done":{"count":1,"frames":10,"drawings":0},)"
                 R"("retake":{"count":2,"frames":30,"drawings":3},"other":)" +
                 none +
                 R"(},"2":{"done":{"count":1,"frames":10,"drawings":0},"retake":{"count":1,"frames":10,"drawings":3},)"
                 R"("other":{"count":1,"frames":20,"drawings":0}}},"done":{"count":1,"frames":10,"drawings":0},)"
                 R"("retake":{"count":1,"frames":20,"drawings":0},"other":{"count":1,"frames":10,"drawings":3}})"));
    CHECK(retake_answer.body.find(R"(")" + layout + R"(":{"max_retake_count":0,"evolution":{})") != std::string::npos);
    CHECK(retake_answer.body.find(R"(")" + animation + R"(":{"max_retake_count":2,"evolution":{"1":{"done":)" + none +
                                  R"(,"retake":{"count":2,"frames":30,"drawings":3},"other":)" + none +
                                  R"(},"2":{"done":)" + none +
                                  R"(,"retake":{"count":1,"frames":10,"drawings":3},)"
                                  R"("other":{"count":1,"frames":20,"drawings":0}}})") != std::string::npos);

    // A vendor counts only what is assigned to them; an artist off the team is refused.
    f.join("vendor");
    f.server.query("INSERT INTO task_person_link (task_id, person_id) VALUES ($1::uuid, $2::uuid)",
                   {vendor_task, f.person("vendor")});
    const auto vendor_stats =
        http_get(f.port, "/data/projects/" + f.project + "/episodes/stats", f.token("vendor")).json();
    CHECK(vendor_stats->getObject("all")->getObject("all")->size() == 1);
    CHECK(http_get(f.port, "/data/projects/" + f.project + "/episodes/retake-stats", f.token("user")).status == 403);
    CHECK(http_get(f.port, "/data/projects/1a2b3c4d-0000-4000-8000-000000000000/episodes/stats", f.admin).status ==
          404);
}
