// tests/api/test_entities_with_tasks.cpp: the with-tasks listings the Kitsu web app loads first
// (shots, sequences, episodes, scenes, edits), in Zou's item shapes, their filters and access.
#include <catch2/catch.hpp>

#include "api/entities_fixture.h"
#include "support/raw_client.h"

#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <set>

using namespace slate::test;

namespace {

std::string create(ProductionFixture& f, const std::string& kind, const std::string& body) {
    return create_entity(f, kind, body);
}

} // namespace

TEST_CASE("shots with tasks come in Zou's shape, with assignees and subscriptions", "[api][pg][shots]") {
    ProductionFixture f;
    const std::string episode = create(f, "episodes", R"({"name":"E01"})");
    const std::string sequence = create(f, "sequences", R"({"name":"SQ01","episode_id":")" + episode + R"("})");
    const std::string shot = create(f, "shots", R"({"name":"SH010","sequence_id":")" + sequence +
                                                    R"(","data":{"fps":24,"frame_in":1}})");
    create(f, "shots", R"({"name":"SH020","sequence_id":")" + sequence + R"("})");
    const std::string task = f.server.create_task(f.admin, f.project, shot);
    const std::string other_task = f.server.create_task(f.admin, f.project, shot, "Layout");
    f.server.query("INSERT INTO task_person_link (task_id, person_id) VALUES ($1::uuid, $2::uuid) RETURNING 1",
                   {task, f.person("user")});
    f.server.query(R"(INSERT INTO subscription (id, person_id, task_id, entity_id, task_type_id)
                      SELECT gen_random_uuid(), $1::uuid, t.id, t.entity_id, t.task_type_id FROM task t
                      WHERE t.id = $2::uuid RETURNING 1)",
                   {f.server.login_user_id(), task});

    const auto answer = http_get(f.port, "/data/shots/with-tasks?project_id=" + f.project, f.admin);
    REQUIRE(answer.status == 200);
    CHECK(answer.content_type.find("application/json") == 0);
    const auto shots = json_array(answer);
    REQUIRE(shots->size() == 2);
    const auto first = shots->getObject(0);
    CHECK(first->getValue<std::string>("name") == "SH010");
    CHECK(first->getValue<std::string>("type") == "Shot");
    CHECK(first->getValue<std::string>("sequence_name") == "SQ01");
    CHECK(first->getValue<std::string>("sequence_id") == sequence);
    CHECK(first->getValue<std::string>("episode_id") == episode);
    CHECK(first->getValue<std::string>("episode_name") == "E01");
    CHECK(first->getValue<std::string>("project_name") == "Fixture");
    CHECK(first->getValue<int>("fps") == 24);
    CHECK(first->getValue<int>("frame_in") == 1);
    CHECK(first->isNull("frame_out"));
    CHECK(first->isNull("preview_file_id"));
    CHECK(first->getValue<int>("nb_entities_out") == 0);
    CHECK_FALSE(first->has("status"));
    const auto tasks = first->getArray("tasks");
    REQUIRE(tasks->size() == 2);
    for (unsigned i = 0; i < 2; ++i) {
        const auto t = tasks->getObject(i);
        const bool mine = t->getValue<std::string>("id") == task;
        CHECK(t->getValue<bool>("is_subscribed") == mine);
        CHECK(t->getArray("assignees")->size() == (mine ? 1u : 0u));
        CHECK(t->getValue<int>("priority") == 0);
        CHECK(t->isNull("last_preview_file_id"));
        CHECK(t->has("nb_drawings"));
        CHECK(t->has("nb_assets_ready"));
        CHECK(t->getValue<std::string>("entity_id") == shot);
    }
    (void)other_task;
    const auto second = shots->getObject(1);
    CHECK(second->getArray("tasks")->size() == 0);
    CHECK(second->getObject("data")->size() == 0); // {} when null

    // Filters: one shot, an episode, every episode.
    CHECK(json_array(http_get(f.port, "/data/shots/with-tasks?id=" + shot, f.admin))->size() == 1);
    CHECK(json_array(http_get(f.port, "/data/shots/with-tasks?project_id=" + f.project + "&episode_id=" + episode,
                              f.admin))
              ->size() == 2);
    CHECK(json_array(http_get(f.port, "/data/shots/with-tasks?project_id=" + f.project + "&episode_id=" + sequence,
                              f.admin))
              ->size() == 0);
    CHECK(json_array(http_get(f.port, "/data/shots/with-tasks?project_id=" + f.project + "&episode_id=all", f.admin))
              ->size() == 2);
    const auto bad = http_get(f.port, "/data/shots/with-tasks?project_id=nope", f.admin);
    CHECK(bad.status == 400);
    CHECK(message_of(bad) == "Invalid UUID format for project_id: nope");

    // Access: artists on the team only, with a project; vendors their assignments only.
    const std::string artist = f.token("user");
    CHECK(http_get(f.port, "/data/shots/with-tasks?project_id=" + f.project, artist).status == 403);
    f.join("user");
    CHECK(json_array(http_get(f.port, "/data/shots/with-tasks?project_id=" + f.project, artist))->size() == 2);
    CHECK(http_get(f.port, "/data/shots/with-tasks", artist).status == 403);
    f.join("vendor");
    const std::string vendor = f.token("vendor");
    CHECK(json_array(http_get(f.port, "/data/shots/with-tasks?project_id=" + f.project, vendor))->size() == 0);
    f.server.query("INSERT INTO task_person_link (task_id, person_id) VALUES ($1::uuid, $2::uuid) RETURNING 1",
                   {other_task, f.person("vendor")});
    const auto assigned = json_array(http_get(f.port, "/data/shots/with-tasks?project_id=" + f.project, vendor));
    REQUIRE(assigned->size() == 1);
    REQUIRE(assigned->getObject(0)->getArray("tasks")->size() == 1);
    CHECK(assigned->getObject(0)->getArray("tasks")->getObject(0)->getValue<std::string>("id") == other_task);
}

