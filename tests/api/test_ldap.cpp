// tests/api/test_ldap.cpp: logins against a real OpenLDAP directory (slapd started by the
// test) and Zou's directory sync: persons created, updated and disabled from the directory,
// their photos as avatars, group membership, and the strategy rules of AUTH_STRATEGY.
#include <catch2/catch.hpp>

#include "support/slapd_server.h"
#include "support/test_media.h"
#include "support/test_server.h"

#include "engine/db/pool.h"
#include "engine/people/ldap_sync.h"
#include "engine/storage/file_store.h"
#include "workers/person_avatars.h"
#include "workers/picture_variants.h"

#include <vips/vips.h>

#include <unistd.h>

#include <filesystem>

namespace fs = std::filesystem;
using namespace slate::test;

namespace {

/// A small JPEG, as directories keep photos.
std::string jpeg_photo() {
    slate::workers::init_media_libraries();
    VipsImage* black = nullptr;
    VipsImage* grey = nullptr;
    REQUIRE(vips_black(&black, 96, 128, "bands", 3, nullptr) == 0);
    REQUIRE(vips_linear1(black, &grey, 1.0, 90.0, nullptr) == 0);
    void* buffer = nullptr;
    size_t length = 0;
    REQUIRE(vips_jpegsave_buffer(grey, &buffer, &length, nullptr) == 0);
    std::string bytes(static_cast<const char*>(buffer), length);
    g_free(buffer);
    g_object_unref(grey);
    g_object_unref(black);
    return bytes;
}

LdapAttributes person_entry(const std::string& uid, const std::string& first, const std::string& last,
                            const std::string& mail, const std::string& status) {
    return {{"objectClass", {"inetOrgPerson", "extensibleObject"}},
            {"uid", {uid}},
            {"cn", {first + " " + last}},
            {"givenName", {first}},
            {"sn", {last}},
            {"mail", {mail}},
            {"userPassword", {uid + "-directory-pw"}},
            {"uniqueIdentifier", {"uid-" + uid}},
            {"organizationalStatus", {status}}};
}

struct Directory {
    SlapdServer slapd;
    TestServer server;
    int port = server.port();

    Directory() {
        auto& ldap = server.config().ldap;
        ldap.host = "127.0.0.1";
        ldap.port = std::to_string(slapd.port());
        ldap.base_dn = SlapdServer::people_dn;
        ldap.user = SlapdServer::admin_dn;
        ldap.password = SlapdServer::admin_password;
        ldap.email_domain = "studio.example";
        slapd.add(std::string("uid=jdoe,") + SlapdServer::people_dn,
                  person_entry("jdoe", "Jane", "Doe", "jane.doe@studio.example", "active"));
        auto with_photo = person_entry("rsmith", "Rob", "Smith", "rob@studio.example", "Active");
        with_photo.push_back({"jpegPhoto", {jpeg_photo()}});
        slapd.add(std::string("uid=rsmith,") + SlapdServer::people_dn, with_photo);
        slapd.add(std::string("uid=gone,") + SlapdServer::people_dn,
                  person_entry("gone", "Old", "Timer", "old@studio.example", "inactive"));
    }

    slate::engine::services::SyncReport sync() {
        const auto persons = slate::engine::services::read_directory_persons(server.config());
        slate::engine::storage::LocalFileStore files(server.config().file_store_root());
        auto connection = server.pool().acquire();
        auto& c = *connection;
        return slate::engine::services::sync_directory_persons(
            c, server.config(), persons, [&](const std::string& id, const std::string& photo) {
                return slate::workers::store_person_avatar(files, c, id, photo,
                                                           fs::path(server.config().data_dir) / "tmp");
            });
    }

    HttpResponse login(const std::string& login, const std::string& password) {
        return http_post(port, "/auth/login", R"({"email":")" + login + R"(","password":")" + password + R"("})");
    }
};

} // namespace

