#include "engine/serialize.h"

#include "engine/db/connection.h"
#include "engine/json.h"

#include <algorithm>
#include <charconv>

namespace slate::engine {
namespace {

/// Splits a one-dimensional PostgreSQL array literal ({a,"b c",NULL}) into JSON elements.
void write_text_array(JsonWriter& out, std::string_view literal) {
    out.begin_array();
    if (literal.size() < 2) {
        out.end_array();
        return;
    }
    std::string_view body = literal.substr(1, literal.size() - 2);
    std::size_t pos = 0;
    while (pos < body.size()) {
        std::string element;
        bool quoted = false;
        if (body[pos] == '"') {
            quoted = true;
            ++pos;
            while (pos < body.size() && body[pos] != '"') {
                if (body[pos] == '\\' && pos + 1 < body.size())
                    ++pos;
                element.push_back(body[pos++]);
            }
            ++pos; // closing quote
        } else {
            while (pos < body.size() && body[pos] != ',')
                element.push_back(body[pos++]);
        }
        if (!quoted && element == "NULL")
            out.null();
        else
            out.string(element);
        ++pos; // the comma
    }
    out.end_array();
}

void write_float(JsonWriter& out, std::string_view text) {
    double value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc())
        out.null(); // NaN and Infinity have no JSON form
    else
        out.number(value);
}

/// A value known to need no escape (a uuid, a timestamp), quoted without scanning it.
void write_plain_string(JsonWriter& out, std::string_view text) {
    char quoted[64];
    if (text.size() + 2 > sizeof quoted) {
        out.string(text);
        return;
    }
    quoted[0] = '"';
    std::copy(text.begin(), text.end(), quoted + 1);
    quoted[text.size() + 1] = '"';
    out.raw(std::string_view(quoted, text.size() + 2));
}

/// PostgreSQL's "2024-01-15 10:30:00.123456" as Zou's "2024-01-15T10:30:00", in place.
void write_timestamp(JsonWriter& out, std::string_view text) {
    char value[20];
    const std::size_t size = std::min<std::size_t>(text.size(), 19);
    std::copy(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(size), value);
    if (size > 10 && value[10] == ' ')
        value[10] = 'T';
    write_plain_string(out, std::string_view(value, size));
}

} // namespace

std::string zou_datetime(std::string_view text) {
    std::string value(text.substr(0, std::min<std::size_t>(text.size(), 19)));
    if (value.size() > 10 && value[10] == ' ')
        value[10] = 'T';
    return value;
}

void write_value(JsonWriter& out, const db::Result& result, int row, int column) {
    if (result.is_null(row, column)) {
        out.null();
        return;
    }
    const std::string_view text = result.get(row, column);
    switch (result.column_type(column)) {
    case db::oid::boolean: out.boolean(text == "t"); break;
    case db::oid::int2:
    case db::oid::int4:
    case db::oid::int8:
    case db::oid::numeric: out.raw(text); break;
    case db::oid::float4:
    case db::oid::float8: write_float(out, text); break;
    case db::oid::json:
    case db::oid::jsonb: out.raw(text); break;
    case db::oid::timestamp:
    case db::oid::timestamptz: write_timestamp(out, text); break;
    case db::oid::uuid: write_plain_string(out, text); break;
    case db::oid::text_array:
    case db::oid::varchar_array: write_text_array(out, text); break;
    default: out.string(text); break;
    }
}

std::string rows_array_json(const db::Result& result) {
    JsonWriter out;
    out.begin_array();
    for (int row = 0; row < result.rows(); ++row) {
        out.begin_object();
        write_row_fields(out, result, row);
        out.end_object();
    }
    out.end_array();
    return out.take();
}

void write_row_fields(JsonWriter& out, const db::Result& result, int row,
                      std::initializer_list<std::string_view> skip) {
    for (int column = 0; column < result.columns(); ++column) {
        const std::string_view name = result.column_name(column);
        if (std::find(skip.begin(), skip.end(), name) != skip.end())
            continue;
        out.key(name);
        write_value(out, result, row, column);
    }
}

std::string row_json(const db::Result& result, int row, std::string_view type) {
    JsonWriter out;
    out.begin_object();
    write_row_fields(out, result, row);
    out.field("type", type);
    out.end_object();
    return out.take();
}

std::string rows_json(const db::Result& result, std::string_view type) {
    JsonWriter out;
    out.begin_array();
    for (int row = 0; row < result.rows(); ++row) {
        out.begin_object();
        write_row_fields(out, result, row);
        out.field("type", type);
        out.end_object();
    }
    out.end_array();
    return out.take();
}

} // namespace slate::engine
