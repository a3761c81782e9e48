// tests/engine/test_json.cpp: JSON written as orjson writes it, bodies read strictly.
#include <catch2/catch.hpp>

#include "engine/error.h"
#include "engine/json.h"

using slate::engine::JsonWriter;

TEST_CASE("JSON is compact, keeps UTF-8 raw and escapes control characters", "[engine]") {
    JsonWriter out;
    out.begin_object()
        .field("name", "Élodie \"E\"\n")
        .field("count", 3)
        .field("ok", true)
        .field_null("none")
        .key("list")
        .begin_array()
        .number(1.5)
        .number(8.0)
        .string("\x01")
        .end_array()
        .end_object();
    CHECK(out.text() == R"({"name":"Élodie \"E\"\n","count":3,"ok":true,"none":null,"list":[1.5,8.0,"\u0001"]})");
}

TEST_CASE("request bodies must be JSON objects", "[engine]") {
    CHECK(slate::engine::parse_json_object("")->size() == 0);
    CHECK(slate::engine::parse_json_object(R"({"a": 1})")->has("a"));
    CHECK_THROWS_AS(slate::engine::parse_json_object("{not json"), slate::Error);
    CHECK_THROWS_AS(slate::engine::parse_json_object("[1, 2]"), slate::Error);
    CHECK_THROWS_AS(slate::engine::parse_json_object("\"text\""), slate::Error);
}

TEST_CASE("a member of the wrong type is a bad request naming it", "[engine]") {
    auto object = slate::engine::parse_json_object(R"({"email": 12})");
    try {
        slate::engine::optional_string(*object, "email");
        FAIL("no error");
    } catch (const slate::Error& e) {
        CHECK(e.kind() == slate::ErrorKind::bad_request);
        CHECK(std::string(e.what()) == "Wrong value for parameter email.");
    }
}
