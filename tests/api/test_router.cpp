// tests/api/test_router.cpp: routes as data; literal segments win over parameters.
#include <catch2/catch.hpp>

#include "api/router.h"

using namespace slate::api;

namespace {
Reply named(const char* name) {
    return json_reply(200, name);
}
} // namespace

TEST_CASE("the router fills parameters and prefers literal segments", "[api]") {
    Router router;
    router.add({
        {Method::get, "/data/persons/{person_id}", Access::jwt, [](Request&, Services&) { return named("one"); }},
        {Method::get, "/data/persons/me", Access::jwt, [](Request&, Services&) { return named("me"); }},
        {Method::put, "/data/persons/{person_id}", Access::jwt, [](Request&, Services&) { return named("put"); }},
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

TEST_CASE("a parameter may carry a literal suffix such as .png", "[api]") {
    Router router;
    router.add({
        {Method::get, "/pictures/thumbnails/persons/{instance_id}.png", Access::jwt,
         [](Request&, Services&) { return named("png"); }},
        {Method::get, "/pictures/thumbnails/persons/{instance_id}", Access::jwt,
         [](Request&, Services&) { return named("bare"); }},
    });
    auto png = router.match(Method::get, "/pictures/thumbnails/persons/abc.png");
    REQUIRE(png.route);
    CHECK(png.route->path == "/pictures/thumbnails/persons/{instance_id}.png");
    CHECK(png.params.at("instance_id") == "abc");
    auto bare = router.match(Method::get, "/pictures/thumbnails/persons/abc");
    REQUIRE(bare.route);
    CHECK(bare.params.at("instance_id") == "abc");
    CHECK_FALSE(router.match(Method::get, "/pictures/thumbnails/persons/.png").route == png.route);
}

TEST_CASE("a parameter may carry a second parameter after its last dot", "[api]") {
    Router router;
    router.add({
        {Method::get, "/pictures/originals/preview-files/{instance_id}.{extension}", Access::jwt,
         [](Request&, Services&) { return named("any"); }},
        {Method::get, "/pictures/originals/preview-files/{instance_id}.png", Access::jwt,
         [](Request&, Services&) { return named("png"); }},
        {Method::get, "/pictures/originals/preview-files/{instance_id}", Access::jwt,
         [](Request&, Services&) { return named("bare"); }},
    });
    auto pdf = router.match(Method::get, "/pictures/originals/preview-files/abc.def.pdf");
    REQUIRE(pdf.route);
    CHECK(pdf.route->path == "/pictures/originals/preview-files/{instance_id}.{extension}");
    CHECK(pdf.params.at("instance_id") == "abc.def");
    CHECK(pdf.params.at("extension") == "pdf");
    auto png = router.match(Method::get, "/pictures/originals/preview-files/abc.png");
    REQUIRE(png.route);
    CHECK(png.route->path == "/pictures/originals/preview-files/{instance_id}.png");
    auto bare = router.match(Method::get, "/pictures/originals/preview-files/abc");
    REQUIRE(bare.route);
    CHECK(bare.route->path == "/pictures/originals/preview-files/{instance_id}");
    auto trailing = router.match(Method::get, "/pictures/originals/preview-files/abc.");
    REQUIRE(trailing.route);
    CHECK(trailing.route->path == "/pictures/originals/preview-files/{instance_id}");
}