TEST_CASE("the directory sync creates, updates and disables persons", "[api][pg][ldap]") {
    Directory directory;
    auto report = directory.sync();
    INFO(report.lines.size());
    CHECK(report.created == 2); // the inactive entry is not created
    CHECK(report.failed == 0);
    auto& server = directory.server;
    CHECK(server.query("SELECT email FROM person WHERE desktop_login = 'jdoe'") == "jane.doe@studio.example");
    CHECK(server.query("SELECT first_name || ' ' || last_name FROM person WHERE desktop_login = 'jdoe'") == "Jane Doe");
    CHECK(server.query("SELECT is_generated_from_ldap::text FROM person WHERE desktop_login = 'jdoe'") == "true");
    CHECK(server.query("SELECT ldap_uid FROM person WHERE desktop_login = 'jdoe'") == "uid-jdoe");
    CHECK(server.query("SELECT count(*) FROM person WHERE desktop_login = 'gone'") == "0");
    CHECK(server.query("SELECT count(*) FROM api_event WHERE name = 'person:new'") == "2");

    // The photo became the avatar, fitted as an upload is.
    const std::string rob = server.query("SELECT id FROM person WHERE desktop_login = 'rsmith'");
    CHECK(server.query("SELECT has_avatar::text FROM person WHERE id = $1::uuid", {rob}) == "true");
    const std::string token = server.login();
    const auto avatar = http_get(directory.port, "/pictures/thumbnails/persons/" + rob + ".png", token);
    REQUIRE(avatar.status == 200);
    CHECK(png_width(avatar.body) == 400);

    // Nothing changed: nothing to do.
    report = directory.sync();
    CHECK(report.created == 0);
    CHECK(report.updated == 0);
    CHECK(report.disabled == 0);

    // A new name is taken; an entry that left, or became inactive, disables its person.
    directory.slapd.replace(std::string("uid=jdoe,") + SlapdServer::people_dn, "givenName", {"Janet"});
    directory.slapd.remove(std::string("uid=rsmith,") + SlapdServer::people_dn);
    report = directory.sync();
    CHECK(report.updated == 1);
    CHECK(report.disabled == 1);
    CHECK(server.query("SELECT first_name FROM person WHERE desktop_login = 'jdoe'") == "Janet");
    CHECK(server.query("SELECT active::text FROM person WHERE id = $1::uuid", {rob}) == "false");
    directory.slapd.replace(std::string("uid=jdoe,") + SlapdServer::people_dn, "organizationalStatus", {"inactive"});
    report = directory.sync();
    CHECK(report.updated == 1);
    CHECK(server.query("SELECT active::text FROM person WHERE desktop_login = 'jdoe'") == "false");

    // The user limit stops creations, not the rest.
    directory.slapd.add(std::string("uid=newbie,") + SlapdServer::people_dn,
                        person_entry("newbie", "New", "Bie", "newbie@studio.example", "active"));
    server.config().user_limit = 1;
    report = directory.sync();
    CHECK(report.created == 0);
    CHECK(report.failed == 1);
    CHECK(report.lines.back() == "User newbie creation failed (limit reached, limit 1).");
}

TEST_CASE("a sync limited to an LDAP group takes its members only", "[api][pg][ldap]") {
    Directory directory;
    directory.slapd.add("cn=artists,dc=zou,dc=local",
                        {{"objectClass", {"groupOfUniqueNames"}},
                         {"cn", {"artists"}},
                         {"uniqueMember", {std::string("uid=rsmith,") + SlapdServer::people_dn}}});
    directory.server.config().ldap.group = "artists";
    directory.server.config().ldap.base_dn = "dc=zou,dc=local";
    const auto report = directory.sync();
    CHECK(report.created == 1);
    CHECK(directory.server.query("SELECT desktop_login FROM person WHERE is_generated_from_ldap") == "rsmith");

    directory.server.config().ldap.group = "nobody";
    CHECK_THROWS(slate::engine::services::read_directory_persons(directory.server.config()));
}

TEST_CASE("directory persons log in with their directory password", "[api][pg][ldap]") {
    Directory directory;
    directory.sync();
    auto& config = directory.server.config();
    config.auth_strategy = "auth_remote_ldap";
    auto& server = directory.server;

    const auto logged = directory.login("jdoe", "jdoe-directory-pw");
    INFO(logged.body);
    CHECK(logged.status == 200);
    CHECK(logged.json()->getValue<bool>("login"));
    CHECK(directory.login("jane.doe@studio.example", "jdoe-directory-pw").status == 200);

    const auto wrong = directory.login("jdoe", "not-it");
    CHECK(wrong.status == 400);
    CHECK(wrong.body == R"({"login":false})");
    CHECK(server.query("SELECT login_failed_attemps::text FROM person WHERE desktop_login = 'jdoe'") == "1");
    // An empty password would be an anonymous bind: never sent.
    CHECK(directory.login("jdoe", "").status == 400);

    // Local persons: refused without LDAP_FALLBACK, their own password with it.
    CHECK(directory.login(admin_email, admin_password).body == R"({"login":false})");
    config.ldap.fallback = true;
    CHECK(directory.login(admin_email, admin_password).status == 200);
    // A directory person's "default" placeholder is no local password.
    config.auth_strategy = "auth_local_classic";
    CHECK(directory.login("jdoe", "default").status == 400);

    // The strategy that checks nothing, and one that does not exist.
    config.auth_strategy = "auth_local_no_password";
    CHECK(directory.login("jdoe", "anything at all").status == 200);
    config.auth_strategy = "auth_nowhere";
    const auto misconfigured = directory.login("jdoe", "jdoe-directory-pw");
    CHECK(misconfigured.status == 409);
    CHECK(misconfigured.body == R"({"login":false})");

    // The directory down: Zou's server-error body, as 503.
    config.auth_strategy = "auth_remote_ldap";
    directory.slapd.stop();
    const auto down = directory.login("jdoe", "jdoe-directory-pw");
    CHECK(down.status == 503);
    CHECK(down.json()->getValue<std::string>("message") ==
          "A server error occurred. Please contact your administrator.");
}
