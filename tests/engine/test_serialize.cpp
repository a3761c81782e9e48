// tests/engine/test_serialize.cpp: PostgreSQL values rendered as Zou renders them.
#include <catch2/catch.hpp>

#include "support/test_database.h"

#include "engine/db/connection.h"
#include "engine/json.h"
#include "engine/serialize.h"

TEST_CASE("timestamps drop the fraction, dates stay, arrays and jsonb keep their shape", "[engine][pg]") {
    slate::engine::db::Connection connection(slate::test::fresh_database());
    const auto result = connection.exec(R"(SELECT
        '2024-01-15 10:30:00.123456'::timestamp AS at, '2024-02-01'::date AS day,
        'a24a6ea4-ce75-4665-a070-57453082c25f'::uuid AS id, 8::float8 AS hours,
        ARRAY['user', 'admin', 'with space', NULL]::varchar[] AS roles,
        '{"fps": 24}'::jsonb AS data, NULL::text AS nothing, true AS flag, 42 AS n)");
    slate::engine::JsonWriter out;
    out.begin_object();
    slate::engine::write_row_fields(out, result, 0);
    out.end_object();
    CHECK(out.text() == R"({"at":"2024-01-15T10:30:00","day":"2024-02-01",)"
                        R"("id":"a24a6ea4-ce75-4665-a070-57453082c25f","hours":8.0,)"
                        R"("roles":["user","admin","with space",null],"data":{"fps": 24},)"
                        R"("nothing":null,"flag":true,"n":42})");
}
