#pragma once
// engine/serialize.h: database rows to Zou's JSON (conventions.md §1): uuids as strings,
// timestamps as YYYY-MM-DDTHH:MM:SS without fraction or zone, jsonb as objects, arrays as
// arrays, NULL kept as null.

#include "engine/fwd.h"

#include <initializer_list>
#include <string>
#include <string_view>

namespace slate::engine {

/// Writes every column of `row` as "name": value into the object `out` has open, except the
/// columns named in `skip`.
void write_row_fields(JsonWriter& out, const db::Result& result, int row,
                      std::initializer_list<std::string_view> skip = {});

/// Every row of `result` as a JSON array of objects of its columns, nothing added.
std::string rows_array_json(const db::Result& result);

/// Every row of `result` as a JSON array of Zou's serialize(): the columns and "type".
std::string rows_json(const db::Result& result, std::string_view type);

/// Row `row` of `result` as Zou's serialize(): the columns and "type".
std::string row_json(const db::Result& result, int row, std::string_view type);

/// Writes one value of a result as Zou renders it.
void write_value(JsonWriter& out, const db::Result& result, int row, int column);

/// PostgreSQL's "2024-01-15 10:30:00.123456" as Zou's "2024-01-15T10:30:00".
std::string zou_datetime(std::string_view postgres_timestamp);

} // namespace slate::engine
