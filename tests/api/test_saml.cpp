// tests/api/test_saml.cpp: SAML 2.0 sign-on against a real identity provider made with lasso
// in the test: the AuthnRequest redirect, the signed assertion posted back, persons created
// and renamed from its NameID and attributes, the token cookies; unsigned, foreign-signed,
// misdirected and garbage responses refused.
#include <catch2/catch.hpp>

#include "support/saml_idp.h"
#include "support/test_server.h"

#include "api/saml_sp.h"

#include <Poco/URI.h>

using namespace slate::test;

namespace {

std::string cookie_value(const HttpResponse& response, const std::string& name) {
    for (const auto& cookie : response.set_cookies)
        if (cookie.rfind(name + "=", 0) == 0)
            return cookie.substr(name.size() + 1, cookie.find(';') - name.size() - 1);
    return {};
}

struct SamlSignOn {
    TestServer server;
    int port = server.port();
    slate::api::saml::ServiceProvider sp{"http://kitsu.example/api/auth/saml/login",
                                         "http://kitsu.example/api/auth/saml/sso"};
    SamlIdentityProvider idp{slate::api::saml::metadata_xml(sp)};

    SamlSignOn() {
        auto& config = server.config();
        config.saml_enabled = true;
        config.saml_metadata_url = idp.metadata_url();
        config.domain_protocol = "http";
        config.domain_name = "kitsu.example";
    }

    HttpResponse post_response(const std::string& saml_response) {
        std::string encoded;
        Poco::URI::encode(saml_response, "+/=&", encoded);
        HttpRequest request;
        request.method = "POST";
        request.path = "/auth/saml/sso";
        request.headers["Content-Type"] = "application/x-www-form-urlencoded";
        request.body = "SAMLResponse=" + encoded + "&RelayState=";
        return send_request(port, request);
    }

    HttpResponse sign_on(const std::string& email, const std::map<std::string, std::vector<std::string>>& attributes,
                         const SamlIdentityProvider::Options& options = {}) {
        const auto started = http_get(port, "/auth/saml/login");
        INFO(started.body);
        REQUIRE(started.status == 302);
        return post_response(idp.respond(started.header("Location"), email, attributes, options));
    }
};

} // namespace

TEST_CASE("a SAML sign-on creates the person from the signed assertion", "[api][pg][auth][saml]") {
    SamlSignOn sso;
    const auto started = http_get(sso.port, "/auth/saml/login");
    REQUIRE(started.status == 302);
    const std::string location = started.header("Location");
    CHECK(location.find("/sso?SAMLRequest=") != std::string::npos);

    const auto done = sso.post_response(sso.idp.respond(location, "Kim.Park@Studio.Example",
                                                        {{"first_name", {"Kim"}}, {"last_name", {"Park", "Lee"}}}, {}));
    INFO(done.body);
    REQUIRE(done.status == 302);
    CHECK(done.header("Location") == "http://kitsu.example");
    const std::string access = cookie_value(done, "access_token_cookie");
    REQUIRE(!access.empty());
    CHECK(
        sso.server.query("SELECT first_name || ' ' || last_name FROM person WHERE email = 'kim.park@studio.example'") ==
        "Kim Park Lee");
    CHECK(http_get(sso.port, "/auth/authenticated", access).status == 200);

    // Next time: the same person, renamed, with the details Zou reads from the assertion.
    const std::string department = sso.server.query("SELECT id FROM department WHERE name = 'Animation'");
    REQUIRE(sso.sign_on("kim.park@studio.example", {{"first_name", {"Kimberly"}},
                                                    {"phone", {"+33 1 23 45 67 89"}},
                                                    {"country", {" fr "}},
                                                    {"studio_id", {"not-a-studio"}},
                                                    {"departments", {department, std::string(36, '0')}}})
                .status == 302);
    CHECK(sso.server.query("SELECT count(*) FROM person WHERE email = 'kim.park@studio.example'") == "1");
    CHECK(sso.server.query("SELECT first_name || '|' || phone || '|' || country FROM person "
                           "WHERE email = 'kim.park@studio.example'") == "Kimberly|+33 1 23 45 67 89|FR");
    CHECK(sso.server.query(
              "SELECT string_agg(d.name, ',') FROM department_link l JOIN department d ON d.id = l.department_id "
              "JOIN person p ON p.id = l.person_id WHERE p.email = 'kim.park@studio.example'") == "Animation");
    // A malformed country is left alone, an empty one clears it.
    REQUIRE(sso.sign_on("kim.park@studio.example", {{"country", {"France"}}}).status == 302);
    CHECK(sso.server.query("SELECT country FROM person WHERE email = 'kim.park@studio.example'") == "FR");
    REQUIRE(sso.sign_on("kim.park@studio.example", {{"country", {""}}}).status == 302);
    CHECK(sso.server.query("SELECT count(*) FROM person WHERE email = 'kim.park@studio.example' AND country IS NULL") ==
          "1");
}

TEST_CASE("unsigned, foreign or misdirected SAML responses are refused", "[api][pg][auth][saml]") {
    SamlSignOn sso;
    const std::string failed = R"({"error":"SAML authentication failed."})";
    SamlIdentityProvider::Options unsigned_response;
    unsigned_response.sign = false;
    CHECK(sso.sign_on("eve@studio.example", {}, unsigned_response).body == failed);
    SamlIdentityProvider::Options stranger;
    stranger.other_key = true;
    CHECK(sso.sign_on("eve@studio.example", {}, stranger).body == failed);
    SamlIdentityProvider::Options elsewhere;
    elsewhere.audience = "http://another-service.example";
    CHECK(sso.sign_on("eve@studio.example", {}, elsewhere).body == failed);
    CHECK(sso.post_response("bm90IGEgU0FNTCByZXNwb25zZQ==").body == failed);
    CHECK(sso.post_response("%%%").status == 400);
    CHECK(sso.server.query("SELECT count(*) FROM person WHERE email = 'eve@studio.example'") == "0");

    HttpRequest empty;
    empty.method = "POST";
    empty.path = "/auth/saml/sso";
    empty.headers["Content-Type"] = "application/x-www-form-urlencoded";
    empty.body = "RelayState=x";
    CHECK(send_request(sso.port, empty).json()->getValue<std::string>("message") ==
          "The browser (or proxy) sent a request that this server could not understand.");

    sso.server.config().saml_enabled = false;
    CHECK(http_get(sso.port, "/auth/saml/login").body == R"({"error":"SAML is not enabled."})");
}
