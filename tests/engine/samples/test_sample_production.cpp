// tests/engine/samples/test_sample_production.cpp: `slate sample-production`: the small
// production loads with the counts of its size, the same names for the same seed, refuses a
// second load of a seed, and the API then serves it.
#include <catch2/catch.hpp>

#include "support/test_database.h"
#include "support/test_server.h"

#include "engine/config.h"
#include "engine/db/connection.h"
#include "engine/db/copy_in.h"
#include "engine/db/pool.h"
#include "engine/error.h"
#include "engine/samples/sample_production.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

using namespace slate;
using namespace slate::test;
using slate::engine::samples::load_sample_production;
using slate::engine::samples::sample_size;

namespace {

engine::samples::SampleOptions small(uint64_t seed) {
    engine::samples::SampleOptions options;
    options.size = sample_size("small");
    options.seed = seed;
    return options;
}

engine::Config fast_config() {
    engine::Config config;
    config.bcrypt_rounds = 4;
    return config;
}

long long count(engine::db::Connection& c, const std::string& sql, const std::string& project_id) {
    return std::stoll(std::string(c.exec(sql, {project_id}).get(0, 0)));
}

/// Every name the production shows, in one text.
std::string all_names(engine::db::Connection& c, const std::string& project_id) {
    return std::string(c.exec(R"(
        SELECT p.name || '|' ||
          (SELECT string_agg(e.name || '/' || coalesce(e.description, ''), ',' ORDER BY e.id) FROM entity e
            WHERE e.project_id = p.id) || '|' ||
          (SELECT string_agg(t.name || '/' || s.short_name, ',' ORDER BY t.id) FROM task t
            JOIN task_status s ON s.id = t.task_status_id WHERE t.project_id = p.id) || '|' ||
          (SELECT string_agg(x.first_name || ' ' || x.last_name || ' ' || x.email, ',' ORDER BY x.id) FROM person x
            JOIN project_person_link l ON l.person_id = x.id WHERE l.project_id = p.id) || '|' ||
          (SELECT md5(string_agg(m.text || m.task_status_id::text, ',' ORDER BY m.id)) FROM comment m
            JOIN task t ON t.id = m.object_id WHERE t.project_id = p.id) || '|' ||
          (SELECT md5(string_agg(n.type || n.person_id::text || n.read::text || n.created_at::text, ','
                                 ORDER BY n.id)) FROM notification n
            JOIN task t ON t.id = n.task_id WHERE t.project_id = p.id) || '|' ||
          (SELECT md5(string_agg(e.name || e.data::text, ',' ORDER BY e.id)) FROM api_event e
            WHERE e.project_id = p.id)
        FROM project p WHERE p.id = $1::uuid)",
                              {project_id})
                           .get(0, 0));
}

} // namespace

TEST_CASE("COPY writes rows, escapes text and refuses bad rows", "[engine][pg][samples]") {
    engine::db::Connection c(fresh_database());
    c.exec("CREATE TABLE copy_probe (id int PRIMARY KEY, label text)");
    {
        engine::db::CopyIn copy(c, "copy_probe", {"id", "label"});
        CHECK_THROWS(copy.field(3LL).end_row()); // too few fields: abandoned, nothing written
    }
    {
        engine::db::CopyIn copy(c, "copy_probe", {"id", "label"});
        copy.field(1LL).field("one").end_row();
        copy.field(1LL).field("the same id").end_row();
        CHECK_THROWS_AS(copy.finish(), slate::engine::db::DbError); // the server refuses the rows
    }
    CHECK(c.exec("SELECT count(*) FROM copy_probe").get(0, 0) == "0");
    {
        engine::db::CopyIn copy(c, "copy_probe", {"id", "label"});
        copy.field(1LL).field("tab\there, back\\slash\nnew line").end_row();
        copy.field(2LL).null().end_row();
        copy.finish();
        CHECK(copy.rows() == 2);
    }
    CHECK(c.exec("SELECT label FROM copy_probe WHERE id = 1").get(0, 0) == "tab\there, back\\slash\nnew line");
    CHECK(c.exec("SELECT label IS NULL AS n FROM copy_probe WHERE id = 2").get_bool(0, "n"));
    // Abandoned: nothing written, and the connection still answers.
    { engine::db::CopyIn copy(c, "copy_probe", {"id", "label"}); copy.field(5LL).field("x").end_row(); }
    CHECK(c.exec("SELECT count(*) FROM copy_probe").get(0, 0) == "2");
}

