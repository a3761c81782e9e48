// tests/engine/test_config.cpp: settings from Zou's environment variables.
#include <catch2/catch.hpp>

#include "engine/config.h"
#include "engine/error.h"

using slate::engine::Config;

TEST_CASE("without DB_HOST the embedded database is used with Zou's defaults", "[engine]") {
    const Config config = Config::from_variables({});
    CHECK(config.db.embedded);
    CHECK(config.db.database == "zoudb");
    CHECK(config.port == 5000);
    CHECK(config.host == "127.0.0.1");
    CHECK(config.jwt_access_seconds == 7 * 24 * 3600);
    CHECK(config.jwt_refresh_seconds == 15 * 24 * 3600);
    CHECK(config.min_password_length == 8);
}

TEST_CASE("DB_* variables point Slate at an external server", "[engine]") {
    const Config config = Config::from_variables({{"DB_HOST", "db.studio"},
                                                  {"DB_PORT", "6543"},
                                                  {"DB_USERNAME", "zou"},
                                                  {"DB_PASSWORD", "secret"},
                                                  {"DB_DATABASE", "kitsu"},
                                                  {"SECRET_KEY", "k"},
                                                  {"IS_SELF_HOSTED", "false"}});
    CHECK_FALSE(config.db.embedded);
    CHECK(config.db.host == "db.studio");
    CHECK(config.db.port == 6543);
    CHECK(config.db.username == "zou");
    CHECK(config.db.database == "kitsu");
    CHECK(config.secret_key == "k");
    CHECK(config.secret_key_from_env);
    CHECK_FALSE(config.is_self_hosted);
}

TEST_CASE("a setting that is not a number stops start-up, naming the variable", "[engine]") {
    try {
        Config::from_variables({{"DB_PORT", "five"}});
        FAIL("no error");
    } catch (const slate::Error& e) {
        CHECK(std::string(e.what()).find("DB_PORT") != std::string::npos);
    }
}

TEST_CASE("the file store's root follows Zou's variables", "[engine]") {
    CHECK(Config::from_variables({{"SLATE_DATA", "/srv/slate"}}).file_store_root() == "/srv/slate/previews");
    CHECK(Config::from_variables({{"PREVIEW_FOLDER", "/opt/zou/previews"}}).file_store_root() ==
          "/opt/zou/previews");
    CHECK(Config::from_variables({{"PREVIEW_FOLDER", "/a"}, {"FS_ROOT", "/b"}}).file_store_root() == "/b");
    CHECK_THROWS_AS(Config::from_variables({{"FS_BACKEND", "s3"}}), slate::Error);
}