TEST_CASE("sequences, episodes and scenes with tasks come in the entities shape", "[api][pg][shots]") {
    ProductionFixture f;
    const std::string episode = create(f, "episodes", R"({"name":"E01"})");
    const std::string sequence = create(f, "sequences", R"({"name":"SQ01","episode_id":")" + episode + R"("})");
    const std::string lone = create(f, "sequences", R"({"name":"SQ02"})");
    const auto sequences = json_array(http_get(f.port, "/data/sequences/with-tasks?project_id=" + f.project, f.admin));
    REQUIRE(sequences->size() == 2);
    const auto first = sequences->getObject(0);
    CHECK(first->getValue<std::string>("id") == sequence);
    CHECK(first->getValue<std::string>("status") == "running");
    CHECK(first->getValue<std::string>("episode_id") == episode);
    CHECK(first->getValue<std::string>("preview_file_id").empty());
    CHECK(first->getArray("tasks")->size() == 0);
    CHECK_FALSE(first->has("type"));
    CHECK(sequences->getObject(1)->getValue<std::string>("episode_id") == "None"); // Python's str(None)
    CHECK(json_array(http_get(f.port, "/data/sequences/with-tasks?project_id=" + f.project + "&episode_id=" + episode,
                              f.admin))
              ->size() == 1);
    CHECK(json_array(http_get(f.port, "/data/sequences/with-tasks?project_id=" + f.project + "&episode_id=all",
                              f.admin))
              ->size() == 0);
    const auto episodes = json_array(http_get(f.port, "/data/episodes/with-tasks?project_id=" + f.project, f.admin));
    REQUIRE(episodes->size() == 1);
    CHECK(episodes->getObject(0)->getValue<std::string>("episode_id") == "None");
    create(f, "scenes", R"({"name":"SC01","sequence_id":")" + lone + R"("})");
    CHECK(json_array(http_get(f.port, "/data/scenes/with-tasks?project_id=" + f.project, f.admin))->size() == 1);
    f.join("vendor");
    CHECK(http_get(f.port, "/data/scenes/with-tasks?project_id=" + f.project, f.token("vendor")).status == 403);
    CHECK(json_array(http_get(f.port, "/data/sequences/with-tasks?project_id=" + f.project, f.token("vendor")))
              ->size() == 0);
}