TEST_CASE("the small sample production: counts of its size, same names for the same seed", "[engine][pg][samples]") {
    const engine::Config config = fast_config();
    engine::db::Connection first(fresh_database());
    engine::db::Connection second(fresh_database());
    const auto a = load_sample_production(first, config, small(7));
    const auto b = load_sample_production(second, config, small(7));
    const auto size = sample_size("small");
    REQUIRE(a.project_id == b.project_id);
    const std::string& p = a.project_id;
    auto entities = [&](const char* type) {
        return count(first,
                     std::string("SELECT count(*) FROM entity e JOIN entity_type t ON t.id = e.entity_type_id "
                                 "WHERE e.project_id = $1::uuid AND t.name = '") + type + "'",
                     p);
    };
    CHECK(entities("Episode") == size.episodes);
    CHECK(entities("Sequence") == size.sequences);
    CHECK(entities("Shot") == size.shots);
    CHECK(count(first, "SELECT count(*) FROM entity e JOIN project_asset_type_link l ON l.asset_type_id = "
                       "e.entity_type_id AND l.project_id = e.project_id WHERE e.project_id = $1::uuid", p) ==
          size.assets);
    CHECK(count(first, "SELECT count(DISTINCT entity_type_id) FROM entity WHERE project_id = $1::uuid", p) == 3 + 8);
    CHECK(count(first, "SELECT count(*) FROM task WHERE project_id = $1::uuid", p) == size.tasks);
    CHECK(count(first, "SELECT count(DISTINCT task_type_id) FROM task WHERE project_id = $1::uuid", p) == 12);
    CHECK(count(first, "SELECT count(*) FROM comment m JOIN task t ON t.id = m.object_id WHERE t.project_id = "
                       "$1::uuid", p) == size.comments);
    CHECK(count(first, "SELECT count(*) FROM project_person_link WHERE project_id = $1::uuid", p) == size.persons);
    CHECK(count(first, "SELECT count(DISTINCT d.department_id) FROM department_link d JOIN project_person_link l "
                       "ON l.person_id = d.person_id WHERE l.project_id = $1::uuid", p) == 10);
    CHECK(count(first, "SELECT count(*) FROM playlist WHERE project_id = $1::uuid", p) ==
          size.episodes * size.playlists);
    // Casting of about `casting` assets a shot; shots count what they cast.
    const long long links = count(first, "SELECT count(*) FROM entity_link l JOIN entity e ON e.id = l.entity_in_id "
                                         "WHERE e.project_id = $1::uuid", p);
    CHECK(links >= static_cast<long long>(size.shots) * (size.casting - 4));
    CHECK(links <= static_cast<long long>(size.shots) * (size.casting + 4));
    CHECK(count(first, "SELECT sum(nb_entities_out) FROM entity WHERE project_id = $1::uuid", p) == links);
    // Statuses: every kind, and a task's status is the one its last comment set.
    CHECK(count(first, "SELECT count(DISTINCT task_status_id) FROM task WHERE project_id = $1::uuid", p) == 6);
    CHECK(count(first, R"(SELECT count(*) FROM task t WHERE t.project_id = $1::uuid AND t.task_status_id <>
                            (SELECT m.task_status_id FROM comment m WHERE m.object_id = t.id
                             ORDER BY m.created_at DESC LIMIT 1))", p) == 0);
    // Assignees, previews on the comments that ask for a review, time spent over the year.
    CHECK(count(first, "SELECT count(*) FROM task_person_link l JOIN task t ON t.id = l.task_id WHERE t.project_id "
                       "= $1::uuid", p) > size.tasks / 2);
    CHECK(count(first, "SELECT count(*) FROM comment_preview_link l JOIN preview_file f ON f.id = l.preview_file "
                       "JOIN task t ON t.id = f.task_id WHERE t.project_id = $1::uuid", p) > size.tasks / 2);
    CHECK(count(first, "SELECT count(*) FROM task WHERE project_id = $1::uuid AND last_preview_file_id IS NOT NULL "
                       "AND last_preview_file_id NOT IN (SELECT id FROM preview_file)", p) == 0);
    CHECK(count(first, "SELECT max(date) - min(date) FROM time_spent s JOIN task t ON t.id = s.task_id WHERE "
                       "t.project_id = $1::uuid", p) > 200);
    CHECK(count(first, R"(SELECT count(*) FROM task t WHERE t.project_id = $1::uuid AND t.duration <>
                            (SELECT coalesce(sum(duration), 0) FROM time_spent s WHERE s.task_id = t.id))", p) == 0);
    // Rows as the API writes them: Zou's application defaults filled in.
    CHECK(count(first, "SELECT count(*) FROM person p JOIN project_person_link l ON l.person_id = p.id WHERE "
                       "l.project_id = $1::uuid AND (has_avatar IS NULL OR timezone IS NULL OR active IS NOT TRUE OR "
                       "position NOT IN ('supervisor', 'lead', 'artist') OR seniority NOT IN ('senior', 'mid', "
                       "'junior'))",
                p) == 0);
    CHECK(count(first, "SELECT count(*) FROM comment m JOIN task t ON t.id = m.object_id WHERE t.project_id = "
                       "$1::uuid AND m.replies IS NULL", p) == 0);
    CHECK(count(first, "SELECT count(*) FROM preview_file f JOIN task t ON t.id = f.task_id WHERE t.project_id = "
                       "$1::uuid AND (f.status <> 'ready' OR f.validation_status NOT IN ('validated', 'rejected', "
                       "'neutral'))", p) == 0);

    // What the comments left: a news item each (a change when the status moved), notifications to
    // the assignees (comments, mentions, assignations) and the event log, of the last 90 days.
    CHECK(count(first, "SELECT count(*) FROM news n JOIN task t ON t.id = n.task_id WHERE t.project_id = $1::uuid",
                p) == size.comments);
    CHECK(count(first, R"(SELECT count(*) FROM news n JOIN comment m ON m.id = n.comment_id
                          JOIN task t ON t.id = n.task_id WHERE t.project_id = $1::uuid AND (n.change <> (
                            m.task_status_id IS DISTINCT FROM (SELECT p.task_status_id FROM comment p
                              WHERE p.object_id = m.object_id AND p.created_at < m.created_at
                              ORDER BY p.created_at DESC LIMIT 1))
                            OR n.author_id <> m.person_id OR n.created_at <> m.created_at))",
                p) == 0);
    for (const char* type : {"comment", "mention", "assignation"})
        CHECK(count(first,
                    std::string("SELECT count(*) FROM notification n JOIN task t ON t.id = n.task_id WHERE "
                                "t.project_id = $1::uuid AND n.type = '") + type + "'",
                    p) > 0);
    CHECK(count(first, R"(SELECT count(*) FROM notification n JOIN task t ON t.id = n.task_id
                          WHERE t.project_id = $1::uuid AND (n.person_id = n.author_id
                            OR n.created_at < now() AT TIME ZONE 'utc' - interval '91 days'
                            OR (n.type <> 'assignation' AND NOT EXISTS (SELECT 1 FROM task_person_link l
                                WHERE l.task_id = n.task_id AND l.person_id = n.person_id))))",
                p) == 0);
    CHECK(count(first, R"(SELECT count(*) FROM notification n JOIN comment_mentions c ON c.comment = n.comment_id
                          AND c.person = n.person_id JOIN task t ON t.id = n.task_id
                          WHERE t.project_id = $1::uuid AND n.type = 'mention')", p) > 0);
    for (const char* name : {"comment:new", "task:status-changed", "task:to-review", "news:new", "task:assign"})
        CHECK(count(first, std::string("SELECT count(*) FROM api_event WHERE project_id = $1::uuid AND name = '") +
                               name + "' AND data->>'project_id' = $1::text AND user_id IS NOT NULL",
                    p) > 0);
    CHECK(count(first, R"(SELECT count(*) FROM api_event e WHERE e.project_id = $1::uuid AND e.name = 'news:new'
                          AND NOT EXISTS (SELECT 1 FROM news n WHERE n.id = (e.data->>'news_id')::uuid))", p) == 0);

    CHECK(all_names(first, p) == all_names(second, p));
    CHECK(a.rows == b.rows);

    // The same seed twice in one database is refused; another seed is another production.
    CHECK_THROWS_WITH(load_sample_production(first, config, small(7)), Catch::Contains("already loaded"));
    const auto other = load_sample_production(first, config, small(8));
    CHECK(other.project_id != p);
    CHECK(other.project_name != a.project_name);
    CHECK_THROWS_AS(sample_size("huge"), slate::Error);
}

TEST_CASE("the API serves the small sample production", "[api][pg][samples]") {
    TestServer server;
    engine::samples::SampleSummary summary;
    {
        auto lease = server.pool().acquire();
        auto options = small(3);
        options.media = std::string(SLATE_SOURCE_DIR) + "/samples"; // the shipped sample media
        summary = load_sample_production(*lease, server.config(), options);
    }
    const int port = server.port();
    const std::string admin = server.login();
    auto get_array = [&](const std::string& path, const std::string& token) {
        const auto response = http_get(port, path, token);
        INFO(path << ": " << response.body.substr(0, 300));
        REQUIRE(response.status == 200);
        return Poco::JSON::Parser().parse(response.body).extract<Poco::JSON::Array::Ptr>();
    };
    const auto open = get_array("/data/projects/open", admin);
    bool listed = false;
    for (std::size_t i = 0; i < open->size(); ++i)
        listed = listed || open->getObject(i)->getValue<std::string>("id") == summary.project_id;
    CHECK(listed);
    CHECK(http_get(port, "/data/user/context", admin).status == 200);
    const auto tasks = get_array("/data/projects/" + summary.project_id + "/tasks", admin);
    CHECK(tasks->size() == static_cast<std::size_t>(sample_size("small").tasks));
    const std::string task_id = tasks->getObject(0)->getValue<std::string>("id");
    CHECK(http_get(port, "/data/tasks/" + task_id + "/full", admin).status == 200);
    CHECK(get_array("/data/tasks/" + task_id + "/comments", admin)->size() ==
          std::stoul(server.query("SELECT count(*) FROM comment WHERE object_id = $1::uuid", {task_id})));
    // The latest previews show the sample media: a shot's movie and thumbnail, an asset's picture.
    CHECK(summary.media_files > 0);
    const std::string movie = server.query(
        "SELECT p.id FROM preview_file p JOIN task t ON t.last_preview_file_id = p.id WHERE p.extension = 'mp4' LIMIT 1");
    const std::string picture = server.query(
        "SELECT p.id FROM preview_file p JOIN task t ON t.last_preview_file_id = p.id WHERE p.extension = 'png' LIMIT 1");
    REQUIRE(!movie.empty());
    REQUIRE(!picture.empty());
    CHECK(http_get(port, "/movies/originals/preview-files/" + movie + ".mp4", admin).status == 200);
    CHECK(http_get(port, "/pictures/thumbnails/preview-files/" + movie + ".png", admin).status == 200);
    const auto original = http_get(port, "/pictures/originals/preview-files/" + picture + ".png", admin);
    CHECK(original.status == 200);
    CHECK(original.body.size() == std::stoul(server.query("SELECT file_size FROM preview_file WHERE id = $1::uuid",
                                                          {picture})));
    // A sample artist logs in with the sample password and sees their own tasks.
    const std::string artist = server.login(summary.artist_email, engine::samples::sample_password);
    CHECK(get_array("/data/user/tasks", artist)->size() > 0);
    CHECK(http_get(port, "/data/user/context", artist).status == 200);
    CHECK(http_get(port, "/data/user/time-spents", artist).status == 200);
    // The news of the production, a person's notifications, the event log.
    const auto news = http_get(port, "/data/projects/" + summary.project_id + "/news", admin);
    REQUIRE(news.status == 200);
    CHECK(Poco::JSON::Parser().parse(news.body).extract<Poco::JSON::Object::Ptr>()->getArray("data")->size() > 0);
    const std::string notified = server.query(
        "SELECT p.email FROM notification n JOIN person p ON p.id = n.person_id ORDER BY n.id LIMIT 1");
    REQUIRE(!notified.empty());
    CHECK(get_array("/data/user/notifications", server.login(notified, engine::samples::sample_password))->size() > 0);
    CHECK(get_array("/data/events/last", admin)->size() > 0);
}
