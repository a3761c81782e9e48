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
    CHECK(Config::from_variables({{"PREVIEW_FOLDER", "/opt/zou/previews"}}).file_store_root() == "/opt/zou/previews");
    CHECK(Config::from_variables({{"PREVIEW_FOLDER", "/a"}, {"FS_ROOT", "/b"}}).file_store_root() == "/b");
    CHECK_THROWS_AS(Config::from_variables({{"FS_BACKEND", "s3"}}), slate::Error);
}

TEST_CASE("list, LDAP and single sign-on settings read as Zou reads them", "[engine]") {
    const Config config = Config::from_variables({{"2FA_EXEMPT_USERS", " a@x.com, ,b@x.com "},
                                                  {"PROTECTED_ACCOUNTS", "admin@x.com; ops@x.com;"},
                                                  {"AUTH_STRATEGY", "auth_remote_ldap"},
                                                  {"LDAP_PORT", "636"},
                                                  {"LDAP_SSL", "true"},
                                                  {"LDAP_IS_AD", "yes"},
                                                  {"OIDC_REQUIRE_EMAIL_VERIFIED", "false"},
                                                  {"SAML_METADATA_URL", "https://idp.example/metadata"}});
    CHECK(config.two_fa_exempt_users == std::vector<std::string>{"a@x.com", "b@x.com"});
    CHECK(config.protected_accounts == std::vector<std::string>{"admin@x.com", "ops@x.com"});
    CHECK(config.auth_strategy == "auth_remote_ldap");
    CHECK(config.ldap.port == "636");
    CHECK(config.ldap.ssl);
    CHECK(config.ldap.is_ad);
    CHECK(config.ldap.base_dn == "cn=Users,dc=zou,dc=local");
    CHECK(config.ldap.email_domain == "studio.local");
    CHECK_FALSE(config.oidc.require_email_verified);
    CHECK(config.oidc.scopes == "openid email profile");
    CHECK(config.saml_metadata_url == "https://idp.example/metadata");
}
