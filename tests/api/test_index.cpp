// tests/api/test_index.cpp: the index routes answer as Zou's index blueprint does.
#include <catch2/catch.hpp>

#include "support/test_server.h"

using namespace slate::test;

TEST_CASE("GET / names the API and its version", "[api][pg]") {
    TestServer server;
    const auto response = http_get(server.port(), "/");
    CHECK(response.status == 200);
    CHECK(response.body == R"({"api":"Zou","version":"1.0.67"})");
}

TEST_CASE("GET /status reports the database up", "[api][pg]") {
    TestServer server;
    const auto status = http_get(server.port(), "/status").json();
    CHECK(status->getValue<std::string>("name") == "Zou");
    CHECK(status->getValue<bool>("database-up"));
    for (const char* key : {"key-value-store-up", "event-stream-up", "job-queue-up", "indexer-up"})
        CHECK(status->has(key));
    const auto text = http_get(server.port(), "/status.txt");
    CHECK(text.status == 200);
    CHECK(text.body.find("database-up: up\n") != std::string::npos);
    CHECK(text.body.rfind("name: Zou\nversion: 1.0.67\n", 0) == 0);
}

TEST_CASE("GET /status/resources reports cores, load and memory", "[api][pg]") {
    TestServer server;
    const auto resources = http_get(server.port(), "/status/resources").json();
    const auto cpu = resources->getObject("cpu");
    CHECK(cpu->getArray("percent")->size() >= 1);
    CHECK(cpu->getObject("loadavg")->has("last 1 min"));
    const auto memory = resources->getObject("memory");
    CHECK(memory->getValue<int64_t>("total") > 0);
    CHECK(memory->getValue<int64_t>("available") <= memory->getValue<int64_t>("total"));
    CHECK(resources->getObject("jobs")->has("running_jobs"));
}

TEST_CASE("GET /config exposes the public settings without a token", "[api][pg]") {
    TestServer server;
    const auto config = http_get(server.port(), "/config").json();
    CHECK(config->getValue<bool>("is_self_hosted"));
    CHECK(config->getValue<std::string>("default_locale") == "en_US");
    CHECK(config->getValue<std::string>("default_timezone") == "Europe/Paris");
    CHECK_FALSE(config->getValue<bool>("dark_theme_by_default"));
    CHECK_FALSE(config->getValue<bool>("saml_enabled"));
}

TEST_CASE("GET /stats is for admins only", "[api][pg]") {
    TestServer server;
    CHECK(http_get(server.port(), "/stats").status == 401);
    const auto admin = http_get(server.port(), "/stats", server.login());
    CHECK(admin.status == 200);
    CHECK(admin.json()->getValue<int>("number_of_comments") == 0);
    server.create_person("artist@example.com", "artistpassword", "user");
    const auto artist = http_get(server.port(), "/stats", server.login("artist@example.com", "artistpassword"));
    CHECK(artist.status == 403);
}
