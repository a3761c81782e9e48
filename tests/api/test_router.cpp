// tests/api/test_router.cpp: routes as data; literal segments win over parameters.
#include <catch2/catch.hpp>

#include "api/router.h"

using namespace slate::api;

namespace {
Reply named(const char* name) { return json_reply(200, name); }
} // namespace

TEST_CASE("the router fills parameters and prefers literal segments", "[api]") {
    Router router;
    router.add({
        {Method::get, "/data/persons/{person_id}", Access::jwt,
         [](Request&, Services&) { return named("one"); }},
        {Method::get, "/data/persons/me", Access::jwt,
         [](Request&, Services&) { return named("me"); }},
        {Method::put, "/data/persons/{person_id}", Access::jwt,
         [](Request&, Services&) { return named("put"); }},
    });
    auto me = router.match(Method::get, "/data/persons/me");
    REQUIRE(me.route);
    CHECK(me.route->path == "/data/persons/me");
    CHECK(me.params.empty());

    auto one = router.match(Method::get, "/data/persons/1234");
    REQUIRE(one.route);
    CHECK(one.route->path == "/data/persons/{person_id}");
    CHECK(one.params.at("person_id") == "1234");

    auto wrong_method = router.match(Method::del, "/data/persons/1234");
    CHECK_FALSE(wrong_method.route);
    CHECK(wrong_method.path_known);

    auto unknown = router.match(Method::get, "/data/nothing/here");
    CHECK_FALSE(unknown.route);
    CHECK_FALSE(unknown.path_known);
}

TEST_CASE("paths split into segments without empty ones", "[api]") {
    CHECK(split_path("/") == std::vector<std::string>{});
    CHECK(split_path("/a/b") == std::vector<std::string>{"a", "b"});
    CHECK(split_path("/a//b/") == std::vector<std::string>{"a", "b"});
}