TEST_CASE("the shots listing also comes compact and as NDJSON, as Zou's options give it", "[api][pg][shots]") {
    ProductionFixture f;
    const std::string sequence = create(f, "sequences", R"({"name":"SQ01"})");
    const std::string shot = create(f, "shots", R"({"name":"SH010","sequence_id":")" + sequence + R"("})");
    const std::string task = f.server.create_task(f.admin, f.project, shot);
    const std::string base = "/data/shots/with-tasks?project_id=" + f.project;

    const auto compact = http_get(f.port, base + "&compact=true", f.admin).json();
    CHECK(compact->getValue<bool>("compact"));
    const auto fields = compact->getArray("shot_fields");
    REQUIRE(fields->size() == 23);
    CHECK(fields->getElement<std::string>(0) == "canceled");
    CHECK(fields->getElement<std::string>(9) == "id");
    CHECK(fields->getElement<std::string>(21) == "type");
    CHECK(fields->getElement<std::string>(22) == "tasks");
    const auto task_fields = compact->getArray("task_fields");
    CHECK(task_fields->getElement<std::string>(0) == "id");
    CHECK(task_fields->getElement<std::string>(19) == "assignees");
    const auto rows = compact->getArray("rows");
    REQUIRE(rows->size() == 1);
    const auto row = rows->getArray(0);
    CHECK(row->getElement<std::string>(9) == shot);
    CHECK(row->getElement<std::string>(21) == "Shot");
    REQUIRE(row->getArray(22)->size() == 1);
    CHECK(row->getArray(22)->getArray(0)->getElement<std::string>(0) == task);

    const auto streamed = http_get(f.port, base + "&stream=true", f.admin);
    REQUIRE(streamed.status == 200);
    CHECK(streamed.content_type.find("application/x-ndjson") == 0);
    const auto first_line = streamed.body.substr(0, streamed.body.find('\n'));
    CHECK(first_line == R"({"compact":false})");
    const auto rest = streamed.body.substr(first_line.size() + 1);
    CHECK(std::count(rest.begin(), rest.end(), '\n') == 1);
    Poco::JSON::Parser parser;
    CHECK(parser.parse(rest).extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("name") == "SH010");
    // Compared case-sensitively: "True" is no option.
    CHECK(json_array(http_get(f.port, base + "&compact=True", f.admin))->size() == 1);
}

TEST_CASE("a listing whose task rows span several batches gives every task once, with all its assignees",
          "[api][pg][shots]") {
    // The listing reads the entities and their tasks side by side in batches of 2000 rows, a
    // task's assignees on consecutive rows: 1,100 tasks of two assignees cross batch ends.
    ProductionFixture f;
    const std::string sequence = create(f, "sequences", R"({"name":"SQ01"})");
    const std::string busy = create(f, "shots", R"({"name":"SH010","sequence_id":")" + sequence + R"("})");
    const std::string quiet = create(f, "shots", R"({"name":"SH020","sequence_id":")" + sequence + R"("})");
    const std::string last = create(f, "shots", R"({"name":"SH030","sequence_id":")" + sequence + R"("})");
    f.server.create_task(f.admin, f.project, last);
    f.server.query(R"(INSERT INTO task (id, name, project_id, task_type_id, task_status_id, entity_id, data)
                      SELECT gen_random_uuid(), 'bulk ' || g, t.project_id, t.task_type_id, t.task_status_id,
                             $1::uuid, jsonb_build_object('n', g)
                      FROM generate_series(1, 1100) g, (SELECT * FROM task LIMIT 1) t RETURNING 1)",
                   {busy});
    const std::string first_person = f.person("user"), second_person = f.person("supervisor");
    f.server.query("INSERT INTO task_person_link (task_id, person_id) SELECT t.id, p.id FROM task t, person p "
                   "WHERE t.entity_id = $1::uuid AND p.id IN ($2::uuid, $3::uuid) RETURNING 1",
                   {busy, first_person, second_person});
    std::vector<std::string> both{first_person, second_person};
    std::sort(both.begin(), both.end());

    const std::string base = "/data/shots/with-tasks?project_id=" + f.project;
    const auto answer = http_get(f.port, base, f.admin);
    REQUIRE(answer.status == 200);
    // The keys after the assignees stay in Zou's order.
    CHECK(answer.body.find(R"(,"data":{"n":)") != std::string::npos);
    const auto shots = json_array(answer);
    REQUIRE(shots->size() == 3);
    const auto tasks = shots->getObject(0)->getArray("tasks");
    REQUIRE(tasks->size() == 1100);
    std::set<std::string> ids, numbers;
    for (unsigned i = 0; i < tasks->size(); ++i) {
        const auto task = tasks->getObject(i);
        ids.insert(task->getValue<std::string>("id"));
        numbers.insert(std::to_string(task->getObject("data")->getValue<int>("n")));
        const auto assignees = task->getArray("assignees");
        REQUIRE(assignees->size() == 2);
        CHECK(assignees->getElement<std::string>(0) == both[0]);
        CHECK(assignees->getElement<std::string>(1) == both[1]);
    }
    CHECK(ids.size() == 1100);
    CHECK(numbers.size() == 1100);
    CHECK(shots->getObject(1)->getValue<std::string>("id") == quiet);
    CHECK(shots->getObject(1)->getArray("tasks")->size() == 0);
    CHECK(shots->getObject(2)->getArray("tasks")->size() == 1);
    CHECK(shots->getObject(2)->getArray("tasks")->getObject(0)->getArray("assignees")->size() == 0);

    // The compact form: the same tasks, the assignees and the data at their places.
    const auto compact = http_get(f.port, base + "&compact=true", f.admin).json();
    const auto rows = compact->getArray("rows");
    REQUIRE(rows->size() == 3);
    const auto compact_tasks = rows->getArray(0)->getArray(22);
    REQUIRE(compact_tasks->size() == 1100);
    for (unsigned i = 0; i < compact_tasks->size(); ++i) {
        REQUIRE(compact_tasks->getArray(i)->getArray(19)->size() == 2);
        CHECK(compact_tasks->getArray(i)->getObject(20)->has("n"));
    }
}

