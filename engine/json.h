#pragma once
// engine/json.h: writing JSON the way Zou's orjson does (compact, UTF-8 kept raw), and
// reading request bodies with Poco::JSON.

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace slate::engine {

/// Appends compact JSON to a string. Commas are placed automatically; the caller keeps
/// begin/end calls balanced. Not thread-safe; one writer per response.
class JsonWriter {
public:
    JsonWriter& begin_object();
    JsonWriter& end_object();
    JsonWriter& begin_array();
    JsonWriter& end_array();
    JsonWriter& key(std::string_view name);
    JsonWriter& string(std::string_view value);
    JsonWriter& number(int64_t value);
    JsonWriter& number(double value);
    JsonWriter& boolean(bool value);
    JsonWriter& null();
    /// Inserts already-valid JSON text (a jsonb column, a nested document).
    JsonWriter& raw(std::string_view json);

    // Shorthands for "key": value.
    JsonWriter& field(std::string_view name, std::string_view value) { return key(name).string(value); }
    JsonWriter& field(std::string_view name, const char* value) { return key(name).string(value); }
    JsonWriter& field(std::string_view name, const std::string& value) { return key(name).string(value); }
    JsonWriter& field(std::string_view name, bool value) { return key(name).boolean(value); }
    JsonWriter& field(std::string_view name, int value) { return key(name).number(int64_t(value)); }
    JsonWriter& field(std::string_view name, int64_t value) { return key(name).number(value); }
    JsonWriter& field_null(std::string_view name) { return key(name).null(); }

    const std::string& text() const { return m_out; }
    std::string take() { return std::move(m_out); }

private:
    void before_value();
    std::string m_out;
    std::vector<bool> m_first; ///< per open container: no element written yet
    bool m_after_key = false;
};

/// Appends `value` as a JSON string literal (quotes included) to `out`.
void append_json_string(std::string& out, std::string_view value);

/// Parses a request body that must be a JSON object. An empty body gives an empty object.
/// Throws slate::Error(bad_request) with a clear message when it is not valid JSON or not an
/// object.
Poco::JSON::Object::Ptr parse_json_object(std::string_view body);

/// Reads an optional string member; a member of another type throws bad_request naming it.
std::string optional_string(const Poco::JSON::Object& object, const std::string& name,
                            const std::string& fallback = "");

} // namespace slate::engine
