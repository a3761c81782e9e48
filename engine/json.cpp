#include "engine/json.h"

#include "engine/error.h"

#include <Poco/JSON/JSONException.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <cstring>

namespace slate::engine {

namespace {

/// Which bytes a JSON string cannot hold raw: controls, the quote and the backslash.
constexpr std::array<bool, 256> escaped_bytes = [] {
    std::array<bool, 256> table{};
    for (int c = 0; c < 0x20; ++c)
        table[c] = true;
    table['"'] = table['\\'] = true;
    return table;
}();

} // namespace

void append_json_string(std::string& out, std::string_view value) {
    const char* const begin = value.data();
    const char* const end = begin + value.size();
    const char* p = begin;
    while (p < end && !escaped_bytes[static_cast<unsigned char>(*p)])
        ++p;
    const std::size_t at = out.size();
    if (p == end) { // the common case: nothing to escape, one copy
        out.append(value.size() + 2, '"');
        std::memcpy(out.data() + at + 1, begin, value.size());
        return;
    }
    // Runs of characters that need no escape are copied whole; UTF-8 stays raw, as orjson writes it.
    out.push_back('"');
    const char* run = begin;
    for (; p < end; ++p) {
        const auto c = static_cast<unsigned char>(*p);
        if (!escaped_bytes[c])
            continue;
        out.append(run, static_cast<std::size_t>(p - run));
        run = p + 1;
        switch (c) {
        case '"': out.append("\\\""); break;
        case '\\': out.append("\\\\"); break;
        case '\n': out.append("\\n"); break;
        case '\r': out.append("\\r"); break;
        case '\t': out.append("\\t"); break;
        case '\b': out.append("\\b"); break;
        case '\f': out.append("\\f"); break;
        default: {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
            out.append(escaped);
        }
        }
    }
    out.append(run, static_cast<std::size_t>(end - run));
    out.push_back('"');
}

void JsonWriter::before_value() {
    if (m_after_key) {
        m_after_key = false;
        return;
    }
    if (!m_first.empty()) {
        if (!m_first.back())
            m_out.push_back(',');
        m_first.back() = false;
    }
}

JsonWriter& JsonWriter::begin_object() {
    before_value();
    m_out.push_back('{');
    m_first.push_back(true);
    return *this;
}

JsonWriter& JsonWriter::end_object() {
    m_out.push_back('}');
    m_first.pop_back();
    return *this;
}

JsonWriter& JsonWriter::begin_array() {
    before_value();
    m_out.push_back('[');
    m_first.push_back(true);
    return *this;
}

JsonWriter& JsonWriter::end_array() {
    m_out.push_back(']');
    m_first.pop_back();
    return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
    before_value();
    append_json_string(m_out, name);
    m_out.push_back(':');
    m_after_key = true;
    return *this;
}

JsonWriter& JsonWriter::string(std::string_view value) {
    before_value();
    append_json_string(m_out, value);
    return *this;
}

JsonWriter& JsonWriter::number(int64_t value) {
    before_value();
    char buffer[24];
    const auto written = std::to_chars(buffer, buffer + sizeof buffer, value);
    m_out.append(buffer, written.ptr);
    return *this;
}

JsonWriter& JsonWriter::number(double value) {
    before_value();
    if (!std::isfinite(value)) {
        m_out.append("null");
        return *this;
    }
    // Python's repr: the shortest digits that read back the same value, positional between
    // 1e-4 and 1e16 (8.0 stays "8.0", 0.1 is "0.1"), else "1e+16", "1.5e-05".
    char buffer[64];
    if (value == std::trunc(value) && std::abs(value) < 1e15 && !(value == 0 && std::signbit(value))) {
        // Whole numbers (durations, estimates, most values) need none of the work below.
        const auto whole = std::to_chars(buffer, buffer + sizeof buffer, static_cast<int64_t>(value));
        m_out.append(buffer, whole.ptr).append(".0");
        return *this;
    }
    const auto written = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
    const std::string scientific(buffer, written.ptr);
    const auto e = scientific.find('e');
    const bool negative = scientific[0] == '-';
    std::string digits = scientific.substr(negative ? 1 : 0, e - (negative ? 1 : 0));
    digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
    const int exponent = std::stoi(scientific.substr(e + 1));
    std::string text = negative ? "-" : "";
    if (exponent < -4 || exponent >= 16) {
        text.append(digits.substr(0, 1));
        if (digits.size() > 1)
            text.append(".").append(digits.substr(1));
        char suffix[8];
        std::snprintf(suffix, sizeof suffix, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
        text.append(suffix);
    } else if (exponent < 0) {
        text.append("0.").append(std::size_t(-exponent - 1), '0').append(digits);
    } else if (std::size_t(exponent) + 1 >= digits.size()) {
        text.append(digits).append(std::size_t(exponent) + 1 - digits.size(), '0').append(".0");
    } else {
        text.append(digits.substr(0, std::size_t(exponent) + 1)).append(".").append(digits.substr(exponent + 1));
    }
    m_out.append(text);
    return *this;
}

JsonWriter& JsonWriter::boolean(bool value) {
    before_value();
    m_out.append(value ? "true" : "false");
    return *this;
}

JsonWriter& JsonWriter::null() {
    before_value();
    m_out.append("null");
    return *this;
}

JsonWriter& JsonWriter::raw(std::string_view json) {
    before_value();
    m_out.append(json);
    return *this;
}

Poco::JSON::Object::Ptr parse_json_object(std::string_view body) {
    std::size_t start = body.find_first_not_of(" \t\r\n");
    if (start == std::string_view::npos)
        return new Poco::JSON::Object; // adopted by the Ptr
    Poco::Dynamic::Var parsed;
    try {
        Poco::JSON::Parser parser;
        parsed = parser.parse(std::string(body));
    } catch (const Poco::Exception&) {
        throw_bad_request("The request body is not valid JSON.");
    }
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr))
        throw_bad_request("The request body must be a JSON object.");
    return parsed.extract<Poco::JSON::Object::Ptr>();
}

std::string optional_string(const Poco::JSON::Object& object, const std::string& name, const std::string& fallback) {
    if (!object.has(name) || object.isNull(name))
        return fallback;
    const Poco::Dynamic::Var value = object.get(name);
    if (!value.isString())
        throw_bad_request("Wrong value for parameter " + name + ".");
    return value.extract<std::string>();
}

} // namespace slate::engine

namespace slate {

void throw_wrong_parameter(const std::string& message) {
    engine::JsonWriter body;
    body.begin_object().field("error", true).field("message", message).field_null("data").end_object();
    throw Error(ErrorKind::bad_request, message, body.take());
}

} // namespace slate