TEST_CASE("a vendor's shots come without the metadata of other departments' descriptors", "[api][pg][shots]") {
    ProductionFixture f;
    const std::string sequence = create(f, "sequences", R"({"name":"SQ01"})");
    const std::string shot = create(f, "shots", R"({"name":"SH010","sequence_id":")" + sequence + R"("})");
    const std::string task = f.server.create_task(f.admin, f.project, shot);
    f.join("vendor");
    f.server.query("INSERT INTO task_person_link (task_id, person_id) VALUES ($1::uuid, $2::uuid) RETURNING 1",
                   {task, f.person("vendor")});
    const auto department = http_post(f.port, "/data/departments", R"({"name":"Lighting","color":"#FF0000"})", f.admin);
    REQUIRE(department.status == 201);
    REQUIRE(http_post(f.port, "/data/projects/" + f.project + "/metadata-descriptors",
                      R"({"entity_type":"Shot","name":"Secret","field_name":"secret","data_type":"string",)"
                      R"("departments":[")" +
                          department.json()->getValue<std::string>("id") + "\"]}",
                      f.admin)
                .status == 201);
    REQUIRE(http_call(f.port, "PUT", "/data/entities/" + shot, f.admin,
                      R"({"data":{"secret":"x","open":"y","fps":"24"}})")
                .status == 200);
    const std::string path = "/data/shots/with-tasks?project_id=" + f.project;
    const auto seen = json_array(http_get(f.port, path, f.token("vendor")));
    REQUIRE(seen->size() == 1);
    const auto data = seen->getObject(0)->getObject("data");
    CHECK(data->has("open"));
    CHECK_FALSE(data->has("secret"));
    CHECK(seen->getObject(0)->getValue<std::string>("fps") == "24");
    CHECK(json_array(http_get(f.port, path, f.admin))->getObject(0)->getObject("data")->has("secret"));
    // In the vendor's department, the field is theirs to see.
    f.server.query("INSERT INTO department_link (person_id, department_id) VALUES ($1::uuid, $2::uuid) RETURNING 1",
                   {f.person("vendor"), department.json()->getValue<std::string>("id")});
    CHECK(json_array(http_get(f.port, path, f.token("vendor")))->getObject(0)->getObject("data")->has("secret"));
}

TEST_CASE("a listing is sent while it is written: chunked on HTTP/1.1, to the close on HTTP/1.0",
          "[api][pg][shots][connections]") {
    ProductionFixture f;
    const std::string sequence = create(f, "sequences", R"({"name":"SQ01"})");
    const std::string description(600, 'd'); // 200 shots: several pieces of the writer
    std::set<std::string> with_a_task;
    for (int i = 0; i < 200; ++i) {
        const std::string shot =
            create(f, "shots", R"({"name":"SH)" + std::to_string(1000 + i) + R"(","sequence_id":")" + sequence +
                                   R"(","description":")" + description + R"("})");
        if (i % 10 == 0) { // the listing reads its tasks in two halves of the ids: both have some
            f.server.create_task(f.admin, f.project, shot);
            with_a_task.insert(shot);
        }
    }
    const std::string target = "/api/data/shots/with-tasks?project_id=" + f.project;
    const std::string fields = "Host: 127.0.0.1\r\nAuthorization: Bearer " + f.admin + "\r\n\r\n";
    const auto body_of = [](const std::string& response) { return response.substr(response.find("\r\n\r\n") + 4); };
    const auto names = [](const std::string& json) {
        const auto items = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Array::Ptr>();
        std::vector<std::string> out;
        for (std::size_t i = 0; i < items->size(); ++i)
            out.push_back(items->getObject(static_cast<unsigned>(i))->getValue<std::string>("name"));
        return out;
    };

    RawClient client(f.port);
    REQUIRE(client.send("GET " + target + " HTTP/1.1\r\n" + fields));
    const std::string chunked = client.read_response(); // decoded: its framing read chunk by chunk
    REQUIRE(status_of(chunked) == 200);
    const std::string head = chunked.substr(0, chunked.find("\r\n\r\n"));
    CHECK(head.find("\r\nTransfer-Encoding: chunked") != std::string::npos);
    CHECK(head.find("Content-Length") == std::string::npos);
    CHECK(head.find("\r\nContent-Type: application/json") != std::string::npos);
    const auto listed = names(body_of(chunked));
    REQUIRE(listed.size() == 200);
    CHECK(listed.front() == "SH1000");
    CHECK(listed.back() == "SH1199");
    const auto items = Poco::JSON::Parser().parse(body_of(chunked)).extract<Poco::JSON::Array::Ptr>();
    std::set<std::string> listed_with_a_task;
    for (std::size_t i = 0; i < items->size(); ++i) {
        const auto item = items->getObject(static_cast<unsigned>(i));
        const auto tasks = item->getArray("tasks");
        if (tasks->size() == 0)
            continue;
        CHECK(tasks->size() == 1);
        CHECK(tasks->getObject(0)->getValue<std::string>("entity_id") == item->getValue<std::string>("id"));
        listed_with_a_task.insert(item->getValue<std::string>("id"));
    }
    CHECK(listed_with_a_task == with_a_task);
    // The connection stays open after the last chunk: a HEAD, then a request behind it.
    REQUIRE(client.send("HEAD " + target + " HTTP/1.1\r\n" + fields));
    const std::string head_only = client.read_response(std::chrono::seconds(10), true);
    CHECK(status_of(head_only) == 200);
    REQUIRE(client.send("GET /api/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
    CHECK(status_of(client.read_response()) == 200);

    // HTTP/1.0 has no chunks: the body ends with the connection.
    RawClient old_client(f.port);
    REQUIRE(old_client.send("GET " + target + " HTTP/1.0\r\n" + fields));
    REQUIRE(old_client.closed_within(std::chrono::seconds(10)));
    CHECK(old_client.received().find("Transfer-Encoding") == std::string::npos);
    CHECK(names(body_of(old_client.received())) == listed);

    // A refusal stays an ordinary answer with its length.
    RawClient refused(f.port);
    REQUIRE(refused.send("GET /api/data/shots/with-tasks?project_id=not-an-id HTTP/1.1\r\n" + fields));
    const std::string error = refused.read_response();
    CHECK(status_of(error) / 100 == 4);
    CHECK(error.find("Transfer-Encoding") == std::string::npos);
    CHECK(error.find("\r\nContent-Length: ") != std::string::npos);
}
